/// Loss functions, each paired with the delta it sends back into the output layer.
///
/// `value` is the loss summed over the rows (each row weighted by its sample weight) and summed over outputs;
/// callers divide by their normalizer (1 for the question's summed gradient, the sample count or weight sum for
/// scikit-learn's mean). The delta is the exact gradient of that value with respect to the output layer's
/// pre-activation, so a finite-difference check of any (activation, loss) pair passes.
public enum Loss: String, CaseIterable, Codable, Sendable {
    /// ½ Σ (ŷ − y)²: the question's squared error. Its update is the gradient of this half sum;
    /// the question prints Σ (y − ŷ)², twice this value.
    case sumOfSquares = "sum_of_squares"
    /// scikit-learn's `squared_error`: ½ (ŷ − y)² per element, averaged over samples.
    /// scikit-learn additionally divides the *reported* loss by the number of outputs while its gradient
    /// stays summed; `reportedScale(outputs:)` gives that factor.
    case squaredError = "squared_error"
    /// −[y log p + (1 − y) log(1 − p)] per output, p clipped to [ε, 1 − ε] (scikit-learn's `binary_log_loss`).
    case binaryLogLoss = "binary_log_loss"
    /// −Σ_k y_k log p_k, p clipped to [ε, 1 − ε] (scikit-learn's `log_loss`, for softmax outputs).
    case logLoss = "log_loss"
    /// Half Poisson deviance with constants kept: y log(y/ŷ) − y + ŷ (scikit-learn's `poisson`).
    case poisson

    /// The factor scikit-learn applies to the data term of the loss it reports: 1/K for multi-output squared error.
    public func reportedScale(outputs: Int) -> Double {
        self == .squaredError ? 1 / Double(outputs) : 1
    }

    /// Whether `delta = ŷ − y` is the exact gradient for this output activation (a canonical link).
    func isCanonical(for output: Activation) -> Bool {
        switch (self, output) {
        case (.sumOfSquares, .identity), (.squaredError, .identity), (.binaryLogLoss, .logistic),
             (.logLoss, .softmax), (.poisson, .exp):
            return true
        default:
            return false
        }
    }

    /// Computes the weighted loss summed over rows and outputs, and writes the output delta
    /// (the gradient of that sum with respect to the output pre-activation, times the row's weight).
    /// `rowLosses`, when given, receives each row's weighted loss; summing them in row order gives the result.
    // predicted, target, delta: (rows, outputs)  weights, rowLosses: (rows) or nil
    // preActivation: (rows, outputs) when needed
    // target: (rows, outputs), or (rows) class indices when `targetLayout` is `.classIndices`
    func valueAndOutputDelta<T: KernelFloat>(
        predicted: UnsafePointer<T>, target: UnsafePointer<T>, targetLayout: TargetLayout = .rows,
        weights: UnsafePointer<T>?, rows: Int, outputs: Int, activation: Activation, preActivation: UnsafePointer<T>?,
        delta: UnsafeMutablePointer<T>, rowLosses: UnsafeMutablePointer<T>? = nil
    ) -> T {
        if targetLayout == .classIndices {
            precondition(self == .logLoss && activation == .softmax, "class-index targets need softmax and log_loss")
            return classIndexLogLoss(predicted: predicted, classes: target, weights: weights, rows: rows,
                                     outputs: outputs, delta: delta, rowLosses: rowLosses)
        }
        let count = rows * outputs
        let eps = T.ulpOfOne
        // For a canonical pair the delta is ŷ − y (set below), so ∂L/∂ŷ is not needed.
        let canonical = isCanonical(for: activation)
        var total: T = 0
        for r in 0..<rows {
            let p = predicted + r * outputs, y = target + r * outputs, d = delta + r * outputs
            var rowLoss: T = 0
            switch self {
            case .sumOfSquares, .squaredError:
                for k in 0..<outputs {
                    rowLoss += (p[k] - y[k]) * (p[k] - y[k]) / 2
                    d[k] = p[k] - y[k]
                }
            case .binaryLogLoss:
                for k in 0..<outputs {
                    let clipped = Swift.min(Swift.max(p[k], eps), 1 - eps)
                    rowLoss -= xlogy(y[k], clipped) + xlogy(1 - y[k], 1 - clipped)
                    if !canonical { d[k] = (clipped - y[k]) / (clipped * (1 - clipped)) }
                }
            case .logLoss:
                for k in 0..<outputs {
                    let clipped = Swift.min(Swift.max(p[k], eps), 1 - eps)
                    rowLoss -= xlogy(y[k], clipped)
                    if !canonical { d[k] = -y[k] / clipped }
                }
            case .poisson:
                for k in 0..<outputs {
                    rowLoss += xlogy(y[k], y[k]) - xlogy(y[k], p[k]) - y[k] + p[k]
                    if !canonical { d[k] = 1 - y[k] / p[k] }
                }
            }
            let weighted = weights.map { $0[r] * rowLoss } ?? rowLoss
            rowLosses?[r] = weighted
            total += weighted
        }
        // delta now holds ∂L/∂ŷ; turn it into ∂L/∂(pre-activation).
        if canonical {
            for i in 0..<count { delta[i] = predicted[i] - target[i] }
        } else if activation == .softmax {
            for r in 0..<rows {
                let z = predicted + r * outputs, g = delta + r * outputs
                var dot: T = 0
                for k in 0..<outputs { dot += g[k] * z[k] }
                for k in 0..<outputs { g[k] = z[k] * (g[k] - dot) }
            }
        } else {
            activation.multiplyDerivative(delta, output: predicted, input: preActivation, count: count)
        }
        if let weights {
            for r in 0..<rows { for k in 0..<outputs { delta[r * outputs + k] *= weights[r] } }
        }
        return total
    }
}

extension Loss {
    /// `.logLoss` after softmax with the one-hot rows given as class indices: the same loss and delta bit for bit.
    /// Per row, every xlogy(0, p_k) term is +0 (NaN when p_k is NaN), so the row's loss is −log(clip(p_c)); the
    /// delta is p − onehot(c).
    private func classIndexLogLoss<T: KernelFloat>(
        predicted: UnsafePointer<T>, classes: UnsafePointer<T>, weights: UnsafePointer<T>?, rows: Int, outputs: Int,
        delta: UnsafeMutablePointer<T>, rowLosses: UnsafeMutablePointer<T>?
    ) -> T {
        let eps = T.ulpOfOne
        var total: T = 0
        for r in 0..<rows {
            let p = predicted + r * outputs, d = delta + r * outputs
            let c = classes[r].truncatedInt
            var nanCount = 0  // counted, not `||`-ed, so the loop vectorizes
            for k in 0..<outputs {
                nanCount &+= p[k].isNaN ? 1 : 0
                d[k] = p[k]
            }
            d[c] = p[c] - 1
            let rowLoss: T = nanCount > 0 ? .nan : 0 - T.log(Swift.min(Swift.max(p[c], eps), 1 - eps))
            let weighted = weights.map { $0[r] * rowLoss } ?? rowLoss
            rowLosses?[r] = weighted
            total += weighted
            if let weights { for k in 0..<outputs { d[k] *= weights[r] } }
        }
        return total
    }
}

/// x · log(y), with 0 · log(0) = 0 (scipy's `xlogy`).
@inline(__always)
func xlogy<T: KernelFloat>(_ x: T, _ y: T) -> T {
    x == 0 && !y.isNaN ? 0 : x * T.log(y)
}
