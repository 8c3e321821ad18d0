import CMLPKernels

/// Process-wide settings of the kernels.
public enum KernelConfiguration {
    /// Threads a large GEMM, and a training batch's row and gradient passes, are split across (the caller plus
    /// persistent pool workers). Defaults to the number of usable processors, or to `MLP_NUM_THREADS` (1...64) when
    /// set; another value is named on standard error once. Results are bit-identical for every thread count.
    public static var threadCount: Int {
        get { Int(mlp_get_num_threads()) }
        set { mlp_set_num_threads(Int32(clamping: newValue)) }
    }

    /// The instruction set the kernels run with: the best the CPU supports, or `MLP_KERNEL_ISA`
    /// (`generic`, `avx2`, `avx512`) when that is set and supported (otherwise named on standard error once).
    public static var instructionSet: InstructionSet { InstructionSet(rawValue: Int(mlp_best_isa())) ?? .generic }
}

/// The instruction sets the C kernels are compiled for.
public enum InstructionSet: Int, Sendable, CaseIterable, CustomStringConvertible {
    /// Portable C, auto-vectorized by the compiler for the baseline target (SSE2 on x86-64, NEON on arm64).
    case generic = 0
    /// AVX2 with FMA: 256-bit vectors (Haswell and later, Zen).
    case avx2 = 1
    /// AVX-512F: 512-bit vectors (Skylake-SP and later, Zen 4).
    case avx512 = 2

    /// Whether this CPU can run kernels compiled for this instruction set.
    public var isSupported: Bool { mlp_isa_supported(Int32(rawValue)) != 0 }

    /// The name printed in benchmark and report headers: `generic`, `avx2+fma` or `avx512f`.
    public var description: String {
        switch self {
        case .generic: "generic"
        case .avx2: "avx2+fma"
        case .avx512: "avx512f"
        }
    }
}

