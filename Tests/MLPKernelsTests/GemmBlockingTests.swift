import MLPTestSupport
import Testing
@testable import MLPKernels

// The cache blocks come from the machine's caches, so they must not change results: each element of C is one FMA
// chain over all of k whatever KC, MC and NC are.
@Suite struct GemmBlockingTests {
    /// The same product with the derived blocks, tiny blocks, KC splitting k unevenly, and the unpacked path's
    /// single chain: every result is bit-identical (and matches the naive loop).
    @Test(arguments: supportedInstructionSets, [false, true])
    func resultsDoNotDependOnCacheBlocks(isa: InstructionSet, double: Bool) {
        // beta != 0 over several k blocks takes the scratch-product route; beta == 0 resumes chains in C.
        let runs = [GemmOptions(instructionSet: isa, threads: 1),
                    GemmOptions(instructionSet: isa, threads: 1, smallThreshold: 0, mc: 2, kc: 7, nc: 3),
                    GemmOptions(instructionSet: isa, threads: 2, smallThreshold: 0, parallelThreshold: 1, kc: 64),
                    GemmOptions(instructionSet: isa, threads: 1, smallThreshold: 0, mc: 500, kc: 1000, nc: 2000),
                    GemmOptions(instructionSet: isa, threads: 1, smallThreshold: Int.max)]
        checkEveryTranspose([(37, 70, 300), (100, 45, 257), (61, 131, 513), (200, 10, 600), (8, 300, 1000)],
                            double: double, runs: runs)
    }

    /// k around one and two derived KCs, where the derived blocks split k into even blocks: the same bits as one
    /// chain through the unpacked path, as tiny blocks, and on two threads (and the naive loop's values).
    @Test(arguments: supportedInstructionSets, [false, true])
    func evenKBlocksAroundTheDerivedKC(isa: InstructionSet, double: Bool) {
        let kc = double ? GemmOptions.blocking(isa, Double.self).kc : GemmOptions.blocking(isa, Float.self).kc
        for (index, k) in [kc - 1, kc, kc + 1, kc + 9, 2 * kc - 8, 2 * kc + 1, 3 * kc + 8].enumerated() {
            let t = transposes[index % 4], s = scalars[index % 3]
            let c = GemmCase(transA: t.0, transB: t.1, m: 13, n: 37, k: k, alpha: s.alpha, beta: s.beta, pad: index % 2)
            let runs = [GemmOptions(instructionSet: isa, threads: 1),
                        GemmOptions(instructionSet: isa, threads: 2, smallThreshold: 0, parallelThreshold: 1),
                        GemmOptions(instructionSet: isa, threads: 1, smallThreshold: 0, mc: 2, kc: 7, nc: 3),
                        GemmOptions(instructionSet: isa, threads: 1, smallThreshold: Int.max)]
            if double { check(Double.self, c, runs, seed: UInt64(index)) }
            else { check(Float.self, c, runs, seed: UInt64(index)) }
        }
    }

    /// k around one, one and a half and two KCs of tall rows-first products (more rows than MC: several row blocks),
    /// whose KC on one thread fills half of L1 (one way of L2 where the CPU runs 512-bit FMAs as halves), rounded to
    /// the nearest count of k blocks: the same bits as the unpacked path, tiny blocks and two threads (and the naive
    /// loop's values).
    @Test(arguments: supportedInstructionSets, [false, true])
    func evenKBlocksAroundTheTallKC(isa: InstructionSet, double: Bool) {
        let kc = double ? GemmOptions.tallKC(isa, Double.self) : GemmOptions.tallKC(isa, Float.self)
        let mc = double ? GemmOptions.blocking(isa, Double.self).mc : GemmOptions.blocking(isa, Float.self).mc
        for (index, k) in [kc - 1, kc + 1, kc + kc / 2 + 8, 2 * kc + 8].enumerated() {
            let t = transposes[index % 4]
            let c = GemmCase(transA: t.0, transB: t.1, m: mc + 1, n: mc + 1, k: k, alpha: 1, beta: 0, pad: index % 2)
            let runs = [GemmOptions(instructionSet: isa, threads: 1),
                        GemmOptions(instructionSet: isa, threads: 2, parallelThreshold: 1),
                        GemmOptions(instructionSet: isa, threads: 1, smallThreshold: 0, mc: 24, kc: 7, nc: 3),
                        GemmOptions(instructionSet: isa, threads: 1, smallThreshold: Int.max)]
            if double { check(Double.self, c, runs, seed: UInt64(index)) }
            else { check(Float.self, c, runs, seed: UInt64(index)) }
        }
    }

