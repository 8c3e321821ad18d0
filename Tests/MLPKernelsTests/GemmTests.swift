import MLPTestSupport
import Testing
@testable import MLPKernels

// The packed GEMM against the naive loop (`referenceGemm`), over sizes that hit every micro-tile residue,
// every cache-block edge, every transpose combination, alpha and beta in {0, 1, other}, Float and Double,
// every instruction set this CPU runs, and 1 and 2 threads (which must agree bit for bit).

let transposes: [(Transpose, Transpose)] = [
    (.noTranspose, .noTranspose), (.noTranspose, .transpose), (.transpose, .noTranspose), (.transpose, .transpose),
]
let scalars: [(alpha: Double, beta: Double)] = [
    (1, 0), (-0.75, 1), (1, 0.5), (0, 0.5), (-0.75, 0), (1, 1), (0, 0), (-0.75, 0.5), (0, 1),
]
let supportedInstructionSets = InstructionSet.allCases.filter(\.isSupported)

/// One product: C (m x n, row stride n + pad) from A, B stored as `transA`/`transB` with padded strides.
struct GemmCase: CustomStringConvertible {
    var transA: Transpose, transB: Transpose
    var m: Int, n: Int, k: Int
    var alpha: Double, beta: Double
    var pad: Int = 0
    var description: String { "\(transA == .transpose ? "T" : "N")\(transB == .transpose ? "T" : "N") m=\(m) n=\(n) k=\(k) alpha=\(alpha) beta=\(beta) pad=\(pad)" }

    var lda: Int { (transA == .noTranspose ? k : m) + pad }
    var ldb: Int { (transB == .noTranspose ? n : k) + pad }
    var ldc: Int { n + pad }
    var aCount: Int { (transA == .noTranspose ? m : k) * lda }
    var bCount: Int { (transB == .noTranspose ? k : n) * ldb }
}

/// Runs `c` with every options in `runs` (all results must be bit-identical), checks the first against the
/// reference, and checks that C's padding is untouched. When beta == 0, C starts NaN-filled.
func check<T: KernelFloat>(_ type: T.Type, _ c: GemmCase, _ runs: [GemmOptions], seed: UInt64) {
    var rng = SeededGenerator(seed: seed)
    let a = [T].random(count: c.aCount, using: &rng)
    let b = [T].random(count: c.bCount, using: &rng)
    let sentinel: T = 12345
    var c0 = [T].random(count: c.m * c.ldc, using: &rng)
    for i in 0..<c.m { for j in 0..<c.ldc { if j >= c.n { c0[i * c.ldc + j] = sentinel } else if c.beta == 0 { c0[i * c.ldc + j] = .nan } } }
    let alpha = T(c.alpha), beta = T(c.beta)

    var expected = c0
    a.withUnsafeBufferPointer { a in b.withUnsafeBufferPointer { b in expected.withUnsafeMutableBufferPointer { e in
        referenceGemm(c.transA, c.transB, m: c.m, n: c.n, k: c.k, alpha: alpha, a: a.baseAddress!, lda: c.lda,
                      b: b.baseAddress!, ldb: c.ldb, beta: beta, c: e.baseAddress!, ldc: c.ldc)
    } } }
    if c.alpha == 0 {  // BLAS: alpha == 0 means C <- beta*C exactly
        for i in 0..<c.m { for j in 0..<c.n { expected[i * c.ldc + j] = c.beta == 0 ? 0 : beta * c0[i * c.ldc + j] } }
    }

    var first: [T]?
    for options in runs {
        var actual = c0
        a.withUnsafeBufferPointer { a in b.withUnsafeBufferPointer { b in actual.withUnsafeMutableBufferPointer { r in
            gemm(c.transA, c.transB, m: c.m, n: c.n, k: c.k, alpha: alpha, a: a.baseAddress!, lda: c.lda,
                 b: b.baseAddress!, ldb: c.ldb, beta: beta, c: r.baseAddress!, ldc: c.ldc, options: options)
        } } }
        if let first {
            #expect(actual.elementsEqualBitwise(first), "\(T.self) \(c) \(options): not bit-identical to \(runs[0])")
            continue
        }
        first = actual
        let bound = 8 * T.ulpOfOne * (T(c.alpha.magnitude) * T(c.k) + T(c.beta.magnitude) + 1)
        assertClose(actual, expected, tolerance: { _ in bound }, "\(T.self) \(c) \(options)")
    }
}

