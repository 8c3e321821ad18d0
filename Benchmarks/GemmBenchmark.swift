import MLPCore
import MLPKernels

/// One product of the benchmark: op(A): m x k, op(B): k x n.
struct GemmShape {
    let name: String
    let transA: Transpose, transB: Transpose
    let m: Int, n: Int, k: Int
}

/// Squares, then the 9 products of one batch-200 training step of the large problem
/// (X: 200 x 100, hidden 256 and 128, 10 outputs), then the forward product of a 2048-unit layer.
func gemmShapes(quick: Bool) -> [GemmShape] {
    let squares = (quick ? [64, 128, 256, 512] : [64, 128, 256, 512, 1024, 2048]).map {
        GemmShape(name: "square \($0)", transA: .noTranspose, transB: .noTranspose, m: $0, n: $0, k: $0)
    }
    let layers = [(100, 256), (256, 128), (128, 10)]
    var mlp: [GemmShape] = []
    for (i, (nIn, nOut)) in layers.enumerated() {  // forward: X.W   (200, nIn).(nIn, nOut)
        mlp.append(GemmShape(name: "fwd L\(i + 1) X.W", transA: .noTranspose, transB: .noTranspose, m: 200, n: nOut, k: nIn))
    }
    for (i, (nIn, nOut)) in layers.enumerated() {  // weight gradient: A^T.delta   (nIn, 200).(200, nOut)
        mlp.append(GemmShape(name: "wgrad L\(i + 1) At.d", transA: .transpose, transB: .noTranspose, m: nIn, n: nOut, k: 200))
    }
    for (i, (nIn, nOut)) in layers.enumerated().dropFirst() {  // input gradient: delta.W^T   (200, nOut).(nOut, nIn)
        mlp.append(GemmShape(name: "igrad L\(i + 1) d.Wt", transA: .noTranspose, transB: .transpose, m: 200, n: nIn, k: nOut))
    }
    // A wide layer (256 -> 2048): W's rows 8 KiB (Float) or 16 KiB (Double) apart share few cache sets.
    let wide = GemmShape(name: "wide fwd X.W", transA: .noTranspose, transB: .noTranspose, m: 200, n: 2048, k: 256)
    return squares + mlp + [wide]
}

struct GemmResult {
    let name: String
    let op: String
    let m: Int, n: Int, k: Int
    let dtype: String
    let threads: Int
    let seconds: Double
    let gflops: Double

    var json: String { JSONWriter.object(self) }
}

func benchmarkGemm<T: KernelFloat>(_ type: T.Type, _ shape: GemmShape, threads: Int, repeats: Int, blocks: GemmOptions) -> GemmResult {
    let aCount = shape.m * shape.k, bCount = shape.k * shape.n
    // Seeded: the system generator makes a system call per number, seconds of setup for the 2048 squares.
    var random = NumPyRandomState(seed: 0)
    let a = random.uniform(low: -1, high: 1, count: aCount).map { T($0) }
    let b = random.uniform(low: -1, high: 1, count: bCount).map { T($0) }
    var c = [T](repeating: 0, count: shape.m * shape.n)
    let lda = shape.transA == .noTranspose ? shape.k : shape.m
    let ldb = shape.transB == .noTranspose ? shape.n : shape.k
    var options = blocks
    options.threads = threads
    let seconds = a.withUnsafeBufferPointer { a in b.withUnsafeBufferPointer { b in c.withUnsafeMutableBufferPointer { c in
        measure(repeats: repeats) {
            gemm(shape.transA, shape.transB, m: shape.m, n: shape.n, k: shape.k, alpha: 1, a: a.baseAddress!, lda: lda,
                 b: b.baseAddress!, ldb: ldb, beta: 0, c: c.baseAddress!, ldc: shape.n, options: options)
        }
    } } }
    let op = (shape.transA == .noTranspose ? "N" : "T") + (shape.transB == .noTranspose ? "N" : "T")
    return GemmResult(name: shape.name, op: op, m: shape.m, n: shape.n, k: shape.k,
                      dtype: T.self == Float.self ? "float32" : "float64", threads: threads, seconds: seconds,
                      gflops: 2 * Double(shape.m) * Double(shape.n) * Double(shape.k) / seconds / 1e9)
}

/// `--serve`: reads requests `dtype threads op m n k` (e.g. `float32 2 NT 200 256 128`) from stdin, one per
/// line, and answers each with one JSON result line. Scripts/compare.py interleaves the libraries shape by
/// shape this way, so all sides see the same machine load.
func serveGemm(blocks: GemmOptions, repeats: Int) throws {
    while let line = readLine() {
        let f = line.split(separator: " ").map(String.init)
        guard f.count == 6, let threads = Int(f[1]), f[2].count == 2, let m = Int(f[3]), let n = Int(f[4]), let k = Int(f[5])
        else { throw BenchmarkError(description: "bad request '\(line)': expected 'dtype threads op m n k'") }
        let shape = GemmShape(name: "\(f[2]) \(m)x\(n)x\(k)", transA: f[2].first == "T" ? .transpose : .noTranspose,
                              transB: f[2].last == "T" ? .transpose : .noTranspose, m: m, n: n, k: k)
        let r = f[0] == "float64" ? benchmarkGemm(Double.self, shape, threads: threads, repeats: repeats, blocks: blocks)
                                  : benchmarkGemm(Float.self, shape, threads: threads, repeats: repeats, blocks: blocks)
        print(r.json)
        flushStandardOutput()
    }
}

