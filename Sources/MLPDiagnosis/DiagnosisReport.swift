import MLPCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a diagnosis found, and the measurements behind it.
public struct DiagnosisReport: Sendable {
    /// Problems first (largest measured effect first), then warnings, then info.
    public var findings: [Finding]
    /// The fixes that help, combined and measured.
    public var recommendation: Recommendation
    /// The held-out metric every effect is measured in: `balanced_accuracy` or `r2`.
    public var metric: String
    /// Training loss per epoch of each configuration tried (its first random state), by name.
    public var lossCurves: [(name: String, curve: [Double])]
    /// The user's configuration: root-mean-square weight gradient per layer after each epoch (probe sample).
    public var gradientNorms: [[Double]]
    /// The epoch after which each row of `gradientNorms` was measured (every epoch, or every k-th one when measuring
    /// each would not fit the time budget).
    public var gradientEpochs: [Int] = []
    /// The learning-rate range test: step sizes and smoothed losses of the run with the median ceiling of three
    /// (empty for lbfgs).
    public var rangeTest: (rates: [Double], losses: [Double])
    /// The user's configuration at the end of its probed epochs: each hidden layer's outputs on the probe sample.
    public var activationHistograms: [ActivationHistogram] = []
    /// Ablations left out to stay within the time budget.
    public var skipped: [String]
    /// Wall time of the diagnosis, seconds.
    public var seconds: Double
    /// How many candidate fixes were trained and measured (the others are in `skipped`).
    public var ablationCount = 0
    /// Whether any configuration tried (the given one or a fix) scored above chance: a one-sided z-test on its mean
    /// held-out score, at 5% divided among the configurations compared. When none does, the data may hold no signal
    /// the network can find, and no finding is a problem.
    public var aboveChance = true
    /// The metric's chance level: 1/k balanced accuracy over k classes, R² 0.
    public var chance = 0.0
    /// Random states (runs) per configuration.
    public var randomStates = 5
    /// Set when the given configuration's runs of `maxIter` epochs would not have fit the time budget: every
    /// configuration was trained for `epochs` epochs instead (nil: all `maxIter`).
    public var epochCap: EpochCap? = nil
    /// Measured symptoms (a significant train/held-out gap, inputs off unit scale, an unstable loss) whose every fix
    /// was skipped for the time budget: the report cannot clear the configuration of them.
    public var untriedSymptoms: [FindingID] = []
    /// About the `timeBudget`, seconds, that would also try what was skipped (nil when nothing was).
    public var budgetToTrySkipped: Double? = nil

    /// Whether a fix can be proven at all with this many runs: the one-sided signed-rank test's smallest p-value
    /// is 2⁻ⁿ for n runs, and a borderline result (p ≤ 0.25) gets as many runs again, so it takes n ≥ 3 to reach
    /// p ≤ 0.05.
    public var canProve: Bool {
        let n = Double(randomStates)
        return pow(0.5, n) <= 0.25 && pow(0.5, 2 * n) <= 0.05
    }

    /// The problems, in order.
    public var problems: [Finding] { findings.filter { $0.severity == .problem } }

