import MLPKernels

/// A reusable prediction workspace for a fitted network: its buffers are allocated once, so repeated calls make no
/// heap allocation, and a single row takes a dedicated path (one pass per layer over the weights and bias stored as
/// column panels, `DenseRowPanels`, the large layers split over two threads; no GEMM driver).
///
/// The probabilities are the same bits as ``MLPClassifier/predictProbabilities(_:)`` gives for the same rows, and the
/// outputs the same bits as ``MLPRegressor/predict(_:)``. A predictor is not thread-safe: give each thread its own
/// (``MLPClassifier/makePredictor(maxRows:)``).
///
/// ```swift
/// let predictor = try classifier.makePredictor()
/// var probabilities = [Double](repeating: 0, count: predictor.probabilityColumns)
/// try predictor.predictProbabilities(row, into: &probabilities)
/// ```
public final class MLPPredictor<T: KernelFloat> {
    /// The network this predictor runs: a copy, so refitting the classifier does not change the predictor.
    public let network: Network<T>
    /// The most rows one pass through the network holds; larger batches are predicted in chunks of this many rows.
    public let maxRows: Int
    /// The values per row of probabilities: the number of classes (2 for a binary classifier, whose network has one
    /// logistic output unit).
    public let probabilityColumns: Int
    /// The values per row of ``predictOutputs(_:rows:into:)``: the network's output units.
    public var outputColumns: Int { network.outputCount }

    /// One layer's shape, activation, and where its weights and bias start in `parameters`.
    private struct Layer {
        let nIn: Int, nOut: Int, weights: Int, bias: Int
        let activation: Activation
    }
    /// A buffer, not an array: iterating an array of a generic class's nested type allocates a coroutine frame per
    /// element in unoptimized builds.
    private let layers: UnsafeMutableBufferPointer<Layer>
    private let binaryOutput: Bool
    /// The single-row path through weight panels; nil: single rows read the unpacked matrices.
    private let singleRow: SingleRowPass<T>?
    /// The network's parameters (the batch path).
    private let parameters: UnsafeMutablePointer<T>
    private let first: UnsafeMutablePointer<T>, second: UnsafeMutablePointer<T>
    /// The widest layer's outputs: a row's room in each buffer.
    private let widest: Int
    /// A large batch's rows split over the pool (`predictChunk`).
    private lazy var batchRows = BatchRows(self)

    /// Creates a predictor for a network with its workspace for `maxRows` rows.
    /// - Parameters:
    ///   - network: the fitted network; one logistic output unit is read as a binary classifier's p(class 1).
    ///   - maxRows: the rows one pass holds (at least 1); more rows per call are predicted in chunks.
    /// - Throws: `MLPError.invalidParameter` when `maxRows` is below 1 or its workspace would not fit in memory;
    ///   `MLPError.inconsistentLength` when `network.parameters` does not hold `network.parameterCount` values.
    public convenience init(network: Network<T>, maxRows: Int = 1024) throws {
        try self.init(network: network, maxRows: maxRows,
                      panelWidth: DenseRowPanels.width(for: T.self, isa: KernelConfiguration.instructionSet))
    }

