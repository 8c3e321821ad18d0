import MLPKernels

// The naive triple loop. Slow on purpose: it is the oracle every fast kernel is tested against.

/// Row-major reference GEMM: C ← alpha·op(A)·op(B) + beta·C, accumulating each element in order p = 0..<k.
/// op(A): (m, k)  op(B): (k, n)  C: (m, n)
@inlinable
public func referenceGemm<T: BinaryFloatingPoint>(
    _ transA: Transpose, _ transB: Transpose,
    m: Int, n: Int, k: Int,
    alpha: T, a: UnsafePointer<T>, lda: Int,
    b: UnsafePointer<T>, ldb: Int,
    beta: T, c: UnsafeMutablePointer<T>, ldc: Int
) {
    for i in 0..<m {
        for j in 0..<n {
            var sum: T = 0
            for p in 0..<k {
                let aip = transA == .noTranspose ? a[i * lda + p] : a[p * lda + i]
                let bpj = transB == .noTranspose ? b[p * ldb + j] : b[j * ldb + p]
                sum += aip * bpj
            }
            let scaled = alpha * sum
            c[i * ldc + j] = beta == 0 ? scaled : scaled + beta * c[i * ldc + j]
        }
    }
}
