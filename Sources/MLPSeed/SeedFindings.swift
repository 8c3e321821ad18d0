import MLPCore
import MLPDiagnosis

// `mlp seed --explain`'s measured rows as `mlp diagnose` findings: the same vocabulary, evidence and measured
// effects, built from the seed's own exact engine's iteration counts (the rows of `SeedDiagnosis.measure()`).
// The effect's metric is the median number of iterations to the goal, where lower is better.

extension SeedExperiment {
    /// The `mlp seed` flags that turn the posted network into this experiment; nil when a change has no flag
    /// (scikit-learn's recipe: Glorot initialization, the averaged gradient, the L2 penalty).
    var flags: [String]? {
        let posted = SeedExperiment()
        if initialization != posted.initialization || meanGradient != posted.meanGradient
            || l2Penalty != posted.l2Penalty { return nil }
        var flags: [String] = []
        if scale { flags.append("--scale") }
        if loss != posted.loss { flags += ["--loss", loss.rawValue] }
        if optimizer != posted.optimizer { flags += ["--optimizer", optimizer.rawValue] }
        if learningRate != posted.learningRate { flags += ["--learning-rate", SeedDiagnosis.number(learningRate)] }
        return flags
    }
}

extension SeedDiagnosis {
    /// The metric of the seed findings' effects: the median iterations to the goal over the random states.
    public static let iterationsMetric = "median_iterations"

    /// The measured explanation in `mlp diagnose`'s vocabulary, problems first and the largest effect first.
    ///
    /// - `unscaled-features`: the raw inputs' range and offset; its effect is the scaled-inputs row's.
    /// - `slow-optimizer`: the fastest optimizer-only fix (momentum, Adam) that converges in every run.
    /// - `learning-rate-too-high` / `learning-rate-too-low`: when a plain gradient-descent step of the sweep
    ///   converges in every run faster than the posted one.
    /// - `saturated-units`: runs that ended flat with their hidden sigmoids saturated.
    /// - `oscillating-loss`, `exploding-gradient`: runs whose error climbed back, or went non-finite.
    ///
    /// A finding is a `problem` when its fix converges in every run with fewer median iterations than posted.
    /// - Parameter rows: the rows from `measure()`.
    /// - Returns: the findings; empty when no row is the posted variant.
    public static func findings(_ rows: [Row]) -> [Finding] {
        guard let posted = rows.first(where: { $0.variant.kind == .posted }) else { return [] }
        let runs = posted.results.count
        let postedMedian = posted.medianIterations ?? Double(posted.variant.experiment.maxIterations)
        func effect(_ row: Row) -> Effect? {
            row.medianIterations.map { Effect(metric: iterationsMetric, before: postedMedian, after: $0) }
        }
        func helps(_ row: Row) -> Bool { row.converged == runs && (row.medianIterations ?? .infinity) < postedMedian }
        func finding(_ id: FindingID, _ row: Row?, evidence: [String: Double]) -> Finding {
            Finding(id: id, severity: row.map(helps) == true ? .problem : .warning, evidence: evidence,
                    fix: row?.variant.experiment.flags ?? [], effect: row.flatMap(effect))
        }
        var findings: [Finding] = []

        let x = SeedData.inputs
        let offsets = (0..<x.columns).map { c -> Double in
            let column = (0..<x.rows).map { x.storage[$0 * x.columns + c] }
            let mean = column.reduce(0, +) / Double(x.rows)
            let std = (column.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(x.rows)).squareRoot()
            return abs(mean) / std
        }
        let postedSaturation = median(posted.results.map(\.saturatedFraction)) ?? .nan
        let scaled = rows.first { $0.variant.kind == .singleFix && $0.variant.experiment.flags == ["--scale"] }
        findings.append(finding(.unscaledFeatures, scaled, evidence: [
            "input_min": x.storage.min()!, "input_max": x.storage.max()!, "largest_mean_over_std": offsets.max()!,
            "posted_saturated_share": postedSaturation,
        ]))

        let optimizerFixes = rows.filter {
            $0.variant.kind == .singleFix && $0.variant.experiment.optimizer != posted.variant.experiment.optimizer
                && !$0.variant.experiment.scale && $0.variant.experiment.loss == posted.variant.experiment.loss
        }
        if let fastest = fastestComplete(optimizerFixes, runs: runs) {
            findings.append(finding(.slowOptimizer, fastest, evidence: [
                "posted_median_iterations": postedMedian, "fix_median_iterations": fastest.medianIterations!,
                "optimizer_fixes_tried": Double(optimizerFixes.count),
            ]))
        }

        let sweep = rows.filter { $0.variant.kind == .learningRate }
        if let best = fastestComplete(sweep, runs: runs), helps(best) {
            let step = best.variant.experiment.learningRate, postedStep = posted.variant.experiment.learningRate
            findings.append(finding(step > postedStep ? .learningRateTooLow : .learningRateTooHigh, best, evidence: [
                "posted_learning_rate": postedStep, "best_learning_rate": step,
            ]))
        }

        let flat = rows.filter { $0.variant.kind != .posted && $0.flat > 0 }
        if !flat.isEmpty || postedSaturation >= 0.5 {
            let flatResults = flat.flatMap { $0.results.filter { !$0.converged && !$0.diverged } }
            // Scaling is the fix of both; the cause it proves is the inputs', so this one stays a warning.
            findings.append(Finding(id: .saturatedUnits, severity: .warning, evidence: [
                "posted_saturated_share": postedSaturation,
                "flat_runs": Double(flat.map(\.flat).reduce(0, +)),
                "flat_variants": Double(flat.count),
                "flat_saturated_share": median(flatResults.map(\.saturatedFraction)) ?? .nan,
            ].filter { $0.value.isFinite }, fix: scaled?.variant.experiment.flags ?? [], effect: scaled.flatMap(effect)))
        }
        let oscillating = rows.filter { $0.oscillating > 0 && $0.diverged == 0 && $0.flat == 0 }
        if !oscillating.isEmpty {
            findings.append(Finding(id: .oscillatingLoss, severity: .warning, evidence: [
                "oscillating_runs": Double(oscillating.map(\.oscillating).reduce(0, +)),
                "oscillating_variants": Double(oscillating.count),
            ], fix: [], effect: nil))
        }
        let diverged = rows.filter { $0.diverged > 0 }
        if !diverged.isEmpty {
            findings.append(Finding(id: .explodingGradient, severity: .warning, evidence: [
                "diverged_runs": Double(diverged.map(\.diverged).reduce(0, +)),
                "diverged_variants": Double(diverged.count),
            ], fix: [], effect: nil))
        }
        return findings.sorted { a, b in
            if a.severity != b.severity { return a.severity < b.severity }
            return (a.effect.map { $0.before - $0.after } ?? -.infinity) > (b.effect.map { $0.before - $0.after } ?? -.infinity)
        }
    }

    /// The row with the fewest median iterations among those that converge in every run.
    static func fastestComplete(_ rows: [Row], runs: Int) -> Row? {
        rows.filter { $0.converged == runs }
            .min { ($0.medianIterations ?? .infinity) < ($1.medianIterations ?? .infinity) }
    }

    /// A step size as a flag value: "0.05", "1".
    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}
