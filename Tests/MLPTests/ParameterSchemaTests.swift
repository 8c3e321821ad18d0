import Foundation
@testable import MLPCore
import Testing

// The parameter schema against MLPParameters, scikit-learn's messages, JSON and repr.

@Suite struct ParameterSchemaTests {
    static let specNames = ParameterSchema.all.map(\.sklearnName)

    /// Every parameter, with a value other than its default (and valid for its estimator).
    static func nonDefault(_ name: String) -> (text: String, estimator: MLPEstimator) {
        switch name {
        case "hidden_layer_sizes": return ("7,3", .classifier)
        case "activation": return ("gelu", .classifier)
        case "solver": return ("lbfgs", .classifier)
        case "alpha": return ("0.5", .classifier)
        case "batch_size": return ("32", .classifier)
        case "learning_rate": return ("adaptive", .classifier)
        case "learning_rate_init": return ("0.25", .classifier)
        case "power_t": return ("0.75", .classifier)
        case "max_iter": return ("17", .classifier)
        case "shuffle", "nesterovs_momentum": return ("false", .classifier)
        case "random_state": return ("4294967295", .classifier)
        case "tol": return ("1e-6", .classifier)
        case "verbose", "warm_start", "early_stopping", "restore_best_weights", "stratify_validation_split":
            return ("true", .classifier)
        case "momentum": return ("1", .classifier)
        case "validation_fraction": return ("0", .classifier)
        case "beta_1": return ("0", .classifier)
        case "beta_2": return ("0.5", .classifier)
        case "epsilon": return ("1e-3", .classifier)
        case "n_iter_no_change": return ("inf", .classifier)
        case "max_fun": return ("1", .classifier)
        case "loss": return ("poisson", .regressor)
        case "class_weight": return ("setosa=2.5,3=0.5", .classifier)
        case "dropout": return ("0.2", .classifier)
        default: return ("", .classifier)
        }
    }

    @Test(arguments: specNames)
    func defaultIsMLPParametersDefault(_ name: String) throws {
        let spec = try #require(ParameterSchema.spec(named: name))
        #expect(spec.value(in: MLPParameters()) == spec.defaultValue)
        #expect(spec.constraints.contains { $0.isSatisfied(by: spec.defaultValue) })
    }

    @Test(arguments: specNames)
    func namesFollowScikitLearn(_ name: String) throws {
        let spec = try #require(ParameterSchema.spec(named: name))
        #expect(ParameterSchema.spec(named: spec.name)?.sklearnName == name)
        #expect(ParameterSchema.spec(named: spec.flag)?.sklearnName == name)
        #expect(!spec.flag.contains("_") && !spec.name.contains("_") && !spec.help.isEmpty)
    }

    /// A non-default value set by text is read back, changes the value, round-trips through JSON and shows in the repr.
    @Test(arguments: specNames)
    func nonDefaultValueRoundTrips(_ name: String) throws {
        let spec = try #require(ParameterSchema.spec(named: name))
        let (text, estimator) = Self.nonDefault(name)
        var p = MLPParameters()
        try p.setValue(text, forParameter: name, estimator: estimator)
        #expect(spec.value(in: p) != spec.defaultValue, "\(name)=\(text)")
        try p.validate(for: estimator)
        let json = try JSONEncoder().encode(p)
        #expect(try JSONDecoder().decode(MLPParameters.self, from: json) == p, "\(String(decoding: json, as: UTF8.self))")
        #expect(p.sklearnRepr(of: estimator) == "\(estimator.rawValue)(\(name)=\(spec.value(in: p).pythonRepr))")
    }

    @Test func everyParameterAtOnceRoundTrips() throws {
        var p = MLPParameters()
        for name in Self.specNames where name != "loss" {
            try p.setValue(Self.nonDefault(name).text, forParameter: name)
        }
        p.batchSize = nil; p.randomState = nil; p.nIterNoChange = .infinity; p.classWeight = .balanced
        let decoded = try JSONDecoder().decode(MLPParameters.self, from: JSONEncoder().encode(p))
        #expect(decoded == p)
        #expect(decoded.classWeight == .balanced && decoded.batchSize == nil && decoded.nIterNoChange == .infinity)
    }

