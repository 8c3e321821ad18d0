import Testing
@testable import MLPCore
import MLPDatasets

/// The same seed gives the same model bit for bit: with 1 or 2 threads, and fit after fit.
@Suite(.serialized) struct DeterminismTests {
    static func digitsSubset() throws -> (Matrix<Double>, [ClassLabel]) {
        let table = try BundledDataset.digits.read(options: CSVReadOptions(target: "digit"))
        let rows = 600, columns = table.featureNames.count
        let x = Matrix<Double>(rows: rows, columns: columns, storage: Array(table.features.prefix(rows * columns)).map { $0 / 16 })
        return (x, table.targetLabels.prefix(rows).map { ClassLabel(parsing: $0) })
    }

    func fit(_ x: Matrix<Double>, _ y: [ClassLabel], threads: Int) throws -> [UInt64] {
        let saved = KernelConfiguration.threadCount
        defer { KernelConfiguration.threadCount = saved }
        KernelConfiguration.threadCount = threads
        // Wide enough that the products are packed and split across threads.
        let classifier = MLPClassifier<Double>(hiddenLayerSizes: [256, 128], maxIter: 3, randomState: 7)
        try classifier.fit(x, y)
        return classifier.network!.parameters.map(\.bitPattern)
    }

    @Test func oneAndTwoThreadsGiveTheSameBits() throws {
        let (x, y) = try Self.digitsSubset()
        let one = try fit(x, y, threads: 1)
        let two = try fit(x, y, threads: 2)
        #expect(one.count == 64 * 256 + 256 * 128 + 128 * 10 + 256 + 128 + 10)
        #expect(one == two)
    }

    /// Every split of the batch (rows in the forward and delta pass, gradient rows in the parameter pass) gives
    /// the same bits: odd batch sizes, sample weights, dropout, tanh, Float, L-BFGS's full batch, 1-3 threads.
    @Test(arguments: [(solver: Solver.adam, batch: 77, dropout: 0.0), (.sgd, 200, 0.25), (.lbfgs, 0, 0.0)])
    func everySplitGivesTheSameBits(_ setting: (solver: Solver, batch: Int, dropout: Double)) throws {
        let (x, y) = try Self.digitsSubset()
        let weights = (0..<x.rows).map { Double(1 + $0 % 3) }
        func fit<T: KernelFloat>(_: T.Type, threads: Int) throws -> (parameters: [T], losses: [Double]) {
            let saved = KernelConfiguration.threadCount
            defer { KernelConfiguration.threadCount = saved }
            KernelConfiguration.threadCount = threads
            let classifier = MLPClassifier<T>(hiddenLayerSizes: [96, 40], activation: .tanh, solver: setting.solver,
                                              batchSize: setting.batch == 0 ? nil : setting.batch, maxIter: 3,
                                              randomState: 3)
            classifier.parameters.dropout = setting.dropout
            try classifier.fit(x.converted(to: T.self), y, sampleWeight: weights.map { T($0) })
            return (classifier.network!.parameters, classifier.lossCurve ?? [classifier.finalLoss])
        }
        let double1 = try fit(Double.self, threads: 1), float1 = try fit(Float.self, threads: 1)
        for threads in [2, 3] {
            let double = try fit(Double.self, threads: threads), float = try fit(Float.self, threads: threads)
            #expect(double.parameters.map(\.bitPattern) == double1.parameters.map(\.bitPattern))
            #expect(double.losses.map(\.bitPattern) == double1.losses.map(\.bitPattern))
            #expect(float.parameters.map(\.bitPattern) == float1.parameters.map(\.bitPattern))
            #expect(float.losses.map(\.bitPattern) == float1.losses.map(\.bitPattern))
        }
    }

    @Test func fittingTwiceGivesTheSameBits() throws {
        let (x, y) = try Self.digitsSubset()
        #expect(try fit(x, y, threads: 2) == fit(x, y, threads: 2))
    }

    @Test func anotherSeedGivesAnotherModel() throws {
        let (x, y) = try Self.digitsSubset()
        let a = MLPClassifier<Double>(hiddenLayerSizes: [8], maxIter: 2, randomState: 1)
        let b = MLPClassifier<Double>(hiddenLayerSizes: [8], maxIter: 2, randomState: 2)
        try a.fit(x, y)
        try b.fit(x, y)
        #expect(a.network!.parameters != b.network!.parameters)
    }
}
