// Why the last fit stopped, in scikit-learn's words where it has them ("Training loss did not improve more than
// tol=... Stopping.", "Maximum iterations (200) reached and the optimization hasn't converged yet.").

extension MLPClassifier {
    /// Why the last `fit` or `partialFit` stopped; nil before any fit, or after one that threw.
    public var stopReason: String? { engine.stopReason }
}

extension MLPRegressor {
    /// Why the last `fit` or `partialFit` stopped; nil before any fit, or after one that threw.
    public var stopReason: String? { engine.stopReason }
}

extension PipelineEstimator {
    /// Why the estimator's last fit stopped (see `MLPClassifier.stopReason`).
    public var stopReason: String? {
        switch self {
        case .classifier(let e): e.stopReason
        case .floatClassifier(let e): e.stopReason
        case .regressor(let e): e.stopReason
        case .floatRegressor(let e): e.stopReason
        }
    }
}
