import MLPCore

/// Why a diagnosis could not run. Its messages name the settings to change as a caller sets them in code
/// (`description`) or as the `mlp` tool's flags (`description(naming: .flags)`).
public enum DiagnosisError: Error, Equatable, CustomStringConvertible {
    /// Too few rows (or classes too small) for a held-out split.
    case cannotSplit(String)
    /// One epoch of the given configuration is so slow that its runs of `epochs` epochs (the fewest a comparison
    /// needs) would not fit the budget's share for them; `needed` is the smallest budget that fits them, seconds.
    case timeBudgetTooSmall(secondsPerEpoch: Double, runs: Int, epochs: Int, needed: Double)

    /// The reason, naming settings as code.
    public var description: String { description(naming: .code) }

    /// The reason, naming the settings to change for `naming`.
    public func description(naming: AdvisedSetting.Naming) -> String {
        switch self {
        case .cannotSplit(let why): return "cannot hold out rows to score the diagnosis: \(why)"
        case let .timeBudgetTooSmall(perEpoch, runs, epochs, needed):
            return "the time budget is too small: one epoch of the given configuration takes \(format(perEpoch)) s, so "
                + "its \(runs) runs of \(epochs) epochs (the fewest that show a loss curve) would need more than the "
                + "sixth of the budget they get; set \(DiagnosisSetting.timeBudget.name(naming)) to \(wholeSeconds(needed)) "
                + "seconds or more, or diagnose fewer rows or a smaller network"
        }
    }
}

/// A setting of ``DiagnosisInput`` that an error advises changing, named as code or as the `mlp diagnose` flag.
enum DiagnosisSetting {
    case timeBudget
    case randomStates

    func name(_ naming: AdvisedSetting.Naming) -> String {
        switch (self, naming) {
        case (.timeBudget, .code): "DiagnosisInput.timeBudget"
        case (.timeBudget, .flags): "--time-budget"
        case (.randomStates, .code): "DiagnosisInput.randomStateCount"
        case (.randomStates, .flags): "--random-states"
        }
    }
}

/// A budget rounded up to whole seconds, for people: 126, not 126.0.
func wholeSeconds(_ v: Double) -> String {
    v.isFinite && abs(v) < 1e15 ? String(Int(v.rounded(.up))) : format(v)
}