    /// A predictor whose single-row path uses weight panels of `panelWidth` columns, or with nil the unpacked
    /// matrices (for benchmarks that compare the two; the bits are the same); `splitLayersFrom` bytes of panels, when
    /// given, is the smallest layer a single row splits over the threads (`SingleRowPass`).
    package init(network: Network<T>, maxRows: Int, panelWidth: Int?, splitLayersFrom: Int? = nil) throws {
        try network.checkParameterCount(owner: "MLPPredictor")
        let widest = network.layerSizes.dropFirst().max() ?? 1
        let (values, overflow) = maxRows.multipliedReportingOverflow(by: 2 * widest * MemoryLayout<T>.stride)
        guard maxRows >= 1, !overflow, Double(values) <= MemoryEstimate.availableBytes() ?? .infinity else {
            throw MLPError.invalidParameter("maxRows must be at least 1 and its workspace (\(maxRows) rows of \(widest) "
                                            + "values, twice) must fit in memory; got maxRows=\(maxRows).")
        }
        self.network = network
        self.maxRows = maxRows
        binaryOutput = network.outputCount == 1 && network.outputActivation == .logistic
        probabilityColumns = binaryOutput ? 2 : network.outputCount
        var layers: [Layer] = []
        for l in 0..<network.layerCount {
            layers.append(Layer(nIn: network.layerSizes[l], nOut: network.layerSizes[l + 1],
                                weights: network.weightRange(ofLayer: l).lowerBound,
                                bias: network.biasRange(ofLayer: l).lowerBound, activation: network.activation(ofLayer: l)))
        }
        self.layers = .allocate(capacity: layers.count)
        _ = self.layers.initialize(from: layers)
        let parameters = UnsafeMutablePointer<T>.allocate(capacity: network.parameters.count)
        parameters.initialize(from: network.parameters, count: network.parameters.count)
        self.parameters = parameters
        singleRow = panelWidth.map {
            SingleRowPass(network: network, parameters: parameters, width: Swift.max(1, $0), splitLayersFrom: splitLayersFrom)
        }
        self.widest = widest
        first = .allocate(capacity: maxRows * widest)
        second = .allocate(capacity: maxRows * widest)
    }

    deinit {
        layers.deallocate()
        parameters.deallocate()
        first.deallocate()
        second.deallocate()
    }

    /// `predict_proba` for one row, written into `probabilities`, without allocating.
    /// - Parameters:
    ///   - row: the sample's features, `network.inputCount` values.
    ///   - probabilities: receives ``probabilityColumns`` values, in the order of the classifier's `classes`.
    /// - Throws: `MLPError.featureCountMismatch` for a row of the wrong length, `MLPError.inconsistentLength` when
    ///   `probabilities` has the wrong count, `MLPError.nonFiniteInput` for NaN or infinity in `row`.
    @_specialize(where T == Double)
    @_specialize(where T == Float)
    public func predictProbabilities(_ row: UnsafeBufferPointer<T>,
                                     into probabilities: UnsafeMutableBufferPointer<T>) throws {
        try predictProbabilities(row, rows: 1, into: probabilities)
    }

    /// `predict_proba` for one row held in arrays, without allocating.
    /// - Parameters:
    ///   - row: the sample's features, `network.inputCount` values.
    ///   - probabilities: receives ``probabilityColumns`` values (its count must be that already).
    /// - Throws: the errors of the buffer form of `predictProbabilities(_:into:)`.
    public func predictProbabilities(_ row: [T], into probabilities: inout [T]) throws {
        try row.withUnsafeBufferPointer { row in
            try probabilities.withUnsafeMutableBufferPointer { try predictProbabilities(row, rows: 1, into: $0) }
        }
    }

    /// `predict_proba` for `rows` rows stored one after another, written row by row into `probabilities`.
    /// - Parameters:
    ///   - x: the samples, `rows × network.inputCount` values, row-major.
    ///   - rows: the number of samples (at least 1).
    ///   - probabilities: receives `rows × probabilityColumns` values, row-major.
    /// - Throws: `MLPError.emptyData` for no rows, `MLPError.featureCountMismatch` or `MLPError.inconsistentLength`
    ///   when a count does not match, `MLPError.nonFiniteInput` for NaN or infinity in `x` (its row counted in `x`).
    @_specialize(where T == Double)
    @_specialize(where T == Float)
    public func predictProbabilities(_ x: UnsafeBufferPointer<T>, rows: Int,
                                     into probabilities: UnsafeMutableBufferPointer<T>) throws {
        try predict(x, rows: rows, into: probabilities, columns: probabilityColumns, splitBinary: binaryOutput)
    }

    /// The network's outputs for `rows` rows: a regressor's predictions (``MLPRegressor/predict(_:)``), or a
    /// classifier's output units before they become labels (one unit for a binary target).
    /// - Parameters:
    ///   - x: the samples, `rows × network.inputCount` values, row-major.
    ///   - rows: the number of samples (at least 1).
    ///   - outputs: receives `rows × outputColumns` values, row-major.
    /// - Throws: the errors of `predictProbabilities(_:rows:into:)`.
    @_specialize(where T == Double)
    @_specialize(where T == Float)
    public func predictOutputs(_ x: UnsafeBufferPointer<T>, rows: Int, into outputs: UnsafeMutableBufferPointer<T>) throws {
        try predict(x, rows: rows, into: outputs, columns: outputColumns, splitBinary: false)
    }

