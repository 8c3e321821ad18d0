import Foundation
@testable import MLPCore
import MLPTestSupport
import Testing

// The rows a diagnosis of a sample reads: Floyd's draw, and a cache's sample against the same rows of the table
// read in memory.

@Suite("Random samples of rows")
struct RowSampleTests {
    @Test("a sample holds distinct sorted indices in range, as many as asked, the same for a seed",
          arguments: [(1, 1), (3, 10), (10, 10), (12, 10), (500, 100_000), (99_999, 100_000)])
    func indicesAreADistinctSortedSubset(count: Int, n: Int) {
        let picked = RowSample.indices(count, of: n, randomState: 7)
        #expect(picked.count == min(count, n))
        #expect(zip(picked, picked.dropFirst()).allSatisfy { $0 < $1 }, "sorted and distinct")
        #expect(picked.allSatisfy { (0..<n).contains($0) })
        #expect(RowSample.indices(count, of: n, randomState: 7) == picked)
        if count < n && n > 100 { #expect(RowSample.indices(count, of: n, randomState: 8) != picked) }
    }

    @Test("every subset is drawn, each index about equally often (3 of 10 over 3,000 seeds)")
    func everySubsetIsLikely() {
        var subsets: [[Int]: Int] = [:], hits = [Int](repeating: 0, count: 10)
        for seed in 0..<3000 {
            let picked = RowSample.indices(3, of: 10, randomState: seed)
            subsets[picked, default: 0] += 1
            for i in picked { hits[i] += 1 }
        }
        #expect(subsets.count == 120, "all C(10, 3) subsets appear (each expected 25 times)")
        // Each index is kept with probability 0.3: 900 expected, standard deviation 25.
        #expect(hits.allSatisfy { abs($0 - 900) < 125 }, "\(hits)")
    }

    @Test("a cache's sample is the in-memory table's rows at the same indices",
          arguments: [TargetKind.labels, .numeric])
    func cacheSampleEqualsTheTablesRows(kind: TargetKind) throws {
        let dir = try TestDirectory.make("sample")
        var g = SeededGenerator(seed: 11)
        var text = "a,colour,b,y,z\n"
        for i in 0..<300 {
            let a = Double.random(in: -3...3, using: &g), b = Double.random(in: 0...100, using: &g)
            let colour = ["red", "green", "blue", "grey"][Int.random(in: 0..<4, using: &g)]
            let y = kind == .labels ? ["p", "q", "r"][i % 3] : String(a * 2 + b)
            let z = kind == .labels ? String(i % 2) : String(b - a)
            text += "\(a),\(colour),\(b),\(y),\(z)\n"
        }
        let csv = dir + "/d.csv", cache = dir + "/d.mlpdata"
        try text.write(toFile: csv, atomically: true, encoding: .utf8)
        // One label column; for numbers two target columns (a multi-output regressor's).
        let targets = kind == .labels ? ["y"] : ["y", "z"]
        let options = CSVReadOptions(targets: targets, targetKind: kind, oneHot: ["colour"])
        try MLPDataConverter.convert(csvPath: csv, to: cache, options: options, chunkBytes: 512)
        let sampled = try MLPDataFile(path: cache).sampledTable(rows: 40, randomState: 5, source: csv)
        let memory = try CSVReader.read(path: csv, options: options).rows(at: RowSample.indices(40, of: 300, randomState: 5))
        #expect(sampled.rowCount == 40 && sampled.source == csv)
        #expect(sampled.featureNames == memory.featureNames)
        #expect(sampled.features.map(\.bitPattern) == memory.features.map(\.bitPattern))
        #expect(sampled.targetNames == targets)
        #expect(sampled.targetLabels == memory.targetLabels)
        #expect(sampled.targetValues.map(\.bitPattern) == memory.targetValues.map(\.bitPattern))
        #expect(sampled.encoding == memory.encoding)
    }

    @Test("a multilabel cache's sample holds 0/1 label cells, as the table read in memory")
    func multilabelSample() throws {
        let dir = try TestDirectory.make("sample")
        var text = "x,l1,l2\n"
        for i in 0..<50 { text += "\(Double(i) / 7),\(i % 2),\(i % 3 == 0 ? 1 : 0)\n" }
        let csv = dir + "/m.csv", cache = dir + "/m.mlpdata"
        try text.write(toFile: csv, atomically: true, encoding: .utf8)
        let options = CSVReadOptions(targets: ["l1", "l2"], targetKind: .labels)
        try MLPDataConverter.convert(csvPath: csv, to: cache, options: options)
        let sampled = try MLPDataFile(path: cache).sampledTable(rows: 9, randomState: 2, source: csv)
        let memory = try CSVReader.read(path: csv, options: options).rows(at: RowSample.indices(9, of: 50, randomState: 2))
        #expect(sampled.targetLabels == memory.targetLabels)
        #expect(try MultilabelTargets.indicators(of: sampled) == MultilabelTargets.indicators(of: memory))
        #expect(sampled.features == memory.features)
    }
}
