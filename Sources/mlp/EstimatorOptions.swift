import ArgumentParser
import MLP

// Every MLPClassifier / MLPRegressor parameter as a kebab-case flag. Flags, defaults and help lines come from the
// library's `ParameterSchema`, and the values are checked by the library's validator before any data is read
// ("The 'alpha' parameter of MLPClassifier must be a float in the range [0.0, inf). Got -1.0 instead.").

extension Activation: ExpressibleByArgument {
    /// Only the hidden-layer activations: softmax and exp are output activations.
    public init?(argument: String) {
        guard Self.hiddenChoices.contains(argument) else { return nil }
        self.init(rawValue: argument)
    }

    /// None listed: the help line names them, and nine would turn a refusal into a ten-line list.
    public static var allValueStrings: [String] { [] }

    /// Shell completion still offers the hidden-layer activations.
    public static var defaultCompletionKind: CompletionKind { .list(hiddenChoices) }

    private static var hiddenChoices: [String] { ParameterSchema.spec(named: "activation")?.choices ?? [] }
}

extension Solver: ExpressibleByArgument {}
extension LearningRateSchedule: ExpressibleByArgument {}
extension RegressionLoss: ExpressibleByArgument {}

/// The help line and value name of a schema parameter.
private func help(_ sklearnName: String) -> ArgumentHelp {
    let spec = ParameterSchema.spec(named: sklearnName)
    return ArgumentHelp(spec?.help ?? "", valueName: spec?.valueName)
}

/// The flag of a schema parameter: `learning_rate_init` → `--learning-rate-init`.
private func flag(_ sklearnName: String) -> NameSpecification {
    .customLong(ParameterSchema.spec(named: sklearnName)?.flag ?? sklearnName)
}

/// A schema parameter's default as command-line text, for the options that take text.
private func defaultArgument(_ sklearnName: String) -> String {
    ParameterSchema.spec(named: sklearnName)?.defaultArgument ?? ""
}

// A schema parameter's option: flag, help line and value name from the schema; `.unconditional` so a negative
// number reaches the validator (`--alpha -1`) instead of reading as a flag.
extension Option where Value: ExpressibleByArgument {
    init(wrappedValue: Value, schema sklearnName: String) {
        self.init(wrappedValue: wrappedValue, name: flag(sklearnName), parsing: .unconditional, help: help(sklearnName))
    }
}

extension Option {
    init<T: ExpressibleByArgument>(schema sklearnName: String) where Value == T? {
        self.init(name: flag(sklearnName), parsing: .unconditional, help: help(sklearnName))
    }
}

// A schema parameter that is a boolean: `--shuffle` / `--no-shuffle`.
extension Flag {
    init(wrappedValue: Bool, schema sklearnName: String) where Value == Bool {
        self.init(wrappedValue: wrappedValue, name: flag(sklearnName), inversion: .prefixedNo, help: help(sklearnName))
    }

    init(schema sklearnName: String) where Value == Bool? {
        self.init(name: flag(sklearnName), inversion: .prefixedNo, help: help(sklearnName))
    }
}

private let defaults = MLPParameters()

struct EstimatorOptions: ParsableArguments {
    @Option(schema: "hidden_layer_sizes") var hiddenLayerSizes = defaultArgument("hidden_layer_sizes")
    @Option(schema: "activation") var activation = defaults.activation
    @Option(schema: "solver") var solver = defaults.solver
    @Option(schema: "alpha") var alpha = defaults.alpha
    @Option(schema: "batch_size") var batchSize = defaultArgument("batch_size")
    @Option(schema: "learning_rate") var learningRate = defaults.learningRate
    @Option(schema: "learning_rate_init") var learningRateInit = defaults.learningRateInit
    @Option(schema: "power_t") var powerT = defaults.powerT
    @Option(schema: "max_iter") var maxIter = defaults.maxIter
    @Flag(schema: "shuffle") var shuffle = defaults.shuffle
    @Option(schema: "random_state") var randomState: Int?
    @Option(schema: "tol") var tol = defaults.tol
    @Flag(name: flag("warm_start"), help: "Continue training the model already at --output (warm_start).")
    var warmStart = defaults.warmStart
    @Option(schema: "momentum") var momentum = defaults.momentum
    @Flag(schema: "nesterovs_momentum") var nesterovsMomentum = defaults.nesterovsMomentum
    @Flag(schema: "early_stopping") var earlyStopping = defaults.earlyStopping
    @Option(schema: "validation_fraction") var validationFraction = defaults.validationFraction
    @Option(schema: "beta_1") var beta1 = defaults.beta1
    @Option(schema: "beta_2") var beta2 = defaults.beta2
    @Option(schema: "epsilon") var epsilon = defaults.epsilon
    @Option(schema: "n_iter_no_change") var nIterNoChange = defaultArgument("n_iter_no_change")
    @Option(schema: "max_fun") var maxFun = defaults.maxFun
    @Option(name: flag("loss"), help: help("loss"))
    var loss: RegressionLoss?
    @Option(schema: "class_weight") var classWeight: String?
    @Option(schema: "dropout") var dropout = defaults.dropout
    @Flag(schema: "restore_best_weights") var restoreBestWeights = defaults.restoreBestWeights
    @Flag(schema: "stratify_validation_split") var stratifyValidationSplit: Bool?

    /// The parameters of an MLPRegressor (`regression`) or MLPClassifier, checked by the library's validator.
    /// Throws a `ValidationError` (exit 2) in scikit-learn's words.
    func parameters(regression: Bool) throws -> MLPParameters {
        let estimator: MLPEstimator = regression ? .regressor : .classifier
        if loss != nil && !regression { throw ValidationError("--loss applies to regressors only; add --regression") }
        if classWeight != nil && regression { throw ValidationError("--class-weight applies to classifiers only") }
        var p = MLPParameters()
        p.activation = activation; p.solver = solver; p.alpha = alpha; p.learningRate = learningRate
        p.learningRateInit = learningRateInit; p.powerT = powerT; p.maxIter = maxIter; p.shuffle = shuffle
        p.randomState = randomState; p.tol = tol; p.warmStart = warmStart; p.momentum = momentum
        p.nesterovsMomentum = nesterovsMomentum; p.earlyStopping = earlyStopping
        p.validationFraction = validationFraction; p.beta1 = beta1; p.beta2 = beta2; p.epsilon = epsilon
        p.maxFun = maxFun; p.dropout = dropout; p.restoreBestWeights = restoreBestWeights
        p.stratifyValidationSplit = stratifyValidationSplit
        if let loss { p.loss = loss }
        do {
            try p.setValue(hiddenLayerSizes, forParameter: "hidden_layer_sizes", estimator: estimator)
            try p.setValue(batchSize, forParameter: "batch_size", estimator: estimator)
            try p.setValue(nIterNoChange, forParameter: "n_iter_no_change", estimator: estimator)
            if let classWeight {
                do {
                    try p.setValue(classWeight, forParameter: "class_weight", estimator: estimator)
                } catch let error as MLPError {
                    // scikit-learn's words name a Python dict, which a command line cannot give.
                    throw ValidationError(error.description + " On the command line: --class-weight balanced, or "
                                          + "LABEL=W pairs such as a=2,b=1.")
                }
            }
            try p.validate(for: estimator)
        } catch let error as MLPError {
            throw ValidationError(error.description)
        }
        return p
    }
}
