// The element types every kernel is written for: Float and Double.
// The library above is generic over `KernelFloat`; each requirement dispatches to a concrete,
// specialised kernel so that generic code never runs an element loop through a witness table.

/// Whether a GEMM operand is used as stored or transposed (BLAS `N`/`T`).
public enum Transpose: Sendable {
    case noTranspose
    case transpose
}

public protocol KernelFloat: BinaryFloatingPoint, SIMDScalar, Sendable, LosslessStringConvertible
where Self.RawSignificand: FixedWidthInteger {
    /// Row-major GEMM: C ← alpha·op(A)·op(B) + beta·C.
    /// op(A): (m, k)  op(B): (k, n)  C: (m, n). `lda`, `ldb`, `ldc` are row strides of the stored matrices.
    /// When beta is zero, C is not read (NaN in C does not propagate), as in BLAS.
    static func gemm(
        _ transA: Transpose, _ transB: Transpose,
        m: Int, n: Int, k: Int,
        alpha: Self, a: UnsafePointer<Self>, lda: Int,
        b: UnsafePointer<Self>, ldb: Int,
        beta: Self, c: UnsafeMutablePointer<Self>, ldc: Int)

    /// y[i] = exp(x[i]). `x` and `y` may be the same buffer.
    static func vectorExp(_ x: UnsafePointer<Self>, _ y: UnsafeMutablePointer<Self>, count: Int)
    /// y[i] = 1 / (1 + exp(-x[i])). `x` and `y` may be the same buffer.
    static func vectorLogistic(_ x: UnsafePointer<Self>, _ y: UnsafeMutablePointer<Self>, count: Int)
    /// y[i] = tanh(x[i]). `x` and `y` may be the same buffer.
    static func vectorTanh(_ x: UnsafePointer<Self>, _ y: UnsafeMutablePointer<Self>, count: Int)

    /// Fused bias + activation after a GEMM: c[i, j] = activation(c[i, j] + bias[j]) for a (rows, columns) block
    /// with row stride `ldc`. `bias` may be nil (activation only).
    /// c: (rows, columns)  bias: (columns)
    static func addBiasAndActivate(_ activation: KernelActivation, _ c: UnsafeMutablePointer<Self>, rows: Int, columns: Int,
                                   ldc: Int, bias: UnsafePointer<Self>?)

    /// Row-wise softmax in place, as scikit-learn's `softmax`: x -= max(row); x = exp(x); x /= sum(row).
    /// x: (rows, columns), row stride `ld`.
    static func softmaxRows(_ x: UnsafeMutablePointer<Self>, rows: Int, columns: Int, ld: Int)

    /// One Adam step over a flat parameter buffer, in scikit-learn's order. `learningRate` is the bias-corrected
    /// step, learning_rate_init · sqrt(1 - beta2^t) / (1 - beta1^t):
    ///   m = beta1·m + (1 - beta1)·g;  v = beta2·v + (1 - beta2)·g²;  p += (-learningRate·m) / (sqrt(v) + epsilon)
    static func adamUpdate(_ parameters: UnsafeMutablePointer<Self>, gradients: UnsafePointer<Self>,
                           firstMoments: UnsafeMutablePointer<Self>, secondMoments: UnsafeMutablePointer<Self>, count: Int,
                           learningRate: Self, beta1: Self, beta2: Self, epsilon: Self)

    /// One SGD step with momentum over a flat parameter buffer, as scikit-learn's SGDOptimizer:
    ///   velocity = momentum·velocity - learningRate·g;  p += velocity  (nesterov: p += momentum·velocity - learningRate·g)
    static func sgdUpdate(_ parameters: UnsafeMutablePointer<Self>, gradients: UnsafePointer<Self>,
                          velocities: UnsafeMutablePointer<Self>, count: Int, learningRate: Self, momentum: Self, nesterov: Bool)

    /// Scalar libm functions, so generic code can call them without Foundation overloads.
    static func exp(_ x: Self) -> Self
    static func log(_ x: Self) -> Self
    static func tanh(_ x: Self) -> Self
}

/// Activations the fused bias + activation pass applies (scikit-learn's `activation` names).
public enum KernelActivation: Int32, Sendable, CaseIterable {
    case identity = 0, logistic = 1, tanh = 2, relu = 3
}
