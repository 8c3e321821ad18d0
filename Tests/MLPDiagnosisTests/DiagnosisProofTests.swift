import MLPCore
import Testing
@testable import MLPDiagnosis

/// What counts as proof: a fix is a `problem` only when what it changed would hold on other rows. Each test states a
/// rule with measured runs made up to sit just on one side of it, so that the rule, not a data set, is tested.
@Suite struct DiagnosisProofTests {
    /// A session on 200 regression rows (5 folds: 160 training rows, 40 held out) or 600 rows of three classes.
    static func session(classes: Bool = false, _ change: (inout MLPParameters) -> Void = { _ in }) throws -> DiagnosisSession {
        let input: DiagnosisInput
        if classes {
            let (x, y) = TestData.blobs(rows: 600, classes: 3)
            input = DiagnosisInput(features: x, target: TestData.classes(y), parameters: TestData.parameters(change),
                                   scaling: .standard)
        } else {
            let (x, y) = TestData.regression()
            input = DiagnosisInput(features: x, target: .values(y), parameters: TestData.parameters(change), scaling: .standard)
        }
        return try DiagnosisSession(input)
    }

    /// Five runs; run i's numbers are `base + i · step` (distinct, so the rank test sees five ordered differences).
    static func summary(score: Double, loss: Double = 1, heldOutLoss: Double = 1, step: Double = 1e-3,
                        recalls: [Double] = []) -> TrialSummary {
        TrialSummary(runs: (0..<5).map { i in
            let d = Double(i) * step
            return TrialRun(score: score + d, trainScore: score + d, finalLoss: loss - d, lossCurve: [2, loss - d],
                            diverged: false, recalls: recalls, validationLoss: heldOutLoss - d)
        })
    }

    static func candidate(_ session: DiagnosisSession, _ id: FindingID, symptom: Bool = true,
                          heldOutLoss: Bool = false) -> Candidate {
        Candidate(id: id, slots: ["step"], setup: session.baselineSetup, fix: ["--learning-rate-init", "0.1"],
                  evidence: [:], name: id.rawValue, symptomMeasured: symptom, comparesHeldOutLoss: heldOutLoss)
    }

    /// A training loss lower in every run, but by a ten-thousandth (a plateau at ln 3 before and after), is not the
    /// "same budget trains further" that proves a step: the drop must exceed the standard error of a mean loss over
    /// the rows (relative √(2/200) = 10% here).
    @Test func aTinyLossDropProvesNothing() throws {
        let session = try Self.session()
        let before = Self.summary(score: 0.5, loss: 1.0986, heldOutLoss: 1.0986)
        let tiny = Self.summary(score: 0.5, loss: 1.0985, heldOutLoss: 1.0985, step: 1.1e-3)
        #expect(!session.helps(before, tiny, Self.candidate(session, .learningRateTooHigh)))
        let real = Self.summary(score: 0.5, loss: 0.6, heldOutLoss: 0.9)
        #expect(session.helps(before, real, Self.candidate(session, .learningRateTooHigh)))
        // The held-out loss's proof (overfitting) by the same rule, on the held-out rows.
        let heldOutTiny = Self.summary(score: 0.5, loss: 1.2, heldOutLoss: 1.0985, step: 1.1e-3)
        #expect(!session.helps(before, heldOutTiny, Self.candidate(session, .overfitting, heldOutLoss: true)))
        let heldOutReal = Self.summary(score: 0.5, loss: 1.2, heldOutLoss: 0.5)
        #expect(session.helps(before, heldOutReal, Self.candidate(session, .overfitting, heldOutLoss: true)))
    }

