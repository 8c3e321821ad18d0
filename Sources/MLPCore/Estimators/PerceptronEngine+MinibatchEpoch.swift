/// One epoch of minibatch steps over the training rows: `_fit_stochastic`'s inner loop over
/// `gen_batches(n, batch_size)`. Holds what every epoch reuses, so a batch allocates nothing.
final class MinibatchEpoch<T: KernelFloat> {
    private var data: StochasticSplit<T>
    /// The rows of `data` the epoch trains on: all of them, or fewer after a streamed `refill`.
    private var rowCount: Int
    private let batchSize: Int
    private let workspace: Backpropagation<T>
    /// The flat gradient, `network.parameters.count` elements, rewritten by every step. Owned: allocated by
    /// `init`, freed by `deinit`.
    private let gradient: UnsafeMutableBufferPointer<T>
    /// The order the rows are visited in: a permutation of 0..<n, reshuffled before each epoch. Owned as
    /// `gradient`; the step after a batch reads the next batch's indices, so they change only between epochs.
    private let sampleIndex: UnsafeMutableBufferPointer<Int>
    /// Each class's weight (class_weight), indexed by a row's class-index target: a refill or a share
    /// assignment sets every row's sample weight from it. nil: the data's own sample weights, or none.
    private let classWeights: [T]?
    /// When this process holds only its shares of the rows (`assignShares`): the exchange, and one batch's row
    /// weights, completed through it for the batch's normalizer.
    private var sharedRows: (any BatchRowExchange)?
    private let batchWeights: UnsafeMutableBufferPointer<T>
    /// The rows of the first batch whose sample weights summed to 0: its loss and gradient are 0/0 (scikit-learn's
    /// np.average raises ZeroDivisionError). `run` stops before that batch's step and every later `run` does nothing,
    /// so the caller can throw ``zeroWeightError(epoch:)`` with the weights of the batch before.
    private(set) var zeroWeightBatchRows: Int?

    /// - Parameters:
    ///   - visitedRows: the most rows an epoch visits: `data`'s rows, or more when `data` holds only this
    ///     process's shares of them (`assignShares`).
    ///   - classWeights: per class, for the rows `refill` or `assignShares` writes (one class-index target per row).
    init(network: Network<T>, data: StochasticSplit<T>, batchSize: Int, dropout: Double, randomState: Int?,
         visitedRows: Int? = nil, classWeights: [T]? = nil) {
        self.data = data
        self.classWeights = classWeights
        if classWeights != nil { self.data.sampleWeight = [T](repeating: 0, count: data.x.rows) }
        batchWeights = .allocate(capacity: batchSize)
        rowCount = data.x.rows
        self.batchSize = batchSize
        workspace = Backpropagation<T>(layerSizes: network.layerSizes, maxRows: batchSize,
                                       hiddenActivation: network.hiddenActivation,
                                       outputActivation: network.outputActivation)
        gradient = .allocate(capacity: network.parameters.count)
        gradient.initialize(repeating: 0)
        let visits = max(visitedRows ?? 0, data.x.rows)
        sampleIndex = .allocate(capacity: visits)
        _ = sampleIndex.initialize(from: 0..<visits)
        if dropout > 0 {
            workspace.enableDropout(rate: dropout,
                                    seed: randomState.map { UInt32(truncatingIfNeeded: $0 &+ 7919) } ?? UInt32.random(in: .min ... .max))
        }
    }

    deinit {
        gradient.deallocate()
        sampleIndex.deallocate()
        batchWeights.deallocate()
    }

    /// sklearn.utils.shuffle(sample_idx, random_state=rng): sample_idx[rng.permutation(n)]. The permutation is
    /// arange(n) put through a fixed sequence of swaps; making those swaps on sample_idx itself gives the same
    /// order from the same draws, without two more n-element arrays.
    func shuffle(using random: inout NumPyRandomState) {
        var order = UnsafeMutableBufferPointer(rebasing: sampleIndex[0..<rowCount])
        random.shuffle(&order)
    }

