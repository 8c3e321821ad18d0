import MLPTestSupport
import Testing
@testable import MLPKernels

// GEMM when memory is short: a packing workspace or scratch band over the limit (or refused by the allocator) sends
// the product down a path that needs less, with the same bits and never an abort.
@Suite struct GemmWorkspaceTests {
    /// No workspace at all (every product unpacked, on each thread's share), and a workspace that holds tiny blocks
    /// but only a few rows of the scratch product (beta != 0 over several k blocks: bands of C): bit-identical to
    /// the unlimited runs, through columns first, rows first on one and two threads (several row blocks: shared
    /// blocks and each part's own), and the transposed narrow C.
    @Test(arguments: supportedInstructionSets, [false, true])
    func resultsDoNotDependOnTheWorkspaceLimit(isa: InstructionSet, double: Bool) {
        let runs = [GemmOptions(instructionSet: isa, threads: 1, smallThreshold: 0, mc: 24, kc: 7, nc: 40)]
            + [false, true].flatMap { rowsFirst in
                [GemmOptions(instructionSet: isa, threads: 1, smallThreshold: 0, rowsFirst: rowsFirst, workspaceLimit: 1),
                 GemmOptions(instructionSet: isa, threads: 2, smallThreshold: 0, parallelThreshold: 1,
                             rowsFirst: rowsFirst, workspaceLimit: 1),
                 GemmOptions(instructionSet: isa, threads: 1, smallThreshold: 0, mc: 24, kc: 7, nc: 40,
                             rowsFirst: rowsFirst, workspaceLimit: 8192),
                 GemmOptions(instructionSet: isa, threads: 2, smallThreshold: 0, parallelThreshold: 1, mc: 24, kc: 7,
                             nc: 40, rowsFirst: rowsFirst, workspaceLimit: 8192)]
            }
            + [true, false].map { shared in
                GemmOptions(instructionSet: isa, threads: 2, smallThreshold: 0, parallelThreshold: 1, mc: 24, kc: 7,
                            nc: 40, rowsFirst: true, sharedBlocks: shared, workspaceLimit: 1)
            }
        checkEveryTranspose([(37, 70, 300), (61, 131, 90), (200, 10, 60), (8, 300, 40)], double: double, runs: runs)
    }

    /// The scratch product in bands of one row to all of them (the limit is a band's bytes, n elements a row; the
    /// packing inside a band fits from 7 rows on), A and B stored either way: the bits of the unbanded product.
    @Test(arguments: [false, true])
    func scratchBandsOfEveryLength(double: Bool) {
        let (m, n, k) = (29, 23, 50)
        let size = double ? 8 : 4
        for rows in [1, 2, 3, 7, 28, 29] {
            let options = GemmOptions(threads: 1, smallThreshold: 0, mc: 12, kc: 8, nc: 16, workspaceLimit: rows * n * size)
            for (ti, t) in transposes.enumerated() {
                let c = GemmCase(transA: t.0, transB: t.1, m: m, n: n, k: k, alpha: 0.5, beta: 2, pad: ti % 2)
                let runs = [GemmOptions(threads: 1, smallThreshold: 0, mc: 12, kc: 8, nc: 16), options]
                if double { check(Double.self, c, runs, seed: UInt64(rows * 4 + ti)) }
                else { check(Float.self, c, runs, seed: UInt64(rows * 4 + ti)) }
            }
        }
    }
}
