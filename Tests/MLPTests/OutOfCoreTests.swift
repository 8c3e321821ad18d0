import Foundation
@testable import MLPCore
import MLPTestSupport
import Testing

// The .mlpdata cache and streamed training: the format round trip, Chan's statistics, damaged files, the chunked
// first pass against the in-memory reader, and streamed fits against in-memory fits (bit for bit when every row
// fits in the shuffle buffer).

private func write(_ text: String, to path: String) throws {
    try text.write(toFile: path, atomically: true, encoding: .utf8)
}

/// A classification CSV: two numeric columns (`b` with missing cells when `missing`), a categorical one, a label.
private func classificationCSV(rows: Int, seed: UInt64, missing: Bool = false, classes: [String] = ["no", "yes"]) -> String {
    var g = SeededGenerator(seed: seed)
    var text = "a,b,color,y\n"
    let colors = ["red", "green", "blue"]
    for i in 0..<rows {
        let a = Double.random(in: -2...2, using: &g), b = Double.random(in: -1...5, using: &g)
        let color = colors[Int.random(in: 0..<3, using: &g)]
        let score = a + 0.3 * b + (color == "red" ? 1 : 0) + Double.random(in: -0.5...0.5, using: &g)
        let label = classes[min(classes.count - 1, max(0, Int((score + 2) / 5 * Double(classes.count))))]
        let bText = missing && i % 7 == 3 ? "" : String(b)
        text += "\(a),\(bText),\(color),\(label)\n"
    }
    return text
}