    /// Replaces the rows with new ones that `fill` writes into the epoch's own storage (a streamed buffer; no copy,
    /// no allocation) and returns the count of, at most `maxRows`; restores the visiting order to 0..<count.
    // fill(x: (maxRows, nFeatures) row-major, targets: (maxRows, targetWidth)) -> rows written
    @discardableResult
    func refill(maxRows: Int, _ fill: (UnsafeMutablePointer<T>, UnsafeMutablePointer<T>) throws -> Int) rethrows -> Int {
        precondition(maxRows <= data.x.rows, "a refill holds at most the rows the epoch was made with")
        let rows = try withStorage(fill)
        precondition(rows <= maxRows, "the refill wrote more rows than it said")
        rowCount = rows
        setClassWeights(rows: rows)
        _ = UnsafeMutableBufferPointer(rebasing: sampleIndex[0..<rows]).update(fromContentsOf: 0..<rows)
        return rows
    }

    /// `body` with the epoch's own storage of x and targets.
    private func withStorage<R>(_ body: (UnsafeMutablePointer<T>, UnsafeMutablePointer<T>) throws -> R) rethrows -> R {
        // Moved out while written: two simultaneous accesses to `data` would conflict; a move copies nothing.
        var x: [T] = [], y: [T] = []
        swap(&x, &data.x.storage)
        swap(&y, &data.targets)
        defer {
            swap(&x, &data.x.storage)
            swap(&y, &data.targets)
        }
        return try x.withUnsafeMutableBufferPointer { x in
            try y.withUnsafeMutableBufferPointer { y in try body(x.baseAddress!, y.baseAddress!) }
        }
    }

    /// For a data-parallel process that holds only its shares of the rows: the epoch visits `visits` rows in
    /// order (visit i is the batch row the whole run sees i-th), and this process computes rows
    /// `rowShare(rows, process:)` of each batch. Makes those visits read local rows 0, 1, 2… in batch order,
    /// lets `fill` write them, and returns the local row count. `fill(x, targets, visitsOfLocalRows)` writes
    /// local row j from visit `visitsOfLocalRows[j]`; rows outside the shares are never read (Backpropagation's
    /// `inputRowsAreLocal`), so their visits point at local row 0.
    // fill(x: (local rows, nFeatures) row-major, targets: (local rows, targetWidth), visits: (local rows))
    @discardableResult
    func assignShares(visits: Int, exchange: any BatchRowExchange,
                      _ fill: (UnsafeMutablePointer<T>, UnsafeMutablePointer<T>, [Int]) throws -> Void) rethrows -> Int {
        precondition(visits <= sampleIndex.count, "an epoch visits at most the rows it was made with")
        workspace.inputRowsAreLocal = true
        var visitsOfLocalRows: [Int] = []
        visitsOfLocalRows.reserveCapacity(Self.localRows(visits: visits, batchSize: batchSize, exchange: exchange))
        for start in stride(from: 0, to: visits, by: batchSize) {
            let rows = min(batchSize, visits - start), share = exchange.rowShare(rows, process: exchange.processIndex)
            for r in 0..<rows {
                if share.contains(r) {
                    sampleIndex[start + r] = visitsOfLocalRows.count
                    visitsOfLocalRows.append(start + r)
                } else {
                    sampleIndex[start + r] = 0
                }
            }
        }
        precondition(visitsOfLocalRows.count <= data.x.rows, "the shares exceed the epoch's local rows")
        rowCount = visits
        sharedRows = exchange
        try withStorage { x, y in try fill(x, y, visitsOfLocalRows) }
        setClassWeights(rows: visitsOfLocalRows.count)
        return visitsOfLocalRows.count
    }

    /// Sets the sample weights of local rows 0..<rows from their class-index targets (with `classWeights`).
    private func setClassWeights(rows: Int) {
        guard let classWeights else { return }
        for r in 0..<rows { data.sampleWeight![r] = classWeights[data.targets[r].truncatedInt] }
    }

    /// sw_sum of a batch whose rows this process holds only its share of: each process puts its rows' weights in
    /// place, the exchange completes them, and every process sums all of them in row order, as one process does.
    private func sharedNormalizer(_ weights: UnsafePointer<T>, batch: UnsafePointer<Int>, rows: Int,
                                  exchange: any BatchRowExchange) -> T {
        for r in exchange.rowShare(rows, process: exchange.processIndex) { batchWeights[r] = weights[batch[r]] }
        exchange.shareRows(batchWeights.baseAddress!, width: 1, rows: rows)
        var sum: T = 0
        for r in 0..<rows { sum += batchWeights[r] }
        return sum
    }

