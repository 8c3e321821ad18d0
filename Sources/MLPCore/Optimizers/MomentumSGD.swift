/// Stochastic gradient descent with momentum, exactly scikit-learn's `SGDOptimizer.update_params`
/// (sklearn/neural_network/_stochastic_optimizers.py):
///   v ← μ v − η g
///   Δ ← μ v − η g   (Nesterov)   or   Δ ← v   (classical)
///   θ ← θ + Δ
/// With μ = 0 and no Nesterov this is plain SGD. Velocities start at zero.
public struct MomentumSGD<Scalar: KernelFloat>: StochasticOptimizer {
    public var learningRate: Double
    public var momentum: Double
    public var nesterov: Bool
    public private(set) var velocities: [Scalar]

    public init(parameterCount: Int, learningRate: Double, momentum: Double = 0.9, nesterov: Bool = true) {
        self.learningRate = learningRate
        self.momentum = momentum
        self.nesterov = nesterov
        self.velocities = [Scalar](repeating: 0, count: parameterCount)
    }

    public mutating func withUpdateStep<R>(_ body: (ParameterUpdate<Scalar>) throws -> R) rethrows -> R {
        let mu = Scalar(momentum), eta = Scalar(learningRate), nesterov = nesterov
        return try velocities.withUnsafeMutableBufferPointer { v in
            try body(ParameterUpdate(rule: .momentum(velocity: v.baseAddress!, momentum: mu, learningRate: eta,
                                                     nesterov: nesterov)))
        }
    }
}
