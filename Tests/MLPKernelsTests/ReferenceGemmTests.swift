import MLPTestSupport
import Testing
@testable import MLPKernels

@Test func referenceGemmMultipliesTwoByTwo() {
    let a: [Double] = [1, 2, 3, 4], b: [Double] = [5, 6, 7, 8]
    var c = [Double](repeating: 0, count: 4)
    a.withUnsafeBufferPointer { a in b.withUnsafeBufferPointer { b in c.withUnsafeMutableBufferPointer { c in
        referenceGemm(.noTranspose, .noTranspose, m: 2, n: 2, k: 2, alpha: 1, a: a.baseAddress!, lda: 2,
                      b: b.baseAddress!, ldb: 2, beta: 0, c: c.baseAddress!, ldc: 2)
    } } }
    #expect(c == [19, 22, 43, 50])
}
