// MLPRegressor: scikit-learn's `sklearn.neural_network.MLPRegressor` (1.9), same parameters, defaults,
// fitted state and results for the same random_state. See docs/sklearn-mapping.md.

/// A multi-layer perceptron regressor (scikit-learn's `MLPRegressor`): squared error with an identity
/// output, or Poisson deviance with an exp output; one or several outputs.
///
/// Targets are a matrix (n, nOutputs), or a vector for a single output. `predict` always returns (n, nOutputs).
@dynamicMemberLookup
public final class MLPRegressor<T: KernelFloat> {
    /// All scikit-learn hyper-parameters (and the beyond-sklearn options).
    public var parameters: MLPParameters
    /// `loss`: squared_error (default) or poisson (stored in `parameters`).
    public var loss: RegressionLoss {
        get { parameters.loss }
        set { parameters.loss = newValue }
    }
    /// Beyond scikit-learn: called after every epoch (sgd/adam; return `.stop` to end training) and after every
    /// lbfgs iteration (for progress only: lbfgs ignores `.stop`).
    public var onEpoch: ((EpochReport) -> EpochAction)?

    let engine = PerceptronEngine<T>(estimatorName: "MLPRegressor", kind: .regressor)
    /// `n_features_in_`.
    public private(set) var nFeaturesIn: Int?

    /// A regressor with these parameters.
    /// - Parameter parameters: every hyper-parameter.
    public init(parameters: MLPParameters) {
        self.parameters = parameters
    }

    /// A regressor with this loss and these parameters.
    /// - Parameters:
    ///   - loss: when given, replaces `parameters.loss`.
    ///   - parameters: every hyper-parameter.
    public convenience init(loss: RegressionLoss? = nil, parameters: MLPParameters = MLPParameters()) {
        self.init(parameters: parameters)
        if let loss { self.parameters.loss = loss }
    }

    /// Restores a fitted regressor (e.g. from a model file). A `network.parameters` of the wrong length is not
    /// checked here: `predict` then throws `MLPError.inconsistentLength`.
    /// - Parameters:
    ///   - loss: the loss it was trained with (replaces `parameters.loss`).
    ///   - parameters: the hyper-parameters it was trained with.
    ///   - network: the trained network.
    public init(loss: RegressionLoss, parameters: MLPParameters, network: Network<T>) {
        self.parameters = parameters
        self.parameters.loss = loss
        engine.network = network
        engine.lossFunction = loss == .poisson ? .poisson : .squaredError
        nFeaturesIn = network.inputCount
    }

    /// Reads or writes one hyper-parameter of `parameters` by name (`reg.alpha = 1e-3`), like scikit-learn's
    /// `get_params`/`set_params`.
    /// - Parameter keyPath: the `MLPParameters` property to access.
    public subscript<V>(dynamicMember keyPath: WritableKeyPath<MLPParameters, V>) -> V {
        get { parameters[keyPath: keyPath] }
        set { parameters[keyPath: keyPath] = newValue }
    }

    // MARK: Fitted state

    /// The trained network (layer sizes, activations, the flat parameter buffer).
    public var network: Network<T>? { engine.network }
    /// `loss_`. (sklearn's attribute; `loss` here is the parameter, as in sklearn's `loss`.)
    public var finalLoss: Double { engine.loss }
    /// `best_loss_`.
    public var bestLoss: Double? { engine.bestLoss }
    /// `best_validation_score_`.
    public var bestValidationScore: Double? { engine.bestValidationScore }
    /// Beyond scikit-learn: the rows of the last `fit`'s X that early stopping trained on and held out; nil without
    /// early stopping, after `partialFit` or a fit from a stream, and in a loaded model (not saved).
    public var earlyStoppingRows: EarlyStoppingRows? { engine.earlyStoppingRows }
    /// Warnings from the last fit (ConvergenceWarning and others).
    public var warnings: [MLPWarning] { engine.warnings }

    // MARK: Training

    /// `fit(X, y, sample_weight)` with y: (n, nOutputs); trains from scratch unless `warmStart`.
    /// - Parameters:
    ///   - x: the samples, (n, nFeatures).
    ///   - y: the targets, (n, nOutputs); non-negative for the Poisson loss.
    ///   - sampleWeight: one weight per sample, or nil for equal weights.
    /// - Throws: `MLPError` for an invalid parameter, non-finite or mis-shaped input, or a network that diverged.
    public func fit(_ x: Matrix<T>, _ y: Matrix<T>, sampleWeight: [T]? = nil) throws {
        try train(x, y, sampleWeight: sampleWeight, incremental: false)
    }

    /// `fit` with a single target per row.
    /// - Parameters:
    ///   - x: the samples, (n, nFeatures).
    ///   - y: one target per sample.
    ///   - sampleWeight: one weight per sample, or nil for equal weights.
    /// - Throws: `MLPError` for an invalid parameter, non-finite or mis-shaped input, or a network that diverged.
    public func fit(_ x: Matrix<T>, _ y: [T], sampleWeight: [T]? = nil) throws {
        try train(x, Matrix(rows: y.count, columns: 1, storage: y), sampleWeight: sampleWeight, incremental: false)
    }