    @Test func jsonUsesScikitLearnNamesAndForms() throws {
        var p = MLPParameters()
        p.nIterNoChange = .infinity
        let object = try #require(JSONSerialization.jsonObject(with: JSONEncoder().encode(p)) as? [String: Any])
        #expect(object["batch_size"] as? String == "auto")
        #expect(object["random_state"] is NSNull)
        #expect(object["n_iter_no_change"] as? String == "inf")
        #expect(object["hidden_layer_sizes"] as? [Int] == [100])
        #expect(object["activation"] as? String == "relu")
        // The estimator-specific parameters are written only when set.
        #expect(object["loss"] == nil && object["class_weight"] == nil)
        #expect(Set(object.keys) == Set(Self.specNames).subtracting(["loss", "class_weight"]))
    }

    /// The layout `mlp train` wrote before the schema (EstimatorOptions.sklearnParameters, numbers as doubles).
    @Test func decodesTheCLIsOldModelFileLayout() throws {
        let old = """
        {"hidden_layer_sizes": [20.0, 10.0], "activation": "tanh", "solver": "sgd", "alpha": 0.001,
         "batch_size": 16.0, "learning_rate": "invscaling", "learning_rate_init": 0.01, "power_t": 0.25,
         "max_iter": 50.0, "shuffle": false, "random_state": 3.0, "tol": 1e-05, "verbose": false,
         "warm_start": true, "momentum": 0.8, "nesterovs_momentum": false, "early_stopping": true,
         "validation_fraction": 0.2, "beta_1": 0.8, "beta_2": 0.99, "epsilon": 1e-07,
         "n_iter_no_change": 5.0, "max_fun": 100.0, "loss": "poisson"}
        """
        let p = try JSONDecoder().decode(MLPParameters.self, from: Data(old.utf8))
        var expected = MLPParameters()
        expected.hiddenLayerSizes = [20, 10]; expected.activation = .tanh; expected.solver = .sgd; expected.alpha = 0.001
        expected.batchSize = 16; expected.learningRate = .invscaling; expected.learningRateInit = 0.01
        expected.powerT = 0.25; expected.maxIter = 50; expected.shuffle = false; expected.randomState = 3
        expected.tol = 1e-5; expected.warmStart = true; expected.momentum = 0.8; expected.nesterovsMomentum = false
        expected.earlyStopping = true; expected.validationFraction = 0.2; expected.beta1 = 0.8; expected.beta2 = 0.99
        expected.epsilon = 1e-7; expected.nIterNoChange = 5; expected.maxFun = 100; expected.loss = .poisson
        #expect(p == expected)
        // Missing keys keep their defaults; a wrong type is an error, not a silent default.
        #expect(try JSONDecoder().decode(MLPParameters.self, from: Data(#"{"batch_size": "auto"}"#.utf8)) == MLPParameters())
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(MLPParameters.self, from: Data(#"{"solver": "rmsprop"}"#.utf8))
        }
    }

    @Test func classWeightKeepsNumberAndStringLabelsApart() throws {
        var p = MLPParameters()
        p.classWeight = .perClass([ClassLabel(1): 2, ClassLabel("1"): 3, "b": 0.5])
        let decoded = try JSONDecoder().decode(MLPParameters.self, from: JSONEncoder().encode(p))
        #expect(decoded.classWeight == p.classWeight)
        #expect(p.sklearnRepr(of: .classifier) == "MLPClassifier(class_weight={1: 2.0, '1': 3.0, 'b': 0.5})")
    }

    /// Each bound rejected with scikit-learn's words (the cases its `validate_params` prints).
    @Test(arguments: [
        ("alpha", "-1", "a float in the range [0.0, inf)", "-1.0"),
        ("alpha", "inf", "a float in the range [0.0, inf)", "inf"),
        ("alpha", "nan", "a float in the range [0.0, inf)", "nan"),
        ("learning_rate_init", "0", "a float in the range (0.0, inf)", "0.0"),
        ("power_t", "-0.5", "a float in the range [0.0, inf)", "-0.5"),
        ("tol", "-1", "a float in the range [0.0, inf)", "-1.0"),
        ("momentum", "1.5", "a float in the range [0.0, 1.0]", "1.5"),
        ("momentum", "-0.1", "a float in the range [0.0, 1.0]", "-0.1"),
        ("validation_fraction", "1", "a float in the range [0.0, 1.0)", "1.0"),
        ("beta_1", "1", "a float in the range [0.0, 1.0)", "1.0"),
        ("beta_2", "-0.5", "a float in the range [0.0, 1.0)", "-0.5"),
        ("epsilon", "0", "a float in the range (0.0, inf)", "0.0"),
        ("dropout", "1", "a float in the range [0.0, 1.0)", "1.0"),
        ("max_iter", "0", "an int in the range [1, inf)", "0"),
        ("max_fun", "0", "an int in the range [1, inf)", "0"),
        ("batch_size", "0", "a str among {'auto'} or an int in the range [1, inf)", "0"),
        ("n_iter_no_change", "0", "an int in the range [1, inf) or a float among {inf}", "0"),
        ("n_iter_no_change", "2.5", "an int in the range [1, inf) or a float among {inf}", "2.5"),
        ("random_state", "-1", "an int in the range [0, 4294967295] or None", "-1"),
        ("random_state", "4294967296", "an int in the range [0, 4294967295] or None", "4294967296"),
        ("solver", "rmsprop", "a str among {'lbfgs', 'sgd', 'adam'}", "'rmsprop'"),
        ("learning_rate", "optimal", "a str among {'constant', 'invscaling', 'adaptive'}", "'optimal'"),
        ("activation", "softmax", "a str among {'identity', 'logistic', 'tanh', 'relu', 'leaky_relu', 'elu', 'gelu', 'silu', 'softplus'}", "'softmax'"),
        ("class_weight", "auto", "a str among {'balanced'}, an instance of 'dict' or None", "'auto'"),
        ("shuffle", "maybe", "an instance of 'bool'", "'maybe'"),
        // An empty element is not a layer to leave out: Python refuses (5,,5).
        ("hidden_layer_sizes", "5,,5", "an array-like or an int in the range [1, inf)", "'5,,5'"),
        ("hidden_layer_sizes", ",5", "an array-like or an int in the range [1, inf)", "',5'"),
        ("hidden_layer_sizes", "(5,,)", "an array-like or an int in the range [1, inf)", "'(5,,)'"),
        ("hidden_layer_sizes", ",", "an array-like or an int in the range [1, inf)", "','"),
        // Spaces separate sizes only in a list without commas: "5 6,7" is not read as three layers.
        ("hidden_layer_sizes", "5 6,7", "an array-like or an int in the range [1, inf)", "'5 6,7'"),
    ])
    func rejectsOutOfRangeInScikitLearnsWords(_ name: String, _ text: String, _ constraint: String, _ got: String) {
        var p = MLPParameters()
        #expect(throws: MLPError.invalidParameter("The '\(name)' parameter of MLPClassifier must be \(constraint). Got \(got) instead.")) {
            try p.setValue(text, forParameter: name)
        }
        #expect(p == MLPParameters(), "a refused value leaves the parameters unchanged")
    }