    /// Checks the counts and the values, then runs the rows in chunks of `maxRows`; `splitBinary` writes one output
    /// unit p as the two probabilities [1 − p, p].
    private func predict(_ x: UnsafeBufferPointer<T>, rows: Int, into destination: UnsafeMutableBufferPointer<T>,
                         columns: Int, splitBinary: Bool) throws {
        let features = network.inputCount
        guard rows > 0 else {
            throw MLPError.emptyData("Found array with 0 sample(s) while a minimum of 1 is required by MLPPredictor.")
        }
        let (inputs, inputsOverflow) = rows.multipliedReportingOverflow(by: features)
        guard !inputsOverflow, x.count == inputs else {
            if rows == 1 { throw MLPError.featureCountMismatch(got: x.count, expected: features, estimator: "MLPPredictor") }
            throw MLPError.inconsistentLength("X holds \(x.count) values, but \(rows) rows of \(features) features need more or fewer.")
        }
        let (outputs, outputsOverflow) = rows.multipliedReportingOverflow(by: columns)
        guard !outputsOverflow, destination.count == outputs else {
            throw MLPError.inconsistentLength("The output holds \(destination.count) values, but \(rows) rows of \(columns) values need more or fewer.")
        }
        guard let input = x.baseAddress, let output = destination.baseAddress else { return }
        try InputValidation.checkFinite(x, columns: features, what: "X")
        var start = 0
        while start < rows {
            let chunk = Swift.min(maxRows, rows - start)
            predictChunk(input + start * features, rows: chunk, into: output + start * columns, splitBinary: splitBinary)
            start += chunk
        }
    }

    /// The outputs of `rows` ≤ `maxRows` rows into `destination`: the batch's layers through GEMM with the bias (and
    /// ReLU) epilogue, as `Network.predict`, a single row through the weight panels (the same bits). A large batch is
    /// split by rows over the pool's threads, each running every layer on its rows and writing its rows of the
    /// result: one hand-off per call instead of one per product, and the activations and the copy split too. Each
    /// element is the same FMA chain whichever rows a product holds (``partOptions(wholeWork:)``), so the bits do not
    /// change.
    private func predictChunk(_ x: UnsafePointer<T>, rows: Int, into destination: UnsafeMutablePointer<T>,
                              splitBinary: Bool) {
        if rows == 1, let singleRow {
            write(singleRow.forward(x), rows: 1, into: destination, splitBinary: splitBinary)
            return
        }
        let threads = KernelConfiguration.threadCount
        if threads > 1 && rows >= Self.smallestSplitBatch {
            batchRows.set(x, rows: rows, into: destination, splitBinary: splitBinary)
            runParts(threads, threads: threads, size: rows * network.weightCount, batchRows)
        } else {
            predictRows(x, rows: rows, range: 0..<rows, into: destination, splitBinary: splitBinary)
        }
    }

    /// Rows below which a batch is not split by rows: each thread's products would be only a few tiles tall.
    static var smallestSplitBatch: Int { 128 }

