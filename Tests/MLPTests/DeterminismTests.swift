import Testing
@testable import MLP

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
