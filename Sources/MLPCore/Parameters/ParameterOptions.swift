// The str options of the hyper-parameters as Swift enums; each raw value is scikit-learn's spelling.

/// `solver`: the weight optimizer.
public enum Solver: String, CaseIterable, Sendable, Codable {
    /// Quasi-Newton, full batch (scipy's L-BFGS-B in sklearn).
    case lbfgs
    /// Minibatch SGD with momentum / Nesterov and a learning-rate schedule.
    case sgd
    /// Adam (Kingma & Ba).
    case adam

    var isStochastic: Bool { self != .lbfgs }
}

/// `learning_rate`: the SGD step schedule.
public enum LearningRateSchedule: String, CaseIterable, Sendable, Codable {
    /// η = learningRateInit.
    case constant
    /// η = learningRateInit / (t + 1)^powerT at the end of each epoch, t = samples seen.
    case invscaling
    /// η ← η / 5 each time `nIterNoChange + 1` epochs fail to improve by `tol`; stops once η ≤ 1e-6.
    case adaptive
}

/// `loss` of MLPRegressor.
public enum RegressionLoss: String, CaseIterable, Sendable, Codable {
    /// Half squared error, identity output (`squared_error`).
    case squaredError = "squared_error"
    /// Half Poisson deviance, exp output (`poisson`); needs y ≥ 0.
    case poisson
}

/// Beyond scikit-learn: `class_weight` as in sklearn's other classifiers (sklearn issue 9113).
/// Each sample's weight is multiplied by its class weight.
public enum ClassWeight: Equatable, Sendable {
    /// n_samples / (n_classes · count(class)), counts weighted by sample_weight when given (a class whose weights
    /// sum to 0 is not counted). A `fit` counts its whole y; `partialFit` refuses it, as sklearn's SGDClassifier
    /// does: pass ``balancedWeights(for:sampleWeight:)`` of the full labels as ``perClass(_:)`` instead.
    case balanced
    /// An explicit weight per class; classes not listed keep weight 1.
    case perClass([ClassLabel: Double])
}
