import Foundation
@testable import MLPCore
import MLPTestSupport
import Testing

// Several target columns on a stream: the .mlpdata format (version 2 for several targets; version 1 files still
// load), and streamed multi-output and multilabel fits against in-memory fits, bit for bit when every row fits the
// shuffle buffer.

/// Two numeric columns, a one-hot column, two numeric targets on very different scales (y1 near 1, y2 near 1000, so
/// one scaler for both would show) and three 0/1 labels.
private func severalTargetsCSV(rows: Int, seed: UInt64) -> String {
    var g = SeededGenerator(seed: seed)
    var text = "a,b,color,y1,y2,l1,l2,l3\n"
    let colors = ["red", "green", "blue"]
    for _ in 0..<rows {
        let a = Double.random(in: -2...2, using: &g), b = Double.random(in: -1...5, using: &g)
        let color = colors[Int.random(in: 0..<3, using: &g)], noise = Double.random(in: -0.3...0.3, using: &g)
        let y1 = a - 0.5 * b + noise, y2 = 1000 + 40 * a * b + (color == "red" ? 50 : 0)
        let labels = [a > 0, b + noise > 2, color == "blue" || a + b > 3].map { $0 ? "1" : "0" }
        text += "\(a),\(b),\(color),\(y1),\(y2),\(labels.joined(separator: ","))\n"
    }
    return text
}

/// The options of the regression (targets y2 then y1: not the CSV's order) and multilabel reads.
private func readOptions(regression: Bool) -> CSVReadOptions {
    regression ? CSVReadOptions(targets: ["y2", "y1"], targetKind: .numeric, oneHot: ["color"], drop: ["l1", "l2", "l3"])
        : CSVReadOptions(targets: ["l1", "l2", "l3"], oneHot: ["color"], drop: ["y1", "y2"])
}

/// `severalTargetsCSV` written to `dir`/d.csv and converted: the CSV's path, the cache's and the in-memory table.
/// Within one chunk (the default) the streamed statistics are the two-pass ones, so a target scaler is the in-memory one.
private func severalTargetsCache(in dir: String, regression: Bool, rows: Int = 600,
                                 chunkBytes: Int = MLPDataConverter.defaultChunkBytes) throws -> (String, String, DataTable) {
    let csv = dir + "/d.csv", cache = dir + "/\(regression ? "r" : "m").mlpdata"
    try severalTargetsCSV(rows: rows, seed: 17).write(toFile: csv, atomically: true, encoding: .utf8)
    try MLPDataConverter.convert(csvPath: csv, to: cache, options: readOptions(regression: regression),
                                 chunkBytes: chunkBytes)
    return (csv, cache, try CSVReader.read(path: csv, options: readOptions(regression: regression)))
}

@Suite("Several target columns in the .mlpdata format")
struct SeveralTargetsFormatTests {
    @Test("a version-1 cache written before several targets existed loads, and one target is still written so, byte for byte",
          arguments: ["small", "numeric"])
    func formatVersion1(name: String) throws {
        let dir = try StreamedFitSupport.scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let fixture = FixtureFiles.url("mlpdata-format-1/\(name).mlpdata", in: "MLPTests").path
        let options = name == "small" ? CSVReadOptions(target: "y", oneHot: ["color"], impute: .mean)
            : CSVReadOptions(target: "v", targetKind: .numeric)
        let fresh = dir + "/fresh.mlpdata"
        try MLPDataConverter.convert(csvPath: FixtureFiles.url("mlpdata-format-1/\(name).csv", in: "MLPTests").path,
                                     to: fresh, options: options)
        let old = try MLPDataFile(path: fixture), new = try MLPDataFile(path: fresh)
        #expect(old.schema == new.schema)
        #expect(old.schema.targetNames == [name == "small" ? "y" : "v"])
        #expect(Array(old.rows(0..<old.rowCount)).map(\.bitPattern) == Array(new.rows(0..<new.rowCount)).map(\.bitPattern))
        #expect(try Data(contentsOf: URL(fileURLWithPath: fresh)) == Data(contentsOf: URL(fileURLWithPath: fixture)))
    }

