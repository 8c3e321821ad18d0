import Foundation
import MLPTestSupport
import Testing
@testable import MLPCore

// scikit-learn's small hand-worked checks (Fixtures/sklearn/kernels.json), its parameter-validation
// messages (validation.json) and LabelBinarizer behaviour (labels.json).

@Suite struct SklearnKernelTests {
    nonisolated(unsafe) static let kernels = SklearnFixtures.json("kernels")

    /// sklearn's loss functions as the estimator reports them: data term (with sklearn's averaging) / Σw.
    func reportedLoss(_ loss: Loss, _ yTrue: [[Double]], _ yPred: [[Double]], _ weights: [Double]?,
                      output: Activation) -> Double {
        let rows = yTrue.count, k = yTrue[0].count
        let y = yTrue.flatMap { $0 }, p = yPred.flatMap { $0 }
        var delta = [Double](repeating: 0, count: rows * k)
        let value = loss.valueAndOutputDelta(predicted: p, target: y, weights: weights, rows: rows, outputs: k,
                                             activation: output, preActivation: nil, delta: &delta)
        return value * loss.reportedScale(outputs: k) / (weights?.reduce(0, +) ?? Double(rows))
    }

    @Test func lossValuesMatchScikitLearn() {
        let l = Self.kernels["losses"] as! [String: Any]
        let yt = SklearnFixtures.matrix(l["y_true"]), yp = SklearnFixtures.matrix(l["y_pred"])
        let sw = SklearnFixtures.doubles(l["sample_weight"])
        let by = SklearnFixtures.matrix(l["binary_y_true"]), bp = SklearnFixtures.matrix(l["binary_y_pred"])
        let py = SklearnFixtures.matrix(l["poisson_y_true"]), pp = SklearnFixtures.matrix(l["poisson_y_pred"])
        let cases: [(String, Double, Double)] = [
            ("squared_error", reportedLoss(.squaredError, yt, yp, nil, output: .identity), 0.3095833333333333),
            ("squared_error_weighted", reportedLoss(.squaredError, yt, yp, sw, output: .identity), SklearnFixtures.double(l["squared_error_weighted"]!)),
            ("log_loss", reportedLoss(.logLoss, yt, yp, nil, output: .softmax), 19.519692831335572),
            ("log_loss_weighted", reportedLoss(.logLoss, yt, yp, sw, output: .softmax), SklearnFixtures.double(l["log_loss_weighted"]!)),
            ("binary_log_loss", reportedLoss(.binaryLogLoss, by, bp, nil, output: .logistic), 0.10536051565782628),
            ("binary_log_loss_weighted", reportedLoss(.binaryLogLoss, by, bp, sw, output: .logistic), SklearnFixtures.double(l["binary_log_loss_weighted"]!)),
            ("poisson", reportedLoss(.poisson, py, pp, nil, output: .exp), SklearnFixtures.double(l["poisson"]!)),
            ("poisson_weighted", reportedLoss(.poisson, py, pp, sw, output: .exp), SklearnFixtures.double(l["poisson_weighted"]!)),
        ]
        for (name, ours, sklearn) in cases {
            #expect(abs(ours - sklearn) <= 1e-14 * abs(sklearn), "\(name): \(ours) vs sklearn \(sklearn)")
        }
    }

    /// sklearn's test_fit: one SGD step from hand-set weights, then predict_proba ≈ 0.739.
    @Test func oneStepOfTestFit() throws {
        let f = Self.kernels["test_fit"] as! [String: Any]
        let initial = f["init"] as! [String: Any]
        var p = MLPParameters()
        p.solver = .sgd; p.learningRateInit = 0.1; p.alpha = 0.1; p.activation = .logistic
        p.hiddenLayerSizes = [2]; p.momentum = 0; p.maxIter = 1; p.randomState = 1
        var net = Network<Double>(layerSizes: [3, 2, 1], hiddenActivation: .logistic, outputActivation: .logistic)
        let coefs = (initial["coefs"] as! [Any]).map { SklearnFixtures.matrix($0) }
        let intercepts = (initial["intercepts"] as! [Any]).map { SklearnFixtures.doubles($0) }
        for l in 0..<2 {
            net.setCoefficients(Matrix(coefs[l]), ofLayer: l)
            net.setIntercepts(intercepts[l], ofLayer: l)
        }
        let clf = MLPClassifier<Double>(parameters: p, network: net, classes: [0, 1], targetType: .binary)
        let x = Matrix(SklearnFixtures.matrix(f["X"]))
        try clf.partialFit(x, [0])
        let expectedCoefs = (f["coefs"] as! [Any]).flatMap { SklearnFixtures.matrix($0).flatMap { $0 } }
        let expectedIntercepts = (f["intercepts"] as! [Any]).flatMap { SklearnFixtures.doubles($0) }
        assertClose(clf.network!.parameters, expectedCoefs + expectedIntercepts, relative: 1e-14, "weights after one step")
        #expect(abs(clf.finalLoss - SklearnFixtures.double(f["loss"]!)) <= 1e-14)
        let proba = try clf.predictProbabilities(x)
        assertClose(proba.storage, SklearnFixtures.matrix(f["predict_proba"]).flatMap { $0 }, relative: 1e-14, "predict_proba")
        #expect(abs(proba[0, 1] - 0.739) < 5e-4)
    }
}

