// Fitted estimators and pipelines ↔ MLPModel ↔ model file. Saving exports the network, hyper-parameters and
// fitted attributes; loading rebuilds the same estimator, so it predicts the same bits and a warm start goes on.

import MLPCore

extension MLPModel {
    /// The model of a fitted classifier and the steps before it.
    /// - Parameters:
    ///   - classifier: a fitted MLPClassifier.
    ///   - scaler: the scaler applied before it (none for a bare estimator).
    ///   - encoding: how CSV columns became its features; nil names them x0, x1, ... as scikit-learn does.
    ///   - targetName: the target column's name, if it came from a table.
    /// - Throws: `ModelFileError` (`.invalid`) when the classifier is not fitted.
    public init<T: KernelFloat>(classifier: MLPClassifier<T>, scaler: FeatureScaler = .none,
                                encoding: FeatureEncoding? = nil, targetName: String? = nil) throws {
        guard let network = classifier.network, let targetType = classifier.targetType else {
            throw ModelFileError(.invalid, "the MLPClassifier is not fitted; call fit before saving it")
        }
        try self.init(estimator: .classifier, network: network, parameters: classifier.parameters,
                      fittedState: classifier.fittedState, loss: "log_loss", classes: classifier.classes,
                      targetType: targetType, classWeight: classifier.classWeight.map(StoredClassWeight.init),
                      scaler: scaler, encoding: encoding, targetName: targetName)
    }

    /// The model of a fitted regressor and the steps before it.
    /// - Parameters:
    ///   - regressor: a fitted MLPRegressor.
    ///   - scaler: the scaler applied before it (none for a bare estimator).
    ///   - encoding: how CSV columns became its features; nil names them x0, x1, ...
    ///   - targetName: the target column's name, if it came from a table.
    /// - Throws: `ModelFileError` (`.invalid`) when the regressor is not fitted.
    public init<T: KernelFloat>(regressor: MLPRegressor<T>, scaler: FeatureScaler = .none,
                                encoding: FeatureEncoding? = nil, targetName: String? = nil) throws {
        guard let network = regressor.network else {
            throw ModelFileError(.invalid, "the MLPRegressor is not fitted; call fit before saving it")
        }
        try self.init(estimator: .regressor, network: network, parameters: regressor.parameters,
                      fittedState: regressor.fittedState, loss: regressor.loss.rawValue, classes: nil, targetType: nil,
                      classWeight: nil, scaler: scaler, encoding: encoding, targetName: targetName)
    }

    /// The model of a fitted pipeline.
    /// - Parameter pipeline: a fitted MLPPipeline.
    /// - Throws: `ModelFileError` (`.invalid`) when the pipeline is not fitted.
    public init(pipeline: MLPPipeline) throws {
        guard pipeline.isFitted, let scaler = pipeline.scaler, let encoding = pipeline.encoding else {
            throw ModelFileError(.invalid, "the MLPPipeline is not fitted; call fit before saving it")
        }
        switch pipeline.estimator {
        case .classifier(let e):
            try self.init(classifier: e, scaler: scaler, encoding: encoding, targetName: pipeline.targetName)
        case .floatClassifier(let e):
            try self.init(classifier: e, scaler: scaler, encoding: encoding, targetName: pipeline.targetName)
        case .regressor(let e):
            try self.init(regressor: e, scaler: scaler, encoding: encoding, targetName: pipeline.targetName)
        case .floatRegressor(let e):
            try self.init(regressor: e, scaler: scaler, encoding: encoding, targetName: pipeline.targetName)
        }
        if pipeline.targetNames.count > 1 { metadata.targetNames = pipeline.targetNames }
        targetScaler = pipeline.targetScaler
        try checkTargetScaler()
        try checkTargetNames()  // validate() ran before the names were set
    }