/// `check` for each (m, n, k) of `sizes` in every transpose combination, with nonzero alpha (A and B are read), beta
/// and C's padding cycling with the case.
func checkEveryTranspose(_ sizes: [(Int, Int, Int)], double: Bool, runs: [GemmOptions]) {
    for (index, (m, n, k)) in sizes.enumerated() {
        for (ti, t) in transposes.enumerated() {
            let s = scalars[(index * 4 + ti) % scalars.count]
            let c = GemmCase(transA: t.0, transB: t.1, m: m, n: n, k: k, alpha: s.alpha == 0 ? 1 : s.alpha,
                             beta: s.beta, pad: ti % 2)
            if double { check(Double.self, c, runs, seed: UInt64(index * 4 + ti)) }
            else { check(Float.self, c, runs, seed: UInt64(index * 4 + ti)) }
        }
    }
}

extension Array where Element: BinaryFloatingPoint {
    func elementsEqualBitwise(_ other: [Element]) -> Bool {
        count == other.count && zip(self, other).allSatisfy { $0 == $1 || ($0.isNaN && $1.isNaN) }
    }
}

extension GemmOptions: CustomStringConvertible {
    public var description: String {
        "[isa \(instructionSet.map(\.description) ?? "best") threads \(threads.map(String.init) ?? "default")"
            + (smallThreshold == 0 ? " packed" : "") + (kc.map { " mc \(mc ?? 0) kc \($0) nc \(nc ?? 0)" } ?? "")
            + (inPlace.map { $0 ? " rows in place" : " rows packed" } ?? "")
            + (rowsFirst.map { $0 ? " rows first" : " columns first" } ?? "")
            + (halfTails.map { $0 ? " half-vector tails" : " whole-vector tails" } ?? "")
            + (narrow.map { $0 ? " rows as lanes" : " tiles" } ?? "")
            + (workspaceLimit.map { " workspace limit \($0) bytes" } ?? "") + "]"
    }
}

/// Forced through the packed path on one thread and on two (split at every size, with narrow products as rows as
/// lanes wherever that applies), and on one thread through the tiles alone with the AVX-512 tiles' last columns the
/// other way than this CPU's default (half or whole vectors), so every path runs everywhere.
func packedRuns(_ isa: InstructionSet?, mc: Int? = nil, kc: Int? = nil, nc: Int? = nil, rowsFirst: Bool? = nil) -> [GemmOptions] {
    [GemmOptions(instructionSet: isa, threads: 1, smallThreshold: 0, mc: mc, kc: kc, nc: nc, rowsFirst: rowsFirst),
     GemmOptions(instructionSet: isa, threads: 2, smallThreshold: 0, parallelThreshold: 1, mc: mc, kc: kc, nc: nc,
                 rowsFirst: rowsFirst, narrow: true),
     GemmOptions(instructionSet: isa, threads: 1, smallThreshold: 0, mc: mc, kc: kc, nc: nc, rowsFirst: rowsFirst,
                 halfTails: !GemmOptions.halfTailsByDefault, narrow: false)]
}

@Suite struct GemmTests {
    /// Every m, n and k from 1 to 64, each with the other two dimensions varied.
    @Test(arguments: [false, true], 0..<4)
    func everyDimensionFrom1To64(double: Bool, transpose: Int) {
        let others = [1, 64, 13, 33, 5, 48, 24, 17, 2, 40, 31, 9]
        var index = 0
        for d in 1...64 {
            for axis in 0..<3 {
                let x = others[(d + axis) % others.count], y = others[(d * 5 + axis + 3) % others.count]
                let dims = axis == 0 ? (d, x, y) : axis == 1 ? (x, d, y) : (x, y, d)
                let s = scalars[index % scalars.count]
                let c = GemmCase(transA: transposes[transpose].0, transB: transposes[transpose].1,
                                 m: dims.0, n: dims.1, k: dims.2, alpha: s.alpha, beta: s.beta, pad: index % 3)
                if double { check(Double.self, c, packedRuns(nil), seed: UInt64(index)) }
                else { check(Float.self, c, packedRuns(nil), seed: UInt64(index)) }
                index += 1
            }
        }
    }

