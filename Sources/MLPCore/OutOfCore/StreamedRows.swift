// The training rows of a streamed fit: blocks of a cache file, encoded and scaled into the epoch's buffer.
//
// The buffer holds `capacity` rows. When every row fits, they are loaded once and each epoch permutes the row order
// with the seeded RNG exactly as an in-memory fit does (the same draws, so the same network, bit for bit). Otherwise
// the rows are cut into blocks of capacity/8 rows; each epoch draws a permutation of the blocks, fills the buffer
// with 8 of them at a time, permutes the rows within the buffer and runs the minibatch steps over it; the last
// batch of a buffer may be short. See docs/out-of-core.md.

/// What streamed training does per epoch, and with how much memory.
public struct StreamingOptions: Sendable, Equatable {
    /// The bytes of the shuffle buffer (encoded features and targets in the training element type): 64 MiB.
    public var bufferBytes: Int
    /// Blocks the buffer holds; a block is the unit of the across-buffer shuffle.
    public var blocksPerBuffer: Int

    /// Creates options.
    ///
    /// - Parameters:
    ///   - bufferBytes: The shuffle buffer's size in bytes (at least one minibatch is always held).
    ///   - blocksPerBuffer: Blocks per buffer fill.
    public init(bufferBytes: Int = 64 << 20, blocksPerBuffer: Int = 8) {
        self.bufferBytes = bufferBytes
        self.blocksPerBuffer = max(1, blocksPerBuffer)
    }
}

/// The rows of a cache as training data of element type `T`.
final class StreamedRows<T: KernelFloat> {
    let file: MLPDataFile
    let encoding: StreamedEncoding
    let scaler: FeatureScaler
    /// A row's target k (of `targetWidth`) from its raw target cell k: a class index, an indicator, or a (scaled) value.
    let target: (_ k: Int, _ cell: Double) throws -> T
    /// Targets per row: the cache's target columns (one class index for one column of labels).
    let targetWidth: Int
    let capacity: Int
    let blockRows: Int
    let blocksPerBuffer: Int
    /// The data-parallel run this fit is part of, read when it is made: each process then holds and reads only
    /// its share of every batch's rows (StreamedRows+Shares.swift).
    let exchange: (any BatchRowExchange)? = DistributedTraining.rowExchange
    /// With an `exchange` and every row in the buffer: the file rows in the order the epochs visit them,
    /// reshuffled in place each epoch as one process reshuffles its buffer's order.
    var visitOrder: [Int]?
    private var resident = false
    /// The rows early stopping holds out (scored by `forEachSlice(heldOutOnly: true)`, never trained on); nil without it.
    private(set) var heldOut: HeldOutRows?
    /// The rows trained on: all but the held-out ones.
    private(set) var trainingCount: Int
    /// One slice's encoded, scaled features, reused by every slice (sliceRows × featureCount).
    private var scratch: [T]

    var count: Int { file.rowCount }
    var featureCount: Int { encoding.featureCount }

    init(file: MLPDataFile, encoding: StreamedEncoding, scaler: FeatureScaler, targetWidth: Int, batchSize: Int,
         options: StreamingOptions, target: @escaping (_ k: Int, _ cell: Double) throws -> T) {
        precondition(targetWidth <= file.schema.targetCount, "a target per target cell at most")
        self.file = file
        self.encoding = encoding
        self.scaler = scaler
        self.target = target
        self.targetWidth = targetWidth
        let rowBytes = (encoding.featureCount + targetWidth) * MemoryLayout<T>.size + MemoryLayout<Int>.size
        capacity = min(file.rowCount, max(batchSize, options.bufferBytes / rowBytes))
        blocksPerBuffer = options.blocksPerBuffer
        blockRows = max(1, capacity / options.blocksPerBuffer)
        trainingCount = file.rowCount
        scratch = [T](repeating: 0, count: Self.sliceRows * encoding.featureCount)
    }

    /// Holds out the validation rows of early stopping.
    /// - Throws: `MLPError.validationSetTooSmall` when fewer than two rows are held out.
    func holdOut(_ rows: HeldOutRows) throws {
        let held = (0..<count).reduce(0) { $0 + (rows.contains($1) ? 1 : 0) }
        if held < 2 || held == count { throw MLPError.validationSetTooSmall }
        heldOut = rows
        trainingCount = count - held
    }

    /// True when every row is held at once (then an epoch is exactly an in-memory one).
    var fitsInBuffer: Bool { capacity == count }

    /// The epoch that trains on the buffer; `classWeights` weight each row by its class-index target.
    func makeEpoch(network: Network<T>, batchSize: Int, dropout: Double, randomState: Int?,
                   classWeights: [T]? = nil) -> MinibatchEpoch<T> {
        // A process of a data-parallel run holds its shares of the buffer's batches only.
        let held = exchange.map { max(1, MinibatchEpoch<T>.localRows(visits: capacity, batchSize: batchSize, exchange: $0)) }
            ?? capacity
        let buffer = StochasticSplit(x: Matrix<T>(rows: held, columns: featureCount),
                                     targets: [T](repeating: 0, count: held * targetWidth), sampleWeight: nil)
        return MinibatchEpoch(network: network, data: buffer, batchSize: batchSize, dropout: dropout,
                              randomState: randomState, visitedRows: capacity, classWeights: classWeights)
    }

