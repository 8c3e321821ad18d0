// The hyper-parameters of MLPClassifier / MLPRegressor: every scikit-learn 1.9 parameter with its
// default, named in lowerCamel (hidden_layer_sizes → hiddenLayerSizes), plus the options scikit-learn
// declined (marked "Beyond scikit-learn"). Validation mirrors `BaseMultilayerPerceptron._parameter_constraints`
// and words its errors as sklearn's `InvalidParameterError`.

/// `solver`: the weight optimizer.
public enum Solver: String, CaseIterable, Sendable, Codable {
    /// Quasi-Newton, full batch (scipy's L-BFGS-B in sklearn).
    case lbfgs
    /// Minibatch SGD with momentum / Nesterov and a learning-rate schedule.
    case sgd
    /// Adam (Kingma & Ba).
    case adam

    var isStochastic: Bool { self != .lbfgs }
}

/// `learning_rate`: the SGD step schedule.
public enum LearningRateSchedule: String, CaseIterable, Sendable, Codable {
    /// η = learningRateInit.
    case constant
    /// η = learningRateInit / (t + 1)^powerT at the end of each epoch, t = samples seen.
    case invscaling
    /// η ← η / 5 each time `nIterNoChange + 1` epochs fail to improve by `tol`; stops once η ≤ 1e-6.
    case adaptive
}

/// `loss` of MLPRegressor.
public enum RegressionLoss: String, CaseIterable, Sendable, Codable {
    /// Half squared error, identity output (`squared_error`).
    case squaredError = "squared_error"
    /// Half Poisson deviance, exp output (`poisson`); needs y ≥ 0.
    case poisson
}

/// Beyond scikit-learn: `class_weight` as in sklearn's other classifiers (sklearn issue 9113).
/// Each sample's weight is multiplied by its class weight.
public enum ClassWeight: Equatable, Sendable, Codable {
    /// n_samples / (n_classes · count(class)), counts weighted by sample_weight when given.
    case balanced
    /// An explicit weight per class; classes not listed keep weight 1.
    case perClass([ClassLabel: Double])
}

/// What an epoch callback returns.
public enum EpochAction: Sendable { case `continue`, stop }

/// The figures of one finished epoch, handed to `onEpoch`.
public struct EpochReport: Sendable {
    /// 1-based epoch number within this fit call (`n_iter_`).
    public var epoch: Int
    /// `maxIter` of the run (the CLI's progress-bar length).
    public var maxIter: Int
    /// Mean training loss of the epoch (the value appended to `lossCurve`).
    public var loss: Double
    /// Validation accuracy / R² (early stopping only).
    public var validationScore: Double?
    /// Validation loss (early stopping only), same formula as the training loss.
    public var validationLoss: Double?
    /// The learning rate used during the epoch (Adam: its last bias-corrected step).
    public var learningRate: Double
    /// Samples seen so far (`t_`).
    public var samplesSeen: Int
    /// Epochs without improvement so far.
    public var noImprovementCount: Int
}

/// The hyper-parameters shared by MLPClassifier and MLPRegressor. Defaults are scikit-learn 1.9's.
public struct MLPParameters: Sendable, Codable, Equatable {
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

    // Beyond scikit-learn.

    /// Without early stopping, restore the weights of the epoch with the lowest training loss at the end
    /// (with early stopping the best-validation weights are always restored, as in sklearn).
    public var restoreBestWeights: Bool = false
    /// Inverted dropout rate on hidden-layer outputs during training, in [0, 1); off at predict time (issue 6175).
    public var dropout: Double = 0
    /// Stratify the early-stopping split for multiclass targets too. sklearn stratifies only binary targets
    /// (its `n_outputs_ == 1` test sees the one-hot width); nil keeps sklearn's behaviour.
    public var stratifyValidationSplit: Bool? = nil

    public init() {}
}

// MARK: - Validation in sklearn's words

struct ParameterValidator {
    let estimator: String

    func fail(_ name: String, _ constraint: String, _ got: String) -> MLPError {
        .invalidParameter("The '\(name)' parameter of \(estimator) must be \(constraint). Got \(got) instead.")
    }

