import MLPCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension DiagnosisSession {
    /// The share of the given configuration's runs whose loss is unstable: it diverges, climbs above its first
    /// epoch's loss (a healthy descent never does) or zigzags like noise.
    func unstableShare(_ baseline: TrialSummary) -> Double {
        let unstable = baseline.runs.filter { LossCurveShape($0.lossCurve).isUnstable }.count
        return Double(unstable) / Double(max(baseline.runs.count, 1))
    }

    /// The step is the symptom when more than half the runs are unstable: then a smaller step is the fix to try,
    /// and more epochs are not (they cannot settle a loss that climbs or zigzags).
    func isMostlyUnstable(_ baseline: TrialSummary) -> Bool { unstableShare(baseline) > 0.5 }

    /// Other steps to try: the range test's suggestion first (it was measured to descend), then the step ×0.1 and
    /// ×10 when they stay at or below the range test's ceiling. From a step of 10¹⁰ a tenth of it is as absurd, and
    /// the range test measured every step above its ceiling to blow the loss up (or never measured it). Without a
    /// range test (no short one fit the budget) the ceiling is the largest step any range test measures: a step
    /// above it was never seen to descend, and is listed by ``uncheckedSteps()`` instead of tried.
    func stepCandidates(baseline: TrialSummary, probed: [ProbeMeasurement],
                        rangeTest: LearningRateRangeTest?) -> [Candidate] {
        let rate = input.parameters.learningRateInit
        let unstableShare = unstableShare(baseline), unstable = isMostlyUnstable(baseline)
        let ceiling = rangeTest?.ceiling ?? LearningRateRangeTest.maximumRate
        let smaller = TrainFlags.rounded(rate / 10), larger = TrainFlags.rounded(rate * 10)
        let blind = [smaller, larger].filter { $0 <= ceiling }
        var candidates: [Candidate] = []
        let overfitting = overfits(baseline)
        func step(_ id: FindingID, _ name: String, _ value: Double, evidence: [String: Double], symptom: Bool) {
            var setup = baselineSetup
            setup.parameters.learningRateInit = value
            candidates.append(Candidate(id: id, slots: ["step"], setup: setup,
                                        fix: ["--learning-rate-init", TrainFlags.number(value)], evidence: evidence,
                                        name: name, symptomMeasured: symptom, comparesHeldOutLoss: overfitting))
        }
        var measured: [String: Double] = [:]
        if let rangeTest {
            measured["range_test_ceiling"] = rangeTest.ceiling
            let suggested = rangeTest.minimumOverTen
            if suggested.isFinite, suggested > 0 {
                // Only when it says something the user's step and the ×0.1 and ×10 runs do not.
                let near = ([rate] + blind).contains { abs(log10(suggested / $0)) < log10(3) }
                if !near {
                    let rounded = Double(format(suggested)) ?? suggested
                    let lower = rounded < rate
                    step(lower ? .learningRateTooHigh : .learningRateTooLow, "range-test step", rounded,
                         evidence: measured.merging(["suggested_learning_rate": rounded]) { a, _ in a },
                         symptom: lower && unstable)
                }
            }
        }
        if smaller <= ceiling {
            step(.learningRateTooHigh, "step ×0.1", smaller,
                 evidence: measured.merging(["dead_share": probed.last?.deadShare.max() ?? 0,
                                             "unstable_share": unstableShare]) { a, _ in a },
                 symptom: unstable)
        }
        if larger <= ceiling { step(.learningRateTooLow, "step ×10", larger, evidence: measured, symptom: false) }
        return candidates
    }

    /// The ×0.1 and ×10 steps left untried because no range test ran and they lie above the largest step one measures:
    /// what the report lists under `skipped`, so that it says the step could not be checked.
    func uncheckedSteps() -> [String] {
        let rate = input.parameters.learningRateInit, ceiling = LearningRateRangeTest.maximumRate
        return [("×0.1", TrainFlags.rounded(rate / 10)), ("×10", TrainFlags.rounded(rate * 10))]
            .filter { $0.1 > ceiling }
            .map { "step \($0.0) (\(format($0.1)): above the \(format(ceiling)) a range test measures up to, unchecked)" }
    }
}