    /// Operands stored by rows read in place or packed (the CPU's default differs: packed on Intel), at k up to 256
    /// where A and B qualify for in-place reads, on one and two threads: bit-identical (and the naive loop's values).
    @Test(arguments: supportedInstructionSets, [false, true])
    func resultsDoNotDependOnReadingInPlace(isa: InstructionSet, double: Bool) {
        let runs = [true, false].flatMap { inPlace in
            [GemmOptions(instructionSet: isa, threads: 1, smallThreshold: 0, inPlace: inPlace),
             GemmOptions(instructionSet: isa, threads: 2, smallThreshold: 0, parallelThreshold: 1, inPlace: inPlace)]
        }
        checkEveryTranspose([(200, 96, 100), (61, 70, 200), (25, 33, 256), (200, 10, 128)], double: double, runs: runs)
    }

    /// Rows first (each row block's tiles along C's rows) and columns first (down C's columns), with the derived
    /// and with tiny blocks (several A and B blocks, partial tiles), on one, two and three threads (rows first on
    /// several: shared blocks packed and computed in parts when there are several row blocks, or each of two parts a
    /// thread packing its own, else each thread its own columns): bit-identical (and the naive loop's values). Also m
    /// just below and above the derived MC, and n just below and above the rows-first NC, where the default order
    /// changes.
    @Test(arguments: supportedInstructionSets, [false, true])
    func resultsDoNotDependOnLoopOrder(isa: InstructionSet, double: Bool) {
        let runs = [false, true].flatMap { rowsFirst in
            [GemmOptions(instructionSet: isa, threads: 1, smallThreshold: 0, rowsFirst: rowsFirst),
             GemmOptions(instructionSet: isa, threads: 2, smallThreshold: 0, parallelThreshold: 1, rowsFirst: rowsFirst),
             GemmOptions(instructionSet: isa, threads: 1, smallThreshold: 0, mc: 2, kc: 7, nc: 3, rowsFirst: rowsFirst),
             GemmOptions(instructionSet: isa, threads: 2, smallThreshold: 0, parallelThreshold: 1, mc: 24, kc: 7, nc: 40,
                         rowsFirst: rowsFirst)]
        } + [GemmOptions(instructionSet: isa, threads: 1, smallThreshold: 0),
             GemmOptions(instructionSet: isa, threads: 2, smallThreshold: 0, parallelThreshold: 1, mc: 24, kc: 7, nc: 40,
                         rowsFirst: true, sharedBlocks: false),
             GemmOptions(instructionSet: isa, threads: 3, smallThreshold: 0, parallelThreshold: 1, rowsFirst: true,
                         sharedBlocks: false)]
        let mc = double ? GemmOptions.blocking(isa, Double.self).mc : GemmOptions.blocking(isa, Float.self).mc
        let nc = double ? GemmOptions.rowsFirstBlocking(isa, Double.self).nc : GemmOptions.rowsFirstBlocking(isa, Float.self).nc
        checkEveryTranspose([(37, 70, 300), (100, 45, 257), (61, 131, 513), (8, 300, 40), (mc - 1, 29, 300), (mc + 1, 29, 300),
                             (13, nc, 100), (13, nc + 1, 100), (13, 2 * nc + 1, 100)],
                            double: double, runs: runs)
    }

