// What MLPClassifier and MLPRegressor share, so callers (the CLI's progress bar, reports, model files)
// can handle either through one protocol.

/// The common surface of `MLPClassifier` and `MLPRegressor` (scikit-learn's BaseMultilayerPerceptron).
public protocol MultilayerPerceptron: AnyObject {
    associatedtype Scalar: KernelFloat
    /// The hyper-parameters (scikit-learn's constructor arguments).
    var parameters: MLPParameters { get set }
    /// Called after each epoch (sgd/adam) or lbfgs iteration.
    var onEpoch: ((EpochReport) -> EpochAction)? { get set }
    /// The trained network, nil before fit.
    var network: Network<Scalar>? { get }
    /// `n_features_in_`.
    var nFeaturesIn: Int? { get }
    /// `n_iter_`.
    var nIter: Int { get }
    /// `t_`.
    var t: Int { get }
    /// `loss_`.
    var finalLoss: Double { get }
    /// `best_loss_`.
    var bestLoss: Double? { get }
    /// `loss_curve_`.
    var lossCurve: [Double]? { get }
    /// `validation_scores_`.
    var validationScores: [Double]? { get }
    /// Validation loss per epoch (early stopping).
    var validationLossCurve: [Double]? { get }
    /// `best_validation_score_`.
    var bestValidationScore: Double? { get }
    /// Warnings from the last fit.
    var warnings: [MLPWarning] { get }
}

extension MLPClassifier: MultilayerPerceptron {
    public typealias Scalar = T
    /// `loss_` (the same as `loss`; named as on MLPRegressor, whose `loss` is its parameter).
    public var finalLoss: Double { engine.loss }
}

extension MLPRegressor: MultilayerPerceptron {
    public typealias Scalar = T
}
