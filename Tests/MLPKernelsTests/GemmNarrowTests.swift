import MLPTestSupport
import Testing
@testable import MLPKernels

// Rows as lanes (gemm_narrow_kernel.h: AVX-512, B stored by rows, A by rows or transposed, n <= 15 and not a whole
// vector) against the tiles and the unpacked loop, bit for bit, and the naive loop's values: every n to 17, m across
// the panels' residues (eight float64 rows, sixteen float32; pairs of them with A transposed), k across the eight-step
// transposes' residues, alpha and beta, padded strides, one thread and two. Where the CPU has no AVX-512 the option
// changes nothing and the same checks hold.
@Suite struct GemmNarrowTests {
    @Test(arguments: supportedInstructionSets)
    func rowsAsLanesMatchTheTilesBitForBit(isa: InstructionSet) {
        checkEveryColumnCount(isa: isa, transA: .noTranspose, rows: [1, 5, 8, 9, 15, 16, 17, 33, 40],
                              depths: [1, 7, 8, 9, 31, 32, 33, 100])
    }

    /// A stored transposed (a weight gradient's Xᵀ·δ): no transposes in the k loop, whole pairs of panels, then
    /// single panels; m across the pairs' residues (16 float64 rows, 32 float32), any k.
    @Test(arguments: supportedInstructionSets)
    func transposedAMatchesTheTilesBitForBit(isa: InstructionSet) {
        checkEveryColumnCount(isa: isa, transA: .transpose,
                              rows: [1, 7, 8, 9, 16, 17, 24, 31, 32, 33, 47, 48, 65, 97], depths: [1, 2, 9, 32, 100])
    }

    /// Every n to 17 at each m in `rows` and k in `depths`: rows as lanes on one thread and two, the tiles and the
    /// unpacked loop, bit for bit, and the naive loop by value.
    private func checkEveryColumnCount(isa: InstructionSet, transA: Transpose, rows: [Int], depths: [Int]) {
        let runs = [GemmOptions(instructionSet: isa, threads: 1, narrow: true),
                    GemmOptions(instructionSet: isa, threads: 1, smallThreshold: 0, narrow: false),
                    GemmOptions(instructionSet: isa, threads: 1, smallThreshold: .max),
                    GemmOptions(instructionSet: isa, threads: 2, parallelThreshold: 1, narrow: true)]
        var index = 0
        for n in 1...17 {
            for m in rows {
                for k in depths {
                    let s = scalars[index % scalars.count]
                    let c = GemmCase(transA: transA, transB: .noTranspose, m: m, n: n, k: k,
                                     alpha: s.alpha, beta: s.beta, pad: index % 3)
                    check(Double.self, c, runs, seed: UInt64(index))
                    check(Float.self, c, runs, seed: UInt64(index))
                    index += 1
                }
            }
        }
    }

    /// The epilogue (+ bias, ReLU, ReLU's derivative) after alpha and beta, as the tiles apply it, on one thread and two.
    @Test(arguments: supportedInstructionSets, [false, true])
    func rowsAsLanesApplyTheEpilogue(isa: InstructionSet, double: Bool) {
        let runs = [GemmOptions(instructionSet: isa, threads: 1, narrow: true),
                    GemmOptions(instructionSet: isa, threads: 2, parallelThreshold: 1, narrow: true)]
        var seed: UInt64 = 100
        for (m, n, k) in [(9, 1, 40), (23, 3, 9), (16, 7, 32), (200, 10, 128), (17, 12, 33), (40, 15, 8), (35, 8, 17)] {
            for options in runs {
                for transA in [Transpose.noTranspose, .transpose] {
                    seed += 1
                    let beta = seed % 2 == 0 ? 0.5 : 0
                    let flags = (bias: seed % 3 != 0, relu: seed % 2 == 1, derivative: seed % 4 < 2)
                    if double {
                        GemmEpilogueTests().check(Double.self, m: m, n: n, k: k, transA: transA,
                                                  transB: .noTranspose, beta: beta, options: options,
                                                  bias: flags.bias, relu: flags.relu, derivative: flags.derivative,
                                                  seed: seed)
                    } else {
                        GemmEpilogueTests().check(Float.self, m: m, n: n, k: k, transA: transA,
                                                  transB: .noTranspose, beta: Float(beta), options: options,
                                                  bias: flags.bias, relu: flags.relu, derivative: flags.derivative,
                                                  seed: seed)
                    }
                }
            }
        }
    }
}
