// Every hyper-parameter of MLPClassifier / MLPRegressor, declared once: scikit-learn's name, default,
// constraints (`BaseMultilayerPerceptron._parameter_constraints`) and a help line. The validator, `setValue`,
// the Codable form, the estimators' description and the CLI's options all read this table.

/// The table of hyper-parameters, in scikit-learn's constructor order, then the regressor's `loss`, then the
/// options scikit-learn declined.
public enum ParameterSchema {
    /// Hidden-layer activations: scikit-learn's four, then ours (the output-only softmax and exp are not).
    static let hiddenActivations = Activation.allCases.filter { $0 != .softmax && $0 != .exp }.map(\.rawValue)

    /// Every parameter.
    public static let all: [ParameterSpec] = [
        ParameterSpec(\.hiddenLayerSizes, "hidden_layer_sizes", default: .ints([100]), .intList,
                      [.arrayLike, .integer(.closed(1), .unbounded)], valueName: "100,50",
                      help: "Units per hidden layer, comma-separated; empty for no hidden layer.",
                      check: { value in
                          guard case .ints(let sizes) = value, sizes.contains(where: { $0 <= 0 }) else { return nil }
                          return "hidden_layer_sizes must be > 0, got [\(sizes.map(String.init).joined(separator: ", "))]."
                      }),
        ParameterSpec(\.activation, "activation", default: .string("relu"), .choice, [.options(hiddenActivations)],
                      valueName: "name",
                      help: "Hidden-layer activation: identity, logistic, tanh, relu (scikit-learn); leaky_relu, elu, gelu, silu, softplus."),
        ParameterSpec(\.solver, "solver", default: .string("adam"), .choice, [.options(["lbfgs", "sgd", "adam"])],
                      valueName: "name", help: "Weight optimizer: lbfgs, sgd or adam."),
        ParameterSpec(\.alpha, "alpha", default: .real(1e-4), .real, [.real(.closed(0), .unbounded)],
                      help: "Strength of the L2 penalty."),
        ParameterSpec(\.batchSize, "batch_size", default: .string("auto"), .optionalInt(none: .string("auto"), noneText: ["auto"]),
                      [.options(["auto"]), .integer(.closed(1), .unbounded)], valueName: "n|auto",
                      help: "Minibatch size (sgd, adam); auto = min(200, n_samples)."),
        ParameterSpec(\.learningRate, "learning_rate", default: .string("constant"), .choice,
                      [.options(["constant", "invscaling", "adaptive"])], valueName: "name",
                      help: "Learning-rate schedule (sgd): constant, invscaling or adaptive."),
        ParameterSpec(\.learningRateInit, "learning_rate_init", default: .real(1e-3), .real, [.real(.open(0), .unbounded)],
                      help: "Initial learning rate (sgd, adam)."),
        ParameterSpec(\.powerT, "power_t", default: .real(0.5), .real, [.real(.closed(0), .unbounded)],
                      help: "Exponent of the invscaling schedule (sgd)."),
        ParameterSpec(\.maxIter, "max_iter", default: .int(200), .int, [.integer(.closed(1), .unbounded)],
                      help: "Maximum epochs (sgd, adam) or iterations (lbfgs)."),
        ParameterSpec(\.shuffle, "shuffle", default: .bool(true), .bool, [.boolean],
                      help: "Shuffle the samples every epoch (sgd, adam)."),
        ParameterSpec(\.randomState, "random_state", default: .none, .optionalInt(none: .none, noneText: ["None", "none"]),
                      [.integer(.closed(0), .closed(4_294_967_295)), .none],
                      help: "Seed for the weights, shuffling and the validation split (0...4294967295)."),
        ParameterSpec(\.tol, "tol", default: .real(1e-4), .real, [.real(.closed(0), .unbounded)],
                      help: "Tolerance: smaller improvements of the loss or score count as none."),
        ParameterSpec(\.verbose, "verbose", default: .bool(false), .bool, [.boolean],
                      help: "Print the loss of every epoch."),
        ParameterSpec(\.warmStart, "warm_start", default: .bool(false), .bool, [.boolean],
                      help: "Continue from the previous fit's weights."),
        ParameterSpec(\.momentum, "momentum", default: .real(0.9), .real, [.real(.closed(0), .closed(1))],
                      help: "Momentum of sgd, in [0, 1]."),
        ParameterSpec(\.nesterovsMomentum, "nesterovs_momentum", default: .bool(true), .bool, [.boolean],
                      help: "Use Nesterov's momentum (sgd, momentum > 0)."),
        ParameterSpec(\.earlyStopping, "early_stopping", default: .bool(false), .bool, [.boolean],
                      help: "Hold out validation_fraction of the data and stop when its score stops improving (sgd, adam)."),
        ParameterSpec(\.validationFraction, "validation_fraction", default: .real(0.1), .real, [.real(.closed(0), .open(1))],
                      help: "Share of the training data held out for early stopping, in [0, 1)."),
        ParameterSpec(\.beta1, "beta_1", default: .real(0.9), .real, [.real(.closed(0), .open(1))],
                      help: "Adam's decay of the first-moment estimates, in [0, 1)."),
        ParameterSpec(\.beta2, "beta_2", default: .real(0.999), .real, [.real(.closed(0), .open(1))],
                      help: "Adam's decay of the second-moment estimates, in [0, 1)."),
        ParameterSpec(\.epsilon, "epsilon", default: .real(1e-8), .real, [.real(.open(0), .unbounded)],
                      help: "Adam's numerical-stability term."),
        ParameterSpec(\.nIterNoChange, "n_iter_no_change", default: .int(10), .intOrInfinity,
                      [.integer(.closed(1), .unbounded), .realOptions([.infinity])], valueName: "n|inf",
                      help: "Epochs without tol improvement before stopping (sgd, adam); inf never stops early."),
        ParameterSpec(\.maxFun, "max_fun", default: .int(15000), .int, [.integer(.closed(1), .unbounded)],
                      help: "Maximum loss-function evaluations (lbfgs)."),
        ParameterSpec(\.loss, "loss", default: .string("squared_error"), .choice, [.options(["squared_error", "poisson"])],
                      estimators: [.regressor], valueName: "name",
                      help: "Regression loss: squared_error (identity output) or poisson (exp output, y ≥ 0)."),
        ParameterSpec(\.classWeight, "class_weight", default: .none, .classWeight, [.options(["balanced"]), .dictionary, .none],
                      estimators: [.classifier], beyondScikitLearn: true, valueName: "balanced|LABEL=W,...",
                      help: "Weight of each class, multiplied into the sample weights: balanced, or LABEL=W pairs."),
        ParameterSpec(\.dropout, "dropout", default: .real(0), .real, [.real(.closed(0), .open(1))],
                      beyondScikitLearn: true, help: "Dropout rate on hidden-layer outputs during training, in [0, 1)."),
        ParameterSpec(\.restoreBestWeights, "restore_best_weights", default: .bool(false), .bool, [.boolean],
                      beyondScikitLearn: true,
                      help: "Without early stopping, end with the weights of the epoch with the lowest training loss."),
        ParameterSpec(\.stratifyValidationSplit, "stratify_validation_split", default: .none, .optionalBool, [.boolean, .none],
                      beyondScikitLearn: true,
                      help: "Stratify the early-stopping split for multiclass targets too (scikit-learn: binary only)."),
    ]

    /// The parameter named `name` in scikit-learn's form (`learning_rate_init`), lowerCamel or kebab-case.
    /// - Parameter name: the name in any of the three forms.
    /// - Returns: the parameter's spec, or nil for an unknown name.
    public static func spec(named name: String) -> ParameterSpec? {
        all.first { $0.sklearnName == name || $0.name == name || $0.flag == name }
    }

    /// The parameters `estimator` takes.
    /// - Parameter estimator: the classifier or the regressor.
    /// - Returns: their specs, in schema order.
    public static func specs(for estimator: MLPEstimator) -> [ParameterSpec] {
        all.filter { $0.estimators.contains(estimator) }
    }
}
