import Testing
@testable import MLPCore

// The live monitors of every fit, each on a planted fault, and silence on a healthy run.
@Suite struct TrainingMonitorTests {
    /// Iris standardized column by column (what `--scale standard` does), for the healthy runs.
    static var scaledIris: (x: Matrix<Double>, y: [ClassLabel]) {
        let (x, y) = Data2D.iris
        var scaled = x
        for c in 0..<x.columns {
            let column = (0..<x.rows).map { x.storage[$0 * x.columns + c] }
            let mean = column.reduce(0, +) / Double(x.rows)
            let std = (column.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(x.rows)).squareRoot()
            for r in 0..<x.rows { scaled.storage[r * x.columns + c] = (column[r] - mean) / std }
        }
        return (scaled, y)
    }

    static func monitorIDs(_ warnings: [MLPWarning]) -> [FindingID] { warnings.compactMap(\.findingID) }

    @Test func aBlowUpStopsTrainingWithTheExplodingGradientID() throws {
        let (x, y) = Data2D.iris
        let clf = MLPClassifier<Double>(hiddenLayerSizes: [100], solver: .sgd, learningRateInit: 50, randomState: 0)
        var caught: MLPError?
        do { try clf.fit(x, y) } catch let error as MLPError { caught = error }
        guard case .diverged(let epoch, let detail)? = caught else {
            Issue.record("expected a divergence, got \(String(describing: caught))")
            return
        }
        #expect(caught?.findingID == .explodingGradient)
        #expect(epoch < 200, "training stopped at the blow-up, not at max_iter")
        #expect(detail.contains("exceeded 1000 × the first epoch's loss"))
        let curve = try #require(clf.lossCurve)
        #expect(curve.count == epoch)
        #expect(curve.last! > 1000 * curve.first!)
        #expect(curve.dropLast().allSatisfy { $0 <= 1000 * curve.first! })
        #expect(clf.stopReason?.hasPrefix("Training diverged at epoch \(epoch)") == true)
        #expect(clf.network!.isFinite)
    }

    @Test func aBlowUpUnderEarlyStoppingKeepsTheBestWeightsWithAWarning() throws {
        let (x, y) = Data2D.iris
        let clf = MLPClassifier<Double>(hiddenLayerSizes: [100], solver: .sgd, learningRateInit: 50, randomState: 0,
                                        earlyStopping: true)
        try clf.fit(x, y)
        let warning = try #require(clf.warnings.first { $0.kind == .divergence })
        #expect(warning.findingID == .explodingGradient)
        #expect(clf.nIter < 200)
    }

    @Test func oscillationIsFlaggedOnAZigzagAndNotOnADescent() {
        let zigzag = (0..<30).map { 1.0 + ($0 % 2 == 0 ? 0.3 : -0.3) }
        #expect(PerceptronEngine<Double>.oscillation(zigzag)?.findingID == .oscillatingLoss)
        let descent = (0..<30).map { 1.0 / Double($0 + 1) }
        #expect(PerceptronEngine<Double>.oscillation(descent) == nil)
        // A descent jittering near its floor by 0.1 % is not an oscillation.
        let jitter = (0..<30).map { 0.2 + ($0 % 2 == 0 ? 0.0002 : -0.0002) }
        #expect(PerceptronEngine<Double>.oscillation(jitter) == nil)
        #expect(PerceptronEngine<Double>.oscillation(Array(zigzag.prefix(5))) == nil)
    }

    @Test func aTooLargeMomentumStepOscillates() throws {
        let (x, y) = Self.scaledIris
        let clf = MLPClassifier<Double>(hiddenLayerSizes: [100], solver: .sgd, learningRateInit: 3,
                                        randomState: 0)
        try clf.fit(x, y)
        #expect(Self.monitorIDs(clf.warnings).contains(.oscillatingLoss))
    }

