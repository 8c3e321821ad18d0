import MLPCore
import Testing
@testable import MLPDiagnosis

/// What the time budget left out is said, never hidden: a measured symptom whose fixes were skipped is no clean bill,
/// and a step no measurement checked is not tried blind.
@Suite struct SkippedWorkTests {
    static func report(untried: [FindingID], budget: Double?) -> DiagnosisReport {
        let overfitting = Finding(id: .overfitting, severity: .warning,
                                  evidence: ["train_score": 1, "validation_score": 0.8, "gap": 0.2],
                                  fix: ["--alpha", "0.01"], effect: nil)
        let summary = ScoreSummary(score: 0.8, trainScore: 1, loss: 0.01, heldOutLoss: 0.6, spread: 0.01, epochs: 200)
        return DiagnosisReport(findings: [overfitting], recommendation: Recommendation(flags: [], before: summary,
                                                                                      after: summary, combines: []),
                               metric: "balanced_accuracy", lossCurves: [], gradientNorms: [], rangeTest: ([], []),
                               skipped: ["alpha 0.01", "alpha 1", "early stopping"], seconds: 20, ablationCount: 2,
                               untriedSymptoms: untried, budgetToTrySkipped: budget)
    }

    /// Overfitting measured (a significant train/held-out gap), its three fixes skipped: the report must not say the
    /// configuration shows no problem, and names the budget that would try them.
    @Test func aSymptomWhoseFixesWereSkippedIsNotCleared() {
        let sentences = Self.report(untried: [.overfitting], budget: 41.2).sentences()
        #expect(!sentences.contains { $0.contains("shows no problem") }, "\(sentences)")
        #expect(sentences.contains { $0.contains("overfitting") && $0.contains("skipped") && $0.contains("--time-budget 42") },
                "\(sentences)")
        #expect(sentences.contains { $0.hasPrefix("Skipped for the time budget: alpha 0.01") && $0.contains("--time-budget 42") })
        // Every symptom's fixes measured and none helped: then the configuration is cleared.
        #expect(Self.report(untried: [], budget: nil).sentences().contains { $0.contains("shows no problem") })
    }

    /// No range test fit the budget: from a step of 10¹⁰ the blind ×0.1 (10⁹) is as absurd, so no step above the
    /// largest one a range test measures (10) is tried, and the report lists it as unchecked.
    @Test func withoutARangeTestNoStepAboveItsRangeIsTried() throws {
        let (x, y) = TestData.blobs()
        let input = DiagnosisInput(features: x, target: TestData.classes(y),
                                   parameters: TestData.parameters { $0.learningRateInit = 1e10 }, scaling: .standard)
        let session = try DiagnosisSession(input)
        let baseline = DiagnosisProofTests.summary(score: 0.33)
        let steps = session.stepCandidates(baseline: baseline, probed: [], rangeTest: nil)
            .map(\.setup.parameters.learningRateInit)
        #expect(steps.allSatisfy { $0 <= LearningRateRangeTest.maximumRate }, "\(steps)")
        #expect(session.uncheckedSteps().contains { $0.hasPrefix("step ×0.1 (") && $0.contains("unchecked") },
                "\(session.uncheckedSteps())")
        // A sane step keeps its blind neighbours: they lie within the range a range test measures.
        let sane = try DiagnosisSession(DiagnosisInput(features: x, target: TestData.classes(y),
                                                       parameters: TestData.parameters { $0.learningRateInit = 0.01 },
                                                       scaling: .standard))
        #expect(sane.stepCandidates(baseline: baseline, probed: [], rangeTest: nil).count == 2)
        #expect(sane.uncheckedSteps().isEmpty)
    }

    /// A budget too tight for the full range test runs the short one (a quarter of the cost) rather than none.
    @Test func aTightBudgetRunsTheShortRangeTest() throws {
        let measured = ProbeMeasurement(gradientRMS: [], saturatedShare: [], deadShare: [], loss: 1, histograms: [],
                                        epoch: 1, seconds: 0.01)
        #expect(LearningRateRangeTest.stepsFitting(3.0, probed: [measured]) == LearningRateRangeTest.steps)
        #expect(LearningRateRangeTest.stepsFitting(0.8, probed: [measured]) == LearningRateRangeTest.shortSteps)
        #expect(LearningRateRangeTest.stepsFitting(0.7, probed: [measured]) == nil)
        // The short test still measures a descent and a blow-up for Adam at an absurd step.
        let (x, y) = TestData.blobs()
        let short = LearningRateRangeTest(parameters: MLPParameters(), layerSizes: [4, 16, 3], outputActivation: .softmax,
                                          x: x, target: y.map(Double.init), seed: 1, steps: LearningRateRangeTest.shortSteps)
        #expect(short.minimumOverTen > LearningRateRangeTest.minimumRate && short.minimumOverTen < 1)
        #expect(short.losses.min()! < short.losses.first!)
        #expect(abs(LearningRateRangeTest.smoothing(steps: LearningRateRangeTest.steps) - 0.9) < 1e-12)
    }
}