@Suite struct SklearnValidationTests {
    nonisolated(unsafe) static let fixture = SklearnFixtures.json("validation")
    nonisolated(unsafe) static let parameterCases: [[String: Any]] = (fixture["parameters"] as! [[String: Any]]).filter {
        // sklearn's scalar hidden_layer_sizes has no Swift form ([Int] only).
        ($0["parameter"] as! String) != "hidden_layer_sizes"
    }
    static let smallX: Matrix<Double> = {
        var rows: [[Double]] = []
        for i in 0..<20 {
            let a: Double = Double(i) / 20, b: Double = Double(i % 3), c: Double = Double(i % 5) / 4
            rows.append([a, b, c])
        }
        return Matrix(rows)
    }()
    static let smallY: [ClassLabel] = (0..<20).map { ClassLabel($0 % 2) }

    /// Each invalid value is rejected before training, in sklearn's exact words. For string options the
    /// listed set may be ordered differently (Python prints a set), so those compare with the set removed.
    @Test(arguments: 0..<parameterCases.count)
    func invalidParameterMessage(_ index: Int) throws {
        let c = Self.parameterCases[index]
        let estimator = c["estimator"] as! String, name = c["parameter"] as! String
        let expected = c["message"] as! String
        let text: String = {
            if let s = c["value"] as? String { return s }
            let d = SklearnFixtures.double(c["value"]!)
            return c["value"] is Int ? String(Int(d)) : ParameterValidator.repr(d)
        }()
        var message = ""
        do {
            if name == "loss" {
                _ = try RegressionLoss(parsing: text)
            } else {
                var p = MLPParameters()
                try p.setValue(text, forParameter: name, estimator: try #require(MLPEstimator(rawValue: estimator)))
                if estimator == "MLPClassifier" {
                    try MLPClassifier<Double>(parameters: p).fit(Self.smallX, Self.smallY)
                } else {
                    try MLPRegressor<Double>(parameters: p).fit(Self.smallX, Self.smallY.map { $0.numberValue! })
                }
            }
        } catch let error as MLPError {
            message = error.description
        }
        func strippingSet(_ s: String) -> String {
            guard let open = s.firstIndex(of: "{"), let close = s.firstIndex(of: "}") else { return s }
            return String(s[..<open]) + String(s[s.index(after: close)...])
        }
        if c["value"] is String {
            #expect(strippingSet(message) == strippingSet(expected), "\(name)=\(text)")
        } else {
            #expect(message == expected, "\(name)=\(text)")
        }
    }

    func message(_ body: () throws -> Void) -> String {
        do { try body(); return "" } catch { return "\(error)" }
    }

    @Test func errorsMatchScikitLearnWhereItHasWords() throws {
        let errors = Self.fixture["errors"] as! [String: Any]
        let x = Self.smallX, y = Self.smallY
        let clf = MLPClassifier<Double>(maxIter: 2, randomState: 0)
        try clf.fit(x, y)
        let narrow = Matrix(Array(0..<20).map { Array(x.row($0).prefix(2)) })
        #expect(message { _ = try clf.predict(narrow) } == errors["feature_mismatch"] as! String)
        #expect(message { try MLPClassifier<Double>(hiddenLayerSizes: [3, 0]).fit(x, y) }
                == errors["hidden_layer_zero_element"] as! String)
        #expect(message { try MLPClassifier<Double>().fit(Matrix(rows: 0, columns: 3), []) } == errors["empty"] as! String)
        #expect(message { try MLPClassifier<Double>().partialFit(x, y) } == errors["partial_fit_no_classes"] as! String)
        #expect(message { try MLPClassifier<Double>(earlyStopping: true).partialFit(x, y, classes: [0, 1]) }
                == errors["partial_fit_early_stopping"] as! String)
        #expect(message { try MLPRegressor<Double>(earlyStopping: true, validationFraction: 0.01).fit(x, y.map { $0.numberValue! }) }
                == errors["validation_too_small"] as! String)
        let warm = MLPClassifier<Double>(maxIter: 2, randomState: 0, warmStart: true)
        try warm.fit(x, y)
        #expect(message { try warm.fit(x, y.map { .number($0.numberValue! + 1) }) }
                == "warm_start can only be used where `y` has the same classes as in the previous call to fit. Previously got [0, 1], `y` has [1, 2]")
        // Typed errors where sklearn's wording is poor or missing.
        #expect(message { try MLPClassifier<Double>(maxIter: 2).fit(x, (0..<20).map { .number(Double($0) / 19) }) }
                    .hasPrefix("Unknown label type: continuous"))
        var nanX = x
        nanX[2, 1] = Double.nan
        #expect(message { try MLPClassifier<Double>(maxIter: 2).fit(nanX, y) }.hasPrefix("Input X contains NaN (row 2, column 1"))
        nanX[2, 1] = Double.infinity
        #expect(message { try MLPClassifier<Double>(maxIter: 2).fit(nanX, y) }.hasPrefix("Input X contains infinity"))
        #expect(message { try MLPRegressor<Double>(maxIter: 2).fit(x, (0..<20).map { $0 == 3 ? .nan : 1.0 }) }
                    .hasPrefix("Input y contains NaN"))
        #expect(message { try MLPClassifier<Double>(maxIter: 2).fit(x, Array(repeating: "a", count: 20)) }.contains("only one class"))
        let partial = MLPClassifier<Double>(solver: .sgd, maxIter: 2)
        try partial.partialFit(x, y, classes: [0, 1])
        #expect(message { try partial.partialFit(x, y.map { .number($0.numberValue! + 1) }) }.contains("`y` has classes not in"))
        #expect(message { try MLPClassifier<Double>(solver: .lbfgs).partialFit(x, y, classes: [0, 1]) }
                    .hasPrefix("partial_fit is only available for stochastic optimizers"))
        #expect(message { _ = try MLPClassifier<Double>().predict(x) }.contains("is not fitted yet"))
        #expect(message { try MLPRegressor<Double>(loss: .poisson).fit(x, (0..<20).map { Double($0) - 3 }) }
                    .contains("negative"))
    }
}