    /// Python's repr of a float: 1.0, -1.0, 1e-05, inf, nan.
    static func repr(_ v: Double) -> String {
        if v.isNaN { return "nan" }
        if v.isInfinite { return v > 0 ? "inf" : "-inf" }
        if v == v.rounded(), abs(v) < 1e16 { return String(printf: "%.1f", v) }
        return "\(v)"
    }

    enum Bound { case closed(Double), open(Double), none }

    func real(_ name: String, _ v: Double, _ low: Bound, _ high: Bound) throws {
        let lowText: String, highText: String
        var ok = !v.isNaN
        switch low {
        case .closed(let l): lowText = "[\(Self.repr(l))"; ok = ok && v >= l
        case .open(let l): lowText = "(\(Self.repr(l))"; ok = ok && v > l
        case .none: lowText = "(-inf"
        }
        switch high {
        case .closed(let h): highText = "\(Self.repr(h))]"; ok = ok && v <= h
        case .open(let h): highText = "\(Self.repr(h)))"; ok = ok && v < h
        case .none: highText = "inf)"; ok = ok && v < .infinity
        }
        if !ok { throw fail(name, "a float in the range \(lowText), \(highText)", Self.repr(v)) }
    }

    func integer(_ name: String, _ v: Int, atLeast low: Int, alternatives: String = "") throws {
        if v < low { throw fail(name, "\(alternatives)an int in the range [\(low), inf)", "\(v)") }
    }