    /// `partial_fit(X, y, sample_weight)`: one epoch over the data (sgd, adam).
    /// - Parameters:
    ///   - x: the samples, (n, nFeatures).
    ///   - y: the targets, (n, nOutputs), as many outputs as before.
    ///   - sampleWeight: one weight per sample, or nil for equal weights.
    /// - Throws: `MLPError` for an invalid parameter, non-finite or mis-shaped input, early stopping
    ///   (`.partialFit`), or a network that diverged.
    public func partialFit(_ x: Matrix<T>, _ y: Matrix<T>, sampleWeight: [T]? = nil) throws {
        try train(x, y, sampleWeight: sampleWeight, incremental: true)
    }

    /// `partial_fit` with a single target per row.
    /// - Parameters:
    ///   - x: the samples, (n, nFeatures).
    ///   - y: one target per sample.
    ///   - sampleWeight: one weight per sample, or nil for equal weights.
    /// - Throws: `MLPError` for an invalid parameter, non-finite or mis-shaped input, early stopping
    ///   (`.partialFit`), or a network that diverged.
    public func partialFit(_ x: Matrix<T>, _ y: [T], sampleWeight: [T]? = nil) throws {
        try train(x, Matrix(rows: y.count, columns: 1, storage: y), sampleWeight: sampleWeight, incremental: true)
    }

    private func train(_ x: Matrix<T>, _ y: Matrix<T>, sampleWeight: [T]?, incremental: Bool) throws {
        let p = parameters
        try ParameterValidator(estimator: "MLPRegressor").validate(p, regressor: true)
        let firstPass = !engine.isFitted || (!p.warmStart && !incremental)
        try InputValidation.checkX(x, estimator: "MLPRegressor", expectedFeatures: firstPass ? nil : nFeaturesIn)
        try InputValidation.checkStorage(y, what: "y")
        try InputValidation.checkLength(y.rows, rows: x.rows, what: "y")
        try InputValidation.checkFinite(y.storage, columns: y.columns, what: "y")
        try InputValidation.checkSampleWeight(sampleWeight, rows: x.rows)
        if y.columns == 0 { throw MLPError.emptyData("y has no columns.") }
        if loss == .poisson && y.storage.contains(where: { $0 < 0 }) { throw MLPError.negativeTargetForPoisson }
        if !firstPass, let n = engine.network, n.outputCount != y.columns {
            throw MLPError.inconsistentLength("y has \(y.columns) outputs, but MLPRegressor was fitted with \(n.outputCount).")
        }
        try engine.fit(p, x: x, targets: y.storage, outputs: y.columns, sampleWeight: sampleWeight,
                       incremental: incremental, firstPass: firstPass,
                       outputActivation: loss == .poisson ? .exp : .identity,
                       loss: loss == .poisson ? .poisson : .squaredError, stratifyLabels: nil, onEpoch: onEpoch)
        nFeaturesIn = x.columns
    }

    /// `fit` on rows that `train` streams to the engine (`MLPPipeline.fitStreamed`): `n_features_in_` is set after
    /// training, as `fit` sets it, so a fit that throws (a divergence) leaves this regressor as a failed `fit` would.
    func fitStreamed(featureCount: Int, train: (PerceptronEngine<T>) throws -> Void) throws {
        try train(engine)
        nFeaturesIn = featureCount
    }

    // MARK: Prediction

    /// `predict`: the network's output for each row.
    /// - Parameter x: the samples, (n, nFeatures).
    /// - Returns: the predictions, (n, nOutputs).
    /// - Throws: `MLPError.notFitted` before fit; `.emptyData`, `.featureCountMismatch`, `.nonFiniteInput` for bad `x`.
    public func predict(_ x: Matrix<T>) throws -> Matrix<T> {
        guard let network = engine.network else { throw MLPError.notFitted("MLPRegressor") }
        try network.checkParameterCount(owner: "MLPRegressor")
        try InputValidation.checkX(x, estimator: "MLPRegressor", expectedFeatures: nFeaturesIn)
        return network.predict(x)
    }

    /// `score`: R² (uniform average over outputs, weighted by `sampleWeight`; NaN for fewer than two samples).
    /// - Parameters:
    ///   - x: the samples, (n, nFeatures).
    ///   - y: the true targets, (n, nOutputs).
    ///   - sampleWeight: one weight per sample, or nil for equal weights.
    /// - Returns: the R² score (1 is perfect; it can be negative).
    /// - Throws: the errors of `predict`, and `MLPError.inconsistentLength` when `y` or `sampleWeight` has the
    ///   wrong shape.
    public func score(_ x: Matrix<T>, _ y: Matrix<T>, sampleWeight: [T]? = nil) throws -> Double {
        let predicted = try predict(x)
        try InputValidation.checkStorage(y, what: "y")
        try InputValidation.checkLength(y.rows, rows: x.rows, what: "y")
        try InputValidation.checkSampleWeight(sampleWeight, rows: x.rows)
        return try RegressionMetrics.r2Score(y.storage, predicted.storage, outputs: y.columns, sampleWeight: sampleWeight)
    }

    /// `score` with a single target per row.
    /// - Parameters:
    ///   - x: the samples, (n, nFeatures).
    ///   - y: the true target of each sample.
    ///   - sampleWeight: one weight per sample, or nil for equal weights.
    /// - Returns: the R² score (1 is perfect; it can be negative).
    /// - Throws: the errors of `predict`, and `MLPError.inconsistentLength` when `y` or `sampleWeight` has the
    ///   wrong count.
    public func score(_ x: Matrix<T>, _ y: [T], sampleWeight: [T]? = nil) throws -> Double {
        try score(x, Matrix(rows: y.count, columns: 1, storage: y), sampleWeight: sampleWeight)
    }
}
