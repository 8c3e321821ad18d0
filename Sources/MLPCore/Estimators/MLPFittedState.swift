// The fitted attributes beyond the weights, as one value: what a model file stores so that a loaded estimator
// reports what the fitted one did and a warm start continues where it stopped.

/// scikit-learn's fitted attributes other than `coefs_` / `intercepts_` (`n_iter_`, `t_`, `loss_`, `best_loss_`,
/// `loss_curve_`, `validation_scores_`, `best_validation_score_`) plus the early-stopping counters.
public struct MLPFittedState: Codable, Equatable, Sendable {
    /// `n_iter_`.
    public var nIter: Int
    /// `t_`: training samples seen.
    public var t: Int
    /// `loss_`; nil before the first epoch.
    public var loss: Double?
    /// `best_loss_` (sgd/adam without early stopping).
    public var bestLoss: Double?
    /// `loss_curve_` (sgd/adam).
    public var lossCurve: [Double]?
    /// `validation_scores_` (early stopping).
    public var validationScores: [Double]?
    /// Validation loss per epoch (early stopping).
    public var validationLossCurve: [Double]?
    /// `best_validation_score_`.
    public var bestValidationScore: Double?
    /// `_no_improvement_count`: epochs without improvement when the last fit ended.
    public var noImprovementCount: Int

    /// - Parameters: one per fitted attribute, named as the properties.
    public init(nIter: Int = 0, t: Int = 0, loss: Double? = nil, bestLoss: Double? = nil, lossCurve: [Double]? = nil,
                validationScores: [Double]? = nil, validationLossCurve: [Double]? = nil,
                bestValidationScore: Double? = nil, noImprovementCount: Int = 0) {
        self.nIter = nIter
        self.t = t
        self.loss = loss
        self.bestLoss = bestLoss
        self.lossCurve = lossCurve
        self.validationScores = validationScores
        self.validationLossCurve = validationLossCurve
        self.bestValidationScore = bestValidationScore
        self.noImprovementCount = noImprovementCount
    }
}

extension PerceptronEngine {
    /// The engine's fitted attributes; infinities (the "nothing yet" markers) read as nil.
    var fittedState: MLPFittedState {
        func finite(_ v: Double?) -> Double? { v.flatMap { $0.isFinite ? $0 : nil } }
        return MLPFittedState(nIter: nIter, t: t, loss: finite(loss), bestLoss: finite(bestLoss), lossCurve: lossCurve,
                              validationScores: validationScores, validationLossCurve: validationLosses,
                              bestValidationScore: finite(bestValidationScore), noImprovementCount: noImprovementCount)
    }

    func restore(_ state: MLPFittedState) {
        nIter = state.nIter
        t = state.t
        loss = state.loss ?? .nan
        bestLoss = state.bestLoss
        lossCurve = state.lossCurve
        validationScores = state.validationScores
        validationLosses = state.validationLossCurve
        bestValidationScore = state.bestValidationScore
        noImprovementCount = state.noImprovementCount
    }
}

extension MLPClassifier {
    /// The fitted attributes of the last fit (see `MLPFittedState`).
    public var fittedState: MLPFittedState { engine.fittedState }

    /// Restores a fitted classifier with its fitted attributes (model files).
    /// - Parameters:
    ///   - parameters: the hyper-parameters it was fitted with.
    ///   - classWeight: `class_weight`, nil for none.
    ///   - network: the trained weights; its output activation tells the loss.
    ///   - classes: `classes_`, sorted (label indices for multilabel).
    ///   - targetType: binary, multiclass or multilabel.
    ///   - fittedState: `n_iter_`, `loss_curve_` and the other fitted attributes.
    public convenience init(parameters: MLPParameters, classWeight: ClassWeight?, network: Network<T>,
                            classes: [ClassLabel], targetType: TargetType, fittedState: MLPFittedState) {
        self.init(parameters: parameters, network: network, classes: classes, targetType: targetType)
        self.classWeight = classWeight
        engine.restore(fittedState)
    }
}

extension MLPRegressor {
    /// The fitted attributes of the last fit (see `MLPFittedState`).
    public var fittedState: MLPFittedState { engine.fittedState }

    /// Restores a fitted regressor with its fitted attributes (model files).
    /// - Parameters:
    ///   - loss: squared_error or poisson.
    ///   - parameters: the hyper-parameters it was fitted with.
    ///   - network: the trained weights.
    ///   - fittedState: `n_iter_`, `loss_curve_` and the other fitted attributes.
    public convenience init(loss: RegressionLoss, parameters: MLPParameters, network: Network<T>,
                            fittedState: MLPFittedState) {
        self.init(loss: loss, parameters: parameters, network: network)
        engine.restore(fittedState)
    }
}
