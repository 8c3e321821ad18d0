/// Plain gradient descent, the question's update:
///   θ ← θ − η g
public struct GradientDescent<Scalar: KernelFloat>: StochasticOptimizer {
    public var learningRate: Double

    public init(learningRate: Double) { self.learningRate = learningRate }

    public mutating func withUpdateStep<R>(_ body: (ParameterUpdate<Scalar>) throws -> R) rethrows -> R {
        try body(ParameterUpdate(rule: .gradientDescent(learningRate: Scalar(learningRate))))
    }
}
