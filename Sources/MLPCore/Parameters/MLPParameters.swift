// The hyper-parameters of MLPClassifier / MLPRegressor as one value type: every scikit-learn 1.9 parameter with
// its default, named in lowerCamel (hidden_layer_sizes → hiddenLayerSizes), plus the options scikit-learn declined.
// Names, constraints and help lines live in `ParameterSchema`; validation, text and JSON forms are derived there.

/// The hyper-parameters of MLPClassifier and MLPRegressor. Defaults are scikit-learn 1.9's.
public struct MLPParameters: Sendable, Equatable {
    /// `hidden_layer_sizes`, default `(100,)`. Each entry > 0; an empty list gives a network without hidden layer.
    public var hiddenLayerSizes: [Int] = [100]
    /// `activation` of the hidden layers, default `relu`. sklearn allows identity, logistic, tanh, relu;
    /// beyond scikit-learn: leakyRelu, elu, gelu, silu, softplus.
    public var activation: Activation = .relu
    /// `solver`, default `adam`.
    public var solver: Solver = .adam
    /// `alpha`: L2 penalty strength, ≥ 0, default 1e-4.
    public var alpha: Double = 1e-4
    /// `batch_size`: nil is sklearn's 'auto' = min(200, n_samples); otherwise ≥ 1 (clipped to n_samples).
    public var batchSize: Int? = nil

    /// The minibatch size a fit on `samples` rows uses: 'auto' is min(200, n); a request is clipped to 1...n.
    public func effectiveBatchSize(samples: Int) -> Int { min(max(batchSize ?? 200, 1), max(samples, 1)) }
    /// `learning_rate`: the schedule (sgd only), default constant.
    public var learningRate: LearningRateSchedule = .constant
    /// `learning_rate_init` > 0, default 1e-3 (sgd, adam).
    public var learningRateInit: Double = 1e-3
    /// `power_t` ≥ 0, default 0.5 (invscaling).
    public var powerT: Double = 0.5
    /// `max_iter` ≥ 1, default 200: epochs for sgd/adam, iterations for lbfgs.
    public var maxIter: Int = 200
    /// `shuffle`, default true: reshuffle every epoch (sgd, adam).
    public var shuffle: Bool = true
    /// `random_state`: a seed for numpy's RandomState (0 ..< 2³²), or nil for a random one.
    public var randomState: Int? = nil
    /// `tol` ≥ 0, default 1e-4.
    public var tol: Double = 1e-4
    /// `verbose`: print sklearn's per-epoch lines to standard output.
    public var verbose: Bool = false
    /// `warm_start`: continue from the previous fit's weights.
    public var warmStart: Bool = false
    /// `momentum` in [0, 1], default 0.9 (sgd).
    public var momentum: Double = 0.9
    /// `nesterovs_momentum`, default true (sgd, momentum > 0).
    public var nesterovsMomentum: Bool = true
    /// `early_stopping`, default false: hold out `validationFraction` and stop on the validation score.
    public var earlyStopping: Bool = false
    /// `validation_fraction` in [0, 1), default 0.1.
    public var validationFraction: Double = 0.1
    /// `beta_1` in [0, 1), default 0.9 (adam).
    public var beta1: Double = 0.9
    /// `beta_2` in [0, 1), default 0.999 (adam).
    public var beta2: Double = 0.999
    /// `epsilon` > 0, default 1e-8 (adam).
    public var epsilon: Double = 1e-8
    /// `n_iter_no_change`: an integer ≥ 1 or `.infinity`, default 10.
    public var nIterNoChange: Double = 10
    /// `max_fun` ≥ 1, default 15000: loss evaluations allowed to lbfgs.
    public var maxFun: Int = 15000
    /// `loss` of MLPRegressor only: squared_error (default) or poisson. A classifier refuses any other value.
    public var loss: RegressionLoss = .squaredError

    // Beyond scikit-learn.

    /// MLPClassifier only: `class_weight` ('balanced' or a per-class map), multiplied into sample weights.
    public var classWeight: ClassWeight? = nil
    /// Inverted dropout rate on hidden-layer outputs during training, in [0, 1); off at predict time (issue 6175).
    public var dropout: Double = 0
    /// Without early stopping, restore the weights of the epoch with the lowest training loss at the end
    /// (with early stopping the best-validation weights are always restored, as in sklearn).
    public var restoreBestWeights: Bool = false
    /// Stratify the early-stopping split for multiclass targets too. sklearn stratifies only binary targets
    /// (its `n_outputs_ == 1` test sees the one-hot width); nil keeps sklearn's behaviour.
    public var stratifyValidationSplit: Bool? = nil

    /// scikit-learn's defaults.
    public init() {}
}

// MARK: - Validation and setting by name, from the schema

