// The element types every kernel is written for: Float and Double.
// The library above is generic over `KernelFloat`; each requirement dispatches to a concrete,
// specialised kernel so that generic code never runs an element loop through a witness table.

/// Whether a GEMM operand is used as stored or transposed (BLAS `N`/`T`).
public enum Transpose: Sendable {
    /// Use the operand as stored (BLAS `N`).
    case noTranspose
    /// Use the operand's transpose (BLAS `T`): a stored (k, m) matrix is read as (m, k).
    case transpose
}

/// A floating-point element type the kernels are written for: `Float` or `Double`.
///
/// Every estimator and core type is generic over `KernelFloat`. Each requirement dispatches to a concrete kernel
/// for its element type, so generic code never runs an element loop through a witness table.
public protocol KernelFloat: BinaryFloatingPoint, SIMDScalar, Sendable, LosslessStringConvertible, Codable
where Self.RawSignificand: FixedWidthInteger {
    /// Row-major GEMM: C ← alpha·op(A)·op(B) + beta·C.
    /// op(A): (m, k)  op(B): (k, n)  C: (m, n). `lda`, `ldb`, `ldc` are row strides of the stored matrices.
    /// When beta is zero, C is not read (NaN in C does not propagate), as in BLAS. Large products run on
    /// ``KernelConfiguration/threadCount`` threads with the same bits as on one.
    ///
    /// - Parameters:
    ///   - transA: Whether A is used as stored or transposed.
    ///   - transB: Whether B is used as stored or transposed.
    ///   - m: Rows of op(A) and of C.
    ///   - n: Columns of op(B) and of C.
    ///   - k: Columns of op(A), rows of op(B): the length of each dot product.
    ///   - alpha: The factor of the product.
    ///   - a: A, stored row-major: (m, k) as stored, or (k, m) when `transA` is `.transpose`.
    ///   - lda: The row stride of the stored A, at least its column count.
    ///   - b: B, stored row-major: (k, n) as stored, or (n, k) when `transB` is `.transpose`.
    ///   - ldb: The row stride of the stored B, at least its column count.
    ///   - beta: The factor of C's previous contents; zero overwrites C.
    ///   - c: C, (m, n) row-major; overwritten with the result.
    ///   - ldc: The row stride of C, at least n.
    static func gemm(
        _ transA: Transpose, _ transB: Transpose,
        m: Int, n: Int, k: Int,
        alpha: Self, a: UnsafePointer<Self>, lda: Int,
        b: UnsafePointer<Self>, ldb: Int,
        beta: Self, c: UnsafeMutablePointer<Self>, ldc: Int)

    /// y[i] = exp(x[i]). `x` and `y` may be the same buffer.
    ///
    /// - Parameters:
    ///   - x: The input, `count` elements.
    ///   - y: The output, `count` elements; may be `x`.
    ///   - count: The number of elements.
    static func vectorExp(_ x: UnsafePointer<Self>, _ y: UnsafeMutablePointer<Self>, count: Int)
    /// y[i] = 1 / (1 + exp(-x[i])). `x` and `y` may be the same buffer.
    ///
    /// - Parameters:
    ///   - x: The input, `count` elements.
    ///   - y: The output, `count` elements; may be `x`.
    ///   - count: The number of elements.
    static func vectorLogistic(_ x: UnsafePointer<Self>, _ y: UnsafeMutablePointer<Self>, count: Int)
    /// y[i] = tanh(x[i]). `x` and `y` may be the same buffer.
    ///
    /// - Parameters:
    ///   - x: The input, `count` elements.
    ///   - y: The output, `count` elements; may be `x`.
    ///   - count: The number of elements.
    static func vectorTanh(_ x: UnsafePointer<Self>, _ y: UnsafeMutablePointer<Self>, count: Int)

    /// Row-wise softmax in place, as scikit-learn's `softmax`: x -= max(row); x = exp(x); x /= sum(row).
    ///
    /// - Parameters:
    ///   - x: The matrix, (rows, columns) row-major; overwritten with the probabilities.
    ///   - rows: The number of rows.
    ///   - columns: The number of columns (classes) in each row.
    ///   - ld: The row stride of `x`, at least `columns`.
    static func softmaxRows(_ x: UnsafeMutablePointer<Self>, rows: Int, columns: Int, ld: Int)

    /// `Int(self)`, truncated toward zero. Generic code calling `Int(x)` gets the generic conversion (bit by bit,
    /// about 20 ns) even when specialized; this is the concrete one instruction.
    var truncatedInt: Int { get }

    /// e^x from the C library, so generic code can call it without Foundation's overloads.
    ///
    /// - Parameter x: The argument.
    /// - Returns: e^x, as the platform's C library computes it.
    static func exp(_ x: Self) -> Self
    /// The natural logarithm of `x` from the C library.
    ///
    /// - Parameter x: The argument.
    /// - Returns: ln x, as the platform's C library computes it.
    static func log(_ x: Self) -> Self
    /// The hyperbolic tangent of `x` from the C library.
    ///
    /// - Parameter x: The argument.
    /// - Returns: tanh x, as the platform's C library computes it.
    static func tanh(_ x: Self) -> Self
}

