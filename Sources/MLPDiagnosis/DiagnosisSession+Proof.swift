import MLPCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// What counts as proof that a fix helps: paired runs, the signed-rank test, the standard error, chance.
extension DiagnosisSession {
    /// A fix helps when its runs beat the baseline's run for run (one-sided Wilcoxon signed-rank test on the
    /// paired differences, p ≤ 0.05: with five random states all five must gain; borderline cases get five more)
    /// and its median gain exceeds the standard error of the held-out score, so that it would likely hold on
    /// other rows too.
    func helps(_ before: TrialSummary, _ after: TrialSummary, _ candidate: Candidate? = nil) -> Bool {
        // A gain from below chance to chance is no fix: the fix's own score must stand above chance.
        if after.score - before.score > minimumGain(before) && pValue(before, after) <= Self.significance
            && beatsChance(after) { return true }
        guard let candidate, candidate.symptomMeasured, after.score >= before.score - minimumGain(before) else { return false }
        // Lower loss run for run (same test), the held-out score no worse: training faster, or overfitting less. Like
        // with like: the training loss curve includes the L2 penalty, so a fix that changes the penalty (alpha) or its
        // units (the target's scale) is judged on the training rows' loss without it.
        let loss: (TrialRun) -> Double = candidate.comparesHeldOutLoss ? { $0.validationLoss }
            : sameObjective(candidate.setup) ? { $0.finalLoss } : { $0.trainDataLoss }
        let count = min(before.runs.count, after.runs.count)
        let drops = (0..<count).map { i -> Double in
            let a = loss(before.runs[i]), b = loss(after.runs[i])
            if a.isFinite && b.isFinite { return a - b }
            return a.isFinite ? -Double.greatestFiniteMagnitude : (b.isFinite ? Double.greatestFiniteMagnitude : 0)
        }
        let medianBefore = Statistics.median(before.runs.map(loss)), medianAfter = Statistics.median(after.runs.map(loss))
        // The drop must exceed the standard error of a mean loss over the rows (relative √(2/n), as for R² in
        // `minimumGain`): a loss a ten-thousandth lower on a plateau is no proof, however consistent.
        let relativeError = (2 / Double(max(input.features.rows, 1))).squareRoot()
        guard medianAfter < medianBefore * (1 - relativeError) else { return false }
        // Training further proves nothing when the held-out rows pay for it (memorized noise): their loss must not
        // rise by more than its standard error.
        if !candidate.comparesHeldOutLoss, after.validationLoss > before.validationLoss * (1 + relativeError) { return false }
        return RankTest.signedRankPValue(drops) <= Self.significance
    }

    /// Whether `setup`'s training loss curve is in the given configuration's terms: the same L2 penalty, in the same
    /// units (a standardized target's penalty is scaled back with the loss, by the target's variance).
    func sameObjective(_ setup: TrialSetup) -> Bool {
        setup.parameters.alpha == baselineSetup.parameters.alpha && setup.scaleTarget == baselineSetup.scaleTarget
    }

    /// The standard error of the held-out score from its finite rows (never below one row's share).
    /// Balanced accuracy: √(Σ r(1 − r)/n_c) / k over the classes' recalls r and held-out counts n_c.
    /// R²: (1 − R²)·√(2/n), the relative error of a mean of n squared Gaussian residuals.
    func minimumGain(_ before: TrialSummary) -> Double {
        let n = Double(max(input.features.rows, 1))
        var error: Double
        if !data.isRegression {
            let counts = recallGroupCounts
            let middle = before.runs.sorted { $0.score < $1.score }[before.runs.count / 2]
            var sum = 0.0, present = 0.0
            for (c, recall) in middle.recalls.enumerated() where counts[c] > 0 && !recall.isNaN {
                sum += recall * (1 - recall) / counts[c]
                present += 1
            }
            error = present > 0 ? sum.squareRoot() / present : 0
        } else {
            error = max(1 - before.score, 0) * (2 / n).squareRoot()
        }
        return max(error, 1 / n)
    }

    /// Chance level: balanced accuracy 1/k over the k classes present, R² 0 (predicting the mean).
    var chanceLevel: Double {
        switch input.target {
        case .classes(let classes, _): return 1 / Double(max(Set(classes).count, 1))
        case .labelIndicators: return 0.5
        case .values, .valueColumns: return 0
        }
    }

    /// Rows per group of the classification metric over every row (`PreparedData.recallGroupCount`): per class, or
    /// per label its 0 rows then its 1 rows.
    var recallGroupCounts: [Double] {
        var counts = [Double](repeating: 0, count: data.recallGroupCount)
        switch input.target {
        case .classes(let classes, _): for c in classes { counts[c] += 1 }
        case .labelIndicators(let indicators, _):
            for (i, v) in indicators.storage.enumerated() { counts[2 * (i % indicators.columns) + (v == 1 ? 1 : 0)] += 1 }
        case .values, .valueColumns: break
        }
        return counts
    }

    /// Whether a configuration scores above chance: a one-sided z-test on its mean held-out score (the runs' folds
    /// partition the rows, so the mean has the standard error of one score over every row held out), with the
    /// standard error at chance, at the significance level divided among the configurations compared (Bonferroni:
    /// with no signal, one of seven configurations would pass a 5% test one time in three).
    func beatsChance(_ summary: TrialSummary) -> Bool {
        guard !summary.runs.isEmpty else { return false }
        let chance = chanceLevel
        // The share of the rows the runs held out: one fold per run, each fold once.
        let coverage = Double(min(summary.runs.count, trainer.folds.count)) / Double(trainer.folds.count)
        var error: Double
        if !data.isRegression {
            let counts = recallGroupCounts.map { $0 * coverage }
            let present = counts.filter { $0 > 0 }
            error = (present.map { chance * (1 - chance) / $0 }.reduce(0, +)).squareRoot() / Double(max(present.count, 1))
        } else {
            error = (2 / max(Double(input.features.rows) * coverage, 1)).squareRoot()
        }
        let mean = summary.runs.map(\.score).reduce(0, +) / Double(summary.runs.count)
        let level = Self.significance / Double(max(configurationsCompared, 1))
        return mean - chance > Self.normalQuantile(1 - level) * error
    }

    /// The standard normal's p-quantile (bisection on the complementary error function; p in (0, 1)).
    static func normalQuantile(_ p: Double) -> Double {
        var low = -40.0, high = 40.0
        for _ in 0..<200 {
            let middle = (low + high) / 2
            if 1 - 0.5 * erfc(middle / 2.0.squareRoot()) < p { low = middle } else { high = middle }
        }
        return (low + high) / 2
    }

    static let significance = 0.05

    /// A gain the rank test finds suggestive but not significant (p above the significance level, at most 0.25) and
    /// larger than the score's standard error: it gets as many runs again, for both sides (ties at a perfect score
    /// are what five runs cannot break).
    func isBorderline(_ before: TrialSummary, _ after: TrialSummary) -> Bool {
        let p = pValue(before, after)
        return p > Self.significance && p <= 0.25 && after.score - before.score > minimumGain(before)
    }

    /// The one-sided signed-rank test on the runs' paired differences (same fold, same run index).
    func pValue(_ before: TrialSummary, _ after: TrialSummary) -> Double {
        let count = min(before.runs.count, after.runs.count)
        return RankTest.signedRankPValue((0..<count).map { after.runs[$0].score - before.runs[$0].score })
    }
}