    /// One epoch: fills the buffer (once, when everything fits), shuffles with `random`, and calls `train` per
    /// buffer; returns the mean of its losses weighted by rows.
    func runEpoch(_ epoch: MinibatchEpoch<T>, shuffle: Bool, random: inout NumPyRandomState,
                  train: () -> Double) throws -> Double {
        if let exchange { return try runSharedEpoch(epoch, exchange: exchange, shuffle: shuffle, random: &random, train: train) }
        if fitsInBuffer {
            if !resident {
                try fill(epoch, blocks: [0..<count])
                resident = true
            }
            if shuffle { epoch.shuffle(using: &random) }
            return train()
        }
        var total = 0.0
        for blocks in bufferFills(shuffle: shuffle, random: &random) {
            let rows = try fill(epoch, blocks: blocks)
            if rows == 0 { continue }  // every row of these blocks held out
            if shuffle { epoch.shuffle(using: &random) }
            total += train() * Double(rows)
        }
        return total / Double(trainingCount)
    }

    /// The blocks of each buffer fill of an epoch whose rows do not fit in one buffer, in the epoch's order (a
    /// permutation of the blocks drawn from `random` when shuffling).
    func bufferFills(shuffle: Bool, random: inout NumPyRandomState) -> [[Range<Int>]] {
        let blockCount = (count + blockRows - 1) / blockRows
        let order = shuffle ? random.permutation(blockCount) : Array(0..<blockCount)
        return stride(from: 0, to: blockCount, by: blocksPerBuffer).map { start in
            order[start..<min(start + blocksPerBuffer, blockCount)].map { b in (b * blockRows)..<min((b + 1) * blockRows, count) }
        }
    }

    /// Calls `body` with the held-out rows (`heldOutOnly`; none without early stopping) or every row, of the file
    /// rows `range` (all by default), encoded and scaled, up to 4096 at a time in file order: x (rows, featureCount)
    /// and the targets (rows × targetWidth).
    func forEachSlice(heldOutOnly: Bool, range: Range<Int>? = nil, _ body: (Matrix<T>, [T]) throws -> Void) throws {
        if heldOutOnly && heldOut == nil { return }
        let f = featureCount, width = file.schema.rowWidth, cells = file.schema.columns.count, range = range ?? 0..<count
        for start in stride(from: range.lowerBound, to: range.upperBound, by: Self.sliceRows) {
            let slice = start..<min(start + Self.sliceRows, range.upperBound)
            var x: [T] = [], y: [T] = []
            try withEncodedSlice(slice) { features, raw in
                for r in 0..<slice.count where !heldOutOnly || heldOut!.contains(slice.lowerBound + r) {
                    x.append(contentsOf: UnsafeBufferPointer(start: features + r * f, count: f))
                    for k in 0..<targetWidth { y.append(try target(k, raw[r * width + cells + k])) }
                }
            }
            if !y.isEmpty { try body(Matrix(rows: y.count / targetWidth, columns: f, storage: x), y) }
            file.release(slice)
        }
    }

    /// Rows per encoded slice: the scaler's copy stays small.
    static var sliceRows: Int { 4096 }

    /// Calls `body` with the rows of `slice` (at most `sliceRows`) encoded and scaled, (rows, featureCount), and
    /// their raw values. The features live in a buffer every slice reuses: no allocation, and no fresh pages to
    /// fault in, per slice.
    private func withEncodedSlice<R>(_ slice: Range<Int>,
                                     _ body: (UnsafePointer<T>, UnsafeBufferPointer<Double>) throws -> R) throws -> R {
        let raw = file.rows(slice)
        return try scratch.withUnsafeMutableBufferPointer { buffer in
            let features = buffer.baseAddress!
            try encoding.encode(raw, rows: slice.count, into: features)
            scaler.transform(inPlace: features, rows: slice.count)
            return try body(features, raw)
        }
    }

    /// Encodes, scales and copies `blocks` into the buffer, releasing each block's pages after it; returns the rows.
    @discardableResult
    private func fill(_ epoch: MinibatchEpoch<T>, blocks: [Range<Int>]) throws -> Int {
        let f = featureCount, width = file.schema.rowWidth, cells = file.schema.columns.count
        return try epoch.refill(maxRows: blocks.reduce(0) { $0 + $1.count }) { x, y in
            var at = 0
            for block in blocks {
                for start in stride(from: block.lowerBound, to: block.upperBound, by: Self.sliceRows) {
                    let slice = start..<min(start + Self.sliceRows, block.upperBound)
                    try withEncodedSlice(slice) { features, raw in
                        for r in 0..<slice.count where !(heldOut?.contains(slice.lowerBound + r) ?? false) {
                            (x + at * f).update(from: features + r * f, count: f)
                            for k in 0..<targetWidth { y[at * targetWidth + k] = try target(k, raw[r * width + cells + k]) }
                            at += 1
                        }
                    }
                }
                file.release(block)
            }
            return at
        }
    }
}