    @Test("several targets are stored in --target order, each with its own statistics, in format version 2")
    func severalTargetsRoundTrip() throws {
        let dir = try StreamedFitSupport.scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (_, cache, table) = try severalTargetsCache(in: dir, regression: true, chunkBytes: 4096)  // Chan's merge
        let file = try MLPDataFile(path: cache)
        #expect(file.schema.targetNames == ["y2", "y1"])
        #expect(file.schema.rowWidth == 3 + 2)
        #expect(try Data(contentsOf: URL(fileURLWithPath: cache))[8] == 2)
        let width = file.schema.rowWidth
        let raw = Array(file.rows(0..<file.rowCount))
        let cells = (0..<file.rowCount).flatMap { r in raw[(r * width + 3)..<(r * width + 5)] }
        #expect(cells.map(\.bitPattern) == table.targetValues.map(\.bitPattern))
        var reference = StandardScaler()
        try reference.fit(Matrix(rows: table.rowCount, columns: 2, storage: table.targetValues))
        for t in 0..<2 {
            let s = file.schema.targetStatistics[t]
            let column = (0..<table.rowCount).map { table.targetValues[$0 * 2 + t] }
            #expect(s.count == table.rowCount && s.minimum == column.min()! && s.maximum == column.max()!, "target \(t)")
            assertClose([s.mean, s.variance().squareRoot()], [reference.mean[t], reference.scale[t]], relative: 1e-12,
                        "target \(t)")
        }
        let labels = try MLPDataFile(path: try severalTargetsCache(in: dir, regression: false).1)
        #expect(labels.schema.isMultilabel && labels.schema.classes.isEmpty)
        let lw = labels.schema.rowWidth
        let indicators = (0..<labels.rowCount).flatMap { r in labels.rows(r..<(r + 1))[3..<lw] }
        #expect(indicators == (try MultilabelTargets.indicators(of: CSVReader.read(path: dir + "/d.csv",
                                                                                   options: readOptions(regression: false)))))
    }

    @Test("a damaged version-2 header gives a typed error: its target count, names and statistics, and the version")
    func damagedVersion2() throws {
        let dir = try StreamedFitSupport.scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (_, cache, _) = try severalTargetsCache(in: dir, regression: true, rows: 40)
        let good = try Data(contentsOf: URL(fileURLWithPath: cache))
        func opens(_ bytes: Data) throws -> String {
            let path = dir + "/bad.mlpdata"
            try bytes.write(to: URL(fileURLWithPath: path))
            do { _ = try MLPDataFile(path: path); return "opened" } catch let error as MLPDataError {
                if case .corrupted = error { return "corrupted" }
                return "\(error)"
            }
        }
        /// `bytes` with the schema's last `cut` bytes removed and the header's schema length fixed to match.
        func truncatedSchema(_ bytes: Data, by cut: Int) -> Data {
            var shorter = Data(bytes.dropLast(cut))
            let length = UInt64(bytes.count - 4096 - 40 * 5 * 8 - cut)
            withUnsafeBytes(of: length.littleEndian) { shorter.replaceSubrange(48..<56, with: $0) }
            return shorter
        }
        #expect(try opens(good) == "opened")
        // The schema ends with the further targets: their count (8), then 'y1' (4 + 2) and five statistics (40).
        let further = good.count - 54
        #expect(good[further] == 1)
        for (value, what) in [(UInt8(0), "no further target"), (2, "more targets than it holds"), (0xFF, "overflow")] {
            var bad = good
            bad[further] = value
            if value == 0xFF { bad.replaceSubrange((further + 1)..<(further + 8), with: [UInt8](repeating: 0xFF, count: 7)) }
            #expect(try opens(bad) == "corrupted", "\(what)")
        }
        var longName = good
        longName[further + 8] = 200  // the name's length runs past the schema
        #expect(try opens(longName) == "corrupted")
        for cut in [1, 20, 46, 54] { #expect(try opens(truncatedSchema(good, by: cut)) == "corrupted", "cut \(cut)") }
        var versionOne = good
        versionOne[8] = 1  // read as one target: the rows are wider than its schema
        #expect(try opens(versionOne) == "corrupted")
        var versionThree = good
        versionThree[8] = 3
        let refused = try opens(versionThree)
        #expect(refused != "opened" && refused != "corrupted", "\(refused)")
    }
}

