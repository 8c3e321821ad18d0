import MLPCore
import Testing
@testable import MLPDiagnosis

/// Each symptom's bound, with measurements made up to sit just on either side of it, so that the bound itself (not a
/// data set far from it) is what fails when it moves.
@Suite struct CandidateBoundsTests {
    static func probe(gradientRMS: [Double] = [1, 1], deadShare: [Double] = [0], saturatedShare: [Double] = [0])
        -> ProbeMeasurement {
        ProbeMeasurement(gradientRMS: gradientRMS, saturatedShare: saturatedShare, deadShare: deadShare, loss: 1,
                         histograms: [], epoch: 1, seconds: 0.01)
    }

    static func candidates(_ session: DiagnosisSession, probed: [ProbeMeasurement] = [],
                           baseline: TrialSummary = DiagnosisProofTests.summary(score: 0.5)) -> [Candidate] {
        session.candidateFixes(baseline: baseline, probed: probed, rangeTest: nil)
    }

    static func classes(minorityShare: Double, _ change: (inout MLPParameters) -> Void = { _ in }) throws
        -> DiagnosisSession {
        let (x, y) = TestData.blobs(rows: 600, features: 2, classes: 2, minorityShare: minorityShare)
        return try DiagnosisSession(DiagnosisInput(features: x, target: TestData.classes(y),
                                                   parameters: TestData.parameters(change), scaling: .standard))
    }

    /// Balanced weights change the loss by more than ×2 only below a 1:2 ratio: 30:70 (0.43) calls for them, 40:60
    /// (0.67) does not.
    @Test func balancedWeightsBelowOneToTwo() throws {
        let imbalanced = Self.candidates(try Self.classes(minorityShare: 0.3))
        let ratio = try #require(imbalanced.first { $0.id == .classImbalance }?.evidence["minority_over_majority"])
        #expect(ratio > 0.4 && ratio < 0.5)
        #expect(!Self.candidates(try Self.classes(minorityShare: 0.4)).contains { $0.id == .classImbalance })
    }

    /// Logistic layers: a gradient a tenth or less at the first layer than at the last is vanishing; a fifth is the
    /// units' saturation.
    @Test func aTenfoldGradientLossIsVanishing() throws {
        let session = try DiagnosisProofTests.session {
            $0.activation = .logistic
            $0.hiddenLayerSizes = [8, 8]
        }
        let vanishing = Self.candidates(session, probed: [Self.probe(gradientRMS: [0.05, 1, 1], saturatedShare: [0, 0])])
        #expect(vanishing.contains { $0.id == .vanishingGradient && $0.name == "relu" })
        let saturated = Self.candidates(session, probed: [Self.probe(gradientRMS: [0.2, 1, 1], saturatedShare: [0, 0])])
        #expect(saturated.contains { $0.id == .saturatedUnits && $0.name == "relu" })
        #expect(!saturated.contains { $0.id == .vanishingGradient })
    }

    /// Half a ReLU layer dead calls for leaky ReLU; 40% does not.
    @Test func halfALayerDeadCallsForLeakyRelu() throws {
        let session = try DiagnosisProofTests.session()
        #expect(Self.candidates(session, probed: [Self.probe(deadShare: [0.5])]).contains { $0.id == .deadUnits })
        #expect(!Self.candidates(session, probed: [Self.probe(deadShare: [0.4])]).contains { $0.id == .deadUnits })
    }

    /// Three classes need at least three live units in every hidden layer: two units as configured are too narrow
    /// (underfitting), eight with six dead are narrowed (dead units), three are enough.
    @Test func fewerLiveUnitsThanOutputsIsTooNarrow() throws {
        func wider(_ width: Int, dead: Double) throws -> Candidate? {
            let session = try DiagnosisProofTests.session(classes: true) { $0.hiddenLayerSizes = [width] }
            return Self.candidates(session, probed: [Self.probe(deadShare: [dead])]).first { $0.name == "wider net" }
        }
        #expect(try wider(2, dead: 0)?.id == .underfitting)
        #expect(try wider(8, dead: 0.75)?.id == .deadUnits)
        #expect(try wider(3, dead: 0) == nil)
        #expect(try wider(8, dead: 0.625) == nil)
    }

    /// An overfitting configuration tries the penalty at 100× and 10,000× its alpha (from scikit-learn's 1e-4 when
    /// smaller), and early stopping.
    @Test func overfittingTriesAlphaOverTwoDecades() throws {
        let session = try DiagnosisProofTests.session()
        let overfits = TrialSummary(runs: (0..<5).map { i in
            TrialRun(score: 0.6 + Double(i) * 1e-3, trainScore: 0.99, finalLoss: 0.01, lossCurve: [1, 0.01],
                     diverged: false, recalls: [], validationLoss: 0.8)
        })
        let names = Self.candidates(session, baseline: overfits).filter { $0.id == .overfitting }.map(\.name)
        #expect(names == ["alpha 0.01", "alpha 1.0", "early stopping"])
        let none = try DiagnosisProofTests.session { $0.alpha = 0 }
        #expect(Self.candidates(none, baseline: overfits).filter { $0.id == .overfitting }.map(\.name).prefix(2)
            == ["alpha 0.01", "alpha 1.0"])
    }

    /// A zigzagging loss that has not halved oscillates; one that has more than halved is descending through noise.
    @Test func aZigzagThatHasNotHalvedOscillates() throws {
        let session = try DiagnosisProofTests.session()
        let baseline = DiagnosisProofTests.summary(score: 0.5)
        func oscillates(_ curve: [Double]) -> Bool {
            #expect(LossCurveShape(curve).zigzags)
            return session.symptomFindings(baseline: baseline, shape: LossCurveShape(curve), probed: [], ablations: [])
                .contains { $0.id == .oscillatingLoss }
        }
        #expect(oscillates([1.0, 0.7, 0.9, 0.6, 0.8, 0.6]))
        #expect(!oscillates([1.0, 0.7, 0.9, 0.6, 0.8, 0.4]))
    }

    /// Five runs: a gain in four, the loss in the run of rank 1 (p = 2/32) or rank 4 (7/32), is borderline and gets
    /// five more runs; the loss at rank 5 (10/32), a gain in all five (1/32, significant already) or a gain within
    /// the standard error (0.05 here) is not.
    @Test func aSuggestiveGainGetsMoreRuns() throws {
        let session = try DiagnosisProofTests.session()
        let before = DiagnosisProofTests.summary(score: 0.5)
        func borderline(_ gains: [Double]) -> Bool {
            let after = TrialSummary(runs: before.runs.indices.map { i in
                var run = before.runs[i]
                run.score += gains[i]
                return run
            })
            return session.isBorderline(before, after)
        }
        #expect(borderline([0.1, 0.11, 0.12, 0.13, -0.01]))
        #expect(borderline([0.1, 0.11, 0.12, -0.13, 0.2]))
        #expect(!borderline([0.1, 0.11, 0.12, 0.13, -0.2]))
        #expect(!borderline([0.1, 0.11, 0.12, 0.13, 0.14]))
        #expect(!borderline([0.01, 0.011, 0.012, 0.013, -0.001]))
    }
}
