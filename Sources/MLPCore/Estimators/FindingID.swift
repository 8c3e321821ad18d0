// The one vocabulary of training problems: MLPDiagnosis's findings and the estimators' monitor warnings
// name them with the same ids, so a warning from `fit` points at the diagnosis that proves its cause.

/// The stable vocabulary of finding ids (documented in docs/diagnose.md), shared by
/// `mlp diagnose`'s findings and the live training monitors' warnings. Ids are added, never renamed.
public enum FindingID: String, CaseIterable, Codable, Sendable {
    /// The network sees inputs far from unit scale.
    case unscaledFeatures = "unscaled-features"
    /// The regression target is far from unit scale.
    case unscaledTarget = "unscaled-target"
    /// The step is too large.
    case learningRateTooHigh = "learning-rate-too-high"
    /// The step is too small.
    case learningRateTooLow = "learning-rate-too-low"
    /// Plain SGD (no momentum) is slow.
    case slowOptimizer = "slow-optimizer"
    /// Logistic or tanh units saturate.
    case saturatedUnits = "saturated-units"
    /// Most ReLU units of a layer never activate.
    case deadUnits = "dead-units"
    /// The gradient shrinks by an order of magnitude from the last layer to the first.
    case vanishingGradient = "vanishing-gradient"
    /// The loss or the gradients blow up.
    case explodingGradient = "exploding-gradient"
    /// The loss zigzags like noise.
    case oscillatingLoss = "oscillating-loss"
    /// A minority class is under-weighted.
    case classImbalance = "class-imbalance"
    /// The network is too narrow to fit the data.
    case underfitting
    /// The training score exceeds the held-out score.
    case overfitting
    /// Training ran all `max_iter` epochs and was still improving.
    case notConverged = "not-converged"
}

