import CMLPKernels

// Generic fronts for the vectorized training passes in CMLPKernels/training_passes.c. In code specialized for
// Float or Double the type test folds away; any other KernelFloat would take the scalar fallback.
// Each C pass computes exactly the scalar expression written in its fallback (no FMA), so results do not
// depend on which path or instruction set ran. Each front is pre-specialized and exported for Float and Double, so
// MLPCore's specialized training loop calls the concrete front (a package declaration's `@inlinable` body is not
// inlined into another module, and the generic entry would look up type metadata on every call).
//
// The casts below reinterpret a pointer to T as one to Double (or Float); they are called only after a
// `T.self == Double.self` (or Float) test, so the memory is bound to that type already.

@inline(__always)
private func rebound<T, U>(_ p: UnsafeMutablePointer<T>, to _: U.Type) -> UnsafeMutablePointer<U> {
    UnsafeMutableRawPointer(p).assumingMemoryBound(to: U.self)
}
@inline(__always)
private func rebound<T, U>(_ p: UnsafePointer<T>, to _: U.Type) -> UnsafePointer<U> {
    UnsafeRawPointer(p).assumingMemoryBound(to: U.self)
}

/// The elementwise derivatives with a vectorized pass, each a function of the layer's output z (as scikit-learn
/// writes them), so the pass needs no second buffer.
package enum OutputDerivative: Sendable {
    /// f'(z) = z == 0 ? 0 : 1
    case relu
    /// f'(z) = z (1 − z)
    case logistic
    /// f'(z) = 1 − z²
    case tanh
}

