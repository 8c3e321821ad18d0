// The seam of data-parallel training. A process computes the forward and backward passes of its share of each
// batch's rows; the exchange then makes the row phase's results (layer inputs, deltas, row losses) complete on
// every process, and each finishes the whole gradient and update as one process would. The gradient's sums over
// rows are GEMM chains in row order, so gathering rows (not summing partial gradients) is what keeps the model
// bit-identical to one process for any process count. See docs/distributed.md.

/// Splits every training batch's rows between the processes of a data-parallel fit and shares what each
/// computed, so that every process holds the whole batch's results.
///
/// Set one for a fit with `DistributedTraining.$rowExchange.withValue(_:operation:)`; without one (the
/// default) training runs on this process alone and nothing changes.
public protocol BatchRowExchange: AnyObject, Sendable {
    /// The number of processes the batches are split between.
    var processCount: Int { get }
    /// This process's index, in `0..<processCount`.
    var processIndex: Int { get }
    /// Makes every row of `buffer` complete on every process: on entry each process holds the rows
    /// `rowShare(rows, process:)` it computed; on return every process holds all `rows` rows.
    /// - Parameters:
    ///   - buffer: `rows` rows of `width` elements, row-major.
    ///   - width: elements per row.
    ///   - rows: the batch's rows.
    func shareRows<T: KernelFloat>(_ buffer: UnsafeMutablePointer<T>, width: Int, rows: Int)
    /// Process 0's `value`, on every process: a decision (an epoch's validation score) all processes then share.
    /// - Parameter value: this process's value (only process 0's is used).
    func broadcast(_ value: Double) -> Double
    /// Counts rows this process read from the data and encoded (a streamed fit reads its shares only); the
    /// default ignores them.
    /// - Parameter rows: rows just read.
    func noteRowsRead(_ rows: Int)
}

extension BatchRowExchange {
    /// The rows of a batch of `rows` rows that process `process` computes: contiguous, in process order, sizes
    /// differing by at most one.
    /// - Parameters:
    ///   - rows: the batch's rows.
    ///   - process: a process index, in `0..<processCount`.
    public func rowShare(_ rows: Int, process: Int) -> Range<Int> {
        partRange(rows, part: process, parts: processCount)
    }

    /// Process 0's `flag`, on every process.
    /// - Parameter flag: this process's flag (only process 0's is used).
    public func broadcast(_ flag: Bool) -> Bool { broadcast(flag ? 1.0 : 0.0) != 0 }

    /// Every process's `values` (as many on each), in process order: one row per process, completed through
    /// `shareRows`. For a sum over processes that every process adds up in the same order.
    func gatherRows(_ values: [Double]) -> [[Double]] {
        let width = values.count, k = processCount
        var buffer = [Double](repeating: 0, count: k * width)
        buffer.withUnsafeMutableBufferPointer { b in
            for p in rowShare(k, process: processIndex) { for j in 0..<width { b[p * width + j] = values[j] } }
            shareRows(b.baseAddress!, width: width, rows: k)
        }
        return (0..<k).map { p in Array(buffer[(p * width)..<((p + 1) * width)]) }
    }

    /// Ignores the count: an exchange that does not report reads.
    /// - Parameter rows: rows just read.
    public func noteRowsRead(_ rows: Int) {}
}

/// Where a fit finds the exchange of the data-parallel run it is part of.
public enum DistributedTraining {
    /// The exchange the fits started inside `$rowExchange.withValue(exchange) { ... }` split their batches with;
    /// nil (the default): one process trains alone.
    @TaskLocal public static var rowExchange: (any BatchRowExchange)?
}
