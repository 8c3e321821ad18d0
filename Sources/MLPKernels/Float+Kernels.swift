import CMLPKernels
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// The requirements that run a C kernel are written once for both element types: each forwards to the package entry
// point (KernelConfiguration.swift), which picks the Float or Double kernel by `T.self`. Inlinable, so a caller
// specialized for Float or Double calls that entry's specialization and the test folds away.
extension KernelFloat {
    /// Row-major GEMM, C ← alpha·op(A)·op(B) + beta·C, on the packed, multithreaded kernel (`mlp_sgemm`, `mlp_dgemm`);
    /// see ``KernelFloat/gemm(_:_:m:n:k:alpha:a:lda:b:ldb:beta:c:ldc:)``.
    ///
    /// - Parameters:
    ///   - transA: Whether A is used as stored or transposed.
    ///   - transB: Whether B is used as stored or transposed.
    ///   - m: Rows of op(A) and of C.
    ///   - n: Columns of op(B) and of C.
    ///   - k: Columns of op(A), rows of op(B).
    ///   - alpha: The factor of the product.
    ///   - a: A, stored row-major.
    ///   - lda: The row stride of the stored A.
    ///   - b: B, stored row-major.
    ///   - ldb: The row stride of the stored B.
    ///   - beta: The factor of C's previous contents; zero overwrites C.
    ///   - c: C, (m, n) row-major.
    ///   - ldc: The row stride of C.
    @inlinable
    public static func gemm(
        _ transA: Transpose, _ transB: Transpose, m: Int, n: Int, k: Int,
        alpha: Self, a: UnsafePointer<Self>, lda: Int, b: UnsafePointer<Self>, ldb: Int,
        beta: Self, c: UnsafeMutablePointer<Self>, ldc: Int
    ) {
        MLPKernels.gemm(transA, transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb, beta: beta,
                        c: c, ldc: ldc, options: GemmOptions())
    }
    /// y[i] = exp(x[i]) with the vectorized kernel of the best instruction set; `x` and `y` may be the same buffer.
    ///
    /// - Parameters:
    ///   - x: The input, `count` elements.
    ///   - y: The output, `count` elements; may be `x`.
    ///   - count: The number of elements.
    @inlinable
    public static func vectorExp(_ x: UnsafePointer<Self>, _ y: UnsafeMutablePointer<Self>, count: Int) {
        vectorMath(.exp, x, y, count: count)
    }
    /// y[i] = 1 / (1 + exp(-x[i])) with the vectorized kernel; `x` and `y` may be the same buffer.
    ///
    /// - Parameters:
    ///   - x: The input, `count` elements.
    ///   - y: The output, `count` elements; may be `x`.
    ///   - count: The number of elements.
    @inlinable
    public static func vectorLogistic(_ x: UnsafePointer<Self>, _ y: UnsafeMutablePointer<Self>, count: Int) {
        vectorMath(.logistic, x, y, count: count)
    }
    /// y[i] = tanh(x[i]) with the vectorized kernel; `x` and `y` may be the same buffer.
    ///
    /// - Parameters:
    ///   - x: The input, `count` elements.
    ///   - y: The output, `count` elements; may be `x`.
    ///   - count: The number of elements.
    @inlinable
    public static func vectorTanh(_ x: UnsafePointer<Self>, _ y: UnsafeMutablePointer<Self>, count: Int) {
        vectorMath(.tanh, x, y, count: count)
    }
    /// Softmax of each row of x: (rows, columns), row stride `ld`, in place.
    ///
    /// - Parameters:
    ///   - x: The matrix, (rows, columns) row-major; overwritten with the probabilities.
    ///   - rows: The number of rows.
    ///   - columns: The number of columns in each row.
    ///   - ld: The row stride of `x`.
    @inlinable
    public static func softmaxRows(_ x: UnsafeMutablePointer<Self>, rows: Int, columns: Int, ld: Int) {
        MLPKernels.softmaxRows(x, rows: rows, columns: columns, ld: ld)
    }
}

// What differs between the element types: the C library's overloads and the concrete conversion.
private func libmExp(_ x: Double) -> Double { exp(x) }
private func libmLog(_ x: Double) -> Double { log(x) }
private func libmTanh(_ x: Double) -> Double { tanh(x) }
private func libmExp(_ x: Float) -> Float { exp(x) }
private func libmLog(_ x: Float) -> Float { log(x) }
private func libmTanh(_ x: Float) -> Float { tanh(x) }

/// `Double` runs the double-precision kernels (`mlp_dgemm`, `mlp_vmath_f64`).
extension Double: KernelFloat {
    /// `Int(self)`, truncated toward zero, as one conversion instruction.
    public var truncatedInt: Int { Int(self) }
    /// e^x from the C library.
    public static func exp(_ x: Double) -> Double { libmExp(x) }
    /// The natural logarithm from the C library.
    public static func log(_ x: Double) -> Double { libmLog(x) }
    /// The hyperbolic tangent from the C library.
    public static func tanh(_ x: Double) -> Double { libmTanh(x) }
}

/// `Float` runs the single-precision kernels (`mlp_sgemm`, `mlp_vmath_f32`).
extension Float: KernelFloat {
    /// `Int(self)`, truncated toward zero, as one conversion instruction.
    public var truncatedInt: Int { Int(self) }
    /// e^x from the C library.
    public static func exp(_ x: Float) -> Float { libmExp(x) }
    /// The natural logarithm from the C library.
    public static func log(_ x: Float) -> Float { libmLog(x) }
    /// The hyperbolic tangent from the C library.
    public static func tanh(_ x: Float) -> Float { libmTanh(x) }
}

extension Transpose {
    var flag: Int32 { self == .transpose ? 1 : 0 }
}
