import MLPCore

// What a diagnosis reports: findings named from a stable vocabulary, each with its numbers, its fix and the fix's
// measured effect, and one recommendation that combines the fixes that help.

/// How much a finding matters.
public enum Severity: String, Codable, Sendable, Comparable {
    /// Its fix measurably helps: the score gained exceeds the spread over random states.
    case problem
    /// A symptom is abnormal, but no fix was shown to help (or none was tried).
    case warning
    /// A measurement worth knowing.
    case info

    private var rank: Int { self == .problem ? 0 : self == .warning ? 1 : 2 }
    /// Problems before warnings before info.
    public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
}

/// A metric before and after a fix: medians over the random states.
public struct Effect: Codable, Equatable, Sendable {
    /// What is compared: `balanced_accuracy` or `r2` on the held-out rows.
    public var metric: String
    /// The user's configuration.
    public var before: Double
    /// With the fix.
    public var after: Double

    /// - Parameters:
    ///   - metric: The metric's name.
    ///   - before: Its median with the user's configuration.
    ///   - after: Its median with the fix.
    public init(metric: String, before: Double, after: Double) {
        self.metric = metric
        self.before = before
        self.after = after
    }

    /// `after − before`: positive when the fix helps (both metrics are higher-is-better).
    public var gain: Double { after - before }
}

/// One finding of a diagnosis.
public struct Finding: Equatable, Sendable {
    /// Its id from the stable vocabulary.
    public var id: FindingID
    /// Problem, warning or info.
    public var severity: Severity
    /// The measured numbers behind it, by name.
    public var evidence: [String: Double]
    /// The `mlp train` flags that apply its fix (empty when there is none).
    public var fix: [String]
    /// The fix's measured effect, when an ablation was run.
    public var effect: Effect?
    /// The target columns it concerns, named, when the target has several (`unscaled-target`: the columns off unit
    /// scale, the farthest first, whose numbers the evidence holds); empty when it concerns the target as a whole.
    public var targetColumns: [String] = []

    /// - Parameters:
    ///   - id: The finding's id.
    ///   - severity: Its severity.
    ///   - evidence: The measured numbers.
    ///   - fix: The flags of its fix.
    ///   - effect: The fix's measured effect.
    public init(id: FindingID, severity: Severity, evidence: [String: Double], fix: [String], effect: Effect?) {
        self.id = id
        self.severity = severity
        self.evidence = evidence
        self.fix = fix
        self.effect = effect
    }
}

/// Scores of a configuration, medians over the random states, as the recommendation reports them.
public struct ScoreSummary: Codable, Equatable, Sendable {
    /// The held-out metric (`balanced_accuracy` or `r2`).
    public var score: Double
    /// The same metric on the training rows.
    public var trainScore: Double
    /// The final training loss (in the user's target units), L2 penalty included, as scikit-learn's `loss_curve_`.
    public var loss: Double
    /// The held-out loss, without the L2 penalty: mean log loss, or half the mean squared error (half the Poisson
    /// deviance) in the user's target units.
    public var heldOutLoss: Double
    /// max − min of the held-out metric over the random states.
    public var spread: Double
    /// Epochs run (median).
    public var epochs: Double
}

/// The configuration that combines the fixes that help, measured like every ablation.
public struct Recommendation: Equatable, Sendable {
    /// A complete `mlp train` flag list (it replaces the user's flags).
    public var flags: [String]
    /// The user's configuration.
    public var before: ScoreSummary
    /// The recommended one.
    public var after: ScoreSummary
    /// The ids of the findings whose fixes it combines.
    public var combines: [FindingID]
}