    /// A training loss that falls while the held-out loss rises (by more than its standard error, √(2/200) = 10%
    /// here) is memorized noise, not faster training.
    @Test func aLowerTrainingLossThatRaisesTheHeldOutLossProvesNothing() throws {
        let session = try Self.session()
        let before = Self.summary(score: 0, loss: 0.36, heldOutLoss: 0.615)
        let memorized = Self.summary(score: 0, loss: 0.2, heldOutLoss: 0.72)
        #expect(!session.helps(before, memorized, Self.candidate(session, .learningRateTooHigh)))
        let flat = Self.summary(score: 0, loss: 0.2, heldOutLoss: 0.64)
        #expect(session.helps(before, flat, Self.candidate(session, .learningRateTooHigh)))
    }

    /// When the given configuration overfits (training score significantly above held-out), training further is no
    /// gain: a smaller step for an unstable loss is proven by the held-out loss it halves at the same score, though its
    /// training loss rises (SGD at a step of 1.0 memorizing the rows).
    @Test func anOverfittingConfigurationsStepIsJudgedOnTheHeldOutLoss() throws {
        let session = try Self.session()
        let climbing = [1.0, 2.0, 0.5]
        let before = TrialSummary(runs: (0..<5).map { i in
            TrialRun(score: 0.935 + Double(i) * 1e-3, trainScore: 1, finalLoss: 0.0027, lossCurve: climbing + [0.0027],
                     diverged: false, recalls: [], validationLoss: 0.373 + Double(i) * 1e-3)
        })
        #expect(session.overfits(before))
        let smaller = try #require(session.stepCandidates(baseline: before, probed: [], rangeTest: nil)
            .first { $0.name == "step ×0.1" })
        #expect(smaller.symptomMeasured && smaller.comparesHeldOutLoss)
        let after = TrialSummary(runs: (0..<5).map { i in
            TrialRun(score: 0.935 + Double(i) * 1e-3, trainScore: 0.99, finalLoss: 0.056, lossCurve: [1, 0.056],
                     diverged: false, recalls: [], validationLoss: 0.19 + Double(i) * 1e-3)
        })
        #expect(session.helps(before, after, smaller))
        // Its sentence says what proved it: a score gain within the standard error raised nothing.
        let finding = Finding(id: .learningRateTooHigh, severity: .problem,
                              evidence: ["score_standard_error": 0.0065, "held_out_loss_before": 0.373,
                                         "held_out_loss_after": 0.19, "final_loss_before": 0.0027,
                                         "final_loss_after": 0.056],
                              fix: smaller.fix, effect: Effect(metric: "r2", before: 0.935, after: 0.937))
        let summary = ScoreSummary(score: 0.935, trainScore: 1, loss: 0.0027, heldOutLoss: 0.373, spread: 0, epochs: 3)
        let report = DiagnosisReport(findings: [finding], recommendation: Recommendation(flags: [], before: summary,
                                                                                         after: summary, combines: []),
                                     metric: "r2", lossCurves: [], gradientNorms: [], rangeTest: ([], []), skipped: [],
                                     seconds: 1, ablationCount: 1)
        #expect(report.sentences().contains { $0.contains("lowers the held-out loss from 0.373 to 0.19") },
                "\(report.sentences())")
    }

    /// The step is the symptom when more than half the runs are unstable: then the smaller step's finding may name
    /// it, and "more epochs" is not suggested (they cannot settle a loss that climbs). Three of five runs climbing
    /// are a majority; two of four, or two of five, are not.
    @Test func theStepIsTheSymptomWhenMostRunsAreUnstable() throws {
        let session = try Self.session { $0.maxIter = 4 }
        func baseline(unstable: Int, of count: Int) -> TrialSummary {
            TrialSummary(runs: (0..<count).map { i in
                let curve = i < unstable ? [1.0, 2.0, 1.5, 0.5] : [2.0, 1.5, 1.0, 0.5]
                return TrialRun(score: 0.5 + Double(i) * 1e-3, trainScore: 0.5, finalLoss: 0.5, lossCurve: curve,
                                diverged: false, recalls: [], validationLoss: 0.5)
            })
        }
        let steady = LossCurveShape([2.0, 1.5, 1.0, 0.5])
        for (unstable, count, majority) in [(3, 5, true), (2, 4, false), (2, 5, false), (5, 5, true)] {
            let runs = baseline(unstable: unstable, of: count)
            #expect(session.isMostlyUnstable(runs) == majority, "\(unstable) of \(count)")
            let smaller = try #require(session.stepCandidates(baseline: runs, probed: [], rangeTest: nil)
                .first { $0.name == "step ×0.1" })
            #expect(smaller.symptomMeasured == majority, "\(unstable) of \(count)")
            let findings = session.symptomFindings(baseline: runs, shape: steady, probed: [], ablations: [])
            #expect(findings.contains { $0.id == .notConverged } == !majority, "\(unstable) of \(count)")
        }
    }

    /// A gain from below chance to chance is no fix: three classes, balanced accuracy 0.30 → 0.35 run for run.
    @Test func aGainThatEndsAtChanceIsNoFix() throws {
        let session = try Self.session(classes: true)
        let recalls = [0.3, 0.3, 0.3]
        let before = Self.summary(score: 0.30, recalls: recalls)
        let atChance = Self.summary(score: 0.35, step: 1e-3, recalls: recalls)
        let fix = Self.candidate(session, .overfitting, symptom: false)
        #expect(!session.beatsChance(atChance))
        #expect(!session.helps(before, atChance, fix))
        let aboveChance = Self.summary(score: 0.6, recalls: recalls)
        #expect(session.beatsChance(aboveChance))
        #expect(session.helps(before, aboveChance, fix))
        #expect(abs(DiagnosisSession.normalQuantile(0.95) - 1.644854) < 1e-5)
        #expect(abs(DiagnosisSession.normalQuantile(0.975) - 1.959964) < 1e-5)
    }

    /// When a smaller and a larger step both beat the given one, the step is not both too high and too low: the
    /// one that gains more is the problem, the other is info.
    @Test func aStepIsNotBothTooHighAndTooLow() throws {
        let session = try Self.session()
        let baseline = Self.summary(score: 0.2)
        let smaller = Ablation(candidate: Self.candidate(session, .learningRateTooHigh, symptom: false),
                               summary: Self.summary(score: 0.45))
        let larger = Ablation(candidate: Self.candidate(session, .learningRateTooLow, symptom: false),
                              summary: Self.summary(score: 0.3))
        #expect(session.helps(baseline, smaller.summary, smaller.candidate))
        #expect(session.helps(baseline, larger.summary, larger.candidate))
        let findings = session.ablationFindings([smaller, larger], baseline: baseline)
        let severity = Dictionary(uniqueKeysWithValues: findings.map { ($0.id, $0.severity) })
        #expect(severity[.learningRateTooHigh] == .problem)
        #expect(severity[.learningRateTooLow] == .info)
    }

    /// Step flags print the decimal they stand for, and the run is trained with that value.
    @Test func stepFlagsPrintTheDecimalTheyStandFor() throws {
        #expect(TrainFlags.number(1e-5 / 10) == "1e-06")
        #expect(TrainFlags.number(0.003 / 10) == "0.0003")
        #expect(TrainFlags.number(0.1 * 3) == "0.3")
        #expect(TrainFlags.number(0.001) == "0.001")
        #expect(TrainFlags.number(50) == "50.0")
        #expect(TrainFlags.rounded(1e-5 / 10) == 1e-6)
        let session = try Self.session { $0.learningRateInit = 0.003 }
        let candidates = session.candidateFixes(baseline: Self.summary(score: 0.5), probed: [], rangeTest: nil)
        let smaller = try #require(candidates.first { $0.name == "step ×0.1" })
        #expect(smaller.fix == ["--learning-rate-init", "0.0003"])
        #expect(smaller.setup.parameters.learningRateInit == 0.0003)
        let larger = try #require(candidates.first { $0.name == "step ×10" })
        #expect(larger.fix == ["--learning-rate-init", "0.03"])
        #expect(larger.setup.parameters.learningRateInit == 0.03)
    }
}
