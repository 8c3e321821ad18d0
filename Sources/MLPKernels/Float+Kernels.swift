import CMLPKernels
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// Concrete conformances: each requirement forwards to the C kernels for its element type.

// The C library's functions, named apart from the static requirements that call them.
private func libmExp(_ x: Double) -> Double { exp(x) }
private func libmLog(_ x: Double) -> Double { log(x) }
private func libmTanh(_ x: Double) -> Double { tanh(x) }
private func libmExp(_ x: Float) -> Float { exp(x) }
private func libmLog(_ x: Float) -> Float { log(x) }
private func libmTanh(_ x: Float) -> Float { tanh(x) }

/// `Double` runs the double-precision kernels (`mlp_dgemm`, `mlp_vmath_f64`).
extension Double: KernelFloat {
    /// Row-major GEMM, C ← alpha·op(A)·op(B) + beta·C, on the packed, multithreaded kernel; see ``KernelFloat/gemm(_:_:m:n:k:alpha:a:lda:b:ldb:beta:c:ldc:)``.
    public static func gemm(
        _ transA: Transpose, _ transB: Transpose, m: Int, n: Int, k: Int,
        alpha: Double, a: UnsafePointer<Double>, lda: Int, b: UnsafePointer<Double>, ldb: Int,
        beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int
    ) {
        mlp_dgemm(transA.flag, transB.flag, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, nil)
    }
    /// y[i] = exp(x[i]) with the vectorized kernel of the best instruction set; `x` and `y` may be the same buffer.
    public static func vectorExp(_ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>, count: Int) {
        mlp_vmath_f64(Int32(MLP_FN_EXP), x, y, count, -1)
    }
    /// y[i] = 1 / (1 + exp(-x[i])) with the vectorized kernel; `x` and `y` may be the same buffer.
    public static func vectorLogistic(_ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>, count: Int) {
        mlp_vmath_f64(Int32(MLP_FN_LOGISTIC), x, y, count, -1)
    }
    /// y[i] = tanh(x[i]) with the vectorized kernel; `x` and `y` may be the same buffer.
    public static func vectorTanh(_ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>, count: Int) {
        mlp_vmath_f64(Int32(MLP_FN_TANH), x, y, count, -1)
    }
    /// Softmax of each row of x: (rows, columns), row stride `ld`, in place.
    public static func softmaxRows(_ x: UnsafeMutablePointer<Double>, rows: Int, columns: Int, ld: Int) {
        mlp_softmax_rows_f64(x, rows, columns, ld, -1)
    }
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
    /// Row-major GEMM, C ← alpha·op(A)·op(B) + beta·C, on the packed, multithreaded kernel; see ``KernelFloat/gemm(_:_:m:n:k:alpha:a:lda:b:ldb:beta:c:ldc:)``.
    public static func gemm(
        _ transA: Transpose, _ transB: Transpose, m: Int, n: Int, k: Int,
        alpha: Float, a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
        beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        mlp_sgemm(transA.flag, transB.flag, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, nil)
    }
    /// y[i] = exp(x[i]) with the vectorized kernel of the best instruction set; `x` and `y` may be the same buffer.
    public static func vectorExp(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
        mlp_vmath_f32(Int32(MLP_FN_EXP), x, y, count, -1)
    }
    /// y[i] = 1 / (1 + exp(-x[i])) with the vectorized kernel; `x` and `y` may be the same buffer.
    public static func vectorLogistic(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
        mlp_vmath_f32(Int32(MLP_FN_LOGISTIC), x, y, count, -1)
    }
    /// y[i] = tanh(x[i]) with the vectorized kernel; `x` and `y` may be the same buffer.
    public static func vectorTanh(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
        mlp_vmath_f32(Int32(MLP_FN_TANH), x, y, count, -1)
    }
    /// Softmax of each row of x: (rows, columns), row stride `ld`, in place.
    public static func softmaxRows(_ x: UnsafeMutablePointer<Float>, rows: Int, columns: Int, ld: Int) {
        mlp_softmax_rows_f32(x, rows, columns, ld, -1)
    }
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