    /// Every (m mod MR, n mod NR) residue of every instruction set's micro-tile, through the packed path.
    @Test(arguments: supportedInstructionSets, [false, true])
    func everyMicroTileResidue(isa: InstructionSet, double: Bool) {
        let (mr, nr) = double ? GemmOptions.microTile(isa, Double.self) : GemmOptions.microTile(isa, Float.self)
        var index = 0
        for m in 1...(2 * mr) {
            for n in 1...(2 * nr) {
                let t = transposes[index % 4], s = scalars[index % scalars.count]
                let c = GemmCase(transA: t.0, transB: t.1, m: m, n: n, k: 1 + index % 4, alpha: s.alpha, beta: s.beta,
                                 pad: index % 2)
                if double { check(Double.self, c, packedRuns(isa), seed: UInt64(index)) }
                else { check(Float.self, c, packedRuns(isa), seed: UInt64(index)) }
                index += 1
            }
        }
    }

    /// Tiny cache blocks, so moderate sizes cross many MC, KC and NC edges (and k-block accumulation).
    @Test(arguments: supportedInstructionSets, [false, true])
    func crossesCacheBlocks(isa: InstructionSet, double: Bool) {
        checkEveryTranspose([(37, 70, 50), (100, 45, 33), (61, 131, 19), (25, 25, 64)], double: double,
                            runs: packedRuns(isa, mc: 2, kc: 7, nc: 3))
    }

    /// Larger odd sizes around the default block sizes, with the default options and with 2 threads.
    @Test(arguments: [false, true])
    func largerOddSizes(double: Bool) {
        let sizes = [(127, 129, 255), (129, 255, 127), (255, 127, 129), (513, 33, 257), (31, 513, 300)]
        for (index, (m, n, k)) in sizes.enumerated() {
            let t = transposes[index % 4], s = scalars[index % 3]
            let c = GemmCase(transA: t.0, transB: t.1, m: m, n: n, k: k, alpha: s.alpha, beta: s.beta, pad: 1)
            let runs = [GemmOptions(threads: 1), GemmOptions(threads: 2, parallelThreshold: 1), GemmOptions(threads: 3, parallelThreshold: 1)]
            if double { check(Double.self, c, runs, seed: UInt64(index)) }
            else { check(Float.self, c, runs, seed: UInt64(index)) }
        }
    }

    /// The batch-200 products of an MLP (forward X.W, weight gradient A^T.delta, input gradient delta.W^T)
    /// give bit-identical results on 1 and 2 threads, through the public entry point too.
    @Test(arguments: [false, true])
    func mlpShapesAreIdenticalOnOneAndTwoThreads(double: Bool) {
        let shapes: [GemmCase] = [
            GemmCase(transA: .noTranspose, transB: .noTranspose, m: 200, n: 256, k: 100, alpha: 1, beta: 0),
            GemmCase(transA: .transpose, transB: .noTranspose, m: 256, n: 128, k: 200, alpha: 0.005, beta: 0),
            GemmCase(transA: .noTranspose, transB: .transpose, m: 200, n: 128, k: 10, alpha: 1, beta: 0),
            GemmCase(transA: .noTranspose, transB: .noTranspose, m: 200, n: 10, k: 128, alpha: 1, beta: 1),
        ]
        for (index, c) in shapes.enumerated() {
            let runs = [GemmOptions(threads: 1), GemmOptions(threads: 2, parallelThreshold: 1), GemmOptions(threads: 2)]
            if double { check(Double.self, c, runs, seed: UInt64(index)) }
            else { check(Float.self, c, runs, seed: UInt64(index)) }
        }
    }

    /// Small k (an output layer's input gradient: 200 x 128 x 10) with whole-width tiles, where the store is unrolled
    /// over the accumulators and skips the rows past the panel's last: row counts around the micro-tile, every
    /// transpose, alpha = 1 with beta = 0 (the plain store) and the general update, on 1 and 2 threads.
    @Test(arguments: supportedInstructionSets, [false, true])
    func wholeWidthTilesWithSmallK(isa: InstructionSet, double: Bool) {
        let (mr, nr) = double ? GemmOptions.microTile(isa, Double.self) : GemmOptions.microTile(isa, Float.self)
        var index = 0
        for k in [1, 2, 3, 10, 17] {
            for m in [1, mr - 1, mr, mr + 1, 2 * mr + 3, 200] where m >= 1 {
                for n in [nr, 2 * nr, 8 * nr, 2 * nr + 1] {
                    let t = transposes[index % 4], s = [scalars[0], scalars[4], scalars[2]][index % 3]
                    let c = GemmCase(transA: t.0, transB: t.1, m: m, n: n, k: k, alpha: s.alpha, beta: s.beta,
                                     pad: index % 2)
                    if double { check(Double.self, c, packedRuns(isa), seed: UInt64(index)) }
                    else { check(Float.self, c, packedRuns(isa), seed: UInt64(index)) }
                    index += 1
                }
            }
        }
    }