/// The training loop's elementwise passes: bias, derivatives, gathers, column sums and the optimizer steps.
package enum FusedPasses {
    /// c[r, j] = c[r, j] + bias[j], then ReLU when `relu`.   c: (rows, columns)
    @_specialize(exported: true, where T == Float)
    @_specialize(exported: true, where T == Double)
    package static func addBias<T: KernelFloat>(_ c: UnsafeMutablePointer<T>, _ bias: UnsafePointer<T>, rows: Int,
                                        columns: Int, relu: Bool) {
        if T.self == Double.self {
            mlp_bias_activation_f64(rebound(c, to: Double.self), rebound(bias, to: Double.self), rows, columns, relu ? 1 : 0)
        } else if T.self == Float.self {
            mlp_bias_activation_f32(rebound(c, to: Float.self), rebound(bias, to: Float.self), rows, columns, relu ? 1 : 0)
        } else {
            for r in 0..<rows {
                for j in 0..<columns {
                    let x = c[r * columns + j] + bias[j]
                    c[r * columns + j] = relu && x < 0 ? 0 : x
                }
            }
        }
    }

    /// delta[i] = delta[i] · f'(z[i]) for one of the derivatives with a vectorized pass.   delta, z: (count)
    @_specialize(exported: true, where T == Float)
    @_specialize(exported: true, where T == Double)
    package static func multiplyDerivative<T: KernelFloat>(_ derivative: OutputDerivative,
                                                           _ delta: UnsafeMutablePointer<T>,
                                                           output z: UnsafePointer<T>, count: Int) {
        if T.self == Double.self {
            switch derivative {
            case .relu: mlp_relu_backward_f64(rebound(delta, to: Double.self), rebound(z, to: Double.self), count)
            case .logistic: mlp_logistic_backward_f64(rebound(delta, to: Double.self), rebound(z, to: Double.self), count)
            case .tanh: mlp_tanh_backward_f64(rebound(delta, to: Double.self), rebound(z, to: Double.self), count)
            }
        } else if T.self == Float.self {
            switch derivative {
            case .relu: mlp_relu_backward_f32(rebound(delta, to: Float.self), rebound(z, to: Float.self), count)
            case .logistic: mlp_logistic_backward_f32(rebound(delta, to: Float.self), rebound(z, to: Float.self), count)
            case .tanh: mlp_tanh_backward_f32(rebound(delta, to: Float.self), rebound(z, to: Float.self), count)
            }
        } else {
            switch derivative {
            case .relu: for i in 0..<count { delta[i] = z[i] == 0 ? 0 : delta[i] }
            case .logistic: for i in 0..<count { delta[i] = delta[i] * (z[i] * (1 - z[i])) }
            case .tanh: for i in 0..<count { delta[i] = delta[i] * (1 - z[i] * z[i]) }
            }
        }
    }

    /// Row r of dst = row rows[r] of src, for r < count; rows of `width` elements stored contiguously.
    @_specialize(exported: true, where T == Float)
    @_specialize(exported: true, where T == Double)
    package static func gatherRows<T: KernelFloat>(_ dst: UnsafeMutablePointer<T>, from src: UnsafePointer<T>, width: Int,
                                           rows: UnsafePointer<Int>, count: Int) {
        if T.self == Double.self {
            mlp_gather_rows_f64(rebound(dst, to: Double.self), rebound(src, to: Double.self), width, rows, count)
        } else if T.self == Float.self {
            mlp_gather_rows_f32(rebound(dst, to: Float.self), rebound(src, to: Float.self), width, rows, count)
        } else {
            for r in 0..<count { (dst + r * width).update(from: src + rows[r] * width, count: width) }
        }
    }

    /// out[j] = Σ_r m[r, j] / normalizer.   m: (rows, columns), row stride `ld`
    @_specialize(exported: true, where T == Float)
    @_specialize(exported: true, where T == Double)
    package static func columnSums<T: KernelFloat>(_ m: UnsafePointer<T>, rows: Int, columns: Int, ld: Int, normalizer: T,
                                           into out: UnsafeMutablePointer<T>) {
        if T.self == Double.self {
            mlp_column_sums_f64(rebound(m, to: Double.self), rows, columns, ld, Double(normalizer), rebound(out, to: Double.self))
        } else if T.self == Float.self {
            mlp_column_sums_f32(rebound(m, to: Float.self), rows, columns, ld, Float(normalizer), rebound(out, to: Float.self))
        } else {
            for j in 0..<columns { out[j] = 0 }
            for r in 0..<rows { for j in 0..<columns { out[j] += m[r * ld + j] } }
            for j in 0..<columns { out[j] /= normalizer }
        }
    }

    /// g[i] = (g[i] + alpha · w[i]) / normalizer
    @_specialize(exported: true, where T == Float)
    @_specialize(exported: true, where T == Double)
    package static func finishWeightGradient<T: KernelFloat>(_ g: UnsafeMutablePointer<T>, weights w: UnsafePointer<T>,
                                                     count: Int, alpha: T, normalizer: T) {
        if T.self == Double.self {
            mlp_weight_gradient_f64(rebound(g, to: Double.self), rebound(w, to: Double.self), count, Double(alpha), Double(normalizer))
        } else if T.self == Float.self {
            mlp_weight_gradient_f32(rebound(g, to: Float.self), rebound(w, to: Float.self), count, Float(alpha), Float(normalizer))
        } else {
            for i in 0..<count { g[i] = (g[i] + alpha * w[i]) / normalizer }
        }
    }

    /// One Adam step in scikit-learn's form over the flat buffers. With `l2`, the weight gradient is finished first
    /// in the same sweep: g = (g + alpha·p) / normalizer, stored back into g.
    @_specialize(exported: true, where T == Float)
    @_specialize(exported: true, where T == Double)
    package static func adam<T: KernelFloat>(_ p: UnsafeMutablePointer<T>, gradient g: UnsafeMutablePointer<T>,
                                     m: UnsafeMutablePointer<T>, v: UnsafeMutablePointer<T>, count: Int,
                                     b1: T, b2: T, c1: T, c2: T, negativeStep: T, epsilon: T,
                                     l2: (alpha: T, normalizer: T)? = nil) {
        let alpha = l2?.alpha ?? 0, normalizer = l2?.normalizer ?? 1, flag: Int32 = l2 == nil ? 0 : 1
        if T.self == Double.self {
            mlp_adam_f64(rebound(p, to: Double.self), rebound(g, to: Double.self), rebound(m, to: Double.self), rebound(v, to: Double.self), count, Double(b1), Double(b2), Double(c1),
                         Double(c2), Double(negativeStep), Double(epsilon), flag, Double(alpha), Double(normalizer))
        } else if T.self == Float.self {
            mlp_adam_f32(rebound(p, to: Float.self), rebound(g, to: Float.self), rebound(m, to: Float.self), rebound(v, to: Float.self), count, Float(b1), Float(b2), Float(c1),
                         Float(c2), Float(negativeStep), Float(epsilon), flag, Float(alpha), Float(normalizer))
        } else {
            if l2 != nil { finishWeightGradient(g, weights: p, count: count, alpha: alpha, normalizer: normalizer) }
            for i in 0..<count {
                m[i] = b1 * m[i] + c1 * g[i]
                v[i] = b2 * v[i] + c2 * (g[i] * g[i])
                p[i] += negativeStep * m[i] / (v[i].squareRoot() + epsilon)
            }
        }
    }

    /// One SGD step in scikit-learn's form (classical or Nesterov momentum); `l2` as for `adam`.
    @_specialize(exported: true, where T == Float)
    @_specialize(exported: true, where T == Double)
    package static func sgd<T: KernelFloat>(_ p: UnsafeMutablePointer<T>, gradient g: UnsafeMutablePointer<T>,
                                    velocity v: UnsafeMutablePointer<T>, count: Int, momentum mu: T,
                                    learningRate eta: T, nesterov: Bool, l2: (alpha: T, normalizer: T)? = nil) {
        let alpha = l2?.alpha ?? 0, normalizer = l2?.normalizer ?? 1, flag: Int32 = l2 == nil ? 0 : 1
        if T.self == Double.self {
            mlp_sgd_f64(rebound(p, to: Double.self), rebound(g, to: Double.self), rebound(v, to: Double.self), count, Double(mu), Double(eta), nesterov ? 1 : 0, flag,
                        Double(alpha), Double(normalizer))
        } else if T.self == Float.self {
            mlp_sgd_f32(rebound(p, to: Float.self), rebound(g, to: Float.self), rebound(v, to: Float.self), count, Float(mu), Float(eta), nesterov ? 1 : 0, flag,
                        Float(alpha), Float(normalizer))
        } else {
            if l2 != nil { finishWeightGradient(g, weights: p, count: count, alpha: alpha, normalizer: normalizer) }
            for i in 0..<count {
                v[i] = mu * v[i] - eta * g[i]
                p[i] += nesterov ? mu * v[i] - eta * g[i] : v[i]
            }
        }
    }

    /// Σ x[i]², with several accumulators (the order differs from a sequential sum; it is fixed, so deterministic).
    @_specialize(exported: true, where T == Float)
    @_specialize(exported: true, where T == Double)
    package static func sumOfSquares<T: KernelFloat>(_ x: UnsafePointer<T>, count: Int) -> T {
        if T.self == Double.self { return T(mlp_sum_squares_f64(rebound(x, to: Double.self), count)) }
        if T.self == Float.self { return T(mlp_sum_squares_f32(rebound(x, to: Float.self), count)) }
        var sum: T = 0
        for i in 0..<count { sum += x[i] * x[i] }
        return sum
    }
}
