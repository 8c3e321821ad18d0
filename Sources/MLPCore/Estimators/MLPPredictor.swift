import MLPKernels

/// A reusable prediction workspace for a fitted network: its buffers are allocated once, so repeated calls make no
/// heap allocation, and a single row takes a dedicated path (one vector pass per layer, no GEMM driver).
///
/// The probabilities are the same bits as ``MLPClassifier/predictProbabilities(_:)`` gives for the same rows.
/// A predictor is not thread-safe: give each thread its own (``MLPClassifier/makePredictor(maxRows:)``).
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
    private let binaryOutput: Bool
    private let first: UnsafeMutablePointer<T>, second: UnsafeMutablePointer<T>

    /// Creates a predictor for a network with its workspace for `maxRows` rows.
    /// - Parameters:
    ///   - network: the fitted network; one logistic output unit is read as a binary classifier's p(class 1).
    ///   - maxRows: the rows one pass holds (at least 1); more rows per call are predicted in chunks.
    public init(network: Network<T>, maxRows: Int = 1024) {
        self.network = network
        self.maxRows = Swift.max(1, maxRows)
        binaryOutput = network.outputCount == 1 && network.outputActivation == .logistic
        probabilityColumns = binaryOutput ? 2 : network.outputCount
        let widest = network.layerSizes.dropFirst().max() ?? 1
        first = .allocate(capacity: self.maxRows * widest)
        second = .allocate(capacity: self.maxRows * widest)
    }

    deinit {
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
    ///   when a count does not match, `MLPError.nonFiniteInput` for NaN or infinity in `x`.
    @_specialize(where T == Double)
    @_specialize(where T == Float)
    public func predictProbabilities(_ x: UnsafeBufferPointer<T>, rows: Int,
                                     into probabilities: UnsafeMutableBufferPointer<T>) throws {
        let features = network.inputCount, columns = probabilityColumns
        guard rows > 0 else {
            throw MLPError.emptyData("Found array with 0 sample(s) while a minimum of 1 is required by MLPPredictor.")
        }
        guard x.count == rows * features else {
            if rows == 1 { throw MLPError.featureCountMismatch(got: x.count, expected: features, estimator: "MLPPredictor") }
            throw MLPError.inconsistentLength("X holds \(x.count) values, but \(rows) rows of \(features) features need \(rows * features).")
        }
        guard probabilities.count == rows * columns else {
            throw MLPError.inconsistentLength("The output holds \(probabilities.count) values, but \(rows) rows of \(columns) probabilities need \(rows * columns).")
        }
        guard let input = x.baseAddress, let output = probabilities.baseAddress else { return }
        try checkFinite(input, count: x.count, columns: features)
        var start = 0
        while start < rows {
            let chunk = Swift.min(maxRows, rows - start)
            let out = forward(input + start * features, rows: chunk)
            let destination = output + start * columns
            if binaryOutput {
                for r in 0..<chunk {
                    destination[2 * r] = 1 - out[r]
                    destination[2 * r + 1] = out[r]
                }
            } else {
                destination.update(from: out, count: chunk * columns)
            }
            start += chunk
        }
    }

    /// The network's outputs for `rows` ≤ `maxRows` rows, in one of the two buffers: the batch's layers through GEMM
    /// with the bias (and ReLU) epilogue, as `Network.predict`, a single row through `DenseRow` (the same bits).
    private func forward(_ x: UnsafePointer<T>, rows: Int) -> UnsafePointer<T> {
        network.parameters.withUnsafeBufferPointer { parameters in
            var input = x, output = first
            for layer in 0..<network.layerCount {
                let nIn = network.layerSizes[layer], nOut = network.layerSizes[layer + 1]
                let w = parameters.baseAddress! + network.weightRange(ofLayer: layer).lowerBound
                let b = parameters.baseAddress! + network.biasRange(ofLayer: layer).lowerBound
                let activation = network.activation(ofLayer: layer)
                let relu = activation == .relu
                if rows == 1 {
                    DenseRow.forward(input, weights: w, bias: b, into: output, nIn: nIn, nOut: nOut, relu: relu)
                } else {
                    gemm(.noTranspose, .noTranspose, m: rows, n: nOut, k: nIn, alpha: 1, a: input, lda: nIn, b: w,
                         ldb: nOut, beta: 0, c: output, ldc: nOut, options: GemmOptions(),
                         epilogue: GemmEpilogue(bias: b, relu: relu))
                }
                if !relu && activation != .identity { activation.apply(output, rows: rows, columns: nOut) }
                input = UnsafePointer(output)
                output = output == first ? second : first
            }
            return input
        }
    }

    /// NaN or ±infinity anywhere: the error names the first offending cell (as the estimators' checks do).
    private func checkFinite(_ x: UnsafePointer<T>, count: Int, columns: Int) throws {
        var probe: T = 0
        for i in 0..<count { probe += x[i] * 0 }
        guard !probe.isFinite else { return }
        for i in 0..<count where !x[i].isFinite {
            throw MLPError.nonFiniteInput(what: "X", row: i / columns, column: i % columns, value: Double(x[i]))
        }
    }
}

extension MLPClassifier {
    /// A reusable prediction workspace for this fitted classifier: `predict_proba` for single rows or batches without
    /// allocating on repeated calls, with the same bits as ``predictProbabilities(_:)``.
    /// - Parameter maxRows: the rows one pass holds; more rows per call are predicted in chunks.
    /// - Returns: a predictor holding a copy of the fitted network.
    /// - Throws: `MLPError.notFitted` before fit.
    public func makePredictor(maxRows: Int = 1024) throws -> MLPPredictor<T> {
        guard let network else { throw MLPError.notFitted("MLPClassifier") }
        return MLPPredictor(network: network, maxRows: maxRows)
    }
}
