import Foundation
import MLPTestSupport
import Testing
@testable import MLPCore

// Behaviour beyond the fixture grid: sklearn's own test ideas (test_mlp.py) and the features scikit-learn
// declined (class_weight, validation-loss curve, restore-best-weights, dropout, epoch callback), plus
// divergence, warnings and Float32.

enum Data2D {
    static var iris: (x: Matrix<Double>, y: [ClassLabel]) {
        (Matrix(SklearnFixtures.iris.x), SklearnFixtures.iris.labels.map { ClassLabel.string($0) })
    }

    /// Two Gaussian-ish blobs from numpy's RandomState (no fixture needed).
    static func blobs(_ n: Int, seed: UInt32 = 0) -> (x: Matrix<Double>, y: [ClassLabel]) {
        var random = NumPyRandomState(seed: seed)
        var rows: [[Double]] = [], labels: [ClassLabel] = []
        for i in 0..<n {
            let c = i % 2
            let center: Double = c == 0 ? -1 : 1
            rows.append([center + random.uniform(low: -1, high: 1), center + random.uniform(low: -1, high: 1)])
            labels.append(ClassLabel(c))
        }
        return (Matrix(rows), labels)
    }
}

@Suite struct MLPEstimatorTests {
    // MARK: sklearn's own checks

    @Test func xorIsLearned() throws {
        let x = Matrix<Double>([[0, 0], [0, 1], [1, 0], [1, 1]])
        let clf = MLPClassifier<Double>(hiddenLayerSizes: [8], activation: .tanh, solver: .lbfgs, randomState: 1)
        try clf.fit(x, [0, 1, 1, 0])
        #expect(try clf.predict(x) == [0, 1, 1, 0])
    }