    @Test func saturatedAndDeadUnitsArePlantedAndFound() {
        var logistic = Network<Double>(layerSizes: [2, 4, 1], hiddenActivation: .logistic, outputActivation: .identity)
        logistic.setIntercepts([50, 50, -50, 0], ofLayer: 0)
        let x = Matrix<Double>((0..<40).map { [Double($0) / 40, 1 - Double($0) / 40] })
        let saturated = PerceptronEngine<Double>.unitWarnings(logistic, x: x)
        #expect(saturated.map(\.findingID) == [.saturatedUnits])
        #expect(saturated.first?.message.contains("3 of 4 units") == true)

        var relu = Network<Double>(layerSizes: [2, 4, 1], hiddenActivation: .relu, outputActivation: .identity)
        relu.setCoefficients(Matrix([[1, 1, 1, 1], [1, 1, 1, 1]]), ofLayer: 0)
        relu.setIntercepts([-10, -10, 0, 0], ofLayer: 0)
        let dead = PerceptronEngine<Double>.unitWarnings(relu, x: x)
        #expect(dead.map(\.findingID) == [.deadUnits])
        #expect(dead.first?.message.contains("2 of 4 units") == true)

        relu.setIntercepts([-10, 0, 0, 0], ofLayer: 0)
        #expect(PerceptronEngine<Double>.unitWarnings(relu, x: x).isEmpty, "one dead unit in four is no warning")
    }

    @Test func unscaledInputsSaturateALogisticNetwork() throws {
        let (x, y) = Data2D.iris
        var large = x
        for i in large.storage.indices { large.storage[i] *= 100 }
        let clf = MLPClassifier<Double>(hiddenLayerSizes: [20], activation: .logistic, maxIter: 20, randomState: 0)
        try clf.fit(large, y)
        #expect(Self.monitorIDs(clf.warnings).contains(.saturatedUnits))
    }

    @Test func anUnscaledRegressionTargetIsFlagged() throws {
        let (x, _) = Self.scaledIris
        let y = (0..<x.rows).map { 300 + 80 * x.storage[$0 * x.columns] }
        let reg = MLPRegressor<Double>(hiddenLayerSizes: [10], maxIter: 20, randomState: 0)
        try reg.fit(x, y)
        #expect(Self.monitorIDs(reg.warnings).contains(.unscaledTarget))
        let scaled = MLPRegressor<Double>(hiddenLayerSizes: [10], maxIter: 20, randomState: 0)
        try scaled.fit(x, y.map { ($0 - 300) / 80 })
        #expect(!Self.monitorIDs(scaled.warnings).contains(.unscaledTarget))
    }

    @Test func maxIterIsNotConvergedInScikitLearnsWords() throws {
        let (x, y) = Self.scaledIris
        let clf = MLPClassifier<Double>(hiddenLayerSizes: [10], maxIter: 5, randomState: 0)
        try clf.fit(x, y)
        #expect(clf.warnings.contains { $0.kind == .convergence && $0.findingID == .notConverged })
        #expect(clf.stopReason == "Maximum iterations (5) reached and the optimization hasn't converged yet.")
    }

    @Test func aHealthyRunHasNoMonitorWarningAndSaysWhyItStopped() throws {
        let (x, y) = Self.scaledIris
        let clf = MLPClassifier<Double>(hiddenLayerSizes: [100], maxIter: 2000, randomState: 0)
        try clf.fit(x, y)
        #expect(clf.warnings.isEmpty, "\(clf.warnings)")
        #expect(clf.stopReason == "Training loss did not improve more than tol=0.000100 for 10 consecutive epochs. Stopping.")
        let lbfgs = MLPClassifier<Double>(hiddenLayerSizes: [100], solver: .lbfgs, randomState: 0)
        try lbfgs.fit(x, y)
        #expect(lbfgs.warnings.isEmpty, "\(lbfgs.warnings)")
        #expect(lbfgs.stopReason?.hasPrefix("lbfgs: CONVERGENCE") == true)
    }

    @Test func findingIDsAreTheDiagnosisVocabulary() {
        #expect(FindingID.explodingGradient.rawValue == "exploding-gradient")
        #expect(FindingID.notConverged.rawValue == "not-converged")
        #expect(Set(FindingID.allCases.map(\.rawValue)).count == FindingID.allCases.count)
    }
}
