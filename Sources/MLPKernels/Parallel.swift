import CMLPKernels

/// Work split into parts that run at the same time on the worker pool.
///
/// A class rather than a closure: a closure handed to C has to be made escaping, which allocates on every call,
/// and the training loop allocates nothing per batch.
package protocol ParallelWork: AnyObject {
    /// Runs part `part` of `parts`. Parts run concurrently: each must write memory no other part touches.
    func runPart(_ part: Int, of parts: Int)
}

/// Runs `work.runPart(part, of: parts)` for every part in `0..<parts` on up to `threads` threads of the persistent
/// worker pool (the calling thread included) and returns when all have finished. Any thread may run any part, each
/// part once; a call made from inside a part runs all its parts on the calling thread.
///
/// One parallel region per training phase instead of one per GEMM: each hand-off costs about a microsecond, and
/// the elementwise passes between the products then run split too.
/// - Parameters:
///   - parts: the parts.
///   - threads: the threads to use, the caller included.
///   - size: the job's work in the caller's unit (multiply-adds, bytes): the pool decides between the workers and
///     the calling thread alone by measuring jobs within a factor of two of this size.
///   - work: the work.
package func runParts(_ parts: Int, threads: Int, size: Int, _ work: ParallelWork) {
    if parts <= 1 {
        work.runPart(0, of: 1)
        return
    }
    withPoolTarget(work, type(of: work)) { pointer in
        mlp_pool_run(Int32(clamping: parts), Int32(clamping: threads), size, { context, index, count in
            let target = context!.assumingMemoryBound(to: PoolTarget<any ParallelWork.Type>.self).pointee
            target.type.runPart(of: target.object, Int(index), of: Int(count))
        }, pointer)
    }
}

/// The work object a pool job calls, unretained, with its type. Calling through a loaded `any ParallelWork` would
/// retain and release the object around every part, and those atomic updates of one reference count from every
/// thread at once bounce its cache line (and the fields beside it) between the cores: a single row split over two
/// cores of a Zen 3 ran 10-40% slower (docs/performance.md, "Shared reference counts"). The caller keeps the object
/// alive.
private struct PoolTarget<WorkType> {
    let object: UnsafeMutableRawPointer
    let type: WorkType
}

/// Runs `body` with a pointer to `work`'s `PoolTarget`, keeping `work` alive until it returns.
private func withPoolTarget<WorkType>(_ work: AnyObject, _ type: WorkType, _ body: (UnsafeMutableRawPointer) -> Void) {
    var target = PoolTarget(object: Unmanaged.passUnretained(work).toOpaque(), type: type)
    withExtendedLifetime(work) {
        withUnsafeMutablePointer(to: &target) { body(UnsafeMutableRawPointer($0)) }
    }
}

extension ParallelWork {
    /// `runPart` on the object at `object` without retaining it.
    fileprivate static func runPart(of object: UnsafeMutableRawPointer, _ part: Int, of parts: Int) {
        Unmanaged<Self>.fromOpaque(object)._withUnsafeGuaranteedRef { $0.runPart(part, of: parts) }
    }
}

/// The part of `0..<count` that part `part` of `parts` owns: contiguous, in order, sizes differing by at most one.
@inline(__always)
package func partRange(_ count: Int, part: Int, parts: Int) -> Range<Int> {
    (count * part / parts)..<(count * (part + 1) / parts)
}

/// GEMM options for one part of a product split by rows of C: each element comes out exactly as in the unsplit
/// call. The unpacked path (which sums all of k in one chain) or the packed one (which sums KC-long blocks) is
/// chosen by the whole product's size, not the part's, and the part runs on the calling thread only.
package func partOptions(wholeWork: Int) -> GemmOptions {
    GemmOptions(threads: 1, smallThreshold: wholeWork <= Int(mlp_gemm_small_threshold()) ? Int.max : 0)
}
