import Foundation
import MLP
import MLPModelFile

/// `mlp train` on MLPClassifier / MLPRegressor: scale, fit with a per-epoch progress callback, export an MLPModel.
struct EstimatorBackend: TrainingBackend {
    func train(_ request: TrainingRequest, progress: @escaping (EpochEvent) -> Void) throws -> TrainingResult {
        switch request.dtype {
        case .float64: return try fit(Double.self, request, progress: progress)
        case .float32: return try fit(Float.self, request, progress: progress)
        }
    }

    private func fit<T: KernelFloat>(_: T.Type, _ r: TrainingRequest, progress: @escaping (EpochEvent) -> Void) throws -> TrainingResult {
        var x = Matrix<T>(rows: r.rowCount, columns: r.featureNames.count, storage: r.features.map { T($0) })
        // The scaler: refitted, or the warm-started model's own (so the continued network sees the same inputs).
        let scaler: ScalerParameters
        if let initial = r.initialModel {
            scaler = initial.scaler
        } else {
            switch r.scale {
            case .none: scaler = .none
            case .standard:
                var s = StandardScaler()
                s.fit(x)
                scaler = .standard(mean: s.mean, scale: s.scale)
            case .minmax:
                var s = MinMaxScaler()
                s.fit(x)
                scaler = .minmax(scale: s.scale, min: s.offset)
            }
        }
        x = Scaling.apply(scaler, to: x)
        let parameters = r.parameters
        let initialNetwork: Network<T>? = try r.initialModel.map { try Scaling.network(from: $0) }

        let start = DispatchTime.now().uptimeNanoseconds
        func elapsed() -> Double { Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }
        let onEpoch: (EpochReport) -> EpochAction = { report in
            progress(EpochEvent(epoch: report.epoch, maxEpochs: report.maxIter, loss: report.loss,
                                validationScore: report.validationScore, elapsed: elapsed()))
            return .continue
        }
        var metadata: ModelMetadata
        let network: Network<T>
        let warnings: [MLPWarning]
        do {
            if let classes = r.classes, let indices = r.classIndices {
                let labels = try LabelEncoder(classNames: classes).classes
                let y = indices.map { labels[$0] }
                let clf: MLPClassifier<T>
                if let initialNetwork {
                    clf = MLPClassifier<T>(parameters: parameters, network: initialNetwork, classes: labels,
                                           targetType: labels.count == 2 ? .binary : .multiclass)
                } else {
                    clf = MLPClassifier<T>(parameters: parameters)
                }
                clf.onEpoch = onEpoch
                try clf.fit(x, y)
                network = clf.network!
                warnings = clf.warnings
                guard clf.classes.map(\.description) == classes else {
                    throw CLIError(.data, "internal: the classifier's classes \(clf.classes) differ from the data's \(classes)")
                }
                metadata = Self.metadata(network, estimator: .classifier, loss: "log_loss", r)
                metadata.lossCurve = clf.lossCurve ?? []
                metadata.validationScores = clf.validationScores
                metadata.bestLoss = clf.bestLoss
                metadata.nIter = clf.nIter
                metadata.t = clf.t
            } else {
                let loss = r.parameters.loss
                let reg: MLPRegressor<T>
                if let initialNetwork {
                    reg = MLPRegressor<T>(loss: loss, parameters: parameters, network: initialNetwork)
                } else {
                    reg = MLPRegressor<T>(loss: loss, parameters: parameters)
                }
                reg.onEpoch = onEpoch
                try reg.fit(x, r.targets!.map { T($0) })
                network = reg.network!
                warnings = reg.warnings
                metadata = Self.metadata(network, estimator: .regressor, loss: loss.rawValue, r)
                metadata.lossCurve = reg.lossCurve ?? []
                metadata.validationScores = reg.validationScores
                metadata.bestLoss = reg.bestLoss
                metadata.nIter = reg.nIter
                metadata.t = reg.t
            }
        } catch let error as MLPError {
            switch error {
            // The command checked every parameter before reading data, so what the estimator still refuses
            // depends on the data (e.g. an early-stopping split of too few rows): exit 1, naming the data.
            case .diverged: throw CLIError(.training, error.description + " No model was written.")
            default: throw CLIError(.data, "\(r.sourceName): \(error.description)")
            }
        }
        let seconds = elapsed()
        if let initial = r.initialModel {
            // sklearn's warm_start keeps appending to loss_curve_ (and validation_scores_); n_iter_ counts this fit.
            metadata.lossCurve = initial.metadata.lossCurve + metadata.lossCurve
            if let previous = initial.metadata.validationScores, let now = metadata.validationScores {
                metadata.validationScores = previous + now
            }
        }
        let model = try cli {
            try MLPModel(metadata: metadata, coefs: (0..<network.layerCount).map { Scaling.values(network.coefficients(ofLayer: $0).storage) },
                         intercepts: (0..<network.layerCount).map { Scaling.values(network.intercepts(ofLayer: $0)) },
                         scaler: scaler)
        }
        return TrainingResult(model: model, fitSeconds: seconds,
                              converged: !warnings.contains { $0.kind == .convergence },
                              warnings: warnings.filter { $0.kind != .convergence }.map(\.message))
}