    /// A stored by rows with k <= 256 and several column panels: read in place when its micro-panel's rows span at
    /// most half of L1 (pad 0), packed when a wide leading dimension spreads them further (pad 4096); whole k and
    /// k blocks of 7 (resumed chains, bit-identical), on 1 and 2 threads, against the reference.
    @Test(arguments: supportedInstructionSets, [false, true])
    func rowMajorAInPlaceOrPacked(isa: InstructionSet, double: Bool) {
        let (mr, nr) = double ? GemmOptions.microTile(isa, Double.self) : GemmOptions.microTile(isa, Float.self)
        var index = 0
        for k in [33, 200, 256] {
            for pad in [0, 4096] {
                let c = GemmCase(transA: .noTranspose, transB: index % 2 == 0 ? .noTranspose : .transpose,
                                 m: 2 * mr + 5, n: 3 * nr + 3, k: k, alpha: 1, beta: 0, pad: pad)
                let runs = packedRuns(isa) + packedRuns(isa, mc: 2 * mr, kc: 7, nc: 2 * nr)
                if double { check(Double.self, c, runs, seed: UInt64(index)) }
                else { check(Float.self, c, runs, seed: UInt64(index)) }
                index += 1
            }
        }
    }


    /// B stored by rows: read in place when its micro-panels are used at most twice or stay in L1 at that row stride,
    /// packed otherwise. Power-of-two strides (n + pad = 256 or 512, which reach few L1 sets) against odd ones, with
    /// one, two and many row panels: the same bits either way, on 1 and 2 threads, against the reference.
    @Test(arguments: supportedInstructionSets, [false, true])
    func rowMajorBInPlaceOrPacked(isa: InstructionSet, double: Bool) {
        let (mr, nr) = double ? GemmOptions.microTile(isa, Double.self) : GemmOptions.microTile(isa, Float.self)
        var index = 0
        for m in [mr, 2 * mr - 1, 5 * mr + 3] {
            for (n, pad) in [(2 * nr + 5, 0), (256 - 7, 7), (512, 0)] {
                for k in [64, 200, 256] {
                    let c = GemmCase(transA: index % 2 == 0 ? .noTranspose : .transpose, transB: .noTranspose,
                                     m: m, n: n, k: k, alpha: 1, beta: 0, pad: pad)
                    let runs = packedRuns(isa) + packedRuns(isa, mc: 2 * mr, kc: 24, nc: 2 * nr)
                    if double { check(Double.self, c, runs, seed: UInt64(index)) }
                    else { check(Float.self, c, runs, seed: UInt64(index)) }
                    index += 1
                }
            }
        }
    }
    /// A stored transposed: full MR-row panels read in place when C has few column panels and k is short, packed
    /// otherwise (9 column panels; k = 400 with the default KC): each shape both ways, since the runs with k blocks of
    /// 7 and NC = 2 NR read it in place. Bit-identical between runs, on 1 and 2 threads, against the reference.
    @Test(arguments: supportedInstructionSets, [false, true])
    func transposedAInPlaceOrPacked(isa: InstructionSet, double: Bool) {
        let (mr, nr) = double ? GemmOptions.microTile(isa, Double.self) : GemmOptions.microTile(isa, Float.self)
        var index = 0
        for (n, k) in [(nr, 33), (3 * nr - 1, 200), (4 * nr, 200), (8 * nr + 3, 200), (9 * nr, 200), (2 * nr, 400)] {
            for pad in [0, 1024] {
                let c = GemmCase(transA: .transpose, transB: index % 2 == 0 ? .noTranspose : .transpose,
                                 m: 3 * mr + 5, n: n, k: k, alpha: 1, beta: 0, pad: pad)
                let runs = packedRuns(isa) + packedRuns(isa, mc: 2 * mr, kc: 7, nc: 2 * nr)
                if double { check(Double.self, c, runs, seed: UInt64(index)) }
                else { check(Float.self, c, runs, seed: UInt64(index)) }
                index += 1
            }
        }
    }

