// A trained MLP as plain data (metadata, per-layer weights, scaler statistics), mapped to and from a ModelFile.
// This is the boundary between estimators and files: an estimator exports an MLPModel and is rebuilt from one;
// the file format never sees estimator types.

import MLPCore

/// A fitted pipeline as plain data: metadata, weights and scaler statistics.
public struct MLPModel: Equatable, Sendable {
    /// Every hidden activation a file may name (all of `Activation` but the output-only softmax and exp).
    public static let hiddenActivations: Set<String> = Set(Activation.allCases.filter { $0 != .softmax && $0 != .exp }.map(\.rawValue))
    /// The output activations: logistic or softmax (classifier), identity or exp (regressor).
    public static let outputActivations: Set<String> = ["identity", "logistic", "softmax", "exp"]

    /// Everything but the arrays: shapes, names, encoding, hyper-parameters and fitted attributes.
    public var metadata: ModelMetadata
    /// coefs[i]: (layerSizes[i], layerSizes[i+1]) row-major, as sklearn `coefs_[i]`.
    public var coefs: [NamedArray.Values]
    /// intercepts[i]: (layerSizes[i+1]), as sklearn `intercepts_[i]`.
    public var intercepts: [NamedArray.Values]
    /// The fitted scaler (its kind is also `metadata.scaler`).
    public var scaler: FeatureScaler
    /// The standardization of a regression target (`--scale-target standard`), inverted on predict; arrays
    /// `target_scaler.mean` and `target_scaler.scale` since format 1.2, absent (nil) in older files.
    public var targetScaler: StandardScaler?

    /// Builds and validates a model.
    /// - Parameters:
    ///   - metadata: everything but the arrays.
    ///   - coefs: per layer, (layerSizes[i], layerSizes[i+1]) row-major.
    ///   - intercepts: per layer, (layerSizes[i+1]).
    ///   - scaler: the fitted scaler, of kind `metadata.scaler`.
    /// - Throws: `ModelFileError` (`.invalid`) when the parts do not fit together (see `validate()`).
    public init(metadata: ModelMetadata, coefs: [NamedArray.Values], intercepts: [NamedArray.Values],
                scaler: FeatureScaler) throws {
        self.metadata = metadata
        self.coefs = coefs
        self.intercepts = intercepts
        self.scaler = scaler
        try validate()
    }

    /// Units per layer, input first (`metadata.layerSizes`).
    public var layerSizes: [Int] { metadata.layerSizes }
    /// The number of input features (sklearn `n_features_in_`).
    public var featureCount: Int { metadata.layerSizes.first ?? 0 }
    /// The number of output units (sklearn `n_outputs_`).
    public var outputCount: Int { metadata.layerSizes.last ?? 0 }