    /// The spellings of hidden_layer_sizes: a comma list, a Python tuple or list (one element with its trailing comma),
    /// sizes between spaces; nothing at all is no hidden layer.
    @Test(arguments: [("100,50", [100, 50]), ("(100, 50)", [100, 50]), ("[7]", [7]), ("(100,)", [100]), ("8,", [8]),
                      (" 3 , 4 ", [3, 4]), ("", []), ("()", []), ("[]", []), ("100 50", [100, 50]), ("(64  32 16)", [64, 32, 16])])
    func hiddenLayerSizesSpellings(_ text: String, _ sizes: [Int]) throws {
        var p = MLPParameters()
        try p.setValue(text, forParameter: "hidden_layer_sizes")
        #expect(p.hiddenLayerSizes == sizes)
    }

    @Test func validatorAndFitRejectWhatSetValueRejects() throws {
        var p = MLPParameters()
        p.alpha = -1
        #expect(throws: MLPError.invalidParameter("The 'alpha' parameter of MLPRegressor must be a float in the range [0.0, inf). Got -1.0 instead.")) {
            try p.validate(for: .regressor)
        }
        p = MLPParameters()
        p.hiddenLayerSizes = [3, 0]
        #expect(throws: MLPError.invalidParameter("hidden_layer_sizes must be > 0, got [3, 0].")) { try p.validate() }
        let x = Matrix<Double>([[0, 1], [1, 0], [1, 1], [0, 0]])
        #expect(throws: MLPError.invalidParameter("hidden_layer_sizes must be > 0, got [3, 0].")) {
            try MLPClassifier<Double>(parameters: p).fit(x, [0, 1, 1, 0])
        }
    }

    @Test func estimatorSpecificParametersStayWithTheirEstimator() throws {
        var p = MLPParameters()
        p.loss = .poisson
        #expect(throws: MLPError.invalidParameter("MLPClassifier has no parameter 'loss'.")) { try p.validate(for: .classifier) }
        try p.validate(for: .regressor)
        p = MLPParameters()
        p.classWeight = .balanced
        #expect(throws: MLPError.invalidParameter("MLPRegressor has no parameter 'class_weight'.")) { try p.validate(for: .regressor) }
        #expect(throws: MLPError.invalidParameter("MLPRegressor has no parameter 'class_weight'.")) {
            try p.setValue("balanced", forParameter: "class_weight", estimator: .regressor)
        }
        #expect(throws: MLPError.invalidParameter("MLPClassifier has no parameter 'momentun'.")) {
            try p.setValue("0.5", forParameter: "momentun")
        }
    }

    @Test func descriptionShowsOnlyNonDefaults() {
        #expect(MLPClassifier<Double>().description == "MLPClassifier()")
        #expect(MLPRegressor<Float>().description == "MLPRegressor()")
        #expect(MLPClassifier<Double>(hiddenLayerSizes: [10], solver: .lbfgs).description
                == "MLPClassifier(hidden_layer_sizes=(10,), solver='lbfgs')")
        #expect(MLPRegressor<Double>(loss: .poisson, hiddenLayerSizes: [10, 5], alpha: 1e-5, batchSize: 8,
                                     randomState: 0, nIterNoChange: .infinity, dropout: 0.5).description
                == "MLPRegressor(alpha=1e-05, batch_size=8, dropout=0.5, hidden_layer_sizes=(10, 5), loss='poisson', "
                + "n_iter_no_change=inf, random_state=0)")
        #expect(MLPClassifier<Double>(nIterNoChange: 5, classWeight: .balanced, stratifyValidationSplit: false).description
                == "MLPClassifier(class_weight='balanced', n_iter_no_change=5, stratify_validation_split=False)")
    }

    @Test func initializersReachEveryParameter() {
        let clf = MLPClassifier<Double>(classWeight: .balanced, dropout: 0.25, restoreBestWeights: true,
                                        stratifyValidationSplit: true)
        #expect(clf.classWeight == .balanced && clf.parameters.classWeight == .balanced)
        #expect(clf.dropout == 0.25 && clf.restoreBestWeights && clf.stratifyValidationSplit == true)
        let reg = MLPRegressor<Double>(loss: .poisson, dropout: 0.5, restoreBestWeights: true)
        #expect(reg.loss == .poisson && reg.parameters.loss == .poisson && reg.dropout == 0.5 && reg.restoreBestWeights)
        reg.loss = .squaredError
        #expect(reg.parameters.loss == .squaredError)
    }

    @Test func sharedInitializerLeavesTheOtherEstimatorsParameterToFit() {
        let x = Matrix<Double>([[0, 0], [1, 1], [0, 1], [1, 0]])
        let clf = MLPClassifier<Double>(loss: .poisson, maxIter: 5)
        #expect(clf.parameters.loss == .poisson)
        #expect(throws: MLPError.invalidParameter("MLPClassifier has no parameter 'loss'.")) { try clf.fit(x, [0, 1, 1, 0]) }
        let reg = MLPRegressor<Double>(maxIter: 5, classWeight: .balanced)
        #expect(reg.parameters.classWeight == .balanced)
        #expect(throws: MLPError.invalidParameter("MLPRegressor has no parameter 'class_weight'.")) {
            try reg.fit(x, Matrix<Double>([[0], [1], [1], [0]]))
        }
    }

    @Test func regressionLossParsesThroughTheSchema() throws {
        #expect(try RegressionLoss(parsing: "poisson") == .poisson)
        #expect(throws: MLPError.invalidParameter("The 'loss' parameter of MLPRegressor must be a str among {'squared_error', 'poisson'}. Got 'huber' instead.")) {
            try RegressionLoss(parsing: "huber")
        }
    }
}