@Suite("Several target columns streamed against in memory")
struct StreamedSeveralTargetsTests {
    @Test("with every row in the buffer a streamed multi-output regressor is the in-memory one, bit for bit",
          arguments: [(TargetScalerKind.none, Solver.adam, false), (.standard, .sgd, false), (.standard, .adam, true)])
    func multiOutputRegressor(targetScaling: TargetScalerKind, solver: Solver, float: Bool) throws {
        let dir = try StreamedFitSupport.scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (_, cache, table) = try severalTargetsCache(in: dir, regression: true)
        var p = MLPParameters()
        p.hiddenLayerSizes = [8]
        p.solver = solver
        p.maxIter = 6
        p.randomState = 5
        p.batchSize = 50
        let memory = MLPPipeline(estimator: StreamedFitSupport.estimator(p, float: float, regression: true),
                                 scaling: .none, targetScaling: targetScaling)
        try memory.fit(table)
        let file = try MLPDataFile(path: cache)
        let streamed = try MLPPipeline.fitStreamed(file, estimator: StreamedFitSupport.estimator(p, float: float, regression: true),
                                                   scaling: .none, targetScaling: targetScaling)
        #expect(streamed.targetNames == ["y2", "y1"] && memory.targetNames == streamed.targetNames)
        #expect(streamed.targetScaler == memory.targetScaler)
        #expect(StreamedFitSupport.weights(streamed).map(\.bitPattern) == StreamedFitSupport.weights(memory).map(\.bitPattern))
        #expect(streamed.estimator.perceptron.lossCurve == memory.estimator.perceptron.lossCurve)
        #expect(try streamed.predictValues(table).storage.map(\.bitPattern) == memory.predictValues(table).storage.map(\.bitPattern))
        // R² averaged over the two outputs, from the streamed sums: the in-memory score to rounding.
        // (In the network's units: Float32 rounds them otherwise.)
        assertClose([try streamed.scoreStreamed(file)], [try memory.score(table)], relative: float ? 1e-6 : 1e-12,
                    "R² over the cache")
    }

    @Test("with every row in the buffer a streamed multilabel classifier is the in-memory one, bit for bit",
          arguments: [(Solver.adam, false), (.sgd, true)])
    func multilabelClassifier(solver: Solver, float: Bool) throws {
        let dir = try StreamedFitSupport.scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (_, cache, table) = try severalTargetsCache(in: dir, regression: false)
        var p = MLPParameters()
        p.hiddenLayerSizes = [8]
        p.solver = solver
        p.maxIter = 6
        p.randomState = 2
        p.batchSize = 64
        let memory = MLPPipeline(estimator: StreamedFitSupport.estimator(p, float: float, regression: false), scaling: .none)
        try memory.fit(table)
        let file = try MLPDataFile(path: cache)
        let streamed = try MLPPipeline.fitStreamed(file, estimator: StreamedFitSupport.estimator(p, float: float, regression: false),
                                                   scaling: .none)
        #expect(streamed.estimator.targetType == .multilabelIndicator)
        #expect(streamed.targetNames == ["l1", "l2", "l3"])
        #expect(StreamedFitSupport.weights(streamed).map(\.bitPattern) == StreamedFitSupport.weights(memory).map(\.bitPattern))
        #expect(streamed.estimator.perceptron.lossCurve == memory.estimator.perceptron.lossCurve)
        #expect(try streamed.predictMultilabel(table) == memory.predictMultilabel(table))
        #expect(try streamed.scoreStreamed(file) == memory.score(table))
        p.classWeight = .balanced
        #expect(throws: MLPError.self) {
            _ = try MLPPipeline.fitStreamed(file, estimator: StreamedFitSupport.estimator(p, float: float, regression: false))
        }
    }

    @Test("early stopping on a stream of several targets scores the held-out rows as in memory: mean R², subset accuracy",
          arguments: [true, false])
    func earlyStopping(regression: Bool) throws {
        let dir = try StreamedFitSupport.scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (_, cache, _) = try severalTargetsCache(in: dir, regression: regression, rows: 3000)
        let file = try MLPDataFile(path: cache)
        var p = MLPParameters()
        p.hiddenLayerSizes = [6]
        p.maxIter = 8
        p.randomState = 4
        p.earlyStopping = true
        let fitted = try MLPPipeline.fitStreamed(file, estimator: StreamedFitSupport.estimator(p, float: false, regression: regression),
                                                 targetScaling: regression ? .standard : .none,
                                                 options: StreamingOptions(bufferBytes: 16 << 10))
        #expect(fitted.estimator.perceptron.validationScores?.count == fitted.estimator.perceptron.nIter)
        let net: Network<Double>
        switch fitted.estimator {
        case .regressor(let r): net = r.network!
        case .classifier(let c): net = c.network!
        default: Issue.record("not float64"); return
        }
        let target = regression ? StreamedRows<Double>.scaledTarget(fitted.targetScaler)
            : StreamedRows<Double>.indicatorTarget(file: file)
        let rows = StreamedRows<Double>(file: file, encoding: StreamedEncoding(schema: file.schema), scaler: fitted.scaler!,
                                        targetWidth: file.schema.targetCount, batchSize: 200, options: StreamingOptions(),
                                        target: target)
        try rows.holdOut(HeldOutRows(fraction: 0.2, seed: 99))
        var x: [Double] = [], y: [Double] = []
        try rows.forEachSlice(heldOutOnly: true) { slice, targets in
            x += slice.storage
            y += targets
        }
        let kind: EstimatorRole = regression ? .regressor : .classifier(.multilabelIndicator)
        let engine = PerceptronEngine<Double>(estimatorName: regression ? "MLPRegressor" : "MLPClassifier", kind: kind)
        engine.lossFunction = regression ? .squaredError : .binaryLogLoss
        engine.targetLayout = .rows
        let streamed = try engine.streamedValidation(p, net, rows: rows)
        let outputs = net.predict(Matrix(rows: x.count / rows.featureCount, columns: rows.featureCount, storage: x))
        let score = PerceptronEngine<Double>.score(kind: kind, outputs: outputs, targets: y, weights: nil)
        if regression { assertClose([streamed.score], [score], relative: 1e-12, "held-out mean R²") }
        else { #expect(streamed.score == score) }
        assertClose([streamed.loss], [engine.lossValue(net, outputs: outputs, targets: y, weights: nil, alpha: p.alpha)],
                    relative: 1e-12, "validation loss")
    }
}