@Suite("Out-of-core cache and streamed training")
struct OutOfCoreTests {
    @Test("the cache holds every raw value: numbers, NaN, first-seen category codes, label codes")
    func formatRoundTrip() throws {
        let dir = try StreamedFitSupport.scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let csv = dir + "/d.csv", cache = dir + "/d.mlpdata"
        try write("x,c,y\n1.5,b,cat\n,a,dog\n-3,b,\"cat\"\n2e300,c,bird\n", to: csv)
        let written = try MLPDataConverter.convert(
            csvPath: csv, to: cache, options: CSVReadOptions(oneHot: ["c"], impute: .mean), chunkBytes: 16)
        let file = try MLPDataFile(path: cache)
        #expect(file.schema == written)
        #expect(file.rowCount == 4)
        #expect(file.schema.columns.map(\.name) == ["x", "c"])
        #expect(file.schema.columns[1].categories == ["b", "a", "c"])
        #expect(file.schema.columns[1].categoryCounts == [2, 1, 1])
        #expect(file.schema.labelTexts == ["cat", "dog", "bird"])
        #expect(file.schema.classes == ["bird", "cat", "dog"])
        #expect(file.schema.classIndexOfLabel == [1, 2, 0])
        #expect(file.schema.impute == .mean)
        let expected: [Double] = [1.5, 0, 0, .nan, 1, 1, -3, 0, 0, 2e300, 2, 2]
        let raw = Array(file.rows(0..<4))
        #expect(raw.count == expected.count)
        for (got, want) in zip(raw, expected) { #expect(got.bitPattern == want.bitPattern || (got.isNaN && want.isNaN)) }
        let x = file.schema.columns[0].statistics
        #expect(x.count == 3 && x.minimum == -3 && x.maximum == 2e300)
        file.release(0..<4)
        #expect(Array(file.rows(2..<4)) .elementsEqual(raw[6...], by: { $0.bitPattern == $1.bitPattern }))
    }

    @Test("Chan's merged statistics match the two-pass mean and variance", arguments: [1, 7, 64, 1000])
    func chanStatistics(chunkRows: Int) throws {
        var g = SeededGenerator(seed: 11)
        let rows = 1000, width = 3
        var values = [Double]()
        for _ in 0..<rows {
            values += [Double.random(in: -1...1, using: &g), 1e6 + Double.random(in: 0...1, using: &g),
                       Double.random(in: -1...1, using: &g) * 1e-3]
        }
        var reference = StandardScaler()
        try reference.fit(Matrix(rows: rows, columns: width, storage: values))
        for column in 0..<width {
            var streamed = StreamingStatistics()
            values.withUnsafeBufferPointer { all in
                for start in stride(from: 0, to: rows, by: chunkRows) {
                    let n = min(chunkRows, rows - start)
                    let chunk = UnsafeBufferPointer(rebasing: all[(start * width)..<((start + n) * width)])
                    streamed.add(chunk, rows: n, stride: width, column: column)
                }
            }
            #expect(streamed.count == rows)
            // Both sums carry rounding errors of up to n·ε·max|x|; the merged mean stays within 16 ulps of max|x|.
            let largest = (0..<rows).map { abs(values[$0 * width + column]) }.max()!
            assertClose([streamed.mean], [reference.mean[column]], relative: 0, absolute: 16 * largest.ulp,
                        "mean \(column)")
            assertClose([streamed.variance().squareRoot()], [reference.scale[column]], relative: 1e-9,
                        "deviation \(column)")
            let column = (0..<rows).map { values[$0 * width + column] }
            #expect(streamed.minimum == column.min()! && streamed.maximum == column.max()!)
        }
    }

    @Test("damaged, truncated and foreign files give a typed error")
    func damagedFiles() throws {
        let dir = try StreamedFitSupport.scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let csv = dir + "/d.csv", cache = dir + "/d.mlpdata"
        try write(classificationCSV(rows: 50, seed: 1), to: csv)
        try MLPDataConverter.convert(csvPath: csv, to: cache, options: CSVReadOptions(oneHot: ["color"]))
        let good = try Data(contentsOf: URL(fileURLWithPath: cache))
        func kind(of bytes: Data) throws -> String? {
            let path = dir + "/bad.mlpdata"
            try bytes.write(to: URL(fileURLWithPath: path))
            do { _ = try MLPDataFile(path: path); return nil } catch let error as MLPDataError {
                switch error {
                case .notACache: return "notACache"
                case .unsupportedVersion(_, let version): return "version \(version)"
                case .corrupted: return "corrupted"
                case .io, .mismatch, .unsupported, .cancelled: return "other"
                }
            }
        }
        #expect(try kind(of: Data("a,b\n1,2\n".utf8)) == "notACache")
        #expect(try kind(of: Data(good.prefix(10))) == "notACache")
        var magic = good
        magic[0] = 0x41
        #expect(try kind(of: magic) == "notACache")
        var version = good
        version[8] = 9
        #expect(try kind(of: version) == "version 9")
        #expect(try kind(of: good.prefix(good.count - 1)) == "corrupted")
        #expect(try kind(of: good.prefix(5000)) == "corrupted")
        let schemaOffset = 4096 + 50 * 4 * 8  // 50 rows of a, b, color, y
        var columnCount = good
        columnCount[schemaOffset + 15] = 0x7F  // the schema's column count: far more than it holds
        #expect(try kind(of: columnCount) == "corrupted")
        var rowCount = good
        rowCount[schemaOffset] = 7  // the schema's row count disagrees with the header's
        #expect(try kind(of: rowCount) == "corrupted")
        #expect(throws: MLPDataError.self) { try MLPDataFile(path: dir + "/none.mlpdata") }
        // A category code out of range in a row is refused when the rows are encoded.
        var code = good
        code[4096 + 2 * 8 + 6] = 0x40  // row 0, column color: 2.0 → a large code
        let path = dir + "/code.mlpdata"
        try code.write(to: URL(fileURLWithPath: path))
        let file = try MLPDataFile(path: path)
        let encoding = StreamedEncoding(schema: file.schema)
        var out = [Double](repeating: 0, count: encoding.featureCount)
        #expect(throws: MLPDataError.self) { try encoding.encode(file.rows(0..<1), rows: 1, into: &out) }
    }

    @Test("the chunked first pass gives the in-memory reader's features, encoding and error lines",
          arguments: [23, 100, 1 << 20])
    func chunkedReadingMatchesInMemory(chunkBytes: Int) throws {
        let dir = try StreamedFitSupport.scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let csv = dir + "/d.csv", cache = dir + "/d.mlpdata"
        var text = classificationCSV(rows: 300, seed: 5, classes: ["a", "b", "c"])
        text = text.replacingOccurrences(of: ",green,", with: ",\"gre\nen\",")  // quoted line ends
        try write(text, to: csv)
        let options = CSVReadOptions(oneHot: ["color"])
        try MLPDataConverter.convert(csvPath: csv, to: cache, options: options, chunkBytes: chunkBytes)
        let table = try CSVReader.read(path: csv, options: options)
        let file = try MLPDataFile(path: cache)
        let encoding = StreamedEncoding(schema: file.schema)
        #expect(encoding.encoding == table.encoding)
        var features = [Double](repeating: 0, count: file.rowCount * encoding.featureCount)
        try encoding.encode(file.rows(0..<file.rowCount), rows: file.rowCount, into: &features)
        #expect(features == table.features)
        #expect(file.schema.classes == ["a", "b", "c"])

        try write(text + "1,2,red,a\n1,x,red,a\n", to: csv)
        let lines = text.filter { $0 == "\n" }.count + 2
        #expect(throws: DataError(.nonNumeric, "could not convert 'x' to a number; use \(advising: .oneHot(column: "b")) to "
                                  + "encode it as categories or \(advising: .drop(column: "b")) to leave it out",
                                  file: csv, line: lines, column: "b")) {
            try MLPDataConverter.convert(csvPath: csv, to: cache, options: options, chunkBytes: chunkBytes)
        }
    }

    @Test("streamed options a stream cannot honour are refused")
    func refusals() throws {
        let dir = try StreamedFitSupport.scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let csv = dir + "/d.csv", cache = dir + "/d.mlpdata"
        try write(classificationCSV(rows: 40, seed: 2), to: csv)
        #expect(throws: MLPDataError.self) {
            try MLPDataConverter.convert(csvPath: csv, to: cache, options: CSVReadOptions(oneHot: ["color"], impute: .median))
        }
        #expect(throws: MLPDataError.self) { try MLPDataConverter.convert(csvPath: csv, to: csv, options: CSVReadOptions()) }
        var chunks = 0
        #expect(throws: MLPDataError.cancelled(file: cache)) {
            try MLPDataConverter.convert(csvPath: csv, to: cache, options: CSVReadOptions(oneHot: ["color"]), chunkBytes: 200) {
                chunks += 1
                return chunks > 2
            }
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["d.csv"])  // no partial file left
        try MLPDataConverter.convert(csvPath: csv, to: cache, options: CSVReadOptions(oneHot: ["color"]))
        let file = try MLPDataFile(path: cache)
        for change in [{ (p: inout MLPParameters) in p.solver = .lbfgs }, { $0.warmStart = true }] {
            var p = MLPParameters()
            change(&p)
            #expect(throws: MLPDataError.self) {
                _ = try MLPPipeline.fitStreamed(file, estimator: .classifier(MLPClassifier(parameters: p)))
            }
        }
        #expect(throws: MLPDataError.mismatch(file: cache,
                                              detail: "the cache holds class labels; convert it again with \(advising: .regression)")) {
            _ = try MLPPipeline.fitStreamed(file, estimator: .regressor(MLPRegressor()))
        }
        // Scoring a cache refuses one whose target kind, classes or features do not fit the model.
        var p = MLPParameters()
        p.maxIter = 1
        let fitted = try MLPPipeline.fitStreamed(file, estimator: .classifier(MLPClassifier(parameters: p)))
        let numeric = dir + "/n.mlpdata", otherClasses = dir + "/c.mlpdata", noColor = dir + "/x.mlpdata"
        try MLPDataConverter.convert(csvPath: csv, to: numeric,
                                     options: CSVReadOptions(target: "a", targetKind: .numeric, oneHot: ["color"], drop: ["y"]))
        try write(classificationCSV(rows: 40, seed: 2, classes: ["no", "yes", "maybe"]), to: dir + "/c.csv")
        try MLPDataConverter.convert(csvPath: dir + "/c.csv", to: otherClasses, options: CSVReadOptions(oneHot: ["color"]))
        try MLPDataConverter.convert(csvPath: csv, to: noColor, options: CSVReadOptions(drop: ["color"]))
        for (path, detail) in [(numeric, "numeric target"), (otherClasses, "class 'maybe'"), (noColor, "feature columns")] {
            do {
                _ = try fitted.scoreStreamed(try MLPDataFile(path: path))
                Issue.record("\(path) was scored")
            } catch let error as MLPDataError {
                #expect(error.description.contains(detail), "\(error)")
            }
        }
    }
}

