/// An optimizer that updates a flat parameter buffer in place from a gradient of the same layout, with
/// scikit-learn's end-of-epoch hooks (`BaseOptimizer.iteration_ends`, `trigger_stopping`).
public protocol StochasticOptimizer<Scalar> {
    /// The element type of the parameters and gradients it updates.
    associatedtype Scalar: KernelFloat
    /// The current step size (scikit-learn's `learning_rate`; Adam reports its bias-corrected step).
    var learningRate: Double { get set }
    /// Starts one update (step counters, this step's scalars) and hands `body` the elementwise rule, valid only
    /// inside `body`. Applying it to every index exactly once is one `update`.
    /// - Parameter body: receives this step's rule, valid only inside `body`.
    /// - Returns: what `body` returns.
    mutating func withUpdateStep<R>(_ body: (ParameterUpdate<Scalar>) throws -> R) rethrows -> R
    /// Called after each epoch with the samples seen so far: where a learning-rate schedule moves.
    /// - Parameter samplesSeen: scikit-learn's `t_`, every sample of every epoch so far.
    mutating func iterationEnds(samplesSeen: Int)
    /// Called when the loss or validation score stopped improving: returns true to stop training, or false after
    /// adapting the optimizer (and training goes on).
    /// - Parameters:
    ///   - message: why training would stop, printed when `verbose`.
    ///   - verbose: print the decision (scikit-learn's `verbose`).
    /// - Returns: true to stop training.
    mutating func triggerStopping(_ message: String, verbose: Bool) -> Bool
}

extension StochasticOptimizer {
    /// No schedule: the step size stays as it is.
    /// - Parameter samplesSeen: scikit-learn's `t_` (unused).
    public mutating func iterationEnds(samplesSeen: Int) {}

    /// Stops (scikit-learn's `BaseOptimizer.trigger_stopping`).
    /// - Parameters:
    ///   - message: why training stops, printed with " Stopping." when `verbose`.
    ///   - verbose: print the message.
    /// - Returns: true.
    public mutating func triggerStopping(_ message: String, verbose: Bool) -> Bool {
        if verbose { print(message + " Stopping.") }
        return true
    }

    /// One update: θ ← θ + Δ(g). `parameters` and `gradient` have the same length.
    /// - Parameters:
    ///   - parameters: θ, the flat parameter buffer, updated in place.
    ///   - gradient: g, in the layout of `parameters`.
    @inlinable  // specialized in callers outside MLPCore (MLPSeed): no generic metadata lookups per update
    public mutating func update(_ parameters: UnsafeMutableBufferPointer<Scalar>, gradient: UnsafeBufferPointer<Scalar>) {
        precondition(parameters.count == gradient.count, "gradient and parameters differ in length")
        withUpdateStep { step in
            step.apply(to: 0..<parameters.count, parameters: parameters.baseAddress!, gradient: gradient.baseAddress!)
        }
    }

    /// One update of a parameter array: θ ← θ + Δ(g).
    /// - Parameters:
    ///   - parameters: θ, updated in place.
    ///   - gradient: g, as long as `parameters`.
    public mutating func update(_ parameters: inout [Scalar], gradient: [Scalar]) {
        precondition(parameters.count == gradient.count, "gradient and parameters differ in length")
        parameters.withUnsafeMutableBufferPointer { p in gradient.withUnsafeBufferPointer { g in update(p, gradient: g) } }
    }
}
