import MLPCore
import Testing
@testable import MLPDiagnosis

/// scikit-learn's `loss_curve_` includes the L2 penalty (alpha/2·‖W‖² over the batch); the held-out loss scores
/// predictions and does not. Proofs compare like with like, and the evidence says which is which.
@Suite struct PenaltyLossTests {
    /// A fix that lowers alpha lowers the training loss curve by the penalty it drops, not by training further: with
    /// the training rows' loss without the penalty unchanged, that is no proof.
    @Test func aLowerPenaltyIsNoFasterTraining() throws {
        let session = try DiagnosisProofTests.session()
        var after = DiagnosisProofTests.summary(score: 0.5, loss: 0.6, heldOutLoss: 0.8)
        for i in after.runs.indices { after.runs[i].trainDataLoss = 0.5 }
        var before = DiagnosisProofTests.summary(score: 0.5, loss: 1.0, heldOutLoss: 0.8)
        for i in before.runs.indices { before.runs[i].trainDataLoss = 0.5 }
        var lowerAlpha = DiagnosisProofTests.candidate(session, .learningRateTooHigh)
        lowerAlpha.setup.parameters.alpha = 0
        #expect(!session.sameObjective(lowerAlpha.setup))
        // (Results in lets: a failed expectation would print the whole session.)
        let penaltyDropHelps = session.helps(before, after, lowerAlpha)
        #expect(!penaltyDropHelps)
        // The same drop with the penalty unchanged is the same objective trained further.
        let sameObjectiveHelps = session.helps(before, after, DiagnosisProofTests.candidate(session, .learningRateTooHigh))
        #expect(sameObjectiveHelps)
    }

    /// Every run measures the training rows' loss without the penalty, in the held-out loss's formula: with a large
    /// alpha the training curve's last loss exceeds it by the penalty.
    @Test func theTrainingRowsLossLeavesOutThePenalty() throws {
        let (x, y) = TestData.regression()
        var input = DiagnosisInput(features: x, target: .values(y), parameters: TestData.parameters {
            $0.alpha = 10
            $0.maxIter = 50
        }, scaling: .standard)
        input.randomStateCount = 2
        let folds = try PreparedData.folds(input, count: 2, seed: 0)
        let run = try Trainer(folds: folds, randomStates: [0, 1])
            .run(TrialSetup(parameters: input.parameters, scaling: .standard), index: 0)
        #expect(run.trainDataLoss.isFinite && run.validationLoss.isFinite)
        #expect(run.finalLoss > run.trainDataLoss, "penalized \(run.finalLoss), data \(run.trainDataLoss)")
    }
}
