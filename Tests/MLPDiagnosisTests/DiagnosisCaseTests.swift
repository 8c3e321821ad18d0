import MLPCore
import Testing
@testable import MLPDiagnosis

/// Whole diagnoses of cases where an earlier version claimed what it had not measured.
@Suite struct DiagnosisCaseTests {
    static func diagnose(_ x: Matrix<Double>, _ target: DiagnosisTarget, _ parameters: MLPParameters,
                         scaling: InputScaling = .standard, scaleTarget: Bool = false, states: Int = 5,
                         budget: Double = 1000) throws -> DiagnosisReport {
        var input = DiagnosisInput(features: x, target: target, parameters: parameters, scaling: scaling)
        input.randomStateCount = states
        input.timeBudget = budget
        input.scaleTarget = scaleTarget
        return try Diagnosis.run(input)
    }

    /// Labels drawn at random: no configuration beats chance, so no fix is a problem (not even the regularization
    /// that lowers the held-out log loss of a network memorizing noise) and the report says so.
    @Test func randomLabelsHaveNoProblem() throws {
        let (x, _) = TestData.blobs(rows: 600, features: 12, classes: 3, seed: 7)
        var generator = SplitMix64(seed: 11)
        let y = (0..<600).map { _ in Int(generator.next() % 3) }
        let report = try Self.diagnose(x, TestData.classes(y), TestData.parameters {
            $0.hiddenLayerSizes = [64]
            $0.maxIter = 100
        })
        #expect(report.problems.isEmpty, "\(report.problems.map(\.id))")
        #expect(!report.aboveChance)
        #expect(report.recommendation.combines.isEmpty)
        #expect(report.sentences().contains { $0.hasPrefix("No configuration tried scores above chance") })
    }

    /// A regression target of pure noise under a large plain-SGD step: a smaller step lowers the training loss (it
    /// memorizes) while the held-out loss rises. That is no proof that the step is too high.
    @Test func noiseTargetDoesNotBlameTheStep() throws {
        let (x, _) = TestData.regression(rows: 300, seed: 5)
        var generator = SplitMix64(seed: 13)
        let y = (0..<300).map { _ in TestData.normal(&generator) }
        let report = try Self.diagnose(x, .values(y), TestData.parameters {
            $0.solver = .sgd
            $0.learningRateInit = 0.2
            $0.hiddenLayerSizes = [100]
            $0.maxIter = 100
        })
        #expect(report.problems.isEmpty, "\(report.problems.map { ($0.id, $0.evidence) })")
        #expect(!report.aboveChance)
    }

    /// The recommendation is measured: among the single fixes and their combination, it never takes one that scores
    /// worse than the best by more than the best's standard error (an unscaled target's R² of −900 once made every
    /// option a tie, and the combination of a standardized target with a step tuned to the raw one won at R² 0.03).
    @Test func recommendationIsWithinAStandardErrorOfTheBestOption() throws {
        let (x, y) = TestData.regression(rows: 800, features: 8, seed: 3)
        let report = try Self.diagnose(x, .values(y.map { $0 * 1e4 + 3e5 }), TestData.parameters {
            $0.hiddenLayerSizes = [100]
            $0.learningRateInit = 1e-3
            $0.maxIter = 200
        })
        let afters = report.problems.compactMap { $0.effect?.after }
        let best = try #require(afters.max())
        #expect(report.recommendation.after.score >= best - (1 - best) * (2.0 / 800).squareRoot() - 1e-9,
                "recommended \(report.recommendation.combines) at \(report.recommendation.after.score), best single fix \(best)")
        #expect(report.recommendation.after.score > 0.5)
    }

    /// Fixes the budget left out: the measured symptoms become warnings with the fix to try, and a report with no
    /// ablation at all does not call the configuration healthy. (A budget too small for the given configuration's
    /// own runs is an error: DiagnosisBudgetTests.)
    @Test func symptomsOfSkippedFixesAreWarnings() throws {
        var (x, y) = TestData.blobs()
        x.storage = x.storage.map { $0 * 1000 }
        let session = try DiagnosisSession(DiagnosisInput(features: x, target: TestData.classes(y),
                                                          parameters: TestData.parameters(), scaling: .none))
        let candidates = session.candidateFixes(baseline: DiagnosisProofTests.summary(score: 0.5), probed: [],
                                                rangeTest: nil)
        let findings = session.skippedSymptomFindings(candidates, measured: [])
        let unscaled = try #require(findings.first { $0.id == .unscaledFeatures })
        #expect(unscaled.severity == .warning)
        #expect(unscaled.fix == ["--scale", "standard"])
        #expect(unscaled.effect == nil)
        let summary = ScoreSummary(score: 0.5, trainScore: 0.5, loss: 1, heldOutLoss: 1, spread: 0, epochs: 60)
        let report = DiagnosisReport(findings: findings, recommendation: Recommendation(flags: [], before: summary,
                                                                                        after: summary, combines: []),
                                     metric: "balanced_accuracy", lossCurves: [], gradientNorms: [],
                                     rangeTest: ([], []), skipped: ["scale inputs"], seconds: 1, ablationCount: 0)
        #expect(!report.sentences().contains { $0.contains("shows no problem") })
        #expect(report.sentences().contains { $0.hasPrefix("No fix could be tried within the time budget") })
    }

    /// A configuration that already standardizes the target is diagnosed as it is: no unscaled-target finding, the
    /// recommendation keeps --scale-target standard.
    @Test func aStandardizedTargetIsTheGivenConfiguration() throws {
        let (x, y) = TestData.regression()
        let p = TestData.parameters { $0.learningRateInit = 0.05; $0.maxIter = 150 }
        let report = try Self.diagnose(x, .values(y.map { $0 * 1000 + 5000 }), p, scaleTarget: true, states: 3)
        #expect(!report.findings.contains { $0.id == .unscaledTarget })
        #expect(report.problems.isEmpty, "\(report.problems.map(\.id))")
        #expect(report.recommendation.flags.suffix(2) == ["--scale-target", "standard"])
        #expect(report.recommendation.before.score > 0.9)
    }

    /// Two random states cannot reach the rank test's 5% level (even with the borderline runs doubled, 2⁻⁴ > 0.05):
    /// a step 10⁴ times too small is then unproven, and the report says why instead of calling it healthy.
    @Test func tooFewRandomStatesSayNothingCanBeProven() throws {
        let (x, y) = TestData.blobs()
        let report = try Self.diagnose(x, TestData.classes(y), TestData.parameters { $0.learningRateInit = 1e-6 },
                                       states: 2)
        #expect(report.problems.isEmpty)
        #expect(!report.canProve)
        let sentences = report.sentences()
        #expect(!sentences.contains { $0.contains("shows no problem") }, "\(sentences)")
        #expect(sentences.contains { $0.hasPrefix("With 2 random states per configuration the signed-rank test cannot reach") })
    }

    /// The Poisson loss refuses a standardized target (it has negative values): diagnose does not try that fix.
    @Test func poissonLossIsNotOfferedAStandardizedTarget() throws {
        let (x, _) = TestData.regression(rows: 200)
        var generator = SplitMix64(seed: 4)
        let y = (0..<200).map { r in (exp(3 + 0.5 * x[r, 0]) + 5 * generator.uniform(0, 1)).rounded() }
        let report = try Self.diagnose(x, .values(y), TestData.parameters { $0.loss = .poisson }, states: 3)
        #expect(!report.findings.contains { $0.id == .unscaledTarget }, "\(report.findings.map(\.id))")
        #expect(!report.recommendation.flags.contains("--scale-target"))
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