@Suite struct SklearnLabelTests {
    nonisolated(unsafe) static let cases = SklearnFixtures.json("labels") as Any

    @Test func labelBinarizerMatchesScikitLearn() throws {
        let all = try #require(FixtureFiles.exactJSON("sklearn/labels.json", in: "MLPTests") as? [[String: Any]])
        for c in all {
            let type = c["y_type"] as! String
            let classes = (c["classes"] as! [Any]).map(SklearnFixtures.label)
            let transform = (c["transform"] as! [Any]).flatMap { SklearnFixtures.doubles($0) }
            let b: LabelBinarizer
            if type == "multilabel-indicator" {
                b = LabelBinarizer(multilabelCount: (c["y"] as! [[Any]])[0].count)
            } else {
                let y = (c["y"] as! [Any]).map(SklearnFixtures.label)
                b = try LabelBinarizer(fitting: y)
                #expect(try b.transform(y, as: Double.self) == transform, "\(y)")
            }
            #expect(b.targetType.rawValue == type)
            #expect(b.classes == classes)
        }
    }

    @Test func labelsParseAndSort() {
        #expect(ClassLabel(parsing: "3") == 3)
        #expect(ClassLabel(parsing: " 2.0") == 2)
        #expect(ClassLabel(parsing: "setosa") == "setosa")
        #expect(([10, "b", 2, "a", -1] as [ClassLabel]).sorted() == [-1, 2, 10, "a", "b"])
        #expect(ClassLabel(3).description == "3" && ClassLabel(2.5).description == "2.5")
    }
}
