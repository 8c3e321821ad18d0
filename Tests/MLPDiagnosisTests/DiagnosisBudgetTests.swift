import MLPCore
import Testing
@testable import MLPDiagnosis

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `timeBudget` bounds the whole diagnosis, the given configuration's own runs included: runs that would not fit are
/// trained for fewer epochs and the report says so, and a budget too small for any comparison is a clear error.
@Suite struct DiagnosisBudgetTests {
    /// A net that trains for all its epochs (no tolerance stop) and takes far longer than the budget.
    static func slowInput(budget: Double) -> DiagnosisInput {
        let (x, y) = TestData.blobs(rows: 400, features: 20, classes: 3)
        var input = DiagnosisInput(features: x, target: TestData.classes(y), parameters: TestData.parameters {
            $0.hiddenLayerSizes = [32, 32]
            $0.maxIter = 5000
            $0.tol = 0
            $0.nIterNoChange = 100_000
        }, scaling: .standard)
        input.randomStateCount = 3
        input.timeBudget = budget
        return input
    }

    @Test func slowRunsAreCappedToFitTheBudget() throws {
        let budget = 3.0
        let clock = ContinuousClock(), start = clock.now
        let report = try Diagnosis.run(Self.slowInput(budget: budget))
        let wall = clock.now - start
        // The probe and the last epoch of a run are not interruptible: a quarter of the budget is their slack.
        #expect(wall < .seconds(budget * 1.25), "\(wall)")
        let cap = try #require(report.epochCap)
        #expect(cap.maxIter == 5000)
        #expect(cap.epochs >= BaselineBudget.fewestEpochs && cap.epochs < 5000)
        #expect(cap.budgetForMaxIter > budget)
        #expect(report.recommendation.before.epochs == Double(cap.epochs))
        #expect(report.sentences().first?.contains("trained for \(cap.epochs) of its 5000 epochs") == true,
                "\(report.sentences())")
        // The runs are not what was cut: every proof is over all the random states.
        #expect(report.randomStates == 3)
    }

    @Test func aBudgetTooSmallForTenEpochsIsAClearError() throws {
        #expect {
            _ = try Diagnosis.run(Self.slowInput(budget: 0.01))
        } throws: { error in
            guard case .timeBudgetTooSmall(_, let runs, let epochs, let needed) = error as? DiagnosisError else { return false }
            let message = (error as! DiagnosisError).description(naming: .flags)
            return runs == 3 && epochs == 10 && needed > 0.01 && message.contains("--time-budget")
                && message.contains("--random-states")
        }
    }
}

/// The range test's projected cost, from the probe's measurements.
@Suite struct RangeTestProjectionTests {
    @Test func noMeasurementProjectsNothingNotNaN() {
        #expect(LearningRateRangeTest.projectedSeconds([]) == 0)
        let measured = ProbeMeasurement(gradientRMS: [], saturatedShare: [], deadShare: [], loss: 1, histograms: [],
                                        epoch: 1, seconds: 0.01)
        // Three runs of 200 minibatches, each about half of the probe's 256 rows.
        #expect(abs(LearningRateRangeTest.projectedSeconds([measured]) - 3) < 1e-12)
    }
}