    /// Sentences computed from the findings, for people.
    public func sentences() -> [String] {
        var lines: [String] = []
        let metricName = metric == "r2" ? "R²" : "balanced accuracy"
        if let cap = epochCap {
            lines.append("Every configuration was trained for \(cap.epochs) of its \(cap.maxIter) epochs (--max-iter) to fit "
                         + "the time budget (--time-budget): one epoch of the given configuration takes "
                         + "\(format(cap.secondsPerEpoch)) s and its \(randomStates) runs get a sixth of the budget. The "
                         + "findings compare the first \(cap.epochs) epochs, over all \(randomStates) random states; "
                         + "--time-budget \(wholeSeconds(cap.budgetForMaxIter)) would train all \(cap.maxIter).")
        }
        if ablationCount == 0 {
            lines.append("No fix could be tried within the time budget (--time-budget): the configuration is not "
                         + "diagnosed (held-out \(metricName) \(format(recommendation.before.score)), chance \(format(chance))).")
        } else if !aboveChance {
            lines.append("No configuration tried scores above chance (held-out \(metricName) \(format(recommendation.before.score)), "
                         + "chance \(format(chance))): the features may not predict the target, or none of these "
                         + "configurations learns it; no fix is proven by the score.")
        } else if problems.isEmpty && !canProve {
            lines.append("With \(randomStates) random state\(randomStates == 1 ? "" : "s") per configuration the signed-rank "
                         + "test cannot reach p ≤ 0.05, so no fix can be proven (the effects above are unproven): "
                         + "use --random-states 3 or more (5 by default).")
        } else if problems.isEmpty && !untriedSymptoms.isEmpty {
            // A symptom was measured but its fixes never ran: that is no clean bill.
            lines.append("No fix tried raised the held-out \(metricName) significantly, but the fixes for "
                         + "\(untriedSymptoms.map(\.rawValue).joined(separator: ", ")) (measured) were skipped for the time "
                         + "budget, so the configuration is not cleared (\(format(recommendation.before.score)))"
                         + (budgetToTrySkipped.map { "; --time-budget \(wholeSeconds($0)) would try them." } ?? "."))
        } else if problems.isEmpty {
            lines.append("No fix tried raised the held-out \(metricName) significantly over the random states: "
                         + "the configuration shows no problem (\(format(recommendation.before.score))).")
        }
        for finding in problems {
            guard let effect = finding.effect else { continue }
            let fix = "\(finding.id.rawValue)\(Self.columns(finding)): \(finding.fix.joined(separator: " "))"
            let e = finding.evidence
            // A gain within the score's standard error raised nothing: the proof was a loss.
            if format(effect.after) != format(effect.before), effect.gain > e["score_standard_error"] ?? 0 {
                lines.append("\(fix) raises the held-out \(metricName) from \(format(effect.before)) to \(format(effect.after)).")
            } else if let before = e["held_out_loss_before"], let after = e["held_out_loss_after"], after < before,
                      finding.id == .overfitting || !((e["final_loss_after"] ?? 0) < (e["final_loss_before"] ?? 0)) {
                // Proven on the held-out loss (the configuration overfits, so training further is no gain).
                lines.append("\(fix) lowers the held-out loss from \(format(before)) to \(format(after)) "
                             + "at the same \(metricName) (\(format(effect.after))).")
            } else if let before = e["final_loss_before"], let after = e["final_loss_after"], after < before {
                lines.append("\(fix) lowers the final training loss (L2 penalty included) from \(format(before)) to "
                             + "\(format(after)) at the same \(metricName) (\(format(effect.after))): the same budget trains further.")
            } else if let before = e["train_data_loss_before"], let after = e["train_data_loss_after"] {
                // The penalty changed: the proof compared the training rows' loss without it.
                lines.append("\(fix) lowers the training rows' loss (without the L2 penalty) from \(format(before)) to "
                             + "\(format(after)) at the same \(metricName) (\(format(effect.after))): the same budget trains further.")
            }
        }
        for finding in findings where finding.severity == .warning {
            lines.append("\(finding.id.rawValue)\(Self.columns(finding)) (warning): \(Self.describe(finding.evidence)).")
        }
        if !recommendation.combines.isEmpty {
            lines.append("Together (\(recommendation.combines.map(\.rawValue).joined(separator: ", "))): "
                         + "\(metricName) \(format(recommendation.before.score)) → \(format(recommendation.after.score)), "
                         + "final training loss (L2 penalty included) \(format(recommendation.before.loss)) → "
                         + "\(format(recommendation.after.loss)), held-out loss (without it) "
                         + "\(format(recommendation.before.heldOutLoss)) → \(format(recommendation.after.heldOutLoss)).")
        }
        if !skipped.isEmpty {
            let budget = budgetToTrySkipped.map { "; --time-budget \(wholeSeconds($0)) would try them" } ?? ""
            lines.append("Skipped for the time budget: \(skipped.joined(separator: ", "))\(budget).")
        }
        return lines
    }

    /// The target columns a finding names, as " (target column 'y2')", or nothing.
    static func columns(_ finding: Finding) -> String {
        guard !finding.targetColumns.isEmpty else { return "" }
        let names = finding.targetColumns.map { "'\($0)'" }.joined(separator: ", ")
        return " (target column\(finding.targetColumns.count == 1 ? "" : "s") \(names))"
    }

    /// Evidence as `name=value` pairs, names sorted.
    static func describe(_ evidence: [String: Double]) -> String {
        evidence.sorted { $0.key < $1.key }.map { "\($0.key)=\(format($0.value))" }.joined(separator: ", ")
    }
}

/// A number for people: four significant digits, exponent form when very large or small.
func format(_ v: Double) -> String {
    guard v.isFinite else { return v.isNaN ? "nan" : (v > 0 ? "inf" : "-inf") }
    if v == 0 { return "0" }
    let magnitude = abs(v)
    if magnitude >= 1e5 || magnitude < 1e-3 {
        var exponent = 0, mantissa = magnitude
        while mantissa >= 10 { mantissa /= 10; exponent += 1 }
        while mantissa < 1 { mantissa *= 10; exponent -= 1 }
        let digits = (mantissa * 100).rounded() / 100
        return (v < 0 ? "-" : "") + "\(digits)e\(exponent)"
    }
    let decimals = magnitude >= 100 ? 1 : magnitude >= 1 ? 3 : 4
    var scale = 1.0
    for _ in 0..<decimals { scale *= 10 }
    return "\((v * scale).rounded() / scale)"
}
