/// Plain gradient descent, the question's update:
///   θ ← θ − η g
public struct GradientDescent<Scalar: KernelFloat>: StochasticOptimizer {
    public var learningRate: Double

    public init(learningRate: Double) { self.learningRate = learningRate }

    @_specialize(where Scalar == Double)
    @_specialize(where Scalar == Float)
    public mutating func update(_ parameters: UnsafeMutableBufferPointer<Scalar>, gradient: UnsafeBufferPointer<Scalar>) {
        let eta = Scalar(learningRate)
        for i in parameters.indices { parameters[i] -= eta * gradient[i] }
    }
}
