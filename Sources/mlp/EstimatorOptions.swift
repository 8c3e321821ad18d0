import ArgumentParser
import Foundation
import MLP
import MLPModelFile

// Every MLPClassifier / MLPRegressor parameter as a kebab-case flag, validated with scikit-learn's constraints
// before any data is read ("The 'alpha' parameter must be a float in the range [0.0, inf). Got -1.0 instead.").

/// scikit-learn's MLP parameters, typed. The names are sklearn's in lowerCamel; defaults are sklearn's.
struct EstimatorParameters: Equatable {
    var hiddenLayerSizes: [Int] = [100]
    var activation = "relu"
    var solver = "adam"
    var alpha = 1e-4
    /// nil means "auto" (min(200, n_samples)).
    var batchSize: Int?
    var learningRate = "constant"
    var learningRateInit = 1e-3
    var powerT = 0.5
    var maxIter = 200
    var shuffle = true
    var randomState: Int?
    var tol = 1e-4
    var verbose = false
    var warmStart = false
    var momentum = 0.9
    var nesterovsMomentum = true
    var earlyStopping = false
    var validationFraction = 0.1
    var beta1 = 0.9
    var beta2 = 0.999
    var epsilon = 1e-8
    var nIterNoChange = 10
    var maxFun = 15000
    /// MLPRegressor only: "squared_error" or "poisson".
    var loss: String?

    /// The estimators' parameter struct (values were validated by `EstimatorOptions.parameters`).
    func mlpParameters() throws -> MLPParameters {
        var p = MLPParameters()
        guard let activation = Activation(rawValue: activation), let solver = Solver(rawValue: solver),
              let schedule = LearningRateSchedule(rawValue: learningRate) else {
            throw CLIError(.usage, "invalid activation, solver or learning_rate")
        }
        p.hiddenLayerSizes = hiddenLayerSizes; p.activation = activation; p.solver = solver; p.alpha = alpha
        p.batchSize = batchSize; p.learningRate = schedule; p.learningRateInit = learningRateInit; p.powerT = powerT
        p.maxIter = maxIter; p.shuffle = shuffle; p.randomState = randomState; p.tol = tol; p.verbose = false
        p.warmStart = warmStart; p.momentum = momentum; p.nesterovsMomentum = nesterovsMomentum
        p.earlyStopping = earlyStopping; p.validationFraction = validationFraction; p.beta1 = beta1; p.beta2 = beta2
        p.epsilon = epsilon; p.nIterNoChange = Double(nIterNoChange); p.maxFun = maxFun
        return p
    }

    /// The parameters under scikit-learn's names, as stored in the model file.
    var sklearnParameters: [String: JSONValue] {
        var p: [String: JSONValue] = [
            "hidden_layer_sizes": .array(hiddenLayerSizes.map { .number(Double($0)) }),
            "activation": .string(activation), "solver": .string(solver), "alpha": .number(alpha),
            "batch_size": batchSize.map { .number(Double($0)) } ?? .string("auto"),
            "learning_rate": .string(learningRate), "learning_rate_init": .number(learningRateInit),
            "power_t": .number(powerT), "max_iter": .number(Double(maxIter)), "shuffle": .bool(shuffle),
            "random_state": randomState.map { .number(Double($0)) } ?? .null, "tol": .number(tol),
            "verbose": .bool(verbose), "warm_start": .bool(warmStart), "momentum": .number(momentum),
            "nesterovs_momentum": .bool(nesterovsMomentum), "early_stopping": .bool(earlyStopping),
            "validation_fraction": .number(validationFraction), "beta_1": .number(beta1), "beta_2": .number(beta2),
            "epsilon": .number(epsilon), "n_iter_no_change": .number(Double(nIterNoChange)),
            "max_fun": .number(Double(maxFun)),
        ]
        if let loss { p["loss"] = .string(loss) }
        return p
    }
}

