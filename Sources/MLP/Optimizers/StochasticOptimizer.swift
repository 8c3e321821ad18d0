/// An optimizer that updates a flat parameter buffer in place from a gradient of the same layout.
public protocol StochasticOptimizer<Scalar> {
    associatedtype Scalar: KernelFloat
    /// The current step size (scikit-learn's `learning_rate`; Adam reports its bias-corrected step).
    var learningRate: Double { get set }
    /// One update: θ ← θ + Δ(g). `parameters` and `gradient` have the same length.
    mutating func update(_ parameters: UnsafeMutableBufferPointer<Scalar>, gradient: UnsafeBufferPointer<Scalar>)
}

extension StochasticOptimizer {
    /// Convenience over arrays.
    public mutating func update(_ parameters: inout [Scalar], gradient: [Scalar]) {
        precondition(parameters.count == gradient.count, "gradient and parameters differ in length")
        parameters.withUnsafeMutableBufferPointer { p in gradient.withUnsafeBufferPointer { g in update(p, gradient: g) } }
    }
}
