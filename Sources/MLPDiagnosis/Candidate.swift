import MLPCore

/// One candidate fix: the finding it would prove, what it changes, and how it combines with others.
struct Candidate {
    var id: FindingID
    /// What it changes ("inputs", "step", "optimizer", ...): two fixes that touch one slot do not combine.
    var slots: Set<String>
    var setup: TrialSetup
    /// The `mlp train` flags of the fix alone.
    var fix: [String]
    var evidence: [String: Double]
    /// Its cost relative to the user's configuration (a wider net costs more).
    var costFactor = 1.0
    /// A short name for progress lines and loss-curve legends.
    var name: String
    /// Whether the symptom this fix targets was measured (inputs or target an order of magnitude off unit scale, a
    /// loss that climbs above its start or oscillates): then a significantly lower training loss at an unchanged
    /// held-out score also proves the fix, since the configuration trains slower than it should.
    var symptomMeasured = false
    /// Which loss the symptom's proof compares: the training loss (training too slow) or the held-out loss
    /// (overfitting shows there first, as overconfidence, before the held-out score moves).
    var comparesHeldOutLoss = false
    /// The target columns it concerns, named (several targets), for its finding.
    var targetColumns: [String] = []
}

/// A candidate with its measured runs.
struct Ablation {
    var candidate: Candidate
    var summary: TrialSummary
}
