import MLPTestSupport
import Testing
@testable import MLPCore

// The reusable predictor against the classifier's own predictProbabilities: the same bits for single rows (the
// dense-row kernel) and for batches (the GEMM driver, in chunks), for each output kind and hidden activation.
@Suite struct MLPPredictorTests {
    /// A classifier with seeded random weights (no fit needed: the predictor only reads the network).
    static func classifier<T: KernelFloat>(_ type: T.Type, layers: [Int], hidden: Activation, output: Activation,
                                           seed: UInt64) -> MLPClassifier<T> {
        var network = Network<T>(layerSizes: layers, hiddenActivation: hidden, outputActivation: output)
        var rng = SeededGenerator(seed: seed)
        for i in network.parameters.indices { network.parameters[i] = T(Double.random(in: -0.5...0.5, using: &rng)) }
        let classCount = output == .softmax ? layers.last! : 2
        let targetType: TargetType = output == .softmax ? .multiclass : .binary
        return MLPClassifier<T>(parameters: MLPParameters(), network: network,
                                classes: (0..<classCount).map { ClassLabel($0) }, targetType: targetType)
    }

    static func checkSameBits<T: KernelFloat>(_ type: T.Type, layers: [Int], hidden: Activation, output: Activation) throws {
        let clf = classifier(T.self, layers: layers, hidden: hidden, output: output, seed: UInt64(layers.reduce(0, +)))
        let rows = 37, features = layers[0]
        var rng = SeededGenerator(seed: 5)
        let x = Matrix<T>(rows: rows, columns: features,
                          storage: (0..<(rows * features)).map { _ in T(Double.random(in: -2...2, using: &rng)) })
        let expected = try clf.predictProbabilities(x)
        let predictor = try clf.makePredictor(maxRows: 8)  // 37 rows: four full chunks and a partial one
        #expect(predictor.probabilityColumns == expected.columns)

        var batch = [T](repeating: .nan, count: rows * predictor.probabilityColumns)
        try x.storage.withUnsafeBufferPointer { x in
            try batch.withUnsafeMutableBufferPointer { try predictor.predictProbabilities(x, rows: rows, into: $0) }
        }
        #expect(batch.map { Double($0).bitPattern } == expected.storage.map { Double($0).bitPattern }, "\(T.self) \(layers) \(hidden) \(output): batch")

        var single = [T](repeating: .nan, count: predictor.probabilityColumns)
        for r in 0..<rows {
            try predictor.predictProbabilities(Array(x.storage[(r * features)..<((r + 1) * features)]), into: &single)
            let want = expected.storage[(r * expected.columns)..<((r + 1) * expected.columns)]
            #expect(single.map { Double($0).bitPattern } == want.map { Double($0).bitPattern }, "\(T.self) \(layers) \(hidden) \(output): row \(r)")
        }
    }

    @Test(arguments: [Activation.relu, .tanh, .logistic, .identity])
    func singleRowsAndBatchesMatchPredictProbabilities(hidden: Activation) throws {
        // The large problem's shape (10 classes: the column tail of the dense-row kernel), a binary output, and widths
        // that are not multiples of any vector length.
        try Self.checkSameBits(Double.self, layers: [100, 256, 128, 10], hidden: hidden, output: .softmax)
        try Self.checkSameBits(Float.self, layers: [100, 256, 128, 10], hidden: hidden, output: .softmax)
        try Self.checkSameBits(Double.self, layers: [7, 33, 1], hidden: hidden, output: .logistic)
        try Self.checkSameBits(Float.self, layers: [13, 70, 19, 3], hidden: hidden, output: .softmax)
    }

    /// Single rows with every layer split over the pool's threads (whatever the caches), for 1, 2 and 3 threads: the
    /// classifier's bits, whichever thread runs which panels. Hidden tanh or logistic end a job after each layer.
    @Test(arguments: [Activation.relu, .tanh, .identity])
    func splitSingleRowsMatchPredictProbabilities(hidden: Activation) throws {
        let threads = KernelConfiguration.threadCount
        defer { KernelConfiguration.threadCount = threads }
        for threadCount in [2, 1, 3] {
            KernelConfiguration.threadCount = threadCount
            try Self.checkSplitRows(Double.self, layers: [100, 256, 128, 10], hidden: hidden, output: .softmax)
            try Self.checkSplitRows(Float.self, layers: [50, 700, 300, 4], hidden: hidden, output: .softmax)
            try Self.checkSplitRows(Double.self, layers: [9, 200, 1], hidden: hidden, output: .logistic)
            // 19 layers of 3 panels: a ReLU or identity job longer than the 16 phases one pool job holds.
            try Self.checkSplitRows(Float.self, layers: [8] + Array(repeating: 130, count: 18) + [3], hidden: hidden,
                                    output: .softmax)
        }
    }