@Suite("Several target columns over simulated processes")
struct SeveralTargetsSharedTests {
    /// One fit of the multi-output regressor (targets standardized) or the multilabel classifier: in memory from the
    /// table, or streamed from the cache through an 8 KiB block-shuffled buffer, with or without early stopping.
    static func fit(regression: Bool, streamed: Bool, earlyStopping: Bool, cache: String,
                    table: DataTable) throws -> RowExchangeTests.Outcome {
        var p = MLPParameters()
        p.hiddenLayerSizes = [12, 6]
        p.batchSize = 50
        p.maxIter = earlyStopping ? 30 : 4
        p.randomState = 7
        p.earlyStopping = earlyStopping
        p.nIterNoChange = 2
        let estimator = StreamedFitSupport.estimator(p, float: false, regression: regression)
        let pipeline: MLPPipeline
        if streamed {
            pipeline = try MLPPipeline.fitStreamed(try MLPDataFile(path: cache), estimator: estimator,
                                                   targetScaling: regression ? .standard : .none,
                                                   options: StreamingOptions(bufferBytes: 8192))
        } else {
            pipeline = MLPPipeline(estimator: estimator, targetScaling: regression ? .standard : .none)
            try pipeline.fit(table)
        }
        let perceptron = pipeline.estimator.perceptron
        return RowExchangeTests.Outcome(parameters: StreamedFitSupport.weights(pipeline).map(\.bitPattern),
                                        losses: (perceptron.lossCurve ?? []).map(\.bitPattern),
                                        validationScores: (perceptron.validationScores ?? []).map(\.bitPattern),
                                        iterations: perceptron.nIter)
    }

    @Test("2 to 4 processes give the one-process model of several targets, in memory and streamed",
          arguments: [(true, false, false), (false, false, true), (true, true, false), (true, true, true), (false, true, true)])
    func everyProcessCountGivesTheOneProcessModel(regression: Bool, streamed: Bool, earlyStopping: Bool) throws {
        let dir = try StreamedFitSupport.scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (_, cache, table) = try severalTargetsCache(in: dir, regression: regression, rows: 900)
        let alone = try Self.fit(regression: regression, streamed: streamed, earlyStopping: earlyStopping, cache: cache,
                                 table: table)
        #expect(alone.iterations > 1)
        for processes in [2, 3, 4] {
            let outcomes = RowExchangeTests.runProcesses(processes) { _ in
                try Self.fit(regression: regression, streamed: streamed, earlyStopping: earlyStopping, cache: cache,
                             table: table)
            }
            for (rank, outcome) in outcomes.enumerated() {
                #expect(try outcome.get() == alone, "\(processes) processes, rank \(rank)")
            }
        }
    }
}