    /// Tiny products (the seed network: 10 samples, 2 inputs, 3 hidden, 1 output) take the unpacked path.
    @Test(arguments: supportedInstructionSets)
    func tinyProducts(isa: InstructionSet) {
        var index = 0
        for (m, n, k) in [(10, 3, 2), (10, 1, 3), (2, 3, 10), (3, 1, 10), (10, 2, 3), (1, 1, 1), (16, 16, 16)] {
            for t in transposes {
                let s = scalars[index % scalars.count]
                let c = GemmCase(transA: t.0, transB: t.1, m: m, n: n, k: k, alpha: s.alpha, beta: s.beta, pad: index % 2)
                check(Float.self, c, [GemmOptions(instructionSet: isa)], seed: UInt64(index))
                check(Double.self, c, [GemmOptions(instructionSet: isa)], seed: UInt64(index))
                index += 1
            }
        }
    }

    @Test func publicEntryPointMatchesReference() {
        let a: [Float] = [1, 2, 3, 4, 5, 6], b: [Float] = [7, 8, 9, 10, 11, 12]
        var c = [Float](repeating: .nan, count: 4)
        a.withUnsafeBufferPointer { a in b.withUnsafeBufferPointer { b in c.withUnsafeMutableBufferPointer { c in
            Float.gemm(.noTranspose, .noTranspose, m: 2, n: 2, k: 3, alpha: 1, a: a.baseAddress!, lda: 3,
                       b: b.baseAddress!, ldb: 2, beta: 0, c: c.baseAddress!, ldc: 2)
        } } }
        #expect(c == [58, 64, 139, 154])
        #expect(KernelConfiguration.threadCount >= 1)
    }

    @Test func zeroSizesAndZeroK() {
        var c: [Double] = [1, 2, 3, 4]
        let a: [Double] = [.nan], b: [Double] = [.nan]
        c.withUnsafeMutableBufferPointer { c in
            Double.gemm(.noTranspose, .noTranspose, m: 0, n: 2, k: 3, alpha: 1, a: a, lda: 3, b: b, ldb: 2, beta: 0, c: c.baseAddress!, ldc: 2)
            Double.gemm(.noTranspose, .noTranspose, m: 2, n: 2, k: 0, alpha: 1, a: a, lda: 1, b: b, ldb: 2, beta: 0.5, c: c.baseAddress!, ldc: 2)
        }
        #expect(c == [0.5, 1, 1.5, 2])
    }
}

extension GemmTests {
    /// Several callers at once (the pool serves one and the others run their parts inline), many back-to-back
    /// jobs (the caller takes parts a late worker has not started): every result equals the 1-thread result. Rows
    /// first with small blocks runs each product as 36 pool jobs on blocks the threads share.
    @Test(arguments: [nil, GemmOptions(threads: 1, mc: 24, kc: 32, nc: 48, rowsFirst: true)])
    func concurrentCallersGetIdenticalResults(blocks: GemmOptions?) async {
        let (m, n, k) = (67, 150, 90)
        var rng = SeededGenerator(seed: 99)
        let a = [Double].random(count: m * k, using: &rng), b = [Double].random(count: k * n, using: &rng)
        func product(threads: Int) -> [Double] {
            var c = [Double](repeating: .nan, count: m * n)
            a.withUnsafeBufferPointer { a in b.withUnsafeBufferPointer { b in c.withUnsafeMutableBufferPointer { c in
                gemm(.noTranspose, .noTranspose, m: m, n: n, k: k, alpha: 1, a: a.baseAddress!, lda: k,
                     b: b.baseAddress!, ldb: n, beta: 0, c: c.baseAddress!, ldc: n,
                     options: GemmOptions(threads: threads, parallelThreshold: 1, mc: blocks?.mc, kc: blocks?.kc,
                                          nc: blocks?.nc, rowsFirst: blocks?.rowsFirst))
            } } }
            return c
        }
        let expected = product(threads: 1)
        let mismatches = await withTaskGroup(of: Int.self) { group in
            for _ in 0..<4 {
                group.addTask { (0..<200).reduce(0) { bad, _ in bad + (product(threads: 2) == expected ? 0 : 1) } }
            }
            return await group.reduce(0, +)
        }
        #expect(mismatches == 0)
    }
}