/// `classificationCSV` written to `dir`/d.csv and converted with `color` one-hot: the CSV's path and the cache.
private func oneHotCache(in dir: String, rows: Int, seed: UInt64, classes: [String]) throws -> (String, MLPDataFile) {
    let csv = dir + "/d.csv", cache = dir + "/d.mlpdata"
    try write(classificationCSV(rows: rows, seed: seed, classes: classes), to: csv)
    try MLPDataConverter.convert(csvPath: csv, to: cache, options: CSVReadOptions(oneHot: ["color"]))
    return (csv, try MLPDataFile(path: cache))
}

@Suite("Streamed training against in-memory training")
struct StreamedTrainingTests {
    @Test("with every row in the buffer the streamed fit is the in-memory fit, bit for bit",
          arguments: [(Solver.adam, false, false), (.sgd, true, false), (.adam, false, true), (.sgd, false, true)])
    func bitIdentical(solver: Solver, float: Bool, multiclass: Bool) throws {
        let dir = try StreamedFitSupport.scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let csv = dir + "/d.csv", cache = dir + "/d.mlpdata"
        try write(classificationCSV(rows: 700, seed: 9, classes: multiclass ? ["a", "b", "c"] : ["no", "yes"]), to: csv)
        let options = CSVReadOptions(oneHot: ["color"])
        try MLPDataConverter.convert(csvPath: csv, to: cache, options: options, chunkBytes: 4096)
        var p = MLPParameters()
        p.hiddenLayerSizes = [8]
        p.solver = solver
        p.maxIter = 6
        p.randomState = 3
        p.batchSize = 64
        let memory = MLPPipeline(estimator: StreamedFitSupport.estimator(p, float: float, regression: false), scaling: .none)
        memory.oneHot = ["color"]
        try memory.fit(try memory.readCSV(path: csv))
        let streamed = try MLPPipeline.fitStreamed(try MLPDataFile(path: cache), estimator: StreamedFitSupport.estimator(p, float: float,
                                                   regression: false), scaling: .none)
        #expect(StreamedFitSupport.weights(streamed).map(\.bitPattern) == StreamedFitSupport.weights(memory).map(\.bitPattern))
        #expect(streamed.estimator.perceptron.lossCurve == memory.estimator.perceptron.lossCurve)
        #expect(streamed.encoding == memory.encoding)
        #expect(streamed.classes == memory.classes)
        // The streamed training score is the in-memory score of the same rows.
        let table = try memory.readCSV(path: csv)
        #expect(try streamed.scoreStreamed(try MLPDataFile(path: cache)) == streamed.score(table))
    }

