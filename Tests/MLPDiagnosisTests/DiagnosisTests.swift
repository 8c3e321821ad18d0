import MLPCore
import Testing
@testable import MLPDiagnosis

/// Each detector on a small planted case (its id is the first problem) and the healthy configuration it was
/// planted in (no problem at all).
@Suite struct DiagnosisTests {
    @Test func healthyClassifierHasNoProblem() throws {
        let (x, y) = TestData.blobs()
        let report = try TestData.diagnose(x, TestData.classes(y), TestData.parameters())
        #expect(report.problems.isEmpty, "\(report.problems.map(\.id))")
        #expect(report.recommendation.combines.isEmpty)
        #expect(report.recommendation.after == report.recommendation.before)
    }

    @Test func healthyRegressorHasNoProblem() throws {
        let (x, y) = TestData.regression()
        let report = try TestData.diagnose(x, .values(y), TestData.parameters { $0.learningRateInit = 0.05; $0.maxIter = 150 })
        #expect(report.problems.isEmpty, "\(report.problems.map(\.id))")
    }

    @Test func unscaledFeaturesAreTheFirstProblem() throws {
        var (x, y) = TestData.blobs()
        x.storage = x.storage.map { $0 * 1000 }
        let report = try TestData.diagnose(x, TestData.classes(y), TestData.parameters {
            $0.solver = .sgd
        }, scaling: .none)
        let first = try #require(report.problems.first)
        #expect(first.id == .unscaledFeatures)
        #expect(first.fix == ["--scale", "standard"])
        #expect(try #require(first.evidence["largest_std"]) > 100)
        #expect(report.recommendation.after.score > report.recommendation.before.score)
    }

    @Test func unscaledTargetIsTheFirstProblem() throws {
        let (x, y) = TestData.regression()
        let report = try TestData.diagnose(x, .values(y.map { $0 * 1000 }), TestData.parameters {
            $0.learningRateInit = 0.05
            $0.maxIter = 150
        })
        let first = try #require(report.problems.first)
        #expect(first.id == .unscaledTarget)
        #expect(report.metric == "r2")
        let effect = try #require(first.effect)
        #expect(effect.after > 0.9 && effect.after > effect.before)
    }

    @Test func tooHighStepIsTheFirstProblem() throws {
        let (x, y) = TestData.blobs()
        let report = try TestData.diagnose(x, TestData.classes(y), TestData.parameters {
            $0.solver = .sgd
            $0.learningRateInit = 20
        })
        #expect(report.problems.first?.id == .learningRateTooHigh, "\(report.problems.map(\.id))")
    }

    @Test func tooLowStepIsTheFirstProblem() throws {
        let (x, y) = TestData.blobs()
        let report = try TestData.diagnose(x, TestData.classes(y), TestData.parameters { $0.learningRateInit = 1e-6 })
        #expect(report.problems.first?.id == .learningRateTooLow, "\(report.problems.map(\.id))")
    }

    @Test func classImbalanceIsTheFirstProblem() throws {
        let (x, y) = TestData.blobs(rows: 1200, features: 2, classes: 2, minorityShare: 0.03, noise: 2, seed: 5)
        let report = try TestData.diagnose(x, TestData.classes(y), TestData.parameters())
        let first = try #require(report.problems.first)
        #expect(first.id == .classImbalance)
        #expect(try #require(first.evidence["minority_over_majority"]) < 0.05)
    }

    @Test func oneUnitLayerIsUnderfitting() throws {
        let (x, y) = TestData.blobs(classes: 3)
        let report = try TestData.diagnose(x, TestData.classes(y), TestData.parameters { $0.hiddenLayerSizes = [1] })
        #expect(report.problems.first?.id == .underfitting, "\(report.problems.map(\.id))")
    }

    @Test func deepSigmoidNetHasAVanishingGradient() throws {
        let (x, y) = TestData.blobs(rows: 180)
        let report = try TestData.diagnose(x, TestData.classes(y), TestData.parameters {
            $0.activation = .logistic
            $0.solver = .sgd
            $0.hiddenLayerSizes = [8, 8, 8, 8, 8]
        })
        let first = try #require(report.problems.first)
        #expect(first.id == .vanishingGradient, "\(report.problems.map(\.id))")
        #expect(try #require(first.evidence["gradient_first_over_last"]) < 0.1)
    }

    @Test func deepNarrowReluNetHasDeadUnits() throws {
        let (x, y) = TestData.blobs(rows: 180, classes: 2)
        let report = try TestData.diagnose(x, TestData.classes(y), TestData.parameters {
            $0.hiddenLayerSizes = [3, 3, 3, 3, 3, 3, 3, 3, 3, 3]
        })
        let first = try #require(report.problems.first)
        #expect(first.id == .deadUnits, "\(report.problems.map(\.id))")
        #expect(try #require(first.evidence["dead_share"]) >= 0.5)
    }