/// Per-call GEMM overrides, for tests and benchmarks: pick the instruction set, thread count,
/// path thresholds and cache blocks. `nil` means the default.
@usableFromInline
package struct GemmOptions: Sendable {
    package var instructionSet: InstructionSet?
    package var threads: Int?
    /// m·n·k at or below this takes the unpacked path (0: always pack).
    package var smallThreshold: Int?
    /// m·n·k below this runs on the calling thread only; set lower than a shared rows-first step's least work per
    /// part, it lowers that too (tests set 1 to split every step into as many parts as it has micro-panels).
    package var parallelThreshold: Int?
    package var mc: Int?, kc: Int?, nc: Int?
    /// Whether operands stored by rows are read in place where reused (false: packed); nil: the CPU's default
    /// (`mlp_gemm_in_place_default`: packed on Intel). The bits are the same either way.
    package var inPlace: Bool?
    /// The loop order: true walks each row block's tiles along C's rows through a B block in L2, false down C's
    /// columns through an A block in L2 (BLIS's order); nil: rows first on the AVX-512 kernels when C has more rows
    /// than one A block, k > 256 and at most twice as many rows as columns, and for one A block's rows and more
    /// columns than one rows-first B block (two on AVX2) with the operands packed (`MLP_GEMM_ORDER=rows|columns`: on
    /// every instruction set or none). The bits are the same either way.
    package var rowsFirst: Bool?
    /// Whether AVX-512 tiles whose last vector would be at most half used end in a 256-bit half vector; nil: where a
    /// 512-bit FMA measured about twice a 256-bit one (`mlp_gemm_half_tails_default`, `MLP_GEMM_HALF_TAILS=0|1`).
    /// The bits are the same either way.
    package var halfTails: Bool?
    /// Rows first on several threads with several row blocks: whether the threads share each packed block, one pool
    /// job per step (true), or each of two parts a thread packs its own (false); nil: shared unless each part gets at
    /// least 512 lines of the side of C the threads split (the longer). The bits are the same either way.
    package var sharedBlocks: Bool?
    /// Whether a narrow product (B stored by rows, A by rows or transposed, n <= 15 and not one whole vector; AVX-512)
    /// runs with C's rows as vector lanes (A by rows: a panel of its rows transposed in registers); nil: where that
    /// measured faster (n <= 12 float64, n <= 11 float32, k >= 32; `MLP_GEMM_NARROW=0|1`: never, or wherever it
    /// applies). The bits are the same either way.
    package var narrow: Bool?
    /// The most bytes GEMM may allocate for one buffer (a thread's packing workspace, a band of the scratch product
    /// that beta != 0 over several k blocks needs); nil: what the allocator grants. A buffer over the limit, or one
    /// the allocator refuses, sends the product down a path that needs less (smaller bands, then the unpacked
    /// loop): slower, the same bits, never a crash. Tests set small limits to take those paths.
    package var workspaceLimit: Int?

    @usableFromInline
    package init(instructionSet: InstructionSet? = nil, threads: Int? = nil, smallThreshold: Int? = nil,
                 parallelThreshold: Int? = nil, mc: Int? = nil, kc: Int? = nil, nc: Int? = nil, inPlace: Bool? = nil,
                 rowsFirst: Bool? = nil, halfTails: Bool? = nil, sharedBlocks: Bool? = nil, narrow: Bool? = nil,
                 workspaceLimit: Int? = nil) {
        self.instructionSet = instructionSet
        self.threads = threads
        self.smallThreshold = smallThreshold
        self.parallelThreshold = parallelThreshold
        self.mc = mc
        self.kc = kc
        self.nc = nc
        self.inPlace = inPlace
        self.rowsFirst = rowsFirst
        self.halfTails = halfTails
        self.sharedBlocks = sharedBlocks
        self.narrow = narrow
        self.workspaceLimit = workspaceLimit
    }

    var cOptions: mlp_gemm_options {
        var o = mlp_gemm_options()
        mlp_gemm_options_init(&o)
        if let instructionSet { o.isa = Int32(instructionSet.rawValue) }
        if let threads { o.threads = Int32(clamping: threads) }
        if let smallThreshold { o.small_threshold = smallThreshold }
        if let parallelThreshold { o.parallel_threshold = parallelThreshold }
        if let mc { o.mc = mc }
        if let kc { o.kc = kc }
        if let nc { o.nc = nc }
        if let inPlace { o.in_place = inPlace ? 1 : 0 }
        if let rowsFirst { o.order = rowsFirst ? 1 : 0 }
        if let halfTails { o.half_tails = halfTails ? 1 : 0 }
        if let sharedBlocks { o.shared_blocks = sharedBlocks ? 1 : 0 }
        if let narrow { o.narrow = narrow ? 1 : 0 }
        if let workspaceLimit { o.workspace_limit = workspaceLimit }
        return o
    }

    /// The cache blocks (MC, KC, NC) the packed kernel derives for an instruction set and element type from the
    /// detected caches (or `MLP_CACHE_SIZES`).
    package static func blocking<T: KernelFloat>(_ isa: InstructionSet, _ type: T.Type) -> (mc: Int, kc: Int, nc: Int) {
        var mc = 0, kc = 0, nc = 0
        mlp_gemm_blocking(Int32(isa.rawValue), Int32(MemoryLayout<T>.size), &mc, &kc, &nc)
        return (mc, kc, nc)
    }

    /// The row and column blocks (MC, NC) of the rows-first loop order, which products with more rows than
    /// ``blocking(_:_:)``'s MC, k > 256 and at most twice as many rows as columns take on the AVX-512 kernels, and
    /// those of one MC block and more columns than this NC (two on AVX2) when operands are packed; KC is the same.
    package static func rowsFirstBlocking<T: KernelFloat>(_ isa: InstructionSet, _ type: T.Type) -> (mc: Int, nc: Int) {
        var mc = 0, nc = 0
        mlp_gemm_rows_first_blocking(Int32(isa.rawValue), Int32(MemoryLayout<T>.size), &mc, &nc)
        return (mc, nc)
    }

    /// The KC of rows-first products of several row blocks on one thread: half of ``blocking(_:_:)``'s (the A
    /// micro-panel fills half of L1), or, on AVX-512 where the CPU runs a 512-bit FMA as two halves
    /// (``wideFMARunsAsHalves``), a KC whose A micro-panel fills one way of L2 on any thread count.
    package static func tallKC<T: KernelFloat>(_ isa: InstructionSet, _ type: T.Type) -> Int {
        mlp_gemm_tall_kc(Int32(isa.rawValue), Int32(MemoryLayout<T>.size))
    }

    /// The longest k at which products of at least k micro-panels of columns take the rows-first loop order (64 on the
    /// AVX2 kernels, 0 where such products keep columns first).
    package static func shortRowsFirstK(_ isa: InstructionSet) -> Int { mlp_gemm_short_rows_first_k(Int32(isa.rawValue)) }

    /// Whether a 512-bit FMA measured at 1.5 times a 256-bit one or more (Zen 4 runs it as two halves; false without
    /// AVX-512); `MLP_WIDE_FMA_HALVES=0|1` overrides.
    package static var wideFMARunsAsHalves: Bool { mlp_wide_fma_runs_as_halves() != 0 }

    /// Whether this CPU reads reused operands stored by rows in place by default (`inPlace` nil): false on Intel, where
    /// packing them measured faster; `MLP_GEMM_IN_PLACE=0|1` overrides.
    package static var inPlaceByDefault: Bool { mlp_gemm_in_place_default() != 0 }

    /// Whether this CPU ends AVX-512 tiles in half vectors by default (`halfTails` nil).
    package static var halfTailsByDefault: Bool { mlp_gemm_half_tails_default() != 0 }

    /// The data caches the blocks come from, e.g. `L1d 48K 12-way, L2 1024K 16-way, L3 32768K 16-way`.
    package static var cacheDescription: String {
        var info = mlp_cache_info()
        mlp_cache_info_get(&info)
        func level(_ name: String, _ c: mlp_cache_level) -> String { "\(name) \(c.size / 1024)K \(c.ways)-way" }
        return [level("L1d", info.l1), level("L2", info.l2), level("L3", info.l3)].joined(separator: ", ")
    }

    /// The micro-tile (rows, columns) of the packed kernel for an instruction set and element type.
    package static func microTile<T: KernelFloat>(_ isa: InstructionSet, _ type: T.Type) -> (mr: Int, nr: Int) {
        var mr: Int32 = 0, nr: Int32 = 0
        mlp_gemm_micro_tile(Int32(isa.rawValue), Int32(MemoryLayout<T>.size), &mr, &nr)
        return (Int(mr), Int(nr))
    }
}