    func validate(_ p: MLPParameters, regressor: Bool) throws {
        if p.hiddenLayerSizes.contains(where: { $0 <= 0 }) {
            throw MLPError.invalidParameter("hidden_layer_sizes must be > 0, got [\(p.hiddenLayerSizes.map(String.init).joined(separator: ", "))].")
        }
        if p.activation == .softmax || p.activation == .exp {
            throw fail("activation", "a str among {'identity', 'logistic', 'tanh', 'relu', 'leaky_relu', 'elu', 'gelu', 'silu', 'softplus'}",
                       "'\(p.activation.rawValue)'")
        }
        try real("alpha", p.alpha, .closed(0), .none)
        if let b = p.batchSize, b < 1 {
            throw fail("batch_size", "a str among {'auto'} or an int in the range [1, inf)", "\(b)")
        }
        try real("learning_rate_init", p.learningRateInit, .open(0), .none)
        try real("power_t", p.powerT, .closed(0), .none)
        try integer("max_iter", p.maxIter, atLeast: 1)
        if let seed = p.randomState, seed < 0 || seed > Int(UInt32.max) {
            throw MLPError.invalidParameter("The 'random_state' parameter of \(estimator) must be an int in the range [0, 4294967295] or None. Got \(seed) instead.")
        }
        try real("tol", p.tol, .closed(0), .none)
        try real("momentum", p.momentum, .closed(0), .closed(1))
        try real("validation_fraction", p.validationFraction, .closed(0), .open(1))
        try real("beta_1", p.beta1, .closed(0), .open(1))
        try real("beta_2", p.beta2, .closed(0), .open(1))
        try real("epsilon", p.epsilon, .open(0), .none)
        let n = p.nIterNoChange
        if !(n == .infinity || (n >= 1 && n == n.rounded())) {
            let got = n == n.rounded() && abs(n) < 1e15 ? String(Int(n)) : Self.repr(n)
            throw fail("n_iter_no_change", "an int in the range [1, inf) or a float among {inf}", got)
        }
        try integer("max_fun", p.maxFun, atLeast: 1)
        try real("dropout", p.dropout, .closed(0), .open(1))
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// MARK: - Setting a parameter from text (for the CLI and config files)

extension MLPParameters {
    /// Sets the parameter with scikit-learn name `name` (e.g. "learning_rate_init", also the lowerCamel
    /// or kebab-case form) from text, as a command line gives it. Unknown options are rejected in sklearn's
    /// words; range checks happen at fit (or call `validate(estimator:)`).
    /// The regressor's `loss` is set on MLPRegressor itself (`RegressionLoss(parsing:)`).
    public mutating func setValue(_ text: String, forParameter name: String, estimator: String = "MLPClassifier") throws {
        let key = Self.sklearnName(name)
        let v = ParameterValidator(estimator: estimator)
        func real() throws -> Double {
            let t = text.lowercased()
            if t == "inf" || t == "infinity" { return .infinity }
            if t == "nan" { return .nan }
            guard let d = Double(text) else { throw v.fail(key, "a float", "'\(text)'") }
            return d
        }
        func integer() throws -> Int {
            guard let i = Int(text) else { throw v.fail(key, "an int", "'\(text)'") }
            return i
        }
        func boolean() throws -> Bool {
            switch text.lowercased() {
            case "true", "1", "yes": return true
            case "false", "0", "no": return false
            default: throw v.fail(key, "an instance of 'bool'", "'\(text)'")
            }
        }
        func option<E: RawRepresentable & CaseIterable>(_: E.Type, allowed: [String]? = nil) throws -> E where E.RawValue == String {
            let names = allowed ?? E.allCases.map(\.rawValue)
            guard names.contains(text), let e = E(rawValue: text) else {
                throw v.fail(key, "a str among {\(names.map { "'\($0)'" }.joined(separator: ", "))}", "'\(text)'")
            }
            return e
        }
        switch key {
        case "hidden_layer_sizes":
            let parts = text.split(whereSeparator: { $0 == "," || $0 == " " || $0 == "(" || $0 == ")" || $0 == "[" || $0 == "]" })
            let sizes = parts.compactMap { Int($0) }
            guard sizes.count == parts.count else { throw v.fail(key, "an array-like or an int in the range [1, inf)", "'\(text)'") }
            hiddenLayerSizes = sizes
        case "activation":
            activation = try option(Activation.self, allowed: ["identity", "logistic", "tanh", "relu", "leaky_relu", "elu", "gelu", "silu", "softplus"])
        case "solver": solver = try option(Solver.self)
        case "alpha": alpha = try real()
        case "batch_size": batchSize = text == "auto" ? nil : try integer()
        case "learning_rate": learningRate = try option(LearningRateSchedule.self)
        case "learning_rate_init": learningRateInit = try real()
        case "power_t": powerT = try real()
        case "max_iter": maxIter = try integer()
        case "shuffle": shuffle = try boolean()
        case "random_state": randomState = text == "None" || text == "none" ? nil : try integer()
        case "tol": tol = try real()
        case "verbose": verbose = try boolean()
        case "warm_start": warmStart = try boolean()
        case "momentum": momentum = try real()
        case "nesterovs_momentum": nesterovsMomentum = try boolean()
        case "early_stopping": earlyStopping = try boolean()
        case "validation_fraction": validationFraction = try real()
        case "beta_1": beta1 = try real()
        case "beta_2": beta2 = try real()
        case "epsilon": epsilon = try real()
        case "n_iter_no_change": nIterNoChange = try real()
        case "max_fun": maxFun = try integer()
        case "restore_best_weights": restoreBestWeights = try boolean()
        case "dropout": dropout = try real()
        case "stratify_validation_split": stratifyValidationSplit = try boolean()
        default:
            throw MLPError.invalidParameter("\(estimator) has no parameter '\(name)'.")
        }
    }

    /// Checks every range, as fit does, with sklearn's messages.
    public func validate(estimator: String = "MLPClassifier") throws {
        try ParameterValidator(estimator: estimator).validate(self, regressor: estimator == "MLPRegressor")
    }

    /// "learningRateInit" / "learning-rate-init" / "learning_rate_init" → "learning_rate_init"; "beta1" → "beta_1".
    static func sklearnName(_ name: String) -> String {
        var out = ""
        for c in name {
            if c == "-" { out.append("_") }
            else if c.isUppercase { out.append("_"); out.append(contentsOf: c.lowercased()) }
            else if c.isNumber, let last = out.last, last.isLetter { out.append("_"); out.append(c) }
            else { out.append(c) }
        }
        return out
    }
}

extension RegressionLoss {
    /// Parses sklearn's name, rejecting others in sklearn's words.
    public init(parsing text: String) throws {
        guard let loss = RegressionLoss(rawValue: text) else {
            throw MLPError.invalidParameter("The 'loss' parameter of MLPRegressor must be a str among {'poisson', 'squared_error'}. Got '\(text)' instead.")
        }
        self = loss
    }
}