    private init<T: KernelFloat>(estimator: MLPEstimator, network: Network<T>, parameters: MLPParameters,
                                 fittedState: MLPFittedState, loss: String, classes: [ClassLabel]?,
                                 targetType: TargetType?, classWeight: StoredClassWeight?, scaler: FeatureScaler,
                                 encoding: FeatureEncoding?, targetName: String?) throws {
        guard network.parameters.count == network.parameterCount else {
            throw ModelFileError(.invalid, "the \(estimator.rawValue)'s network holds \(network.parameters.count) "
                                 + "parameters, but its layer sizes \(network.layerSizes) need \(network.parameterCount)")
        }
        let encoding = encoding ?? FeatureEncoding(inputColumns: (0..<network.inputCount).map { "x\($0)" })
        var metadata = ModelMetadata(
            estimator: estimator, dtype: T.self == Float.self ? "float32" : "float64", layerSizes: network.layerSizes,
            activation: network.hiddenActivation.rawValue, outActivation: network.outputActivation.rawValue, loss: loss,
            featureNames: encoding.featureNames, classes: classes, targetType: targetType, targetName: targetName,
            encoding: encoding, scaler: scaler.kind, parameters: parameters, classWeight: classWeight)
        metadata.setFittedState(fittedState)
        try self.init(metadata: metadata,
                      coefs: (0..<network.layerCount).map { Self.values(network.coefficients(ofLayer: $0).storage) },
                      intercepts: (0..<network.layerCount).map { Self.values(network.intercepts(ofLayer: $0)) },
                      scaler: scaler)
    }

    private static func values<T: KernelFloat>(_ v: [T]) -> NamedArray.Values {
        if let floats = v as? [Float] { return .float32(floats) }
        return .float64(v.map { Double($0) })
    }

    private static func elements<T: KernelFloat>(_ v: NamedArray.Values) -> [T] {
        switch v {
        case .float32(let f): f.map { T($0) }
        case .float64(let d): d.map { T($0) }
        }
    }

    // MARK: Rebuilding

    /// The network with the model's weights, in T (widened or rounded when the file's dtype differs).
    /// - Parameter type: the element type wanted.
    /// - Returns: the network, ready to predict.
    /// - Throws: `ModelFileError` (`.invalid`) when an activation is unknown, or the weights do not have the shapes of
    ///   the layer sizes (the model's properties are public, so they may have changed since it was validated).
    public func network<T: KernelFloat>(_ type: T.Type = T.self) throws -> Network<T> {
        try checkShapes()
        let m = metadata
        guard let hidden = Activation(rawValue: m.activation), let output = Activation(rawValue: m.outActivation) else {
            throw ModelFileError(.invalid, "unknown activation '\(m.activation)' or '\(m.outActivation)'")
        }
        var network = Network<T>(layerSizes: m.layerSizes, hiddenActivation: hidden, outputActivation: output)
        for l in 0..<network.layerCount {
            network.setCoefficients(Matrix(rows: m.layerSizes[l], columns: m.layerSizes[l + 1], storage: Self.elements(coefs[l])),
                                    ofLayer: l)
            network.setIntercepts(Self.elements(intercepts[l]), ofLayer: l)
        }
        return network
    }

    /// The fitted classifier the model holds (its scaler and encoding are not part of it).
    /// - Parameter type: the element type wanted.
    /// - Returns: the classifier with its parameters, classes and fitted attributes.
    /// - Throws: `ModelFileError` (`.invalid`) when the model holds a regressor.
    public func classifier<T: KernelFloat>(_ type: T.Type = T.self) throws -> MLPClassifier<T> {
        let m = metadata
        guard m.estimator == .classifier, let classes = m.classes else {
            throw ModelFileError(.invalid, "the model file holds an MLPRegressor, not an MLPClassifier")
        }
        let targetType = m.targetType ?? (classes.count <= 2 ? .binary : .multiclass)
        return MLPClassifier<T>(parameters: m.parameters, classWeight: m.classWeight?.classWeight, network: try network(T.self),
                                classes: classes, targetType: targetType, fittedState: m.fittedState)
    }

    /// The fitted regressor the model holds (its scaler and encoding are not part of it).
    /// - Parameter type: the element type wanted.
    /// - Returns: the regressor with its parameters, loss and fitted attributes.
    /// - Throws: `ModelFileError` (`.invalid`) when the model holds a classifier.
    public func regressor<T: KernelFloat>(_ type: T.Type = T.self) throws -> MLPRegressor<T> {
        let m = metadata
        guard m.estimator == .regressor, let loss = RegressionLoss(rawValue: m.loss) else {
            throw ModelFileError(.invalid, "the model file holds an MLPClassifier, not an MLPRegressor")
        }
        return MLPRegressor<T>(loss: loss, parameters: m.parameters, network: try network(T.self), fittedState: m.fittedState)
    }