    /// Rebuilds a model from a file's arrays; every shape must chain and match the metadata.
    /// - Parameter file: a decoded model file.
    /// - Throws: `ModelFileError` (`.invalid`) when an array is missing or misshapen, or the model is not valid.
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
        let scaler: FeatureScaler
        switch file.metadata.scaler {
        case .none: scaler = .none
        case .standard: scaler = .standard(StandardScaler(mean: try stats("scaler.mean"), scale: try stats("scaler.scale")))
        case .minmax: scaler = .minmax(MinMaxScaler(scale: try stats("scaler.scale"), offset: try stats("scaler.min")))
        }
        try self.init(metadata: file.metadata, coefs: coefs, intercepts: intercepts, scaler: scaler)
        if let mean = file.array(named: "target_scaler.mean") {
            guard let scale = file.array(named: "target_scaler.scale"), mean.shape == [outputCount],
                  scale.shape == [outputCount], metadata.estimator == .regressor else {
                throw Self.invalid("the target scaler arrays do not match a regressor's \(outputCount) outputs")
            }
            targetScaler = StandardScaler(mean: mean.values.doubles, scale: scale.values.doubles)
            try checkTargetScaler()
        }
    }

    /// The model as a file: its metadata and the arrays `coefs.i`, `intercepts.i` and the scaler's statistics.
    /// - Returns: the file, ready to write.
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
        case .standard(let s):
            arrays.append(NamedArray(name: "scaler.mean", shape: [n], values: .float64(s.mean)))
            arrays.append(NamedArray(name: "scaler.scale", shape: [n], values: .float64(s.scale)))
        case .minmax(let s):
            arrays.append(NamedArray(name: "scaler.scale", shape: [n], values: .float64(s.scale)))
            arrays.append(NamedArray(name: "scaler.min", shape: [n], values: .float64(s.offset)))
        }
        if let targetScaler {
            arrays.append(NamedArray(name: "target_scaler.mean", shape: [outputCount], values: .float64(targetScaler.mean)))
            arrays.append(NamedArray(name: "target_scaler.scale", shape: [outputCount], values: .float64(targetScaler.scale)))
        }
        return ModelFile(metadata: metadata, arrays: arrays)
    }

    /// Saves atomically (see `ModelFile.write(to:)`).
    /// - Parameter path: the file to write.
    /// - Throws: `ModelFileError` when the model is not valid (see `validate()`) or the file cannot be written.
    public func write(to path: String) throws {
        // Its properties are public: one changed since `init` validated it would write a file no reader accepts.
        try validate()
        try modelFile().write(to: path)
    }

    /// Reads and validates a model file.
    /// - Parameter path: the file to read.
    /// - Returns: the validated model.
    /// - Throws: `ModelFileError` when the file cannot be read or is not a valid model.
    public static func read(from path: String) throws -> MLPModel {
        let file = try ModelFile.read(from: path)
        do { return try MLPModel(file: file) } catch var error as ModelFileError {
            error.path = path
            throw error
        }
    }

    private static func invalid(_ message: String) -> ModelFileError { ModelFileError(.invalid, message) }

    /// A target scaler belongs to a regressor, one finite, non-zero-scale column per output (what a reader accepts).
    func checkTargetScaler() throws {
        guard let targetScaler else { return }
        guard metadata.estimator == .regressor, targetScaler.mean.count == outputCount else {
            throw Self.invalid("the target scaler arrays do not match a regressor's \(outputCount) outputs")
        }
        guard targetScaler.mean.allSatisfy(\.isFinite), targetScaler.scale.allSatisfy({ $0.isFinite && $0 != 0 }) else {
            throw Self.invalid("the target scaler holds a non-finite or zero statistic")
        }
    }

    /// Several target names belong to a regressor or a multilabel classifier with one output per name, the first of
    /// them `targetName`.
    func checkTargetNames() throws {
        guard let names = metadata.targetNames else { return }
        let perOutput = metadata.estimator == .regressor || metadata.targetType == .multilabelIndicator
        guard perOutput, names.count == outputCount, names.first == metadata.targetName else {
            throw Self.invalid("\(names.count) target names for an \(metadata.estimator.rawValue) of \(outputCount) "
                               + "outputs whose target is '\(metadata.targetName ?? "")'")
        }
    }

    /// The part of `validate()` that rebuilding a network needs, without reading a weight: layer sizes, and one weight
    /// matrix and bias vector of their shapes per layer.
    func checkShapes() throws {
        let sizes = metadata.layerSizes
        guard sizes.count >= 2, sizes.allSatisfy({ $0 >= 1 }) else {
            throw Self.invalid("invalid layer sizes \(sizes)")
        }
        guard coefs.count == sizes.count - 1, intercepts.count == sizes.count - 1 else {
            throw Self.invalid("\(coefs.count) weight matrices for \(sizes.count) layers")
        }
        for i in 0..<coefs.count {
            let (fan, overflow) = sizes[i].multipliedReportingOverflow(by: sizes[i + 1])
            guard !overflow, coefs[i].count == fan, intercepts[i].count == sizes[i + 1] else {
                throw Self.invalid("the weights of layer \(i) do not match layer sizes \(sizes) (shapes do not chain)")
            }
        }
    }

    /// Checks everything a predictor relies on, so a loaded model can never index out of bounds.
    /// - Throws: `ModelFileError` (`.invalid`) naming the first inconsistency.
    public func validate() throws {
        let m = metadata
        let sizes = m.layerSizes
        try checkShapes()
        guard m.dtype == "float64" || m.dtype == "float32" else { throw Self.invalid("unknown dtype '\(m.dtype)'") }
        for i in 0..<coefs.count {
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
            guard let classes = m.classes, zip(classes, classes.dropFirst()).allSatisfy({ $0 < $1 }) else {
                throw Self.invalid("a classifier needs distinct classes, sorted (numbers before strings)")
            }
            if let bad = classes.first(where: { $0.numberValue.map { !$0.isFinite || $0 != $0.rounded() } ?? false }) {
                throw Self.invalid("class \(bad) is not an integer; numeric classes are integers")
            }
            let targetType = m.targetType ?? (classes.count <= 2 ? .binary : .multiclass)
            let expected: Int
            switch targetType {
            case .binary:
                guard classes.count == 2 else { throw Self.invalid("a binary classifier needs two classes, not \(classes.count)") }
                expected = 1
            case .multiclass:
                guard classes.count >= 3 else { throw Self.invalid("a multiclass classifier needs three classes or more") }
                expected = classes.count
            case .multilabelIndicator:
                guard classes == (0..<classes.count).map({ ClassLabel($0) }) else {
                    throw Self.invalid("a multilabel classifier's classes are its label indices 0, 1, ...")
                }
                expected = classes.count
            }
            guard sizes.last == expected else {
                throw Self.invalid("\(classes.count) classes need \(expected) outputs, the network has \(sizes.last!)")
            }
            let output = targetType == .multiclass ? "softmax" : "logistic"
            guard m.outActivation == output, m.loss == "log_loss" else {
                throw Self.invalid("a \(targetType.rawValue) classifier has output \(output) and loss log_loss")
            }
            if let weight = m.classWeight {
                guard let w = weight.classWeight, weight.weights.allSatisfy({ $0.isFinite && $0 >= 0 }),
                      weight.classes.allSatisfy(classes.contains) else {
                    throw Self.invalid("the class weights do not match the classes")
                }
                _ = w
            }
        case .regressor:
            guard m.classes == nil, m.targetType == nil, m.classWeight == nil else {
                throw Self.invalid("a regressor has no classes")
            }
            guard (m.loss == "squared_error" && m.outActivation == "identity") || (m.loss == "poisson" && m.outActivation == "exp") else {
                throw Self.invalid("a regressor has loss squared_error with output identity, or poisson with exp")
            }
        }
        guard scaler.kind == m.scaler else { throw Self.invalid("scaler statistics do not match scaler '\(m.scaler)'") }
        let statistics: [[Double]]
        switch scaler {
        case .none: statistics = []
        case .standard(let s): statistics = [s.mean, s.scale]
        case .minmax(let s): statistics = [s.scale, s.offset]
        }
        for a in statistics {
            guard a.count == sizes[0], a.allSatisfy(\.isFinite) else {
                throw Self.invalid("scaler statistics do not match the \(sizes[0]) features")
            }
        }
        if case .standard(let s) = scaler, s.scale.contains(0) {
            throw Self.invalid("a standard scaler with a zero scale")
        }
        try checkTargetScaler()
        try checkTargetNames()
    }
}