    @Test func aFixedSeedGivesTheSameReport() throws {
        let (x, y) = TestData.blobs()
        let p = TestData.parameters { $0.learningRateInit = 1e-5 }
        let a = try TestData.diagnose(x, TestData.classes(y), p)
        let b = try TestData.diagnose(x, TestData.classes(y), p)
        #expect(a.findings == b.findings)
        #expect(a.recommendation == b.recommendation)
    }

    @Test func tooFewRowsIsATypedError() {
        let x = Matrix<Double>(rows: 1, columns: 2, storage: [1, 2])
        #expect(throws: DiagnosisError.self) {
            _ = try TestData.diagnose(x, .values([1]), TestData.parameters())
        }
    }
}

/// What a Swift caller gives `Diagnosis.run` is refused as the `mlp diagnose` tool refuses it, before any training,
/// with errors that name `DiagnosisInput`'s settings (and the tool's flags when asked).
@Suite struct DiagnosisInputCheckTests {
    static func input(_ x: Matrix<Double>, _ target: DiagnosisTarget, states: Int = 5) -> DiagnosisInput {
        var input = DiagnosisInput(features: x, target: target, parameters: TestData.parameters(), scaling: .standard)
        input.randomStateCount = states
        return input
    }

    static func error(_ input: DiagnosisInput) -> DiagnosisError? {
        do {
            _ = try Diagnosis.run(input) { line in Issue.record("trained before refusing: \(line)") }
            return nil
        } catch { return error as? DiagnosisError }
    }

    @Test func aConstantTargetIsRefused() throws {
        let (x, _) = TestData.regression(rows: 40)
        let error = try #require(Self.error(Self.input(x, .values(Array(repeating: 3, count: 40)))))
        #expect(error == .constantTarget(3))
        #expect(error.description.contains("the target column is constant (3.0)"))
    }

    @Test func oneClassIsRefused() throws {
        let (x, _) = TestData.blobs(rows: 40)
        let error = try #require(Self.error(Self.input(x, .classes(indices: Array(repeating: 1, count: 40),
                                                                   classNames: ["a", "b"]))))
        #expect(error == .oneClass("b"))
    }

    @Test func tooFewRowsForTheFoldsNameTheRandomStates() throws {
        let (x, y) = TestData.blobs(rows: 6, classes: 2)
        let error = try #require(Self.error(Self.input(x, TestData.classes(y), states: 5)))
        #expect(error == .cannotSplit(rows: 6, folds: 5))
        #expect(error.description.contains("lower DiagnosisInput.randomStateCount to 3 or fewer"), "\(error)")
        #expect(error.description(naming: .flags).contains("lower --random-states to 3 or fewer"))
        var three = Self.input(x, TestData.classes(y), states: 3)
        three.parameters.maxIter = 5
        _ = try Diagnosis.run(three)
    }

    @Test func mismatchedRowsAndBadSettingsAreRefused() throws {
        let (x, y) = TestData.blobs(rows: 40)
        #expect(Self.error(Self.input(x, TestData.classes(Array(y.prefix(39))))) == .rowCountMismatch(features: 40, target: 39))
        #expect(Self.error(Self.input(x, .classes(indices: y.map { $0 + 5 }, classNames: ["a", "b", "c"])))
                == .classIndexOutOfRange(row: 0, index: 5, classCount: 3))
        #expect(Self.error(Self.input(x, TestData.classes(y), states: 0)) == .randomStatesOutOfRange(0))
        var input = Self.input(x, TestData.classes(y))
        input.timeBudget = .nan
        #expect(Self.error(input)?.description(naming: .flags).contains("--time-budget must be a positive number") == true)
    }
}

/// A configuration that cannot train on the diagnosis's folds at all (early stopping's validation split of one row)
/// is that error, not a finding: every run failing read as an exploding gradient (`diverged_share` 1).
@Suite struct UntrainableConfigurationTests {
    @Test func aFitThatFailsForAnotherReasonThanDivergenceIsTheError() throws {
        let (x, y) = TestData.blobs(rows: 10, classes: 2)
        var input = DiagnosisInput(features: x, target: TestData.classes(y),
                                   parameters: TestData.parameters { $0.earlyStopping = true }, scaling: .standard)
        input.randomStateCount = 5
        do {
            _ = try Diagnosis.run(input)
            Issue.record("diagnosed a configuration that cannot train on 8 rows")
        } catch let error as DiagnosisError {
            guard case let .cannotTrain(rows, message) = error else { throw error }
            #expect(rows == 8)
            #expect(message.contains("test_size"), "\(message)")
        }
        // A divergence is still a finding, not this error.
        let (bx, by) = TestData.blobs()
        let diverging = try TestData.diagnose(bx, TestData.classes(by), TestData.parameters { $0.learningRateInit = 1e6 })
        #expect(!diverging.findings.isEmpty)
    }
}