    /// The fitted pipeline the model holds, in the element type of its file.
    /// - Returns: the pipeline: encoding, scaler and estimator.
    /// - Throws: `ModelFileError` (`.invalid`) when the estimator cannot be rebuilt.
    public func pipeline() throws -> MLPPipeline {
        let isFloat = metadata.dtype == "float32"
        let estimator: PipelineEstimator = switch metadata.estimator {
        case .classifier: isFloat ? .floatClassifier(try classifier(Float.self)) : .classifier(try classifier(Double.self))
        case .regressor: isFloat ? .floatRegressor(try regressor(Float.self)) : .regressor(try regressor(Double.self))
        }
        return MLPPipeline(estimator: estimator, scaler: scaler, encoding: metadata.encoding,
                           targetNames: metadata.allTargetNames, targetScaler: targetScaler)
    }

    /// Reads the model file at `path` and rebuilds what `make` makes of it; errors name the file.
    static func read<Loaded>(from path: String, bare: Bool, _ make: (MLPModel) throws -> Loaded) throws -> Loaded {
        let model = try MLPModel.read(from: path)
        if bare { try model.checkBareEstimator(path) }
        do { return try make(model) } catch var error as ModelFileError {
            error.path = path
            throw error
        }
    }

    /// Refuses to hand out a bare estimator when the file scales the features first.
    func checkBareEstimator(_ path: String) throws {
        guard scaler.kind == .none else {
            throw ModelFileError(.invalid, "the model file holds a pipeline that scales the features first "
                                 + "(\(scaler.kind.rawValue) scaler); load it with MLPPipeline.load(from:)", path: path)
        }
        guard targetScaler == nil else {
            throw ModelFileError(.invalid, "the model file holds a pipeline that scales the target; "
                                 + "load it with MLPPipeline.load(from:)", path: path)
        }
    }
}

extension MLPClassifier {
    /// Saves the fitted classifier: weights, parameters, classes and fitted attributes, atomically.
    /// - Parameter path: the model file to write (replaced if it exists).
    /// - Throws: `ModelFileError` when it is not fitted, its model is not valid (see `MLPModel.validate()`), or
    ///   the file cannot be written.
    public func save(to path: String) throws {
        try MLPModel(classifier: self).modelFile().write(to: path)  // validated by init
    }

    /// Loads a classifier saved by `save(to:)` (weights converted to T if the file holds the other precision).
    /// - Parameter path: the model file.
    /// - Returns: the loaded, fitted estimator.
    /// - Throws: `ModelFileError` when the file cannot be read, is not a valid model, holds the other estimator,
    ///   or scales the features first (load that with `MLPPipeline.load(from:)`).
    public static func load(from path: String) throws -> MLPClassifier<T> {
        try MLPModel.read(from: path, bare: true) { try $0.classifier(T.self) }
    }
}

extension MLPRegressor {
    /// Saves the fitted regressor: weights, parameters, loss and fitted attributes, atomically.
    /// - Parameter path: the model file to write (replaced if it exists).
    /// - Throws: `ModelFileError` when it is not fitted, its model is not valid (see `MLPModel.validate()`), or
    ///   the file cannot be written.
    public func save(to path: String) throws {
        try MLPModel(regressor: self).modelFile().write(to: path)  // validated by init
    }

    /// Loads a regressor saved by `save(to:)` (weights converted to T if the file holds the other precision).
    /// - Parameter path: the model file.
    /// - Returns: the loaded, fitted estimator.
    /// - Throws: `ModelFileError` when the file cannot be read, is not a valid model, holds the other estimator,
    ///   or scales the features first (load that with `MLPPipeline.load(from:)`).
    public static func load(from path: String) throws -> MLPRegressor<T> {
        try MLPModel.read(from: path, bare: true) { try $0.regressor(T.self) }
    }
}

extension MLPPipeline {
    /// Saves the fitted pipeline: encoding, scaler and estimator, atomically.
    /// - Parameter path: the model file to write (replaced if it exists).
    /// - Throws: `ModelFileError` when it is not fitted, its model is not valid (see `MLPModel.validate()`), or
    ///   the file cannot be written.
    public func save(to path: String) throws {
        try MLPModel(pipeline: self).modelFile().write(to: path)  // validated by init
    }

    /// Loads a pipeline saved by `save(to:)` or `mlp train`, in the element type of its file.
    /// - Parameter path: the model file.
    /// - Returns: the loaded, fitted pipeline.
    /// - Throws: `ModelFileError` when the file cannot be read or is not a valid model.
    public static func load(from path: String) throws -> MLPPipeline {
        try MLPModel.read(from: path, bare: false) { try $0.pipeline() }
    }
}
