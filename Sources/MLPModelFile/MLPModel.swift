// A trained MLP as plain data (metadata, per-layer weights, scaler statistics), mapped to and from a ModelFile.
// This is the boundary between estimators and files: an estimator exports an MLPModel and is rebuilt from one;
// the file format never sees estimator types.

import MLPCore

/// Fitted scaler statistics, one value per feature.
public enum ScalerParameters: Equatable, Sendable {
    case none
    /// x' = (x − mean) / scale (sklearn StandardScaler `mean_`, `scale_`).
    case standard(mean: [Double], scale: [Double])
    /// x' = x · scale + min (sklearn MinMaxScaler `scale_`, `min_`).
    case minmax(scale: [Double], min: [Double])

    public var kind: ScalerKind {
        switch self { case .none: .none; case .standard: .standard; case .minmax: .minmax }
    }

    /// Applies the scaling in place to a row-major (rows, count) matrix.
    public func transform(_ x: inout [Double], featureCount: Int) {
        switch self {
        case .none: return
        case .standard(let mean, let scale):
            for i in 0..<x.count { let j = i % featureCount; x[i] = (x[i] - mean[j]) / scale[j] }
        case .minmax(let scale, let min):
            for i in 0..<x.count { let j = i % featureCount; x[i] = x[i] * scale[j] + min[j] }
        }
    }
}

public struct MLPModel: Equatable, Sendable {
    public static let hiddenActivations: Set<String> = ["identity", "logistic", "tanh", "relu"]
    public static let outputActivations: Set<String> = ["identity", "logistic", "softmax", "exp"]

    public var metadata: ModelMetadata
    /// coefs[i]: (layerSizes[i], layerSizes[i+1]) row-major, as sklearn `coefs_[i]`.
    public var coefs: [NamedArray.Values]
    /// intercepts[i]: (layerSizes[i+1]), as sklearn `intercepts_[i]`.
    public var intercepts: [NamedArray.Values]
    public var scaler: ScalerParameters

    /// Builds and validates a model.
    public init(metadata: ModelMetadata, coefs: [NamedArray.Values], intercepts: [NamedArray.Values],
                scaler: ScalerParameters) throws {
        self.metadata = metadata
        self.coefs = coefs
        self.intercepts = intercepts
        self.scaler = scaler
        try validate()
    }

    public var layerSizes: [Int] { metadata.layerSizes }
    public var featureCount: Int { metadata.layerSizes.first ?? 0 }
    public var outputCount: Int { metadata.layerSizes.last ?? 0 }

    /// Rebuilds a model from a file's arrays; every shape must chain and match the metadata.
    public init(file: ModelFile) throws {
        let sizes = file.metadata.layerSizes
        guard sizes.count >= 2 else { throw Self.invalid("the model has \(sizes.count) layers; at least 2 are needed") }
        var coefs: [NamedArray.Values] = []
        var intercepts: [NamedArray.Values] = []
        for i in 0..<(sizes.count - 1) {
            guard let w = file.array(named: "coefs.\(i)"), let b = file.array(named: "intercepts.\(i)") else {
                throw Self.invalid("the weights of layer \(i) ('coefs.\(i)', 'intercepts.\(i)') are missing")
            }
            guard w.shape == [sizes[i], sizes[i + 1]] else {
                throw Self.invalid("'coefs.\(i)' has shape \(w.shape), but layer sizes \(sizes) need [\(sizes[i]), \(sizes[i + 1])] (shapes do not chain)")
            }
            guard b.shape == [sizes[i + 1]] else {
                throw Self.invalid("'intercepts.\(i)' has shape \(b.shape), but layer sizes \(sizes) need [\(sizes[i + 1])]")
            }
            coefs.append(w.values)
            intercepts.append(b.values)
        }
        func stats(_ name: String) throws -> [Double] {
            guard let a = file.array(named: name) else { throw Self.invalid("scaler array '\(name)' is missing") }
            guard a.shape == [sizes[0]] else {
                throw Self.invalid("scaler array '\(name)' has shape \(a.shape), expected [\(sizes[0])]")
            }
            return a.values.doubles
        }
        let scaler: ScalerParameters
        switch file.metadata.scaler {
        case .none: scaler = .none
        case .standard: scaler = .standard(mean: try stats("scaler.mean"), scale: try stats("scaler.scale"))
        case .minmax: scaler = .minmax(scale: try stats("scaler.scale"), min: try stats("scaler.min"))
        }
        try self.init(metadata: file.metadata, coefs: coefs, intercepts: intercepts, scaler: scaler)
    }

