import MLPCore
import Testing
@testable import MLPDiagnosis

/// Steps far too large: the advice comes from the learning-rate range test, where the loss was measured to descend,
/// not from a tenth of the given step (10⁹ is as absurd as 10¹⁰), and no step above the range test's ceiling is
/// tried or advised.
@Suite struct AbsurdStepTests {
    static func stepFlags(_ findings: [Finding]) -> [Double] {
        findings.compactMap { f in
            guard let i = f.fix.firstIndex(of: "--learning-rate-init"), i + 1 < f.fix.count else { return nil }
            return Double(f.fix[i + 1])
        }
    }

    @Test(arguments: [1e10, 1e3, 10])
    func theAdviceLandsWhereTheRangeTestMeasuredADescent(rate: Double) throws {
        let (x, y) = TestData.blobs()
        let report = try TestData.diagnose(x, TestData.classes(y), TestData.parameters { $0.learningRateInit = rate })
        let first = try #require(report.problems.first, "\(report.findings.map(\.id))")
        #expect(first.id == .learningRateTooHigh)
        let ceiling = try #require(first.evidence["range_test_ceiling"], "the range test did not run")
        let advised = Self.stepFlags(report.findings)
        #expect(!advised.isEmpty && advised.allSatisfy { $0 <= ceiling }, "\(advised) above \(ceiling)")
        #expect(!report.findings.contains { $0.id == .notConverged }, "more epochs for a diverging loss")
        let effect = try #require(first.effect)
        #expect(effect.after > effect.before)
    }

    /// A diverged run scores chance: `mlp train` stops it and writes no model (and a network with NaN weights
    /// predicts no class at all, which scored a balanced accuracy of 0, below chance).
    @Test func aDivergedRunScoresChance() throws {
        let (x, y) = TestData.blobs()
        var input = DiagnosisInput(features: x, target: TestData.classes(y), parameters: TestData.parameters {
            $0.solver = .sgd
            $0.learningRateInit = 1e10
        }, scaling: .standard)
        input.randomStateCount = 2
        let folds = try PreparedData.folds(input, count: 2, seed: 0)
        let run = try Trainer(folds: folds, randomStates: [0, 1]).run(TrialSetup(parameters: input.parameters, scaling: .standard),
                                                                 index: 0)
        #expect(run.diverged)
        #expect(run.score == 1.0 / 3)
    }
}