/// What GEMM applies to each element of C as it stores it, once its sum is complete, in this order:
/// `+ bias[j]`, then ReLU (`x < 0 ? 0 : x`), then zero where `reluOutput(i, j) == 0` (ReLU's derivative).
/// The training loop's bias + ReLU and delta passes, without another sweep over C.
@usableFromInline
package struct GemmEpilogue<T> {
    package var bias: UnsafePointer<T>?
    package var relu: Bool
    /// (m, n) with row stride `reluOutputStride`.
    package var reluOutput: UnsafePointer<T>?
    package var reluOutputStride: Int

    package init(bias: UnsafePointer<T>? = nil, relu: Bool = false, reluOutput: UnsafePointer<T>? = nil,
                 reluOutputStride: Int = 0) {
        self.bias = bias
        self.relu = relu
        self.reluOutput = reluOutput
        self.reluOutputStride = reluOutputStride
    }
}

/// `T.gemm` with per-call overrides (tests and benchmarks) and an optional epilogue. Specialized because the training
/// loop calls it for every part of every product, and the generic body would look up `GemmEpilogue<T>?`'s metadata
/// on each call.
@_specialize(exported: true, where T == Double)
@_specialize(exported: true, where T == Float)
@usableFromInline
package func gemm<T: KernelFloat>(
    _ transA: Transpose, _ transB: Transpose, m: Int, n: Int, k: Int,
    alpha: T, a: UnsafePointer<T>, lda: Int, b: UnsafePointer<T>, ldb: Int,
    beta: T, c: UnsafeMutablePointer<T>, ldc: Int, options: GemmOptions, epilogue: GemmEpilogue<T>? = nil
) {
    var o = options.cOptions
    if let epilogue {
        // No `map(UnsafeRawPointer.init)`: in this unspecialized generic code that closure is allocated per call.
        if let bias = epilogue.bias { o.bias = UnsafeRawPointer(bias) }
        o.relu = epilogue.relu ? 1 : 0
        if let output = epilogue.reluOutput { o.relu_output = UnsafeRawPointer(output) }
        o.ld_relu_output = epilogue.reluOutputStride
    }
    if T.self == Float.self {
        mlp_sgemm(transA.flag, transB.flag, m, n, k, Float(alpha), UnsafeRawPointer(a).assumingMemoryBound(to: Float.self), lda,
                  UnsafeRawPointer(b).assumingMemoryBound(to: Float.self), ldb, Float(beta),
                  UnsafeMutableRawPointer(c).assumingMemoryBound(to: Float.self), ldc, &o)
    } else if T.self == Double.self {
        mlp_dgemm(transA.flag, transB.flag, m, n, k, Double(alpha), UnsafeRawPointer(a).assumingMemoryBound(to: Double.self), lda,
                  UnsafeRawPointer(b).assumingMemoryBound(to: Double.self), ldb, Double(beta),
                  UnsafeMutableRawPointer(c).assumingMemoryBound(to: Double.self), ldc, &o)
    } else {
        preconditionFailure("GEMM runs on Float and Double")
    }
}

