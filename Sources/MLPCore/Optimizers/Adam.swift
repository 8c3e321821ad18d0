#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Adam in scikit-learn's form (`AdamOptimizer.update_params`; Kingma & Ba 2014, section 2, the "efficient" variant
/// with ε outside the bias correction). t counts updates (minibatches), starting at 1:
///   m ← β₁ m + (1 − β₁) g
///   v ← β₂ v + (1 − β₂) g²
///   η_t ← η · √(1 − β₂ᵗ) / (1 − β₁ᵗ)
///   θ ← θ − η_t m / (√v + ε)
public struct Adam<Scalar: KernelFloat>: StochasticOptimizer {
    /// The initial step η (scikit-learn's `learning_rate_init`).
    public var learningRateInit: Double
    /// The bias-corrected step of the last update (scikit-learn's `learning_rate`).
    public var learningRate: Double
    /// β₁, the decay of the first moment (scikit-learn's `beta_1`).
    public var beta1: Double
    /// β₂, the decay of the second moment (`beta_2`).
    public var beta2: Double
    /// ε, added to √v for stability (`epsilon`).
    public var epsilon: Double
    /// t, the updates made so far (scikit-learn's `t`).
    public private(set) var timeStep = 0
    /// m, one per parameter (`ms`).
    public private(set) var firstMoments: [Scalar]
    /// v, one per parameter (`vs`).
    public private(set) var secondMoments: [Scalar]

    /// - Parameters:
    ///   - parameterCount: the length of the flat parameter buffer.
    ///   - learningRate: η (scikit-learn's `learning_rate_init`).
    ///   - beta1: β₁ (`beta_1`).
    ///   - beta2: β₂ (`beta_2`).
    ///   - epsilon: ε (`epsilon`).
    public init(parameterCount: Int, learningRate: Double = 0.001, beta1: Double = 0.9, beta2: Double = 0.999,
                epsilon: Double = 1e-8) {
        self.learningRateInit = learningRate
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.firstMoments = [Scalar](repeating: 0, count: parameterCount)
        self.secondMoments = [Scalar](repeating: 0, count: parameterCount)
    }

    /// Advances t, sets this step's bias-corrected η_t and hands `body` the elementwise rule.
    /// - Parameter body: receives this step's rule, valid only inside `body`.
    /// - Returns: what `body` returns.
    public mutating func withUpdateStep<R>(_ body: (ParameterUpdate<Scalar>) throws -> R) rethrows -> R {
        timeStep += 1
        learningRate = learningRateInit * (1 - pow(beta2, Double(timeStep))).squareRoot() / (1 - pow(beta1, Double(timeStep)))
        let b1 = Scalar(beta1), b2 = Scalar(beta2), c1 = Scalar(1 - beta1), c2 = Scalar(1 - beta2)
        let negativeStep = -Scalar(learningRate), eps = Scalar(epsilon)
        return try firstMoments.withUnsafeMutableBufferPointer { m in
            try secondMoments.withUnsafeMutableBufferPointer { v in
                try body(ParameterUpdate(rule: .adam(m: m.baseAddress!, v: v.baseAddress!, beta1: b1, beta2: b2,
                                                     oneMinusBeta1: c1, oneMinusBeta2: c2, negativeStep: negativeStep,
                                                     epsilon: eps)))
            }
        }
    }
}
