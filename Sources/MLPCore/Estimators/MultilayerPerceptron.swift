// What MLPClassifier and MLPRegressor share, so callers (the CLI's progress bar, reports, model files)
// can handle either through one protocol.

/// The common surface of `MLPClassifier` and `MLPRegressor` (scikit-learn's BaseMultilayerPerceptron).
public protocol MultilayerPerceptron: AnyObject {
    /// The element type of the network's weights and of the inputs (`Float` or `Double`).
    associatedtype Scalar: KernelFloat
    /// The hyper-parameters (scikit-learn's constructor arguments).
    var parameters: MLPParameters { get set }
    /// Called after each epoch (sgd/adam) or lbfgs iteration.
    var onEpoch: ((EpochReport) -> EpochAction)? { get set }
    /// The trained network, nil before fit.
    var network: Network<Scalar>? { get }
    /// `n_features_in_`.
    var nFeaturesIn: Int? { get }
    /// `loss_`.
    var finalLoss: Double { get }
    /// `best_loss_`.
    var bestLoss: Double? { get }
    /// `best_validation_score_`.
    var bestValidationScore: Double? { get }
    /// Warnings from the last fit.
    var warnings: [MLPWarning] { get }
    /// The rows of the last `fit`'s X that early stopping trained on and held out (nil without early stopping).
    var earlyStoppingRows: EarlyStoppingRows? { get }
    /// The fitted attributes of the last fit, as one value (what a model file stores).
    var fittedState: MLPFittedState { get }
    /// An unfitted estimator with these hyper-parameters.
    /// - Parameter parameters: every hyper-parameter.
    init(parameters: MLPParameters)
}

// scikit-learn's constructor for both estimators, written once: `MLPClassifier<Double>(hiddenLayerSizes: [10])`,
// `MLPRegressor<Double>(loss: .poisson)`. A parameter the estimator does not take (a classifier's `loss`, a
// regressor's `classWeight`) must keep its default: `fit` refuses it, as it does in `parameters`.
extension MultilayerPerceptron {
    /// Every parameter of `ParameterSchema`, by its lowerCamel name, with scikit-learn's defaults.
    public init(
        loss: RegressionLoss = .squaredError, hiddenLayerSizes: [Int] = [100], activation: Activation = .relu,
        solver: Solver = .adam, alpha: Double = 1e-4, batchSize: Int? = nil,
        learningRate: LearningRateSchedule = .constant, learningRateInit: Double = 1e-3, powerT: Double = 0.5,
        maxIter: Int = 200, shuffle: Bool = true, randomState: Int? = nil, tol: Double = 1e-4,
        verbose: Bool = false, warmStart: Bool = false, momentum: Double = 0.9, nesterovsMomentum: Bool = true,
        earlyStopping: Bool = false, validationFraction: Double = 0.1, beta1: Double = 0.9, beta2: Double = 0.999,
        epsilon: Double = 1e-8, nIterNoChange: Double = 10, maxFun: Int = 15000, classWeight: ClassWeight? = nil,
        dropout: Double = 0, restoreBestWeights: Bool = false, stratifyValidationSplit: Bool? = nil
    ) {
        var p = MLPParameters()
        p.hiddenLayerSizes = hiddenLayerSizes; p.activation = activation; p.solver = solver; p.alpha = alpha
        p.batchSize = batchSize; p.learningRate = learningRate; p.learningRateInit = learningRateInit
        p.powerT = powerT; p.maxIter = maxIter; p.shuffle = shuffle; p.randomState = randomState; p.tol = tol
        p.verbose = verbose; p.warmStart = warmStart; p.momentum = momentum; p.nesterovsMomentum = nesterovsMomentum
        p.earlyStopping = earlyStopping; p.validationFraction = validationFraction; p.beta1 = beta1; p.beta2 = beta2
        p.epsilon = epsilon; p.nIterNoChange = nIterNoChange; p.maxFun = maxFun; p.loss = loss
        p.classWeight = classWeight; p.dropout = dropout; p.restoreBestWeights = restoreBestWeights
        p.stratifyValidationSplit = stratifyValidationSplit
        self.init(parameters: p)
    }
}

// The fitted attributes both estimators read straight from their fitted state.
extension MultilayerPerceptron {
    /// `n_iter_`: epochs run by the last fit call (lbfgs: iterations).
    public var nIter: Int { fittedState.nIter }
    /// `t_`: training samples seen.
    public var t: Int { fittedState.t }
    /// `loss_curve_` (sgd/adam): one value per epoch, accumulated across warm starts and partial fits.
    public var lossCurve: [Double]? { fittedState.lossCurve }
    /// `validation_scores_` (early stopping): the validation score (accuracy or R²) per epoch.
    public var validationScores: [Double]? { fittedState.validationScores }
    /// Beyond scikit-learn: the validation loss per epoch (early stopping), same formula as `lossCurve`.
    public var validationLossCurve: [Double]? { fittedState.validationLossCurve }
}

// The fitted attributes that follow from the network alone, shared by both estimators.
extension MultilayerPerceptron {
    /// `coefs_`: weight matrices (fan_in, fan_out), layer by layer; empty before fit.
    public var coefs: [Matrix<Scalar>] { network.map { n in (0..<n.layerCount).map { n.coefficients(ofLayer: $0) } } ?? [] }
    /// `intercepts_`: bias vectors, layer by layer; empty before fit.
    public var intercepts: [[Scalar]] { network.map { n in (0..<n.layerCount).map { n.intercepts(ofLayer: $0) } } ?? [] }
    /// `n_layers_` = hidden layers + 2 (0 before fit).
    public var nLayers: Int { network.map { $0.layerSizes.count } ?? 0 }
    /// `n_outputs_`.
    public var nOutputs: Int { network?.outputCount ?? 0 }
    /// `out_activation_`: logistic or softmax (classifier), identity or exp (regressor).
    public var outActivation: Activation? { network?.outputActivation }
}

extension MLPClassifier: MultilayerPerceptron {
    /// The classifier's element type `T`.
    public typealias Scalar = T
}

extension MLPRegressor: MultilayerPerceptron {
    /// The regressor's element type `T`.
    public typealias Scalar = T
}
