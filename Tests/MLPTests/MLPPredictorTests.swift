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

    @Test func badInputThrowsTypedErrors() throws {
        let predictor = try Self.classifier(Double.self, layers: [4, 5, 3], hidden: .relu, output: .softmax, seed: 1)
            .makePredictor()
        var out = [Double](repeating: 0, count: 3)
        #expect(throws: MLPError.self) { try predictor.predictProbabilities([1, 2, 3], into: &out) }
        #expect(throws: MLPError.self) { try predictor.predictProbabilities([1, 2, .nan, 4], into: &out) }
        var short = [Double](repeating: 0, count: 2)
        #expect(throws: MLPError.self) { try predictor.predictProbabilities([1, 2, 3, 4], into: &short) }
        #expect(throws: MLPError.self) { try MLPClassifier<Double>().makePredictor() }
        try predictor.predictProbabilities([1, 2, 3, 4], into: &out)
        #expect(abs(out.reduce(0, +) - 1) < 1e-12)
    }
}