/// The elementwise functions with an explicit instruction set (tests and benchmarks).
@usableFromInline
package enum ElementwiseFunction: Int32, Sendable, CaseIterable { case exp = 0, logistic = 1, tanh = 2 }

/// `instructionSet` nil: the best the CPU runs (or `MLP_KERNEL_ISA`).
@usableFromInline
package func vectorMath<T: KernelFloat>(_ function: ElementwiseFunction, _ x: UnsafePointer<T>, _ y: UnsafeMutablePointer<T>,
                                        count: Int, instructionSet: InstructionSet? = nil) {
    let isa = Int32(instructionSet?.rawValue ?? -1)
    if T.self == Float.self {
        mlp_vmath_f32(function.rawValue, UnsafeRawPointer(x).assumingMemoryBound(to: Float.self),
                      UnsafeMutableRawPointer(y).assumingMemoryBound(to: Float.self), count, isa)
    } else {
        precondition(T.self == Double.self, "vectorMath supports Float and Double")
        mlp_vmath_f64(function.rawValue, UnsafeRawPointer(x).assumingMemoryBound(to: Double.self),
                      UnsafeMutableRawPointer(y).assumingMemoryBound(to: Double.self), count, isa)
    }
}

/// Row-wise softmax in place (see ``KernelFloat/softmaxRows(_:rows:columns:ld:)``) with an explicit instruction set;
/// nil: the best the CPU runs (or `MLP_KERNEL_ISA`).
@usableFromInline
package func softmaxRows<T: KernelFloat>(_ x: UnsafeMutablePointer<T>, rows: Int, columns: Int, ld: Int,
                                         instructionSet: InstructionSet? = nil) {
    let isa = Int32(instructionSet?.rawValue ?? -1)
    if T.self == Float.self {
        mlp_softmax_rows_f32(UnsafeMutableRawPointer(x).assumingMemoryBound(to: Float.self), rows, columns, ld, isa)
    } else {
        precondition(T.self == Double.self, "softmaxRows supports Float and Double")
        mlp_softmax_rows_f64(UnsafeMutableRawPointer(x).assumingMemoryBound(to: Double.self), rows, columns, ld, isa)
    }
}