struct EstimatorOptions: ParsableArguments {
    @Option(name: .customLong("hidden-layer-sizes"), parsing: .unconditional,
            help: ArgumentHelp("Units per hidden layer, comma-separated (sklearn hidden_layer_sizes).", valueName: "100,50"))
    var hiddenLayerSizes = "100"
    @Option(parsing: .unconditional, help: ArgumentHelp("Hidden activation: identity, logistic, tanh, relu.", valueName: "name"))
    var activation = "relu"
    @Option(parsing: .unconditional, help: ArgumentHelp("Weight optimizer: lbfgs, sgd, adam.", valueName: "name"))
    var solver = "adam"
    @Option(parsing: .unconditional, help: "L2 penalty strength (sklearn alpha).")
    var alpha = 1e-4
    @Option(name: .customLong("batch-size"), parsing: .unconditional, help: ArgumentHelp("Minibatch size, or auto = min(200, n_samples).", valueName: "n|auto"))
    var batchSize = "auto"
    @Option(name: .customLong("learning-rate"), parsing: .unconditional, help: ArgumentHelp("Schedule for sgd: constant, invscaling, adaptive.", valueName: "name"))
    var learningRate = "constant"
    @Option(name: .customLong("learning-rate-init"), parsing: .unconditional, help: "Initial learning rate (sgd, adam).")
    var learningRateInit = 1e-3
    @Option(name: .customLong("power-t"), parsing: .unconditional, help: "Exponent of the invscaling schedule.")
    var powerT = 0.5
    @Option(name: .customLong("max-iter"), parsing: .unconditional, help: "Maximum epochs (sgd, adam) or iterations (lbfgs).")
    var maxIter = 200
    @Flag(inversion: .prefixedNo, help: "Shuffle samples each epoch (sgd, adam).")
    var shuffle = true
    @Option(name: .customLong("random-state"), parsing: .unconditional, help: "Seed for weights, shuffling and the validation split (0..4294967295).")
    var randomState: Int?
    @Option(parsing: .unconditional, help: "Tolerance for the optimization.")
    var tol = 1e-4
    @Flag(name: .customLong("warm-start"), help: "Continue training the model already at --output (sklearn warm_start).")
    var warmStart = false
    @Option(parsing: .unconditional, help: "Momentum for sgd, in [0, 1].")
    var momentum = 0.9
    @Flag(name: .customLong("nesterovs-momentum"), inversion: .prefixedNo, help: "Nesterov's momentum (sgd).")
    var nesterovsMomentum = true
    @Flag(name: .customLong("early-stopping"), inversion: .prefixedNo, help: "Stop when the validation score stops improving (sgd, adam).")
    var earlyStopping = false
    @Option(name: .customLong("validation-fraction"), parsing: .unconditional, help: "Share of training data held out for early stopping.")
    var validationFraction = 0.1
    @Option(name: .customLong("beta-1"), parsing: .unconditional, help: "Adam's first-moment decay, in [0, 1).")
    var beta1 = 0.9
    @Option(name: .customLong("beta-2"), parsing: .unconditional, help: "Adam's second-moment decay, in [0, 1).")
    var beta2 = 0.999
    @Option(parsing: .unconditional, help: "Adam's numerical-stability term.")
    var epsilon = 1e-8
    @Option(name: .customLong("n-iter-no-change"), parsing: .unconditional, help: "Epochs without tol improvement before stopping (sgd, adam).")
    var nIterNoChange = 10
    @Option(name: .customLong("max-fun"), parsing: .unconditional, help: "Maximum loss-function calls (lbfgs).")
    var maxFun = 15000

