/// One optimizer step, ready to apply: its elementwise rule, this step's scalars and the optimizer's state.
/// `apply` runs over disjoint ranges of the flat parameter buffer, possibly from several threads at once, so
/// the training loop can update each block of parameters as soon as its gradient is finished.
public struct ParameterUpdate<Scalar: KernelFloat> {
    /// The state pointers (velocity, m, v) point into the optimizer's arrays, as long as the parameter buffer;
    /// they are valid only inside the `withUpdateStep` body that made this value, which must not keep it.
    @usableFromInline enum Rule {
        /// θ ← θ − η g
        case gradientDescent(learningRate: Scalar)
        /// scikit-learn's SGD: v ← μ v − η g; θ ← θ + (Nesterov ? μ v − η g : v)
        case momentum(velocity: UnsafeMutablePointer<Scalar>, momentum: Scalar, learningRate: Scalar, nesterov: Bool)
        /// scikit-learn's Adam: m ← β₁ m + (1 − β₁) g; v ← β₂ v + (1 − β₂) g²; θ ← θ − η_t m / (√v + ε)
        case adam(m: UnsafeMutablePointer<Scalar>, v: UnsafeMutablePointer<Scalar>, beta1: Scalar, beta2: Scalar,
                  oneMinusBeta1: Scalar, oneMinusBeta2: Scalar, negativeStep: Scalar, epsilon: Scalar)
    }
    @usableFromInline let rule: Rule

    @usableFromInline init(rule: Rule) { self.rule = rule }

    /// Updates parameters[range] from gradient[range] (and the state's same range).
    /// - Parameters:
    ///   - range: the indices to update; concurrent calls must use disjoint ranges.
    ///   - parameters: the start of the flat parameter buffer.
    ///   - gradient: the start of the flat gradient, in the same layout.
    @_specialize(where Scalar == Double)  // a caller in another module (MLPSeed) reaches the specialized path
    @_specialize(where Scalar == Float)
    public func apply(to range: Range<Int>, parameters: UnsafeMutablePointer<Scalar>, gradient: UnsafePointer<Scalar>) {
        apply(to: range, parameters: parameters, gradient: UnsafeMutablePointer(mutating: gradient), l2: nil)
    }

    /// Finishes the weight gradient of parameters[range], g = (g + alpha·θ) / normalizer (stored back), and
    /// updates them, in one sweep: bit for bit the separate passes.
    func applyFinishingWeightGradient(to range: Range<Int>, parameters: UnsafeMutablePointer<Scalar>,
                                      gradient: UnsafeMutablePointer<Scalar>, alpha: Scalar, normalizer: Scalar) {
        apply(to: range, parameters: parameters, gradient: gradient, l2: (alpha, normalizer))
    }

    @_specialize(where Scalar == Double)
    @_specialize(where Scalar == Float)
    private func apply(to range: Range<Int>, parameters: UnsafeMutablePointer<Scalar>,
                       gradient: UnsafeMutablePointer<Scalar>, l2: (alpha: Scalar, normalizer: Scalar)?) {
        let p = parameters + range.lowerBound, g = gradient + range.lowerBound, count = range.count
        guard count > 0 else { return }
        switch rule {
        case .gradientDescent(let eta):
            if let l2 { FusedPasses.finishWeightGradient(g, weights: p, count: count, alpha: l2.alpha, normalizer: l2.normalizer) }
            for i in 0..<count { p[i] -= eta * g[i] }
        case .momentum(let velocity, let mu, let eta, let nesterov):
            FusedPasses.sgd(p, gradient: g, velocity: velocity + range.lowerBound, count: count, momentum: mu,
                            learningRate: eta, nesterov: nesterov, l2: l2)
        case .adam(let m, let v, let b1, let b2, let c1, let c2, let negativeStep, let eps):
            FusedPasses.adam(p, gradient: g, m: m + range.lowerBound, v: v + range.lowerBound, count: count,
                             b1: b1, b2: b2, c1: c1, c2: c2, negativeStep: negativeStep, epsilon: eps, l2: l2)
        }
    }
}