    public func modelFile() -> ModelFile {
        var arrays: [NamedArray] = []
        let sizes = metadata.layerSizes
        for i in 0..<coefs.count {
            arrays.append(NamedArray(name: "coefs.\(i)", shape: [sizes[i], sizes[i + 1]], values: coefs[i]))
            arrays.append(NamedArray(name: "intercepts.\(i)", shape: [sizes[i + 1]], values: intercepts[i]))
        }
        let n = featureCount
        switch scaler {
        case .none: break
        case .standard(let mean, let scale):
            arrays.append(NamedArray(name: "scaler.mean", shape: [n], values: .float64(mean)))
            arrays.append(NamedArray(name: "scaler.scale", shape: [n], values: .float64(scale)))
        case .minmax(let scale, let min):
            arrays.append(NamedArray(name: "scaler.scale", shape: [n], values: .float64(scale)))
            arrays.append(NamedArray(name: "scaler.min", shape: [n], values: .float64(min)))
        }
        return ModelFile(metadata: metadata, arrays: arrays)
    }

    public func write(to path: String) throws { try modelFile().write(to: path) }

    public static func read(from path: String) throws -> MLPModel {
        let file = try ModelFile.read(from: path)
        do { return try MLPModel(file: file) } catch var error as ModelFileError {
            error.path = path
            throw error
        }
    }

    private static func invalid(_ message: String) -> ModelFileError { ModelFileError(.invalid, message) }

    /// Checks everything a predictor relies on, so a loaded model can never index out of bounds.
    public func validate() throws {
        let m = metadata
        let sizes = m.layerSizes
        guard sizes.count >= 2, sizes.allSatisfy({ $0 >= 1 }) else {
            throw Self.invalid("invalid layer sizes \(sizes)")
        }
        guard coefs.count == sizes.count - 1, intercepts.count == sizes.count - 1 else {
            throw Self.invalid("\(coefs.count) weight matrices for \(sizes.count) layers")
        }
        guard m.dtype == "float64" || m.dtype == "float32" else { throw Self.invalid("unknown dtype '\(m.dtype)'") }
        for i in 0..<coefs.count {
            let (fan, overflow) = sizes[i].multipliedReportingOverflow(by: sizes[i + 1])
            guard !overflow, coefs[i].count == fan, intercepts[i].count == sizes[i + 1] else {
                throw Self.invalid("the weights of layer \(i) do not match layer sizes \(sizes) (shapes do not chain)")
            }
            guard coefs[i].dtype == m.dtype, intercepts[i].dtype == m.dtype else {
                throw Self.invalid("layer \(i) is \(coefs[i].dtype), but the model declares \(m.dtype)")
            }
            if let bad = (coefs[i].doubles + intercepts[i].doubles).first(where: { !$0.isFinite }) {
                throw Self.invalid("layer \(i) holds a non-finite weight (\(bad))")
            }
        }
        guard Self.hiddenActivations.contains(m.activation) else {
            throw Self.invalid("unknown activation '\(m.activation)'")
        }
        guard Self.outputActivations.contains(m.outActivation) else {
            throw Self.invalid("unknown output activation '\(m.outActivation)'")
        }
        guard m.featureNames.count == sizes[0] else {
            throw Self.invalid("\(m.featureNames.count) feature names for \(sizes[0]) inputs")
        }
        do { try m.encoding.validate() } catch { throw Self.invalid("\(error)") }
        guard m.encoding.featureNames == m.featureNames else {
            throw Self.invalid("the feature encoding does not produce the model's feature names")
        }
        switch m.estimator {
        case .classifier:
            guard let classes = m.classes, classes.count >= 2, Set(classes).count == classes.count else {
                throw Self.invalid("a classifier needs at least two distinct class names")
            }
            let expected = classes.count <= 2 ? 1 : classes.count
            guard sizes.last == expected else {
                throw Self.invalid("\(classes.count) classes need \(expected) outputs, the network has \(sizes.last!)")
            }
        case .regressor:
            guard m.classes == nil else { throw Self.invalid("a regressor has no classes") }
        }
        let scalerArrays: [[Double]]
        switch scaler {
        case .none: scalerArrays = []
        case .standard(let a, let b), .minmax(let a, let b): scalerArrays = [a, b]
        }
        guard scaler.kind == m.scaler else { throw Self.invalid("scaler statistics do not match scaler '\(m.scaler)'") }
        for a in scalerArrays {
            guard a.count == sizes[0], a.allSatisfy(\.isFinite) else {
                throw Self.invalid("scaler statistics do not match the \(sizes[0]) features")
            }
        }
        if case .standard(_, let scale) = scaler, scale.contains(0) {
            throw Self.invalid("a standard scaler with a zero scale")
        }
    }
}