    static func checkSplitRows<T: KernelFloat>(_ type: T.Type, layers: [Int], hidden: Activation,
                                               output: Activation) throws {
        let clf = classifier(T.self, layers: layers, hidden: hidden, output: output, seed: 23)
        let predictor = try MLPPredictor(network: clf.network!, maxRows: 4, panelWidth: 
            DenseRowPanels.width(for: T.self, isa: KernelConfiguration.instructionSet), splitLayersFrom: 0)
        var rng = SeededGenerator(seed: 9)
        let features = layers[0]
        let x = Matrix<T>(rows: 5, columns: features,
                          storage: (0..<(5 * features)).map { _ in T(Double.random(in: -2...2, using: &rng)) })
        let expected = try clf.predictProbabilities(x)
        var single = [T](repeating: .nan, count: predictor.probabilityColumns)
        for r in 0..<x.rows {
            try predictor.predictProbabilities(Array(x.storage[(r * features)..<((r + 1) * features)]), into: &single)
            let want = expected.storage[(r * expected.columns)..<((r + 1) * expected.columns)]
            #expect(single.map { Double($0).bitPattern } == want.map { Double($0).bitPattern },
                    "\(T.self) \(layers) \(hidden), \(KernelConfiguration.threadCount) threads: row \(r)")
        }
    }

    /// A single row skips the zero inputs of a layer only where its weights are all finite: with an infinite weight,
    /// a zero input times it is NaN in the batch, and the single row gives the same NaN, not a finite sum without it.
    @Test func anInfiniteWeightKeepsEveryInput() throws {
        for threadCount in [1, 2] {
            let threads = KernelConfiguration.threadCount
            defer { KernelConfiguration.threadCount = threads }
            KernelConfiguration.threadCount = threadCount
            var clf = Self.classifier(Double.self, layers: [6, 64, 32, 3], hidden: .relu, output: .softmax, seed: 4)
            var network = clf.network!
            network.parameters[network.weightRange(ofLayer: 1).lowerBound] = .infinity  // hidden unit 0 → unit 0
            clf = MLPClassifier<Double>(parameters: MLPParameters(), network: network, classes: clf.classes,
                                        targetType: .multiclass)
            var rng = SeededGenerator(seed: 12)
            let x = Matrix<Double>(rows: 40, columns: 6,
                                   storage: (0..<240).map { _ in Double.random(in: -2...2, using: &rng) })
            let expected = try clf.predictProbabilities(x)
            let predictor = try clf.makePredictor()
            var single = [Double](repeating: 0, count: 3), nanRows = 0
            for r in 0..<x.rows {
                try predictor.predictProbabilities(Array(x.storage[(r * 6)..<((r + 1) * 6)]), into: &single)
                let want = Array(expected.storage[(r * 3)..<((r + 1) * 3)])
                nanRows += want.contains { $0.isNaN } ? 1 : 0
                #expect(single.map(\.isNaN) == want.map(\.isNaN), "\(threadCount) threads: row \(r)")
                #expect(zip(single, want).allSatisfy { $0.isNaN || $0.bitPattern == $1.bitPattern }, "row \(r)")
            }
            #expect(nanRows > 0, "some rows have hidden unit 0 at zero")
        }
    }

    /// Every row count 1…17 and a large one, as one call (one GEMM, or the single-row panels for 1 row) and row by row:
    /// the bits of the classifier's `predictProbabilities` on the same rows.
    static func checkRowCounts<T: KernelFloat>(_ type: T.Type, layers: [Int], hidden: Activation, output: Activation) throws {
        let clf = classifier(T.self, layers: layers, hidden: hidden, output: output, seed: 11)
        let predictor = try clf.makePredictor()
        var rng = SeededGenerator(seed: 3)
        for rows in Array(1...17) + [300] {
            let x = Matrix<T>(rows: rows, columns: layers[0],
                              storage: (0..<(rows * layers[0])).map { _ in T(Double.random(in: -2...2, using: &rng)) })
            let expected = try clf.predictProbabilities(x).storage.map { Double($0).bitPattern }
            var got = [T](repeating: .nan, count: rows * predictor.probabilityColumns)
            try x.storage.withUnsafeBufferPointer { x in
                try got.withUnsafeMutableBufferPointer { try predictor.predictProbabilities(x, rows: rows, into: $0) }
            }
            #expect(got.map { Double($0).bitPattern } == expected, "\(T.self) \(layers) \(hidden): \(rows) rows")
            var rowByRow: [T] = []
            var single = [T](repeating: .nan, count: predictor.probabilityColumns)
            for r in 0..<rows {
                try predictor.predictProbabilities(Array(x.storage[(r * layers[0])..<((r + 1) * layers[0])]), into: &single)
                rowByRow += single
            }
            #expect(rowByRow.map { Double($0).bitPattern } == expected, "\(T.self) \(layers) \(hidden): \(rows) single rows")
        }
    }

    @Test(arguments: [Activation.relu, .tanh, .logistic, .identity])
    func everyRowCountMatchesPredictProbabilities(hidden: Activation) throws {
        try Self.checkRowCounts(Double.self, layers: [100, 256, 128, 10], hidden: hidden, output: .softmax)
        try Self.checkRowCounts(Float.self, layers: [100, 256, 128, 10], hidden: hidden, output: .softmax)
        try Self.checkRowCounts(Double.self, layers: [5, 70, 1], hidden: hidden, output: .logistic)
        try Self.checkRowCounts(Float.self, layers: [5, 130, 3], hidden: hidden, output: .softmax)
    }

    /// Batches of 128 rows or more are split by rows over the pool's threads: the bits stay those of the classifier
    /// on 1, 2 and 3 threads, with parts that are not whole tiles.
    @Test(arguments: [Activation.relu, .tanh])
    func batchesSplitByRowsMatchPredictProbabilities(hidden: Activation) throws {
        let threads = KernelConfiguration.threadCount
        defer { KernelConfiguration.threadCount = threads }
        for threadCount in [3, 2, 1] {
            KernelConfiguration.threadCount = threadCount
            for (layers, output) in [([30, 64, 7], Activation.softmax), ([9, 40, 1], .logistic)] {
                let clf = Self.classifier(Double.self, layers: layers, hidden: hidden, output: output, seed: 31)
                let predictor = try clf.makePredictor(maxRows: 700)
                var rng = SeededGenerator(seed: 4)
                for rows in [MLPPredictor<Double>.smallestSplitBatch, 301, 1000] {
                    let x = Matrix<Double>(rows: rows, columns: layers[0],
                                           storage: (0..<(rows * layers[0])).map { _ in Double.random(in: -2...2, using: &rng) })
                    let expected = try clf.predictProbabilities(x).storage.map(\.bitPattern)
                    var got = [Double](repeating: .nan, count: rows * predictor.probabilityColumns)
                    try x.storage.withUnsafeBufferPointer { x in
                        try got.withUnsafeMutableBufferPointer { try predictor.predictProbabilities(x, rows: rows, into: $0) }
                    }
                    #expect(got.map(\.bitPattern) == expected, "\(layers) \(hidden), \(threadCount) threads: \(rows) rows")
                }
            }
        }
    }

    /// Predictors used from several threads at once (each its own predictor): the pool serves one split batch at a
    /// time and the others run their parts on their own threads. Every call gives the first call's bits. (The parts
    /// of a split batch once shared a buffer across layers of different widths: a fast part overwrote rows a slow
    /// part was still reading, seen only under this contention.)
    @Test(arguments: [1, 2, 3, 4])
    func concurrentSplitBatchesAreRepeatable(seed: Int) throws {
        let clf = Self.classifier(Double.self, layers: [100, 256, 128, 10], hidden: .relu, output: .softmax,
                                  seed: UInt64(seed))
        let predictor = try clf.makePredictor()
        var rng = SeededGenerator(seed: 3)
        let rows = 300
        let x = (0..<(rows * 100)).map { _ in Double.random(in: -2...2, using: &rng) }
        func predict() throws -> [UInt64] {
            var out = [Double](repeating: .nan, count: rows * 10)
            try x.withUnsafeBufferPointer { x in
                try out.withUnsafeMutableBufferPointer { try predictor.predictProbabilities(x, rows: rows, into: $0) }
            }
            return out.map(\.bitPattern)
        }
        let first = try predict()
        #expect(first == (try clf.predictProbabilities(Matrix(rows: rows, columns: 100, storage: x))).storage.map(\.bitPattern))
        var differing = 0
        for _ in 0..<300 where try predict() != first { differing += 1 }
        #expect(differing == 0, "\(differing) of 300 calls differed")
    }

    /// A regressor's predictor: `predictOutputs` gives the bits of `MLPRegressor.predict`, one row and many.
    @Test(arguments: [Activation.relu, .tanh])
    func outputsMatchRegressorPredict(hidden: Activation) throws {
        for layers in [[6, 70, 1], [6, 33, 40, 3]] {
            var network = Network<Double>(layerSizes: layers, hiddenActivation: hidden, outputActivation: .identity)
            var rng = SeededGenerator(seed: 9)
            for i in network.parameters.indices { network.parameters[i] = Double.random(in: -0.5...0.5, using: &rng) }
            let regressor = MLPRegressor<Double>(loss: .squaredError, parameters: MLPParameters(), network: network)
            let predictor = try regressor.makePredictor(maxRows: 16)
            for rows in [1, 2, 40] {
                let x = Matrix<Double>(rows: rows, columns: 6, storage: (0..<(rows * 6)).map { _ in Double.random(in: -2...2, using: &rng) })
                var got = [Double](repeating: .nan, count: rows * predictor.outputColumns)
                try x.storage.withUnsafeBufferPointer { x in
                    try got.withUnsafeMutableBufferPointer { try predictor.predictOutputs(x, rows: rows, into: $0) }
                }
                #expect(got.map(\.bitPattern) == (try regressor.predict(x)).storage.map(\.bitPattern), "\(layers) \(rows) rows")
            }
        }
    }

    @Test func badInputThrowsTypedErrors() throws {
        let predictor = try Self.classifier(Double.self, layers: [4, 5, 3], hidden: .relu, output: .softmax, seed: 1)
            .makePredictor()
        var out = [Double](repeating: 0, count: 3)
        #expect(throws: MLPError.self) { try predictor.predictProbabilities([1, 2, 3], into: &out) }
        #expect(throws: MLPError.self) { try predictor.predictProbabilities([1, 2, .nan, 4], into: &out) }
        var short = [Double](repeating: 0, count: 2)
        #expect(throws: MLPError.self) { try predictor.predictProbabilities([1, 2, 3, 4], into: &short) }
        #expect(throws: MLPError.self) { try MLPClassifier<Double>().makePredictor() }
        // More rows than x holds, and row counts whose sizes overflow: typed errors, no trap.
        let x = [Double](repeating: 1, count: 8), rows3 = UnsafeMutableBufferPointer<Double>.allocate(capacity: 9)
        defer { rows3.deallocate() }
        try x.withUnsafeBufferPointer { x in
            #expect(throws: MLPError.self) { try predictor.predictProbabilities(x, rows: 3, into: rows3) }
            #expect(throws: MLPError.self) { try predictor.predictProbabilities(x, rows: Int.max / 2, into: rows3) }
            #expect(throws: MLPError.self) { try predictor.predictOutputs(x, rows: 0, into: rows3) }
            try predictor.predictOutputs(x, rows: 2, into: UnsafeMutableBufferPointer(rebasing: rows3[0..<6]))
        }
        let clf = Self.classifier(Double.self, layers: [4, 5, 3], hidden: .relu, output: .softmax, seed: 1)
        #expect(throws: MLPError.self) { try clf.makePredictor(maxRows: 0) }
        #expect(throws: MLPError.self) { try clf.makePredictor(maxRows: Int.max / 4) }
        try predictor.predictProbabilities([1, 2, 3, 4], into: &out)
        #expect(abs(out.reduce(0, +) - 1) < 1e-12)
    }
}
