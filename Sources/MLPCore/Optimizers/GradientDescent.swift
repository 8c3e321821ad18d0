/// Plain gradient descent, the question's update:
///   θ ← θ − η g
public struct GradientDescent<Scalar: KernelFloat>: StochasticOptimizer {
    /// η, the step size.
    public var learningRate: Double

    /// - Parameter learningRate: η, the step size.
    public init(learningRate: Double) { self.learningRate = learningRate }

    /// Hands `body` the rule θ ← θ − η g.
    /// - Parameter body: receives this step's rule, valid only inside `body`.
    /// - Returns: what `body` returns.
    @inlinable
    public mutating func withUpdateStep<R>(_ body: (ParameterUpdate<Scalar>) throws -> R) rethrows -> R {
        try body(ParameterUpdate(rule: .gradientDescent(learningRate: Scalar(learningRate))))
    }
}