    /// Products of a short k, at and past the rule that sends them rows first (k at most shortRowsFirstK and at most
    /// their column micro-panels), with several row blocks, several B blocks of the columns that fit L2 at that k, and
    /// on two threads (split by rows): the same bits as forced columns first, forced rows first, tiny blocks and the
    /// unpacked path (and the naive loop's values).
    @Test(arguments: supportedInstructionSets, [false, true])
    func resultsDoNotDependOnTheShortKOrder(isa: InstructionSet, double: Bool) {
        let runs = [GemmOptions(instructionSet: isa, threads: 1, smallThreshold: 0),
                    GemmOptions(instructionSet: isa, threads: 2, smallThreshold: 0, parallelThreshold: 1),
                    GemmOptions(instructionSet: isa, threads: 3, smallThreshold: 0, parallelThreshold: 1),
                    GemmOptions(instructionSet: isa, threads: 1, smallThreshold: 0, rowsFirst: false),
                    GemmOptions(instructionSet: isa, threads: 2, smallThreshold: 0, parallelThreshold: 1, rowsFirst: true),
                    GemmOptions(instructionSet: isa, threads: 1, smallThreshold: 0, mc: 2, kc: 7, nc: 3),
                    GemmOptions(instructionSet: isa, threads: 1, smallThreshold: Int.max)]
        let nr = double ? GemmOptions.microTile(isa, Double.self).nr : GemmOptions.microTile(isa, Float.self).nr
        let mc = double ? GemmOptions.blocking(isa, Double.self).mc : GemmOptions.blocking(isa, Float.self).mc
        let shortK = max(GemmOptions.shortRowsFirstK(isa), 64)
        let rowsNC = double ? GemmOptions.rowsFirstBlocking(isa, Double.self).nc : GemmOptions.rowsFirstBlocking(isa, Float.self).nc
        let kc = double ? GemmOptions.blocking(isa, Double.self).kc : GemmOptions.blocking(isa, Float.self).kc
        let severalBBlocks = rowsNC * kc / shortK + 2 * nr + 3  // past one B block of the columns that fit L2 at k
        checkEveryTranspose([(200, 16 * nr, 10), (mc + 5, 10 * nr, 10), (mc + 5, 10 * nr - nr, 10), (37, 3 * nr + 1, 3),
                             (9, severalBBlocks, shortK), (9, shortK * nr, shortK + 1), (2 * mc + 1, 7 * nr - 2, 1)],
                            double: double, runs: runs)
    }

    /// The derived blocks hold whole micro-tiles, and KC is a positive multiple of the k loop's unrolling.
    @Test(arguments: supportedInstructionSets, [false, true])
    func derivedBlocksAreWholeTiles(isa: InstructionSet, double: Bool) {
        let tile = double ? GemmOptions.microTile(isa, Double.self) : GemmOptions.microTile(isa, Float.self)
        let blocks = double ? GemmOptions.blocking(isa, Double.self) : GemmOptions.blocking(isa, Float.self)
        #expect(blocks.mc >= tile.mr && blocks.mc % tile.mr == 0, "\(isa) MC \(blocks.mc), MR \(tile.mr)")
        #expect(blocks.nc >= tile.nr && blocks.nc % tile.nr == 0, "\(isa) NC \(blocks.nc), NR \(tile.nr)")
        #expect(blocks.kc >= 16 && blocks.kc % 8 == 0, "\(isa) KC \(blocks.kc)")
        let rows = double ? GemmOptions.rowsFirstBlocking(isa, Double.self) : GemmOptions.rowsFirstBlocking(isa, Float.self)
        #expect(rows.mc >= tile.mr && rows.mc % tile.mr == 0, "\(isa) rows first MC \(rows.mc), MR \(tile.mr)")
        #expect(rows.nc >= tile.nr && rows.nc % tile.nr == 0, "\(isa) rows first NC \(rows.nc), NR \(tile.nr)")
        let tallKC = double ? GemmOptions.tallKC(isa, Double.self) : GemmOptions.tallKC(isa, Float.self)
        #expect(tallKC >= 16 && tallKC % 8 == 0, "\(isa) tall KC \(tallKC)")
        if isa == .avx512 && GemmOptions.wideFMARunsAsHalves {
            #expect(tallKC >= blocks.kc, "\(isa) tall KC \(tallKC) where FMAs run as halves, KC \(blocks.kc)")
        } else {  // half of the L1 that KC's A micro-panel fills
            #expect(tallKC <= blocks.kc && 2 * tallKC + 16 >= blocks.kc, "\(isa) tall KC \(tallKC), KC \(blocks.kc)")
        }
    }
}