func runGemmBenchmark(_ arguments: [String]) throws {
    let json = arguments.contains("--json")
    let threadCounts = try (option("--threads", in: arguments) ?? "1,2").split(separator: ",").map {
        guard let t = Int($0), t > 0 else { throw BenchmarkError(description: "--threads expects e.g. 1,2") }
        return t
    }
    let repeats = try integerOption("--repeats", in: arguments) ?? 7
    var shapes = gemmShapes(quick: arguments.contains("--quick"))
    if let filter = option("--only", in: arguments) { shapes = shapes.filter { $0.name.contains(filter) } }
    let dtypes = try dtypeListOption(arguments)
    // Overrides, for tuning: cache blocks (--mc N --kc N --nc N), operands read in place or packed (--in-place 1|0).
    let inPlace = try option("--in-place", in: arguments).map { text -> Bool in
        guard text == "0" || text == "1" else { throw BenchmarkError(description: "--in-place \(text): expected 0 or 1") }
        return text == "1"
    }
    let rowsFirst = try option("--order", in: arguments).map { text -> Bool in
        guard text == "rows" || text == "columns" else { throw BenchmarkError(description: "--order \(text): expected rows or columns") }
        return text == "rows"
    }
    let blocks = GemmOptions(mc: try integerOption("--mc", in: arguments), kc: try integerOption("--kc", in: arguments),
                             nc: try integerOption("--nc", in: arguments), inPlace: inPlace, rowsFirst: rowsFirst)
    if arguments.contains("--serve") { return try serveGemm(blocks: blocks, repeats: repeats) }
    var results: [GemmResult] = []
    let isa = KernelConfiguration.instructionSet
    let floatBlocks = GemmOptions.blocking(isa, Float.self), doubleBlocks = GemmOptions.blocking(isa, Double.self)
    let floatRows = GemmOptions.rowsFirstBlocking(isa, Float.self), doubleRows = GemmOptions.rowsFirstBlocking(isa, Double.self)
    let shortK = GemmOptions.shortRowsFirstK(isa)
    let blocking = "caches \(GemmOptions.cacheDescription); MC x KC x NC: Float \(floatBlocks.mc) x \(floatBlocks.kc) x "
        + "\(floatBlocks.nc), Double \(doubleBlocks.mc) x \(doubleBlocks.kc) x \(doubleBlocks.nc)"
        + "; rows first (AVX-512: m > MC, k > 256 and m <= 2n; m <= MC and n > its NC, AVX2 2 NC, packed): Float \(floatRows.mc) x \(floatBlocks.kc) x \(floatRows.nc), "
        + "Double \(doubleRows.mc) x \(doubleBlocks.kc) x \(doubleRows.nc)"
        + "; tall rows first KC (one thread; AVX-512 halves: any): Float \(GemmOptions.tallKC(isa, Float.self)), Double \(GemmOptions.tallKC(isa, Double.self))"
        + "; short k rows first: " + (shortK > 0 ? "k <= \(shortK) and k <= column micro-panels, NC of L2 at k" : "no")
        + "; operands by rows \((inPlace ?? GemmOptions.inPlaceByDefault) ? "read in place where they fit" : "packed")"
    if !json {
        print("GEMM, kernels: \(isa), median of \(repeats)")
        print(blocking)
        print("shape                 op      m     n     k  dtype    threads  GFLOP/s   time")
    }
    for double in [false, true] where dtypes.contains(double ? "float64" : "float32") {
        for threads in threadCounts {
            for shape in shapes {
                let r = double ? benchmarkGemm(Double.self, shape, threads: threads, repeats: repeats, blocks: blocks)
                               : benchmarkGemm(Float.self, shape, threads: threads, repeats: repeats, blocks: blocks)
                results.append(r)
                if !json {
                    let time = r.seconds < 1e-3 ? String(printf: "%8.1f us", r.seconds * 1e6) : String(printf: "%8.2f ms", r.seconds * 1e3)
                    print(r.name.padded(to: 20) + "  \(r.op)" + String(printf: "  %5ld %5ld %5ld  ", r.m, r.n, r.k) + r.dtype
                          + String(printf: "  %7ld  %7.1f  ", r.threads, r.gflops) + time)
                }
            }
        }
    }
    if json {
        var writer = JSONWriter()
        writer.add("kernels", "\(isa)")
        writer.add("blocking", blocking)
        writer.add("results", objects: results.map(\.json))
        print(writer.text)
    }
}