    private static func metadata<T>(_ network: Network<T>, estimator: EstimatorKind, loss: String,
                                    _ r: TrainingRequest) -> ModelMetadata {
        ModelMetadata(estimator: estimator, dtype: r.dtype.rawValue, layerSizes: network.layerSizes,
                      activation: network.hiddenActivation.rawValue, outActivation: network.outputActivation.rawValue,
                      loss: loss, featureNames: r.featureNames, classes: r.classes, targetName: r.targetName,
                      encoding: r.encoding, scaler: r.initialModel?.scaler.kind ?? r.scale)
    }
}

/// Shared by training and prediction, so both scale and run the network identically.
enum Scaling {
    /// The core scalers' formulas, computed in Double and rounded to T: (x − mean) / scale, x · scale + min.
    static func apply<T: KernelFloat>(_ scaler: ScalerParameters, to x: Matrix<T>) -> Matrix<T> {
        var out = x
        let n = x.columns
        switch scaler {
        case .none: break
        case .standard(let mean, let scale):
            for i in out.storage.indices { out.storage[i] = T((Double(x.storage[i]) - mean[i % n]) / scale[i % n]) }
        case .minmax(let scale, let min):
            for i in out.storage.indices { out.storage[i] = T(Double(x.storage[i]) * scale[i % n] + min[i % n]) }
        }
        return out
    }

    /// The core Network holding a model's weights (converted to T if the model's dtype differs).
    static func network<T: KernelFloat>(from model: MLPModel) throws -> Network<T> {
        let m = model.metadata
        guard let hidden = Activation(rawValue: m.activation), let output = Activation(rawValue: m.outActivation) else {
            throw CLIError(.model, "unknown activation in the model file")
        }
        var network = Network<T>(layerSizes: m.layerSizes, hiddenActivation: hidden, outputActivation: output)
        for l in 0..<network.layerCount {
            network.setCoefficients(Matrix(rows: m.layerSizes[l], columns: m.layerSizes[l + 1], storage: elements(model.coefs[l])),
                                    ofLayer: l)
            network.setIntercepts(elements(model.intercepts[l]), ofLayer: l)
        }
        return network
    }

    static func elements<T: KernelFloat>(_ v: NamedArray.Values) -> [T] {
        switch v {
        case .float32(let f): return T.self == Float.self ? f as! [T] : f.map { T($0) }
        case .float64(let d): return T.self == Double.self ? d as! [T] : d.map { T($0) }
        }
    }

    static func values<T: KernelFloat>(_ v: [T]) -> NamedArray.Values {
        if T.self == Float.self { return .float32(v as! [Float]) }
        return .float64(v.map { Double($0) })
    }
}
