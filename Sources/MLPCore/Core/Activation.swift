#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Activation functions. The hidden layers share one; the output layer has its own
/// (scikit-learn's `out_activation_`: identity, logistic, softmax or exp).
///
/// As in scikit-learn, derivatives are written in terms of the layer's output Z wherever possible,
/// so backprop needs no second buffer. `gelu` and `silu` cannot be inverted that way and keep the input too.
public enum Activation: String, CaseIterable, Codable, Sendable {
    /// f(x) = x (scikit-learn's `identity`).
    case identity
    /// f(x) = 1 / (1 + e⁻ˣ) (scikit-learn's `logistic`).
    case logistic
    /// f(x) = tanh(x) (scikit-learn's `tanh`).
    case tanh
    /// f(x) = max(x, 0) (scikit-learn's `relu`).
    case relu
    /// f(x) = x for x ≥ 0, `leakySlope` · x below; beyond scikit-learn.
    case leakyRelu = "leaky_relu"
    /// f(x) = x for x ≥ 0, eˣ − 1 below; beyond scikit-learn.
    case elu
    /// f(x) = x · Φ(x), Φ the standard normal CDF (the exact erf form); beyond scikit-learn.
    case gelu
    /// f(x) = x · σ(x) = x / (1 + e⁻ˣ); beyond scikit-learn.
    case silu
    /// f(x) = log(1 + eˣ); beyond scikit-learn.
    case softplus
    /// exp(x_k) / Σ_j exp(x_j) over each row; output layer only (scikit-learn's multiclass `out_activation_`).
    case softmax
    /// f(x) = eˣ; output layer only (scikit-learn's `out_activation_` for the Poisson loss).
    case exp

    /// The activations scikit-learn accepts for hidden layers.
    public static let scikitLearnHidden: [Activation] = [.identity, .logistic, .tanh, .relu]
    /// Slope of leaky ReLU for negative inputs (PyTorch's default).
    public static let leakySlope = 0.01

    /// Whether the derivative needs the pre-activation input, not just the output.
    public var derivativeNeedsInput: Bool { self == .gelu || self == .silu }

    /// Whether the activation acts on each element alone (softmax mixes a row).
    public var isElementwise: Bool { self != .softmax }

    /// Whether the GEMM that computes a layer's pre-activations can finish the layer as it stores each tile:
    /// add the bias and apply this activation forward (`forwardEpilogue`), and multiply the delta by its
    /// derivative backward (`derivativeEpilogue`). Saves one pass over the layer's outputs each way.
    var fusesIntoGemm: Bool { self == .identity || self == .relu }

    /// The epilogue that adds `bias` and applies this activation, for the activations that fuse into the GEMM.
    // bias: (columns of C)
    func forwardEpilogue<T>(bias: UnsafePointer<T>) -> GemmEpilogue<T>? {
        switch self {
        case .identity: GemmEpilogue(bias: bias)
        case .relu: GemmEpilogue(bias: bias, relu: true)
        default: nil
        }
    }

    /// The epilogue that multiplies the delta by this activation's derivative given the outputs `z`, for the
    /// activations that fuse into the GEMM; nil for identity, whose derivative is 1.
    // z: (rows of C, columns of C) with row stride `stride`
    func derivativeEpilogue<T>(output z: UnsafePointer<T>, stride: Int) -> GemmEpilogue<T>? {
        self == .relu ? GemmEpilogue(reluOutput: z, reluOutputStride: stride) : nil
    }

    /// Applies the activation in place. `values` holds `rows × columns` pre-activations; on return, outputs.
    // values: (rows, columns)
    func apply<T: KernelFloat>(_ values: UnsafeMutablePointer<T>, rows: Int, columns: Int) {
        let count = rows * columns
        switch self {
        case .identity:
            break
        case .logistic:
            T.vectorLogistic(values, values, count: count)
        case .tanh:
            T.vectorTanh(values, values, count: count)
        case .relu:
            // Swift.max(x, 0) keeps NaN (as np.maximum) and compiles to a branch-free vector select.
            for i in 0..<count { values[i] = Swift.max(values[i], 0) }
        case .leakyRelu:
            let slope = T(Activation.leakySlope)
            for i in 0..<count where values[i] < 0 { values[i] *= slope }
        case .elu:
            for i in 0..<count where values[i] < 0 { values[i] = T.exp(values[i]) - 1 }
        case .gelu:
            for i in 0..<count {
                let x = Double(values[i])
                values[i] = T(0.5 * x * (1 + erf(x / 2.0.squareRoot())))
            }
        case .silu:
            for i in 0..<count {
                let x = values[i]
                values[i] = x / (1 + T.exp(-x))
            }
        case .softplus:
            // log(1 + e^x) = max(x, 0) + log(1 + e^-|x|), stable for large |x|.
            for i in 0..<count {
                let x = values[i]
                values[i] = Swift.max(x, 0) + T.log(1 + T.exp(-Swift.abs(x)))
            }
        case .softmax:
            // Row by row: x − max, exp, divided by the row's sum taken in order (one C pass over the batch).
            T.softmaxRows(values, rows: rows, columns: columns, ld: columns)
        case .exp:
            T.vectorExp(values, values, count: count)
        }
    }

    /// Multiplies `delta` by the derivative, given the outputs `z` (and the inputs `x` where needed).
    /// Softmax is not elementwise: the caller multiplies by its Jacobian (see `Loss.valueAndOutputDelta`).
    /// Relu, logistic and tanh take the vectorized passes of `FusedPasses`, where their formulas are written.
    // delta, z, x: (count)
    package func multiplyDerivative<T: KernelFloat>(
        _ delta: UnsafeMutablePointer<T>, output z: UnsafePointer<T>, input x: UnsafePointer<T>?, count: Int
    ) {
        switch self {
        case .identity:
            break
        case .logistic:
            FusedPasses.multiplyDerivative(.logistic, delta, output: z, count: count)  // z (1 − z)
        case .tanh:
            FusedPasses.multiplyDerivative(.tanh, delta, output: z, count: count)  // 1 − z²
        case .relu:
            FusedPasses.multiplyDerivative(.relu, delta, output: z, count: count)  // z == 0 ? 0 : 1
        case .leakyRelu:
            let slope = T(Activation.leakySlope)
            for i in 0..<count where z[i] < 0 { delta[i] *= slope }
        case .elu:
            for i in 0..<count where z[i] < 0 { delta[i] *= z[i] + 1 }
        case .gelu:
            for i in 0..<count {
                let v = Double(x![i])
                let cdf = 0.5 * (1 + erf(v / 2.0.squareRoot()))
                let pdf = Double.exp(-0.5 * v * v) / (2 * Double.pi).squareRoot()
                delta[i] *= T(cdf + v * pdf)
            }
        case .silu:
            for i in 0..<count {
                let sigma = 1 / (1 + T.exp(-x![i]))
                delta[i] *= sigma * (1 + x![i] * (1 - sigma))
            }
        case .softplus:
            // f'(x) = σ(x) = 1 − e^{−z}
            for i in 0..<count { delta[i] *= 1 - T.exp(-z[i]) }
        case .softmax:
            preconditionFailure("softmax has no elementwise derivative; use its Jacobian")
        case .exp:
            for i in 0..<count { delta[i] *= z[i] }
        }
    }
}