extension MLPParameters {
    /// Checks every parameter as `fit` does, with scikit-learn's messages
    /// ("The 'alpha' parameter of MLPClassifier must be a float in the range [0.0, inf). Got -1.0 instead.").
    /// - Parameter estimator: the estimator named in the messages; parameters it does not take must keep
    ///   their defaults.
    /// - Throws: `MLPError.invalidParameter` for the first parameter out of range, or one the estimator does not
    ///   take that is not at its default.
    public func validate(for estimator: MLPEstimator = .classifier) throws {
        for spec in ParameterSchema.all {
            let value = spec.read(self)
            if spec.estimators.contains(estimator) {
                try spec.validate(value, estimator: estimator)
            } else if value != spec.defaultValue {
                throw MLPError.invalidParameter("\(estimator.rawValue) has no parameter '\(spec.sklearnName)'.")
            }
        }
    }

    /// Sets one parameter from text, as a command line or a config file gives it, and checks it.
    /// - Parameters:
    ///   - text: the value: `0.01`, `inf`, `auto`, `None`, `true`, `100,50`, `balanced`, `a=2,b=1`.
    ///   - name: the parameter's scikit-learn name (`learning_rate_init`), lowerCamel or kebab-case form.
    ///   - estimator: the estimator named in error messages; it must take the parameter.
    /// - Throws: `MLPError.invalidParameter` for an unknown name, text that does not parse, or a value out of range;
    ///   the parameters are then unchanged.
    public mutating func setValue(_ text: String, forParameter name: String,
                                  estimator: MLPEstimator = .classifier) throws {
        guard let spec = ParameterSchema.spec(named: name), spec.estimators.contains(estimator) else {
            throw MLPError.invalidParameter("\(estimator.rawValue) has no parameter '\(name)'.")
        }
        guard let value = spec.parse(text) else { throw spec.invalid("'\(text)'", estimator: estimator) }
        var updated = self
        guard spec.write(&updated, value) else { throw spec.invalid(value.pythonRepr, estimator: estimator) }
        do {
            try spec.validate(spec.read(updated), estimator: estimator)
        } catch {
            // An int outside its range is quoted as given: a Double property (n_iter_no_change) holds 53 bits of it.
            if case .int = value, !spec.constraints.contains(where: { $0.isSatisfied(by: value) }) {
                throw spec.invalid(text, estimator: estimator)
            }
            throw error
        }
        self = updated
    }
}

extension RegressionLoss {
    /// Parses scikit-learn's name, rejecting others in its words.
    /// - Parameter text: `squared_error` or `poisson`.
    /// - Throws: `MLPError.invalidParameter` for any other text.
    public init(parsing text: String) throws {
        var parameters = MLPParameters()
        try parameters.setValue(text, forParameter: "loss", estimator: .regressor)
        self = parameters.loss
    }
}

/// The validator the estimators call at fit (a shim over `validate(for:)` that keeps their call sites).
struct ParameterValidator {
    let estimator: MLPEstimator

    init(estimator: String) { self.estimator = MLPEstimator(rawValue: estimator) ?? .classifier }

    func validate(_ p: MLPParameters, regressor: Bool) throws { try p.validate(for: estimator) }

    /// Python's repr of a float: 1.0, -1.0, 1e-05, inf, nan.
    static func repr(_ v: Double) -> String { ParameterValue.repr(v) }
}

// MARK: - Codable under scikit-learn's names

/// Keys are scikit-learn's names and values its JSON-able forms (`"batch_size": "auto"`, `"random_state": null`,
/// `"n_iter_no_change": "inf"`). Missing keys keep their defaults, so older files load; the estimator-specific
/// `loss` and `class_weight` are written only when they differ from their defaults.
extension MLPParameters: Codable {
    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    /// Reads scikit-learn-named keys; a missing key keeps its default, a value of the wrong kind is an error.
    /// - Parameter decoder: the decoder holding a keyed container.
    /// - Throws: `DecodingError` for a value that does not fit its parameter.
    public init(from decoder: Decoder) throws {
        self.init()
        let container = try decoder.container(keyedBy: Key.self)
        for spec in ParameterSchema.all {
            let key = Key(stringValue: spec.sklearnName)
            guard container.contains(key) else { continue }
            let value = try container.decode(ParameterValue.self, forKey: key)
            guard spec.write(&self, value) else {
                throw DecodingError.dataCorruptedError(forKey: key, in: container, debugDescription:
                    "'\(spec.sklearnName)' must be \(spec.constraints.sklearnDescription); got \(value.pythonRepr).")
            }
        }
    }

    /// Writes every parameter under its scikit-learn name (`loss` and `class_weight` only when set).
    /// - Parameter encoder: the encoder to write to.
    /// - Throws: the encoder's errors.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        for spec in ParameterSchema.all {
            let value = spec.read(self)
            if spec.estimators.count < MLPEstimator.allCases.count && value == spec.defaultValue { continue }
            try container.encode(value, forKey: Key(stringValue: spec.sklearnName))
        }
    }
}
