#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Stochastic gradient descent with momentum, exactly scikit-learn's `SGDOptimizer`
/// (sklearn/neural_network/_stochastic_optimizers.py). `update_params`:
///   v ← μ v − η g
///   Δ ← μ v − η g   (Nesterov)   or   Δ ← v   (classical)
///   θ ← θ + Δ
/// With μ = 0 and no Nesterov this is plain SGD. Velocities start at zero. The learning-rate schedule:
///   invscaling, after each epoch:  η ← η₀ / (t + 1)^power_t,  t = samples seen
///   adaptive, when progress stalls: η ← η / 5, or stop once η ≤ 1e-6
public struct MomentumSGD<Scalar: KernelFloat>: StochasticOptimizer {
    /// η, the current step size (scikit-learn's `learning_rate`, moved by the schedule).
    public var learningRate: Double
    /// η₀, where the invscaling schedule starts (scikit-learn's `learning_rate_init`).
    public let learningRateInit: Double
    /// μ, scikit-learn's `momentum`.
    public var momentum: Double
    /// Nesterov's momentum rather than classical (`nesterovs_momentum`).
    public var nesterov: Bool
    /// scikit-learn's `learning_rate`: constant, invscaling or adaptive.
    public var schedule: LearningRateSchedule
    /// The exponent of the invscaling schedule (scikit-learn's `power_t`).
    public var powerT: Double
    /// v, one per parameter (scikit-learn's `velocities`).
    public private(set) var velocities: [Scalar]

    /// - Parameters:
    ///   - parameterCount: the length of the flat parameter buffer.
    ///   - learningRate: η₀ (scikit-learn's `learning_rate_init`).
    ///   - momentum: μ (`momentum`).
    ///   - nesterov: Nesterov's momentum (`nesterovs_momentum`).
    ///   - schedule: how η changes during training (`learning_rate`).
    ///   - powerT: the invscaling exponent (`power_t`).
    public init(parameterCount: Int, learningRate: Double, momentum: Double = 0.9, nesterov: Bool = true,
                schedule: LearningRateSchedule = .constant, powerT: Double = 0.5) {
        self.learningRate = learningRate
        self.learningRateInit = learningRate
        self.momentum = momentum
        self.nesterov = nesterov
        self.schedule = schedule
        self.powerT = powerT
        self.velocities = [Scalar](repeating: 0, count: parameterCount)
    }

    /// Hands `body` the momentum rule with this step's η and μ.
    /// - Parameter body: receives this step's rule, valid only inside `body`.
    /// - Returns: what `body` returns.
    public mutating func withUpdateStep<R>(_ body: (ParameterUpdate<Scalar>) throws -> R) rethrows -> R {
        let mu = Scalar(momentum), eta = Scalar(learningRate), nesterov = nesterov
        return try velocities.withUnsafeMutableBufferPointer { v in
            try body(ParameterUpdate(rule: .momentum(velocity: v.baseAddress!, momentum: mu, learningRate: eta,
                                                     nesterov: nesterov)))
        }
    }

    /// `SGDOptimizer.iteration_ends`: invscaling sets η = η₀ / (t + 1)^power_t.
    /// - Parameter t: samples seen so far (scikit-learn's `t_`).
    public mutating func iterationEnds(samplesSeen t: Int) {
        guard schedule == .invscaling else { return }
        learningRate = learningRateInit / pow(Double(t + 1), powerT)
    }

    /// `SGDOptimizer.trigger_stopping`: adaptive divides η by 5 instead of stopping, until η ≤ 1e-6.
    /// - Parameters:
    ///   - message: why training would stop, printed with the decision when `verbose`.
    ///   - verbose: print the decision (scikit-learn's `verbose`).
    /// - Returns: true to stop training, false after dividing η by 5.
    public mutating func triggerStopping(_ message: String, verbose: Bool) -> Bool {
        guard schedule == .adaptive else {
            if verbose { print(message + " Stopping.") }
            return true
        }
        if learningRate <= 1e-6 {
            if verbose { print(message + " Learning rate too small. Stopping.") }
            return true
        }
        learningRate /= 5.0
        if verbose { print(message + String(printf: " Setting learning rate to %f", learningRate)) }
        return false
    }
}