    @Test("the streamed scalers are the in-memory ones: MinMaxScaler exactly (float32 too), StandardScaler to rounding",
          arguments: [false, true])
    func scalers(float: Bool) throws {
        let dir = try StreamedFitSupport.scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let csv = dir + "/d.csv", cache = dir + "/d.mlpdata"
        try write(classificationCSV(rows: 500, seed: 6), to: csv)
        try MLPDataConverter.convert(csvPath: csv, to: cache, options: CSVReadOptions(oneHot: ["color"]), chunkBytes: 1000)
        var p = MLPParameters()
        p.maxIter = 1
        for kind in [ScalerKind.minmax, .standard] {
            let memory = MLPPipeline(estimator: StreamedFitSupport.estimator(p, float: float, regression: false), scaling: kind, oneHot: ["color"])
            try memory.fit(try memory.readCSV(path: csv))
            let streamed = try MLPPipeline.fitStreamed(try MLPDataFile(path: cache),
                                                       estimator: StreamedFitSupport.estimator(p, float: float, regression: false), scaling: kind)
            switch (streamed.scaler!, memory.scaler!) {
            case (.minmax(let a), .minmax(let b)): #expect(a == b)
            case (.standard(let a), .standard(let b)):
                assertClose(a.mean, b.mean, relative: float ? 1e-6 : 1e-13, "means")
                assertClose(a.scale, b.scale, relative: float ? 1e-6 : 1e-12, "deviations")
            default: Issue.record("scaler kinds differ")
            }
        }
    }

