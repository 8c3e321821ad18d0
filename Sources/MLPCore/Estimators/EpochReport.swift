// What the estimators hand to an `onEpoch` callback after each epoch, and what it answers.

/// What an epoch callback returns.
public enum EpochAction: Sendable {
    /// Go on training.
    case `continue`
    /// End training after this epoch (sgd/adam; lbfgs ignores it).
    case stop
    /// End training after this epoch because the user interrupted it (the CLI's Ctrl-C): as ``stop``, with a stop
    /// reason that says so.
    case interrupted
}

/// The figures of one finished epoch (lbfgs: one iteration), handed to `onEpoch`.
public struct EpochReport: Sendable {
    /// 1-based epoch number within this fit call (`n_iter_`).
    public var epoch: Int
    /// `maxIter` of the run (the CLI's progress-bar length).
    public var maxIter: Int
    /// Mean training loss of the epoch (the value appended to `lossCurve`).
    public var loss: Double
    /// Validation accuracy / R² (early stopping only).
    public var validationScore: Double?
    /// Validation loss (early stopping only), same formula as the training loss.
    public var validationLoss: Double?
    /// The learning rate used during the epoch (Adam: its last bias-corrected step; lbfgs: the line search's step).
    public var learningRate: Double
    /// Samples seen so far (`t_`; 0 for lbfgs).
    public var samplesSeen: Int
    /// Epochs without improvement so far.
    public var noImprovementCount: Int
}