    /// Checks every parameter as scikit-learn's `_parameter_constraints` do (and also refuses ±inf and NaN).
    func parameters(regression: Bool, loss: String?) throws -> EstimatorParameters {
        func fail(_ name: String, _ constraint: String, _ got: String) -> ValidationError {
            ValidationError("The '\(name)' parameter must be \(constraint). Got \(got) instead.")
        }
        func real(_ name: String, _ v: Double, _ lo: Double, _ hi: Double?, closedLo: Bool, closedHi: Bool = false) throws {
            let range = "\(closedLo ? "[" : "(")\(lo), \(hi.map { "\($0)" } ?? "inf")\(closedHi ? "]" : ")")"
            let okLo = closedLo ? v >= lo : v > lo
            let okHi = hi.map { closedHi ? v <= $0 : v < $0 } ?? true
            guard v.isFinite, okLo, okHi else { throw fail(name, "a float in the range \(range)", "\(v)") }
        }
        func choice(_ name: String, _ v: String, _ options: [String]) throws {
            guard options.contains(v) else {
                throw fail(name, "a str among {" + options.map { "'\($0)'" }.joined(separator: ", ") + "}", "'\(v)'")
            }
        }
        func positive(_ name: String, _ v: Int) throws {
            guard v >= 1 else { throw fail(name, "an int in the range [1, inf)", "\(v)") }
        }
        var p = EstimatorParameters()
        let parts = hiddenLayerSizes.split(separator: ",", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) }
        var sizes: [Int] = []
        for part in parts where !(parts.count == 1 && part.isEmpty) {
            guard let n = Int(part) else {
                throw fail("hidden_layer_sizes", "a comma-separated list of positive ints such as 100,50", "'\(hiddenLayerSizes)'")
            }
            guard n > 0 else { throw ValidationError("hidden_layer_sizes must be > 0, got \(hiddenLayerSizes).") }
            sizes.append(n)
        }
        p.hiddenLayerSizes = sizes
        try choice("activation", activation, ["identity", "logistic", "tanh", "relu"]); p.activation = activation
        try choice("solver", solver, ["lbfgs", "sgd", "adam"]); p.solver = solver
        try real("alpha", alpha, 0, nil, closedLo: true); p.alpha = alpha
        if batchSize != "auto" {
            guard let b = Int(batchSize), b >= 1 else {
                throw fail("batch_size", "a str among {'auto'} or an int in the range [1, inf)", "'\(batchSize)'")
            }
            p.batchSize = b
        }
        try choice("learning_rate", learningRate, ["constant", "invscaling", "adaptive"]); p.learningRate = learningRate
        try real("learning_rate_init", learningRateInit, 0, nil, closedLo: false); p.learningRateInit = learningRateInit
        try real("power_t", powerT, 0, nil, closedLo: true); p.powerT = powerT
        try positive("max_iter", maxIter); p.maxIter = maxIter
        p.shuffle = shuffle
        if let randomState {
            guard randomState >= 0 && randomState <= 4_294_967_295 else {
                throw fail("random_state", "an int in the range [0, 4294967295]", "\(randomState)")
            }
        }
        p.randomState = randomState
        try real("tol", tol, 0, nil, closedLo: true); p.tol = tol
        p.warmStart = warmStart
        try real("momentum", momentum, 0, 1, closedLo: true, closedHi: true); p.momentum = momentum
        p.nesterovsMomentum = nesterovsMomentum
        p.earlyStopping = earlyStopping
        try real("validation_fraction", validationFraction, 0, 1, closedLo: true); p.validationFraction = validationFraction
        if earlyStopping && validationFraction == 0 {
            throw fail("validation_fraction", "greater than 0 with --early-stopping", "0.0")
        }
        try real("beta_1", beta1, 0, 1, closedLo: true); p.beta1 = beta1
        try real("beta_2", beta2, 0, 1, closedLo: true); p.beta2 = beta2
        try real("epsilon", epsilon, 0, nil, closedLo: false); p.epsilon = epsilon
        try positive("n_iter_no_change", nIterNoChange); p.nIterNoChange = nIterNoChange
        try positive("max_fun", maxFun); p.maxFun = maxFun
        if let loss {
            guard regression else { throw ValidationError("--loss applies to regressors only; add --regression") }
            try choice("loss", loss, ["squared_error", "poisson"])
            p.loss = loss
        } else if regression {
            p.loss = "squared_error"
        }
        return p
    }
}