    @Test func irisLbfgsIsAccurate() throws {
        let (x, y) = Data2D.iris
        let clf = MLPClassifier<Double>(hiddenLayerSizes: [10], solver: .lbfgs, maxIter: 300, randomState: 0)
        try clf.fit(x, y)
        #expect(try clf.score(x, y) > 0.95)
        #expect(clf.classes == ["setosa", "versicolor", "virginica"])
        let proba = try clf.predictProbabilities(x)
        let logProba = try clf.predictLogProbabilities(x)
        let predicted = try clf.predict(x)
        for r in 0..<x.rows {
            let row = Array(proba.row(r))
            #expect(abs(row.reduce(0, +) - 1) < 1e-12)
            #expect(clf.classes[row.firstIndex(of: row.max()!)!] == predicted[r])
            for j in 0..<3 { #expect(abs(logProba[r, j] - log(proba[r, j])) < 1e-12) }
        }
    }

    @Test func batchAndRowByRowPredictionsAgree() throws {
        let (x, y) = Data2D.blobs(40)
        let clf = MLPClassifier<Double>(hiddenLayerSizes: [5], maxIter: 30, randomState: 0)
        try clf.fit(x, y)
        let all = try clf.predictProbabilities(x)
        for r in 0..<x.rows {
            let one = try clf.predictProbabilities(Matrix([Array(x.row(r))]))
            #expect(Array(one.row(0)) == Array(all.row(r)))
        }
    }

    @Test func sameSeedSameModelAndShuffleMatters() throws {
        let (x, y) = Data2D.blobs(60)
        func train(shuffle: Bool, seed: Int) throws -> [Double] {
            let clf = MLPClassifier<Double>(hiddenLayerSizes: [4], solver: .sgd, batchSize: 10, maxIter: 5,
                                            shuffle: shuffle, randomState: seed)
            try clf.fit(x, y)
            return clf.network!.parameters
        }
        #expect(try train(shuffle: true, seed: 3) == train(shuffle: true, seed: 3))
        #expect(try train(shuffle: true, seed: 3) != train(shuffle: false, seed: 3))
        #expect(try train(shuffle: true, seed: 3) != train(shuffle: true, seed: 4))
    }

    /// sklearn: fit on the same data twice gives the same model (check_fit_idempotent); warm start runs
    /// exactly max_iter more epochs and the loss curve accumulates.
    @Test func fitIsIdempotentAndWarmStartContinues() throws {
        let (x, y) = Data2D.blobs(50)
        let clf = MLPClassifier<Double>(hiddenLayerSizes: [4], solver: .adam, maxIter: 7, randomState: 0)
        try clf.fit(x, y)
        let first = clf.network!.parameters
        try clf.fit(x, y)
        #expect(clf.network!.parameters == first)
        clf.warmStart = true
        try clf.fit(x, y)
        #expect(clf.nIter == 7)
        #expect(clf.lossCurve!.count == 14)
        #expect(clf.warnings.contains { $0.kind == .convergence })
    }

    @Test func nIterNoChangeStopsAfterPatiencePlusOne() throws {
        let (x, y) = Data2D.blobs(50)
        let clf = MLPClassifier<Double>(hiddenLayerSizes: [4], solver: .sgd, maxIter: 200, randomState: 0,
                                        tol: 1e6, nIterNoChange: 3)
        try clf.fit(x, y)
        // Epoch 1 always improves on best_loss_ = inf; then n_iter_no_change + 1 bad epochs (sklearn's count).
        #expect(clf.nIter == 5)
        #expect(clf.warnings.isEmpty)
        let never = MLPClassifier<Double>(hiddenLayerSizes: [4], solver: .sgd, maxIter: 12, randomState: 0,
                                          tol: 1e6, nIterNoChange: .infinity)
        try never.fit(x, y)
        #expect(never.nIter == 12)
    }

    @Test func multilabelOutputs() throws {
        let c = SklearnFixtures.cases["multilabel_adam_logistic"]!
        let (x, yRaw) = SklearnFixtures.data(c["data"] as! [String: Any])
        let y = Matrix(yRaw.map { SklearnFixtures.doubles($0) })
        let clf = MLPClassifier<Double>(hiddenLayerSizes: [20], solver: .lbfgs, maxIter: 300, randomState: 0)
        try clf.fit(x, multilabel: y)
        #expect(clf.targetType == .multilabelIndicator && clf.outActivation == .logistic)
        let proba = try clf.predictProbabilities(x)
        let indicator = try clf.predictMultilabel(x)
        #expect(proba.storage.map { $0 > 0.5 ? 1.0 : 0.0 } == indicator.storage)
        #expect(try clf.score(x, multilabel: y) > 0.9)
        #expect(throws: MLPError.self) { _ = try clf.predict(x) }
    }

    @Test func regressorMultiOutputAndPoisson() throws {
        let c = SklearnFixtures.cases["regression_multi_sgd_logistic"]!
        let (x, yRaw) = SklearnFixtures.data(c["data"] as! [String: Any])
        let y = Matrix(yRaw.map { SklearnFixtures.doubles($0) })
        let reg = MLPRegressor<Double>(hiddenLayerSizes: [10], solver: .lbfgs, maxIter: 500, randomState: 0)
        try reg.fit(x, y)
        #expect(reg.nOutputs == 3 && reg.outActivation == .identity)
        #expect(try reg.score(x, y) > 0.98)
        let p = SklearnFixtures.cases["poisson_adam_relu"]!
        let (px, py) = SklearnFixtures.data(p["data"] as! [String: Any])
        let poisson = MLPRegressor<Double>(loss: .poisson, hiddenLayerSizes: [4], maxIter: 20, randomState: 0)
        try poisson.fit(px, py.map(SklearnFixtures.double))
        #expect(poisson.outActivation == .exp)
        #expect(try poisson.predict(px).storage.allSatisfy { $0 > 0 })
    }

    // MARK: Beyond scikit-learn

    /// 'balanced' equals passing sklearn's compute_sample_weight('balanced', y) by hand.
    @Test func balancedClassWeightEqualsExplicitSampleWeights() throws {
        let (x, _) = Data2D.iris
        let y: [ClassLabel] = (0..<150).map { $0 < 100 ? "a" : ($0 < 130 ? "b" : "c") }
        let weighted = MLPClassifier<Double>(hiddenLayerSizes: [5], maxIter: 10, randomState: 0, classWeight: .balanced)
        try weighted.fit(x, y)
        let counts: [ClassLabel: Double] = ["a": 100, "b": 30, "c": 20]
        let manual = MLPClassifier<Double>(hiddenLayerSizes: [5], maxIter: 10, randomState: 0)
        try manual.fit(x, y, sampleWeight: y.map { 150 / (3 * counts[$0]!) })
        #expect(weighted.network!.parameters == manual.network!.parameters)
        let map = MLPClassifier<Double>(hiddenLayerSizes: [5], maxIter: 10, randomState: 0,
                                        classWeight: .perClass(["c": 4]))
        try map.fit(x, y)
        let manualMap = MLPClassifier<Double>(hiddenLayerSizes: [5], maxIter: 10, randomState: 0)
        try manualMap.fit(x, y, sampleWeight: y.map { $0 == "c" ? 4 : 1 })
        #expect(map.network!.parameters == manualMap.network!.parameters)
        let bad = MLPClassifier<Double>(maxIter: 2, classWeight: .perClass(["zebra": 2]))
        #expect(throws: MLPError.self) { try bad.fit(x, y) }
    }

    /// sklearn's test_early_stopping_stratified: a class of one member cannot be stratified. sklearn names the value of
    /// its binarized y (`['True']`); the classifier names the label, not the index it stratified by.
    @Test func earlyStoppingNamesAClassTooSmallToStratifyByItsLabel() throws {
        let x = Matrix(rows: 4, columns: 2, storage: [1, 2, 2, 3, 3, 4, 4, 5.0])
        let clf = MLPClassifier<Double>(earlyStopping: true)
        let sentence = "The least populated classes in y have only 1 member, which is too few. The minimum number of groups "
            + "for any class cannot be less than 2. Classes with too few members are: "
        #expect(throws: MLPError.invalidParameter(sentence + "['dog']")) { try clf.fit(x, ["cat", "cat", "cat", "dog"] as [ClassLabel]) }
        #expect(throws: MLPError.invalidParameter(sentence + "[7]")) { try clf.fit(x, [3, 3, 3, 7] as [ClassLabel]) }
    }

    @Test func validationLossCurveBesideScores() throws {
        let (x, y) = Data2D.blobs(80)
        let clf = MLPClassifier<Double>(hiddenLayerSizes: [5], maxIter: 15, randomState: 0, earlyStopping: true,
                                        nIterNoChange: 100)
        try clf.fit(x, y)
        #expect(clf.validationScores!.count == clf.nIter)
        #expect(clf.validationLossCurve!.count == clf.nIter)
        #expect(clf.validationLossCurve!.allSatisfy { $0.isFinite && $0 > 0 })
        #expect(clf.bestLoss == nil)
    }

    /// The rows early stopping held out are a partition with the validation fraction's size, and the kept weights
    /// score on them as the estimator scored them; no early stopping or a partial fit leaves none.
    @Test func earlyStoppingRowsAreTheRowsTheEstimatorScored() throws {
        let (x, y) = Data2D.iris
        for seed in [0, 7] as [Int?] + [nil] {
            let clf = MLPClassifier<Double>(hiddenLayerSizes: [5], maxIter: 40, randomState: seed, earlyStopping: true,
                                            validationFraction: 0.2, nIterNoChange: 3)
            try clf.fit(x, y)
            let rows = try #require(clf.earlyStoppingRows)
            #expect(rows.validationRows.count == 30)
            #expect((rows.trainingRows + rows.validationRows).sorted() == Array(0..<x.rows))
            let score = try clf.score(x.rows(at: rows.validationRows), rows.validationRows.map { y[$0] })
            let kept = [clf.validationScores!.last!, clf.bestValidationScore!]
            #expect(kept.contains { abs($0 - score) <= 1e-12 }, "seed \(String(describing: seed)): \(score) not in \(kept)")
        }
        let plain = MLPClassifier<Double>(hiddenLayerSizes: [5], maxIter: 5, randomState: 0)
        try plain.fit(x, y)
        #expect(plain.earlyStoppingRows == nil)
        let stopping = MLPClassifier<Double>(hiddenLayerSizes: [5], maxIter: 5, randomState: 0, earlyStopping: true)
        try stopping.fit(x, y)
        stopping.parameters.earlyStopping = false
        try stopping.partialFit(x, y)
        #expect(stopping.earlyStoppingRows == nil)
    }

    @Test func restoreBestWeightsWithoutValidation() throws {
        let (x, y) = Data2D.blobs(60)
        // A large constant SGD step makes the loss bounce; the restored model has the best epoch's loss.
        var p = MLPParameters()
        p.hiddenLayerSizes = [6]; p.solver = .sgd; p.learningRateInit = 0.8; p.maxIter = 25; p.randomState = 0
        p.nIterNoChange = .infinity; p.restoreBestWeights = true; p.alpha = 0
        let clf = MLPClassifier<Double>(parameters: p)
        try clf.fit(x, y)
        let best = clf.lossCurve!.min()!
        #expect(clf.bestLoss == best)
        p.restoreBestWeights = false
        let plain = MLPClassifier<Double>(parameters: p)
        try plain.fit(x, y)
        if plain.lossCurve!.last! != best {
            #expect(clf.network!.parameters != plain.network!.parameters)
        }
    }

    @Test func dropoutTrainsAndIsOffAtPredict() throws {
        let (x, y) = Data2D.iris
        var p = MLPParameters()
        p.hiddenLayerSizes = [32]; p.maxIter = 60; p.randomState = 0; p.dropout = 0.3; p.learningRateInit = 0.01
        let clf = MLPClassifier<Double>(parameters: p)
        try clf.fit(x, y)
        #expect(try clf.score(x, y) > 0.8)
        #expect(try clf.predictProbabilities(x) == clf.predictProbabilities(x))  // deterministic: no mask
        let again = MLPClassifier<Double>(parameters: p)
        try again.fit(x, y)
        #expect(again.network!.parameters == clf.network!.parameters)  // masks are seeded
        p.dropout = 0
        let none = MLPClassifier<Double>(parameters: p)
        try none.fit(x, y)
        #expect(none.network!.parameters != clf.network!.parameters)
    }

    /// With its masks held fixed, the dropout pass's gradient is the exact gradient of the dropped-out network:
    /// central differences agree. A rate of 0 gives the plain pass.
    @Test func dropoutGradientMatchesCentralDifferences() {
        var random = NumPyRandomState(seed: 5)
        var net = Network<Double>(layerSizes: [3, 6, 5, 2], hiddenActivation: .tanh, outputActivation: .softmax)
        Initializer.glorotUniform.initialize(&net, using: &random)
        let x = random.uniform(low: -1, high: 1, count: 6 * 3)
        let y: [Double] = [1, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1]
        let workspace = Backpropagation<Double>(layerSizes: net.layerSizes, maxRows: 6, hiddenActivation: .tanh,
                                                outputActivation: .softmax)
        workspace.enableDropout(rate: 0.4, seed: 1)
        var analytic = [Double](repeating: 0, count: net.parameters.count)
        _ = workspace.lossAndGradient(net, input: x, target: y, rows: 6, sampleWeights: nil, loss: .logLoss,
                                      alpha: 0.1, normalizer: 6, gradient: &analytic)
        workspace.reusesMasks = true
        func objective(_ candidate: Network<Double>) -> Double {
            var scratch = analytic
            let data = workspace.lossAndGradient(candidate, input: x, target: y, rows: 6, sampleWeights: nil,
                                                 loss: .logLoss, alpha: 0.1, normalizer: 6, gradient: &scratch)
            return (data + 0.05 * candidate.squaredWeightNorm) / 6
        }
        var numeric = analytic
        for i in net.parameters.indices {
            var plus = net, minus = net
            plus.parameters[i] += 1e-5
            minus.parameters[i] -= 1e-5
            numeric[i] = (objective(plus) - objective(minus)) / 2e-5
        }
        assertClose(analytic, numeric, relative: 1e-5, absolute: 1e-8, "dropout gradient")

        // Rate 0: the plain pass.
        let plain = Backpropagation<Double>(layerSizes: net.layerSizes, maxRows: 6, hiddenActivation: .tanh,
                                            outputActivation: .softmax)
        let zero = Backpropagation<Double>(layerSizes: net.layerSizes, maxRows: 6, hiddenActivation: .tanh,
                                           outputActivation: .softmax)
        zero.enableDropout(rate: 0, seed: 1)
        var g1 = analytic, g2 = analytic
        let l1 = plain.lossAndGradient(net, input: x, target: y, rows: 6, sampleWeights: nil, loss: .logLoss,
                                       alpha: 0.1, normalizer: 6, gradient: &g1)
        let l2 = zero.lossAndGradient(net, input: x, target: y, rows: 6, sampleWeights: nil, loss: .logLoss,
                                      alpha: 0.1, normalizer: 6, gradient: &g2)
        #expect(l1 == l2)
        #expect(g1 == g2)
    }

    /// Inverted dropout keeps a unit with probability 1 − p and scales it by 1 / (1 − p), so a training pass's
    /// output equals the plain output on average. Identity layers, one row: each pass's output is
    /// b₂ + Σⱼ w₂ⱼ hⱼ mⱼ with every mⱼ 0 or 1 / (1 − p), and the mean over 4,000 passes comes within five standard
    /// errors of b₂ + Σⱼ w₂ⱼ hⱼ (unscaled masks would give b₂ + (1 − p) Σⱼ w₂ⱼ hⱼ, hundreds of errors away).
    @Test func dropoutScalesKeptUnitsToKeepTheExpectation() {
        let hidden = 40, rate = 0.5
        var net = Network<Double>(layerSizes: [3, hidden, 1], hiddenActivation: .identity, outputActivation: .identity)
        var random = NumPyRandomState(seed: 3)
        net.parameters = random.uniform(low: 0.1, high: 1, count: net.parameters.count)  // every wⱼhⱼ > 0
        let x = [0.5, 1.0, 1.5]
        let workspace = Backpropagation<Double>(layerSizes: net.layerSizes, maxRows: 1, hiddenActivation: .identity,
                                                outputActivation: .identity)
        let plain = net.predict(Matrix(rows: 1, columns: 3, storage: x))[0, 0]
        let b2 = net.parameters[net.biasRange(ofLayer: 1).lowerBound]
        workspace.enableDropout(rate: rate, seed: 7)
        var gradient = [Double](repeating: 0, count: net.parameters.count)
        var outputs: [Double] = []
        for _ in 0..<4000 {
            _ = workspace.lossAndGradient(net, input: x, target: [0], rows: 1, sampleWeights: nil, loss: .squaredError,
                                          alpha: 0, normalizer: 1, gradient: &gradient)
            outputs.append(workspace.lastOutputs[0])
        }
        let mean = outputs.reduce(0, +) / Double(outputs.count)
        let variance = outputs.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(outputs.count - 1)
        let standardError = (variance / Double(outputs.count)).squareRoot()
        #expect(abs(mean - plain) < 5 * standardError, "mean \(mean), plain \(plain), standard error \(standardError)")
        #expect(abs(b2 + (1 - rate) * (plain - b2) - plain) > 100 * standardError)
        #expect(Set(outputs).count > 100)  // the masks change from pass to pass

        // One hidden unit: the output is b₂ (dropped) or b₂ + w₂h / (1 − p) (kept), and both occur.
        var one = Network<Double>(layerSizes: [1, 1, 1], hiddenActivation: .identity, outputActivation: .identity)
        one.parameters = [2, 3, 0.5, 0.25]  // w₁, w₂, b₁, b₂ (scikit-learn's _pack order): h = 2 · 1 + 0.5
        let single = Backpropagation<Double>(layerSizes: [1, 1, 1], maxRows: 1, hiddenActivation: .identity,
                                             outputActivation: .identity)
        single.enableDropout(rate: 0.2, seed: 11)
        var seen = Set<Double>()
        var g = [Double](repeating: 0, count: 4)
        for _ in 0..<200 {
            _ = single.lossAndGradient(one, input: [1], target: [0], rows: 1, sampleWeights: nil, loss: .squaredError,
                                       alpha: 0, normalizer: 1, gradient: &g)
            seen.insert(single.lastOutputs[0])
        }
        #expect(seen == [0.25, 0.25 + 3 * 2.5 * (1 / 0.8)])
    }

    @Test func epochCallbackSeesEachEpochAndCanStop() throws {
        let (x, y) = Data2D.blobs(40)
        let clf = MLPClassifier<Double>(hiddenLayerSizes: [4], maxIter: 50, randomState: 0)
        var seen: [EpochReport] = []
        clf.onEpoch = { report in
            seen.append(report)
            return report.epoch == 5 ? .stop : .continue
        }
        try clf.fit(x, y)
        #expect(seen.map(\.epoch) == [1, 2, 3, 4, 5])
        #expect(seen.map(\.loss) == clf.lossCurve!)
        #expect(seen.allSatisfy { $0.maxIter == 50 && $0.learningRate > 0 })
        #expect(clf.nIter == 5)
        #expect(clf.warnings.isEmpty)
        #expect(clf.stopReason == "The epoch callback stopped training after epoch 5.")
        clf.onEpoch = { $0.epoch == 3 ? .interrupted : .continue }
        try clf.fit(x, y)
        #expect(clf.nIter == 3)
        #expect(clf.stopReason == "Training was interrupted after epoch 3.")
    }

    @Test func maxIterWithoutConvergenceWarnsReadably() throws {
        let (x, y) = Data2D.blobs(30)
        let clf = MLPClassifier<Double>(hiddenLayerSizes: [3], maxIter: 3, randomState: 0)
        try clf.fit(x, y)
        #expect(clf.warnings == [MLPWarning(kind: .convergence,
            message: "Stochastic Optimizer: Maximum iterations (3) reached and the optimization hasn't converged yet.",
            findingID: .notConverged)])
    }

    // MARK: Divergence and NaN validation scores

    @Test func divergenceStopsAndKeepsTheLastFiniteModel() throws {
        let x = Matrix<Double>((0..<20).map { i in [Double(i) * 1e150, 1e150] })
        let y = (0..<20).map { Double($0) * 1e150 }
        let reg = MLPRegressor<Double>(hiddenLayerSizes: [5], solver: .sgd, learningRateInit: 0.5, maxIter: 50,
                                       randomState: 0)
        var caught: MLPError?
        do { try reg.fit(x, y) } catch let error as MLPError { caught = error }
        guard case .diverged(let epoch, _)? = caught else {
            Issue.record("expected a divergence error, got \(String(describing: caught))")
            return
        }
        #expect(epoch >= 1)
        #expect(reg.network!.isFinite)
        #expect(caught!.description.contains("keeps the last finite weights"))
    }

    /// sklearn resets the patience counter on a NaN validation score and so runs a diverged model to
    /// max_iter; here a NaN score counts as no improvement (and divergence stops training at once,
    /// restoring the best-validation weights, with a warning).
    @Test func divergingEarlyStoppingKeepsBestWeights() throws {
        let (x, _) = Data2D.iris
        let y = (0..<150).map { Double($0 % 3) }
        let reg = MLPRegressor<Double>(hiddenLayerSizes: [20], activation: .identity, solver: .sgd,
                                       learningRateInit: 1, maxIter: 20, randomState: 0, earlyStopping: true)
        try reg.fit(x, y)
        #expect(reg.network!.isFinite)
        #expect(reg.warnings.contains { $0.kind == .divergence })
        #expect(reg.nIter < 20)
    }

    // MARK: Float32

    @Test func float32ModelAgreesWithFloat64() throws {
        let (x, y) = Data2D.iris
        let d = MLPClassifier<Double>(hiddenLayerSizes: [8], solver: .adam, learningRateInit: 0.01, maxIter: 30, randomState: 0)
        try d.fit(x, y)
        let f = MLPClassifier<Float>(hiddenLayerSizes: [8], solver: .adam, learningRateInit: 0.01, maxIter: 30, randomState: 0)
        try f.fit(x.converted(to: Float.self), y)
        let pd = try d.predictProbabilities(x), pf = try f.predictProbabilities(x.converted(to: Float.self))
        for i in pd.storage.indices { #expect(abs(Double(pf.storage[i]) - pd.storage[i]) <= 1e-2 * max(pd.storage[i], 1e-3) + 1e-4) }
        #expect(try d.predict(x) == f.predict(x.converted(to: Float.self)))
        assertClose(f.lossCurve!, d.lossCurve!, relative: 1e-4, "Float32 loss curve")
    }

    @Test func parametersByNameAndText() throws {
        let clf = MLPClassifier<Double>()
        clf.alpha = 0.5
        try clf.parameters.setValue("0.01", forParameter: "learning-rate-init")
        try clf.parameters.setValue("20,10", forParameter: "hidden_layer_sizes")
        try clf.parameters.setValue("inf", forParameter: "nIterNoChange")
        try clf.parameters.setValue("gelu", forParameter: "activation")
        #expect(clf.parameters.alpha == 0.5 && clf.learningRateInit == 0.01 && clf.hiddenLayerSizes == [20, 10])
        #expect(clf.nIterNoChange == .infinity && clf.activation == .gelu)
        #expect(throws: MLPError.self) { try clf.parameters.setValue("softmax", forParameter: "activation") }
    }

    @Test func parametersAndLabelsRoundTripThroughJSON() throws {
        var p = MLPParameters()
        p.hiddenLayerSizes = [7, 3]; p.activation = .silu; p.nIterNoChange = 4; p.randomState = 9; p.batchSize = 32
        let decoded = try JSONDecoder().decode(MLPParameters.self, from: JSONEncoder().encode(p))
        #expect(decoded == p)
        let labels: [ClassLabel] = [3, -1, "setosa", 2.5]
        #expect(try JSONDecoder().decode([ClassLabel].self, from: JSONEncoder().encode(labels)) == labels)
    }

    @Test func lbfgsReportsEachIteration() throws {
        let (x, y) = Data2D.blobs(40)
        let clf = MLPClassifier<Double>(hiddenLayerSizes: [4], solver: .lbfgs, maxIter: 15, randomState: 0)
        var iterations: [Int] = []
        clf.onEpoch = { iterations.append($0.epoch); return .continue }
        try clf.fit(x, y)
        #expect(iterations == Array(1...clf.nIter))
    }

    /// sklearn's test_partial_fit_regression: 100 full-batch partial_fit calls ≡ fit with max_iter=100.
    @Test(arguments: [0.0, 0.9])
    func partialFitEqualsFit(momentum: Double) throws {
        let c = SklearnFixtures.cases["regression_sgd_invscaling_identity"]!
        let (x, yRaw) = SklearnFixtures.data(c["data"] as! [String: Any])
        let y = yRaw.map(SklearnFixtures.double)
        let fitted = MLPRegressor<Double>(hiddenLayerSizes: [5], solver: .sgd, batchSize: x.rows, learningRateInit: 0.01,
                                          maxIter: 100, randomState: 1, tol: 0, momentum: momentum, nIterNoChange: .infinity)
        try fitted.fit(x, y)
        let partial = MLPRegressor<Double>(hiddenLayerSizes: [5], solver: .sgd, batchSize: x.rows, learningRateInit: 0.01,
                                           randomState: 1, momentum: momentum)
        for _ in 0..<100 { try partial.partialFit(x, y) }
        // Equal up to summation order: each call's shuffle differs (the stream restarts per call), so the rows of
        // the one full batch are added in another order. sklearn's test uses assert_allclose too.
        assertClose(try partial.predict(x).storage, try fitted.predict(x).storage, relative: 1e-10, "predictions")
        assertClose(partial.lossCurve!, fitted.lossCurve!, relative: 1e-10, "loss curve")
        #expect(partial.t == fitted.t)
        let narrow = Matrix(Array(0..<x.rows).map { Array(x.row($0).prefix(2)) })
        #expect(throws: MLPError.featureCountMismatch(got: 2, expected: 4, estimator: "MLPRegressor")) {
            try partial.partialFit(narrow, y)
        }
    }

    /// The ten-line example of docs/sklearn-mapping.md, on the full iris data.
    @Test func documentationExampleRuns() throws {
        let (x, y) = Data2D.iris
        let clf = MLPClassifier<Double>(hiddenLayerSizes: [10], solver: .adam, learningRateInit: 0.01,
                                        maxIter: 200, randomState: 1)
        try clf.fit(x, y)
        let labels = try clf.predict(x)
        let proba = try clf.predictProbabilities(x)
        #expect(labels.count == 150 && proba.columns == 3)
        #expect(clf.nIter == 200 && clf.warnings.first?.kind == .convergence)
        #expect(try clf.score(x, y) > 0.95)
    }
}
