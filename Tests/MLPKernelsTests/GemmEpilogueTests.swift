import MLPTestSupport
import Testing
@testable import MLPKernels

// The GEMM epilogue (+ bias, ReLU, ReLU's derivative, applied as tiles are stored) against the product without
// it followed by the separate passes it replaces, bit for bit: every micro-tile residue, k split over several
// k blocks (the epilogue goes with the last), the unpacked path, k = 0, 1 and 2 threads, and a workspace too short for
// packing or for the whole scratch product (GemmWorkspaceTests).
@Suite struct GemmEpilogueTests {
    /// The separate passes, in the epilogue's order, as the training loop ran them before.
    static func applySeparately<T: KernelFloat>(_ c: inout [T], m: Int, n: Int, ldc: Int, bias: [T]?, relu: Bool,
                                                reluOutput: [T]?, ldr: Int) {
        for i in 0..<m {
            for j in 0..<n {
                var r = c[i * ldc + j]
                if let bias { r = r + bias[j] }
                if relu { r = r < 0 ? 0 : r }
                if let reluOutput, reluOutput[i * ldr + j] == 0 { r = 0 }
                c[i * ldc + j] = r
            }
        }
    }

    func check<T: KernelFloat>(_: T.Type, m: Int, n: Int, k: Int, transA: Transpose, transB: Transpose, beta: T,
                               options: GemmOptions, bias: Bool, relu: Bool, derivative: Bool, seed: UInt64) {
        var rng = SeededGenerator(seed: seed)
        let lda = transA == .noTranspose ? k : m, ldb = transB == .noTranspose ? n : k, ldc = n + 1, ldr = n + 2
        let a = [T].random(count: max(1, m * k), using: &rng), b = [T].random(count: max(1, k * n), using: &rng)
        let c0 = [T].random(count: m * ldc, using: &rng)
        let biasValues = [T].random(count: n, using: &rng)
        // ReLU outputs: zero (the derivative's case), positive, and one NaN (not zero, so the delta is kept).
        var output = [T].random(count: m * ldr, using: &rng).map { $0 < 0 ? 0 : $0 }
        output[output.count / 2] = .nan
        var expected = c0, actual = c0
        a.withUnsafeBufferPointer { a in b.withUnsafeBufferPointer { b in biasValues.withUnsafeBufferPointer { biasBuffer in
            output.withUnsafeBufferPointer { r in
                expected.withUnsafeMutableBufferPointer { e in
                    gemm(transA, transB, m: m, n: n, k: k, alpha: 1, a: a.baseAddress!, lda: lda, b: b.baseAddress!,
                         ldb: ldb, beta: beta, c: e.baseAddress!, ldc: ldc, options: options)
                }
                actual.withUnsafeMutableBufferPointer { c in
                    let epilogue = GemmEpilogue(bias: bias ? biasBuffer.baseAddress! : nil, relu: relu,
                                                reluOutput: derivative ? r.baseAddress! : nil, reluOutputStride: ldr)
                    gemm(transA, transB, m: m, n: n, k: k, alpha: 1, a: a.baseAddress!, lda: lda, b: b.baseAddress!,
                         ldb: ldb, beta: beta, c: c.baseAddress!, ldc: ldc, options: options, epilogue: epilogue)
                }
            }
        } } }
        Self.applySeparately(&expected, m: m, n: n, ldc: ldc, bias: bias ? biasValues : nil, relu: relu,
                             reluOutput: derivative ? output : nil, ldr: ldr)
        #expect(actual.elementsEqualBitwise(expected), "\(T.self) \(m)x\(n)x\(k) \(options) bias \(bias) relu \(relu) derivative \(derivative)")
    }

    @Test(arguments: supportedInstructionSets, [false, true])
    func matchesTheSeparatePasses(isa: InstructionSet, double: Bool) {
        let sizes = [(1, 1, 1), (13, 33, 9), (100, 100, 64), (37, 10, 50), (25, 17, 300), (12, 32, 16), (5, 70, 0)]
        let runs = packedRuns(isa) + packedRuns(isa, mc: 24, kc: 7, nc: 64)
            + packedRuns(isa, mc: 24, kc: 7, nc: 64, rowsFirst: true) + packedRuns(isa, rowsFirst: true)
            + [GemmOptions(instructionSet: isa, threads: 1, smallThreshold: .max),
               GemmOptions(instructionSet: isa, threads: 2, smallThreshold: 0, parallelThreshold: 1, workspaceLimit: 1),
               GemmOptions(instructionSet: isa, threads: 1, smallThreshold: 0, mc: 24, kc: 7, nc: 64, workspaceLimit: 4096)]
        var seed: UInt64 = 0
        for (m, n, k) in sizes {
            for (ti, t) in transposes.enumerated() {
                for options in runs {
                    seed += 1
                    let flags = (bias: seed % 2 == 0, relu: seed % 3 != 0, derivative: seed % 4 < 2)
                    if double {
                        check(Double.self, m: m, n: n, k: k, transA: t.0, transB: t.1, beta: ti == 3 ? 0.5 : 0,
                              options: options, bias: flags.bias, relu: flags.relu, derivative: flags.derivative,
                              seed: seed)
                    } else {
                        check(Float.self, m: m, n: n, k: k, transA: t.0, transB: t.1, beta: ti == 3 ? 0.5 : 0,
                              options: options, bias: flags.bias, relu: flags.relu, derivative: flags.derivative,
                              seed: seed)
                    }
                }
            }
        }
    }
}