    /// The most rows one process holds of an epoch of `visits` rows: its share of each batch.
    static func localRows(visits: Int, batchSize: Int, exchange: any BatchRowExchange) -> Int {
        let k = exchange.processCount, full = visits / batchSize, rest = visits % batchSize
        return full * ((batchSize + k - 1) / k) + (rest + k - 1) / k
    }

    /// Trains `network` on every batch of the epoch and returns the mean training loss, each batch's
    /// `_backprop` loss weighted by its rows: data loss (sklearn's averaging) + (0.5·alpha)·Σ||W||², both / sw_sum.
    @_specialize(where T == Double)
    @_specialize(where T == Float)
    func run(_ network: inout Network<T>, optimizer: inout SolverOptimizer<T>, loss: Loss, targetLayout: TargetLayout,
             alpha: Double, outputs: Int) -> Double {
        let nSamples = rowCount, batchSize = batchSize
        let reportedScale = T(loss.reportedScale(outputs: outputs))
        let halfAlpha = T(0.5 * alpha), alpha = T(alpha)
        guard zeroWeightBatchRows == nil else { return .nan }
        // The pointers below are valid for the whole epoch: nothing resizes these arrays while it runs.
        return data.x.storage.withUnsafeBufferPointer { x in
            data.targets.withUnsafeBufferPointer { targets in
                withOptionalPointer(data.sampleWeight) { weights in
                    var accumulated: T = 0
                    var start = 0
                    while start < nSamples {
                        // gen_batches(n, batch_size): full batches, then the remainder.
                        let rows = min(batchSize, nSamples - start)
                        let nextRows = min(batchSize, nSamples - start - rows)
                        let batch = sampleIndex.baseAddress! + start
                        // sw_sum in row order; X[batch], y[batch] are gathered inside the step.
                        var normalizer: T = 0
                        if let weights, let sharedRows {
                            normalizer = sharedNormalizer(weights, batch: batch, rows: rows, exchange: sharedRows)
                        } else if let weights {
                            for r in 0..<rows { normalizer += weights[batch[r]] }
                        } else {
                            normalizer = T(rows)
                        }
                        if normalizer == 0 {
                            zeroWeightBatchRows = rows
                            return .nan
                        }
                        let (dataLoss, squaredNorm) = optimizer.withUpdateStep { step in
                            workspace.trainingStep(
                                &network, x: x.baseAddress!, targets: targets.baseAddress!, targetLayout: targetLayout,
                                sampleWeights: weights, rowIndices: batch, rows: rows,
                                nextRowIndices: nextRows > 0 ? batch + rows : nil, nextRows: nextRows, loss: loss,
                                alpha: alpha, normalizer: normalizer, gradient: gradient.baseAddress!, update: step)
                        }
                        let batchLoss = dataLoss * reportedScale / normalizer + halfAlpha * squaredNorm / normalizer
                        accumulated += batchLoss * T(rows)
                        start += rows
                    }
                    return Double(accumulated / T(nSamples))
                }
            }
        }
    }
}

extension MinibatchEpoch {
    /// The error of a batch whose sample weights summed to 0 in epoch `epoch` (1-based), nil when none did.
    func zeroWeightError(epoch: Int) -> MLPError? {
        guard let rows = zeroWeightBatchRows else { return nil }
        return .invalidSampleWeight("In epoch \(epoch) a minibatch of \(rows) rows has sample weights (class_weight × "
            + "sample_weight) that sum to 0, so its weighted loss is 0/0 (scikit-learn: \"Weights sum to zero, can't be "
            + "normalized\"). Weigh fewer rows 0, raise batch_size, or shuffle the rows.")
    }
}

/// `body` with the array's base address, or nil for a nil array.
private func withOptionalPointer<T, R>(_ array: [T]?, _ body: (UnsafePointer<T>?) -> R) -> R {
    guard let array else { return body(nil) }
    return array.withUnsafeBufferPointer { body($0.baseAddress!) }
}
