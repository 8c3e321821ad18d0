/// An optimizer that updates a flat parameter buffer in place from a gradient of the same layout.
public protocol StochasticOptimizer<Scalar> {
    associatedtype Scalar: KernelFloat
    /// The current step size (scikit-learn's `learning_rate`; Adam reports its bias-corrected step).
    var learningRate: Double { get set }
    /// Starts one update (step counters, this step's scalars) and hands `body` the elementwise rule, valid only
    /// inside `body`. Applying it to every index exactly once is one `update`.
    mutating func withUpdateStep<R>(_ body: (ParameterUpdate<Scalar>) throws -> R) rethrows -> R
}

extension StochasticOptimizer {
    /// One update: θ ← θ + Δ(g). `parameters` and `gradient` have the same length.
    public mutating func update(_ parameters: UnsafeMutableBufferPointer<Scalar>, gradient: UnsafeBufferPointer<Scalar>) {
        precondition(parameters.count == gradient.count, "gradient and parameters differ in length")
        withUpdateStep { step in
            step.apply(to: 0..<parameters.count, parameters: parameters.baseAddress!, gradient: gradient.baseAddress!)
        }
    }

    /// Convenience over arrays.
    public mutating func update(_ parameters: inout [Scalar], gradient: [Scalar]) {
        precondition(parameters.count == gradient.count, "gradient and parameters differ in length")
        parameters.withUnsafeMutableBufferPointer { p in gradient.withUnsafeBufferPointer { g in update(p, gradient: g) } }
    }
}
