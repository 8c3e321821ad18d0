import MLPCore

/// The diagnosis engine: measures symptoms of a configuration on the user's data, proves candidate causes by
/// ablation (short training runs over several random states with one thing changed), and ranks the findings by
/// their measured effect on the held-out score.
///
/// A finding is a `problem` only when its fix's runs beat the user's configuration's runs fold for fold (a one-sided
/// Wilcoxon signed-rank test at 5% over the random states), its median gains more than the held-out score's
/// standard error, and some configuration tried scores above chance: a significance level and standard errors, not
/// thresholds tuned on cases (docs/diagnose.md, "Ranks findings").
public enum Diagnosis {
    /// Diagnoses a configuration.
    ///
    /// - Parameters:
    ///   - input: The data, the user's parameters and scaling, and the effort (random states, time budget).
    ///   - progress: Called with one short line per step (the CLI prints them on standard error).
    /// - Returns: The ranked findings, the measured recommendation and the measurements behind them.
    /// - Throws: ``DiagnosisError``, before any training, for input no diagnosis can score (a constant target, one
    ///   class, too few rows for one fold per random state, settings out of range); after the first run, when the time
    ///   budget cannot train the given configuration for the fewest epochs a comparison needs.
    public static func run(_ input: DiagnosisInput, progress: (String) -> Void = { _ in }) throws -> DiagnosisReport {
        var session = try DiagnosisSession(input)
        return try session.run(progress: progress)
    }
}