    /// Rows `range` of a `rows`-row batch through every layer, written to their rows of `destination`. The rows
    /// work in their own region of each buffer, from row `range.lowerBound` of the widest layer on, so the parts
    /// of a split batch never touch each other's activations (compact rows of different layers would overlap).
    /// A part of a split batch runs its products on the calling thread, each on the path the whole batch's product
    /// would take.
    fileprivate func predictRows(_ x: UnsafePointer<T>, rows: Int, range: Range<Int>,
                                 into destination: UnsafeMutablePointer<T>, splitBinary: Bool) {
        let region = range.lowerBound * widest, count = range.count
        var input = x + range.lowerBound * network.inputCount
        var (output, spare) = (first + region, second + region)
        for layer in layers {
            let w = parameters + layer.weights, b = parameters + layer.bias
            let relu = layer.activation == .relu
            if count == 1 {
                DenseRow.forward(input, weights: w, bias: b, into: output, nIn: layer.nIn, nOut: layer.nOut, relu: relu)
            } else {
                let options = count == rows ? GemmOptions() : partOptions(wholeWork: rows * layer.nOut * layer.nIn)
                gemm(.noTranspose, .noTranspose, m: count, n: layer.nOut, k: layer.nIn, alpha: 1, a: input,
                     lda: layer.nIn, b: w, ldb: layer.nOut, beta: 0, c: output, ldc: layer.nOut, options: options,
                     epilogue: GemmEpilogue(bias: b, relu: relu))
            }
            if !relu && layer.activation != .identity { layer.activation.apply(output, rows: count, columns: layer.nOut) }
            input = UnsafePointer(output)
            swap(&output, &spare)
        }
        let columns = splitBinary ? 2 : network.outputCount
        write(input, rows: count, into: destination + range.lowerBound * columns, splitBinary: splitBinary)
    }

    /// Copies `rows` rows of the network's outputs to `destination`; `splitBinary` writes one output unit p as the
    /// two probabilities [1 − p, p].
    private func write(_ out: UnsafePointer<T>, rows: Int, into destination: UnsafeMutablePointer<T>, splitBinary: Bool) {
        if splitBinary {
            for r in 0..<rows {
                destination[2 * r] = 1 - out[r]
                destination[2 * r + 1] = out[r]
            }
        } else {
            destination.update(from: out, count: rows * network.outputCount)
        }
    }

}

extension MLPClassifier {
    /// A reusable prediction workspace for this fitted classifier: `predict_proba` for single rows or batches without
    /// allocating on repeated calls, with the same bits as ``predictProbabilities(_:)``.
    /// - Parameter maxRows: the rows one pass holds; more rows per call are predicted in chunks.
    /// - Returns: a predictor holding a copy of the fitted network.
    /// - Throws: `MLPError.notFitted` before fit, `MLPError.invalidParameter` for a `maxRows` below 1 or too large.
    public func makePredictor(maxRows: Int = 1024) throws -> MLPPredictor<T> {
        guard let network else { throw MLPError.notFitted("MLPClassifier") }
        try checkRestored(network)
        return try MLPPredictor(network: network, maxRows: maxRows)
    }
}

extension MLPRegressor {
    /// A reusable prediction workspace for this fitted regressor: ``MLPPredictor/predictOutputs(_:rows:into:)`` gives
    /// the same bits as ``predict(_:)`` without allocating on repeated calls.
    /// - Parameter maxRows: the rows one pass holds; more rows per call are predicted in chunks.
    /// - Returns: a predictor holding a copy of the fitted network.
    /// - Throws: `MLPError.notFitted` before fit, `MLPError.invalidParameter` for a `maxRows` below 1 or too large.
    public func makePredictor(maxRows: Int = 1024) throws -> MLPPredictor<T> {
        guard let network else { throw MLPError.notFitted("MLPRegressor") }
        return try MLPPredictor(network: network, maxRows: maxRows)
    }
}

/// One batch split by rows over the pool's threads for an ``MLPPredictor``: part p runs every layer on its rows and
/// writes their results.
private final class BatchRows<T: KernelFloat>: ParallelWork {
    unowned let predictor: MLPPredictor<T>
    private var x: UnsafePointer<T>?, destination: UnsafeMutablePointer<T>?
    private var rows = 0, splitBinary = false

    init(_ predictor: MLPPredictor<T>) { self.predictor = predictor }

    func set(_ x: UnsafePointer<T>, rows: Int, into destination: UnsafeMutablePointer<T>, splitBinary: Bool) {
        self.x = x
        self.rows = rows
        self.destination = destination
        self.splitBinary = splitBinary
    }

    func runPart(_ part: Int, of parts: Int) {
        let range = partRange(rows, part: part, parts: parts)
        guard let x, let destination, !range.isEmpty else { return }
        predictor.predictRows(x, rows: rows, range: range, into: destination, splitBinary: splitBinary)
    }
}