    /// Σ(x − x̄)² of values near 1e155 passes Double's range: in memory the column is summed again scaled by a power
    /// of two; a stream reads it again the same way, rather than leaving it unscaled (scale 1).
    @Test("a feature column whose squares overflow gets the in-memory StandardScaler statistics on a stream")
    func overflowingFeatureColumn() throws {
        let dir = try StreamedFitSupport.scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let csv = dir + "/big.csv", cache = dir + "/big.mlpdata"
        var random = NumPyRandomState(seed: 4)
        var text = "a,b,y\n"
        for i in 0..<300 {
            let a = random.uniform(low: -1, high: 1), b = random.uniform(low: -3e155, high: 3e155)
            text += "\(a),\(b),\(i % 2 == 0 ? "x" : "z")\n"
        }
        try write(text, to: csv)
        try MLPDataConverter.convert(csvPath: csv, to: cache, options: CSVReadOptions(), chunkBytes: 1000)
        var p = MLPParameters()
        p.maxIter = 1
        let memory = MLPPipeline(estimator: StreamedFitSupport.estimator(p, float: false, regression: false), scaling: .standard)
        try memory.fit(try memory.readCSV(path: csv))
        let streamed = try MLPPipeline.fitStreamed(try MLPDataFile(path: cache), estimator: StreamedFitSupport.estimator(
            p, float: false, regression: false), scaling: .standard)
        guard case .standard(let a) = streamed.scaler!, case .standard(let b) = memory.scaler! else {
            Issue.record("scaler kinds differ")
            return
        }
        #expect(a.mean[1].bitPattern == b.mean[1].bitPattern && a.scale[1].bitPattern == b.scale[1].bitPattern,
                "streamed \(a.mean[1]), \(a.scale[1]); in memory \(b.mean[1]), \(b.scale[1])")
        #expect(b.scale[1] > 1e155 && b.scale[1] < 2e155, "the deviation of U(−3e155, 3e155) is about 1.7e155")
        assertClose(a.scale, b.scale, relative: 1e-12, "deviations")
    }

    @Test("a streamed regressor with a scaled target predicts like the in-memory one")
    func regressor() throws {
        let dir = try StreamedFitSupport.scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let csv = dir + "/r.csv", cache = dir + "/r.mlpdata"
        var g = SeededGenerator(seed: 4)
        var text = "a,b,y\n"
        for _ in 0..<400 {
            let a = Double.random(in: 0...3, using: &g), b = Double.random(in: -1...1, using: &g)
            text += "\(a),\(b),\(10 * a - 4 * b + 100)\n"
        }
        try write(text, to: csv)
        try MLPDataConverter.convert(csvPath: csv, to: cache, options: CSVReadOptions(targetKind: .numeric))
        var p = MLPParameters()
        p.hiddenLayerSizes = [6]
        p.maxIter = 30
        p.randomState = 0
        let memory = MLPPipeline(estimator: StreamedFitSupport.estimator(p, float: false, regression: true), targetScaling: .standard)
        let table = try memory.readCSV(path: csv)
        try memory.fit(table)
        let streamed = try MLPPipeline.fitStreamed(try MLPDataFile(path: cache), estimator: StreamedFitSupport.estimator(p, float: false,
                                                   regression: true), targetScaling: .standard)
        let a = try memory.predictValues(table).storage, b = try streamed.predictValues(table).storage
        assertClose(b, a, relative: 1e-9, "streamed vs in-memory predictions")
        assertClose([try streamed.score(table)], [try memory.score(table)], relative: 1e-9, "R²")
        assertClose([try streamed.scoreStreamed(try MLPDataFile(path: cache))], [try streamed.score(table)],
                    relative: 1e-9, "R² over the cache")
        #expect(throws: MLPDataError.self) { _ = try memory.scoreStreamed(try MLPDataFile(path: dir + "/missing.mlpdata")) }
    }

    @Test("block-shuffled fits are deterministic for a seed and differ across seeds")
    func determinism() throws {
        let dir = try StreamedFitSupport.scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let csv = dir + "/d.csv", cache = dir + "/d.mlpdata"
        try write(classificationCSV(rows: 2000, seed: 3, missing: true), to: csv)
        try MLPDataConverter.convert(csvPath: csv, to: cache, options: CSVReadOptions(oneHot: ["color"], impute: .mean))
        let file = try MLPDataFile(path: cache)
        func fit(seed: Int) throws -> MLPPipeline {
            var p = MLPParameters()
            p.hiddenLayerSizes = [5]
            p.maxIter = 4
            p.randomState = seed
            // 4 KiB: about 90 rows per buffer, so 23 buffer fills per epoch.
            return try MLPPipeline.fitStreamed(file, estimator: .classifier(MLPClassifier(parameters: p)),
                                               options: StreamingOptions(bufferBytes: 4096))
        }
        let first = try fit(seed: 1), again = try fit(seed: 1), other = try fit(seed: 2)
        #expect(StreamedFitSupport.weights(first).map(\.bitPattern) == StreamedFitSupport.weights(again).map(\.bitPattern))
        #expect(StreamedFitSupport.weights(first) != StreamedFitSupport.weights(other))
        // The block shuffle trains about as well as the in-memory shuffle.
        var p = MLPParameters()
        p.hiddenLayerSizes = [5]
        p.maxIter = 4
        p.randomState = 1
        let memory = MLPPipeline(estimator: .classifier(MLPClassifier(parameters: p)), oneHot: ["color"], impute: .mean)
        let table = try memory.readCSV(path: csv)
        try memory.fit(table)
        #expect(try first.score(table) > memory.score(table) - 0.05)
        // Scored over the cache slice by slice (imputed, one-hot, scaled as in training): the table's score.
        #expect(try first.scoreStreamed(file) == first.score(table))
        #expect(throws: MLPError.self) { _ = try MLPPipeline(estimator: .classifier(MLPClassifier())).scoreStreamed(file) }
    }

    @Test("early stopping on a stream: a fixed held-out subset, scored slice by slice as in memory")
    func earlyStopping() throws {
        let dir = try StreamedFitSupport.scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (_, file) = try oneHotCache(in: dir, rows: 3000, seed: 8, classes: ["a", "b", "c"])
        var p = MLPParameters()
        p.hiddenLayerSizes = [6]
        p.maxIter = 50
        p.randomState = 4
        p.earlyStopping = true
        p.nIterNoChange = 2
        p.tol = 10  // the first epoch sets the best score; no later one improves by 10, so the fourth stops
        func fit() throws -> MLPPipeline {
            try MLPPipeline.fitStreamed(file, estimator: .classifier(MLPClassifier(parameters: p)),
                                        options: StreamingOptions(bufferBytes: 16 << 10))
        }
        let first = try fit(), again = try fit()
        #expect(first.estimator.perceptron.nIter == 4)
        #expect(first.estimator.perceptron.validationScores?.count == 4)
        #expect(StreamedFitSupport.weights(first).map(\.bitPattern) == StreamedFitSupport.weights(again).map(\.bitPattern))
        #expect(first.estimator.perceptron.validationScores == again.estimator.perceptron.validationScores)

        // The streamed score and loss against the in-memory formulas on the same held-out rows.
        guard case .classifier(let classifier) = first.estimator else { Issue.record("not a classifier"); return }
        let rows = StreamedRows<Double>(file: file, encoding: StreamedEncoding(schema: file.schema),
                                        scaler: first.scaler!, targetWidth: 1, batchSize: 200,
                                        options: StreamingOptions()) { _, cell in
            Double(Int(cell) == 0 ? 1 : Int(cell) == 1 ? 2 : 0)
        }
        try rows.holdOut(HeldOutRows(fraction: 0.2, seed: 99))
        #expect(abs(Double(rows.count - rows.trainingCount) / Double(rows.count) - 0.2) < 0.03)
        var x: [Double] = [], y: [Double] = []
        try rows.forEachSlice(heldOutOnly: true) { slice, targets in
            x += slice.storage
            y += targets
        }
        let engine = PerceptronEngine<Double>(estimatorName: "MLPClassifier", kind: .classifier(.multiclass))
        engine.lossFunction = .logLoss
        engine.targetLayout = .classIndices
        let net = classifier.network!
        let streamed = try engine.streamedValidation(p, net, rows: rows)
        let outputs = net.predict(Matrix(rows: y.count, columns: rows.featureCount, storage: x))
        let score = PerceptronEngine<Double>.score(kind: engine.kind, outputs: outputs, targets: y,
                                                   layout: .classIndices, weights: nil)
        #expect(streamed.score == score)
        assertClose([streamed.loss], [engine.lossValue(net, outputs: outputs, targets: y, weights: nil, alpha: p.alpha)],
                    relative: 1e-12, "validation loss")
        // With class weights the held-out score and loss are weighted, as in memory.
        let classWeights: [Double] = [0.5, 3, 1.25]
        let weighted = try engine.streamedValidation(p, net, rows: rows, classWeights: classWeights)
        let rowWeights = y.map { classWeights[Int($0)] }
        assertClose([weighted.score], [PerceptronEngine<Double>.score(kind: engine.kind, outputs: outputs, targets: y,
                                                                      layout: .classIndices, weights: rowWeights)],
                    relative: 1e-12, "weighted validation score")
        assertClose([weighted.loss], [engine.lossValue(net, outputs: outputs, targets: y, weights: rowWeights, alpha: p.alpha)],
                    relative: 1e-12, "weighted validation loss")
        #expect(weighted.score != streamed.score)
    }

    @Test("class weights on a stream: bit for bit the in-memory fit; in a block-shuffled buffer, applied per refill",
          arguments: [(false, false), (true, true)])
    func classWeights(float: Bool, multiclass: Bool) throws {
        let dir = try StreamedFitSupport.scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let classes = multiclass ? ["a", "b", "c"] : ["no", "yes"]
        let (csv, file) = try oneHotCache(in: dir, rows: 700, seed: 5, classes: classes)
        var p = MLPParameters()
        p.hiddenLayerSizes = [8]
        p.maxIter = 5
        p.randomState = 7
        p.batchSize = 64
        for classWeight in [ClassWeight.balanced, .perClass([ClassLabel(classes[0]): 0.25, ClassLabel(classes[1]): 4])] {
            p.classWeight = classWeight
            let memory = MLPPipeline(estimator: StreamedFitSupport.estimator(p, float: float, regression: false), scaling: .none, oneHot: ["color"])
            let table = try memory.readCSV(path: csv)
            try memory.fit(table)
            let streamed = try MLPPipeline.fitStreamed(file, estimator: StreamedFitSupport.estimator(p, float: float, regression: false),
                                                       scaling: .none)
            #expect(StreamedFitSupport.weights(streamed).map(\.bitPattern) == StreamedFitSupport.weights(memory).map(\.bitPattern), "\(classWeight)")
            #expect(streamed.estimator.perceptron.lossCurve == memory.estimator.perceptron.lossCurve)
        }
        // A 4 KiB buffer (refilled ~20 times an epoch): without the L2 term, doubling every weight changes no bit
        // (the normalizer doubles too); weighting the first class 0 leaves a model that predicts it far less often
        // (the 0.38 of the rows unweighted, 0.08 binary and 0 multiclass when this was written).
        func fit(_ classWeight: ClassWeight?, alpha: Double = 0, epochs: Int = 5) throws -> MLPPipeline {
            p.classWeight = classWeight
            p.alpha = alpha
            p.maxIter = epochs
            return try MLPPipeline.fitStreamed(file, estimator: StreamedFitSupport.estimator(p, float: float, regression: false),
                                               scaling: .none, options: StreamingOptions(bufferBytes: 4096))
        }
        let doubled = Dictionary(uniqueKeysWithValues: classes.map { (ClassLabel($0), 2.0) })
        #expect(try StreamedFitSupport.weights(fit(.perClass(doubled))).map(\.bitPattern) == StreamedFitSupport.weights(fit(nil)).map(\.bitPattern))
        let table = try MLPPipeline(estimator: StreamedFitSupport.estimator(p, float: float, regression: false), oneHot: ["color"]).readCSV(path: csv)
        func shareOfFirst(_ classWeight: ClassWeight?) throws -> Double {
            let predicted = try fit(classWeight, alpha: 1e-4, epochs: 40).predict(table)
            return Double(predicted.filter { $0 == ClassLabel(classes[0]) }.count) / Double(predicted.count)
        }
        let unweighted = try shareOfFirst(nil), withoutFirst = try shareOfFirst(.perClass([ClassLabel(classes[0]): 0]))
        #expect(unweighted > 0.2)
        #expect(withoutFirst < unweighted / 3, "\(withoutFirst) of the rows predicted as the class weighted 0")
    }

    /// With early stopping the fit keeps its best-validation weights and says so in a warning.
    @Test("a blow-up is reported as in memory: MLPError.diverged with the curve and stop reason left on the estimator",
          arguments: [false, true])
    func divergence(earlyStopping: Bool) throws {
        let dir = try StreamedFitSupport.scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (csv, file) = try oneHotCache(in: dir, rows: 300, seed: 4, classes: ["a", "b", "c"])
        var p = MLPParameters()
        p.hiddenLayerSizes = [8]
        p.solver = .sgd
        p.learningRateInit = 50
        p.maxIter = 20
        p.randomState = 0
        p.earlyStopping = earlyStopping
        func thrown(_ fit: () throws -> Void) -> MLPError? {
            do { try fit() } catch let error as MLPError { return error } catch { Issue.record("\(error)") }
            return nil
        }
        let memory = MLPPipeline(estimator: StreamedFitSupport.estimator(p, float: false, regression: false), oneHot: ["color"])
        let memoryError = thrown { try memory.fit(try memory.readCSV(path: csv)) }
        let given = StreamedFitSupport.estimator(p, float: false, regression: false)
        let streamedError = thrown {
            // The pipeline holds the estimator it was given, fitted in place as `fit` fits the pipeline's.
            let pipeline = try MLPPipeline.fitStreamed(file, estimator: given)
            #expect(pipeline.estimator.perceptron === given.perceptron)
        }
        for (fitted, error) in [(memory.estimator, memoryError), (given, streamedError)] {
            let perceptron = fitted.perceptron
            #expect(fitted.stopReason?.hasPrefix("Training diverged at epoch \(perceptron.nIter):") == true,
                    "\(fitted.stopReason ?? "nil")")
            #expect(perceptron.nIter >= 1 && perceptron.lossCurve?.count == perceptron.nIter)
            let diverged = perceptron.warnings.filter { $0.kind == .divergence }
            if earlyStopping {
                #expect(error == nil, "\(error.map { "\($0)" } ?? "")")
                #expect(diverged.count == 1 && diverged.first?.findingID == .explodingGradient)
            } else {
                guard case .diverged(let epoch, _)? = error else {
                    Issue.record("no MLPError.diverged: \(error.map { "\($0)" } ?? "nil")")
                    continue
                }
                #expect(epoch == perceptron.nIter)
                #expect(diverged.isEmpty)
            }
        }
    }
}
