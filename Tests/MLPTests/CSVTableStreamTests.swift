import Foundation
import MLPTestSupport
import Testing
@testable import MLPCore

// CSVTableStream reads a file a chunk at a time with a fitted encoding: whatever the chunk size (a record split
// anywhere, quoted line breaks across chunks, chunks holding only the header or blank lines), its tables put end to
// end must be the table CSVReader reads from the whole file, and an error must name the same line and column.

private func file(_ text: String) throws -> String {
    let path = try TestDirectory.make("stream") + "/data.csv"
    try text.write(toFile: path, atomically: false, encoding: .utf8)
    return path
}

/// Every table of the stream, and the rows each was said to follow.
private func streamed(_ path: String, _ options: CSVReadOptions, _ encoding: FeatureEncoding,
                      chunkBytes: Int) throws -> (tables: [DataTable], rowsBefore: [Int]) {
    let stream = try CSVTableStream(path: path, options: options, encoding: encoding, chunkBytes: chunkBytes)
    var tables: [DataTable] = [], before: [Int] = []
    while let table = try stream.next() {
        tables.append(table)
        before.append(stream.rowsBefore)
    }
    return (tables, before)
}

private func error(of body: () throws -> Void) -> DataError? {
    do { try body(); return nil } catch let e as DataError { return e } catch {
        Issue.record("unexpected error type \(error)"); return nil
    }
}

@Suite struct CSVTableStreamTests {
    static let chunkSizes = [16, 23, 64, 100, 1 << 20]

    /// A file with quoted labels holding delimiters, quotes and line breaks, blank lines, an id column and a one-hot
    /// column, long enough that small chunks split it many times.
    static func mixedText(rows: Int) -> String {
        var rng = SeededGenerator(seed: 11)
        var text = "id,x,colour,y\n"
        for i in 0..<rows {
            let x = Double.random(in: -100...100, using: &rng)
            let colour = ["red", "green", "blue"][i % 3]
            let label = i % 4 == 0 ? "\"two\nlines, \"\"quoted\"\"\"" : i % 4 == 1 ? "plain" : "\"a,b\""
            text += "\"id \(i)\",\(x),\(colour),\(label)\n"
            if i % 9 == 0 { text += "\n\r\n" }
        }
        return text
    }

    /// `mixedText`'s reading options (target y, id column id) and the encoding a fit on `text` learns (colour
    /// one-hot): what a stream of it is read with.
    static func mixedOptions(_ text: String) throws -> (options: CSVReadOptions, encoding: FeatureEncoding) {
        var options = CSVReadOptions(target: "y")
        options.oneHot = ["colour"]
        options.idColumn = "id"
        let encoding = try CSVReader.read(text: text, options: options).encoding
        options.oneHot = []
        return (options, encoding)
    }

    @Test(arguments: chunkSizes)
    func tablesEndToEndAreTheWholeFilesTable(chunkBytes: Int) throws {
        let text = Self.mixedText(rows: 200), path = try file(text)
        let (options, encoding) = try Self.mixedOptions(text)
        let whole = try CSVReader.read(path: path, options: options, encoding: encoding)
        #expect(whole.rowCount == 200 && whole.targetLabels.count == 200 && whole.ids.count == 200)
        let (tables, before) = try streamed(path, options, encoding, chunkBytes: chunkBytes)
        #expect(tables.allSatisfy { $0.rowCount > 0 && $0.featureNames == whole.featureNames })
        #expect(tables.flatMap(\.features) == whole.features)
        #expect(tables.flatMap(\.targetLabels) == whole.targetLabels)
        #expect(tables.flatMap(\.ids) == whole.ids)
        #expect(tables.flatMap(\.lines) == whole.lines)
        #expect(before == tables.indices.map { i in tables[..<i].reduce(0) { $0 + $1.rowCount } })
        if chunkBytes < 100 { #expect(tables.count > 10) }
    }

    @Test(arguments: [
        ("a;b;y\n1;2;x\n3;4;z", CSVReadOptions(target: "y")),                       // detected delimiter, no final newline
        ("1,2,x\n3,4,z\n5,6,x\n", CSVReadOptions(hasHeader: false, target: "2")),   // no header
        ("\u{FEFF}a,b,y\r\n1,2,x\r\n\r\n3,4,z\r\n", CSVReadOptions(target: "y")),    // BOM, CRLF, a blank line
        ("a,b,v\n1,2,0.5\n3,4,-1\n", CSVReadOptions(target: "v", targetKind: .numeric)),  // a numeric target
        ("a,b,y\r1,2,x\r\r3,4,z\r5,6,\"p\rq\"\r7,8,x\r", CSVReadOptions(target: "y")),  // CR line ends only
        ("a,b,y\r\n1,2,\"x\r\ny\"\n3,4,z\r5,6,x\n\r\n7,8,x", CSVReadOptions(target: "y")),  // mixed line ends
    ])
    func variantsMatchTheWholeFileRead(text: String, options: CSVReadOptions) throws {
        let path = try file(text)
        let encoding = try CSVReader.read(path: path, options: options).encoding
        let whole = try CSVReader.read(path: path, options: options, encoding: encoding)
        #expect(whole.rowCount >= 2 && (whole.targetLabels.count == whole.rowCount || whole.targetValues.count == whole.rowCount))
        for chunkBytes in Self.chunkSizes {
            let (tables, _) = try streamed(path, options, encoding, chunkBytes: chunkBytes)
            #expect(tables.flatMap(\.features) == whole.features)
            #expect(tables.flatMap(\.targetLabels) == whole.targetLabels)
            #expect(tables.flatMap(\.targetValues) == whole.targetValues)
            #expect(tables.flatMap(\.lines) == whole.lines)
        }
    }

    @Test func imputationAndTheTargetComeFromTheEncoding() throws {
        var options = CSVReadOptions()
        options.impute = .mean
        let training = try CSVReader.read(text: "a,b,y\n1,2,x\n3,,z\n5,6,x\n", options: options)
        let path = try file("a,b\n,1\n7,\n")
        var predicting = CSVReadOptions()
        predicting.targetIsOptional = true
        predicting.target = "y"
        let (tables, _) = try streamed(path, predicting, training.encoding, chunkBytes: 16)
        #expect(tables.flatMap(\.features) == [3, 1, 7, 4])
    }

    @Test(arguments: chunkSizes)
    func anErrorInALaterChunkNamesTheFilesLineAndColumn(chunkBytes: Int) throws {
        let good = Self.mixedText(rows: 60)
        let (options, encoding) = try Self.mixedOptions(good)
        let crOnly = good.replacingOccurrences(of: "\r\n", with: "\r").replacingOccurrences(of: "\n", with: "\r")
        for bad in [good + "\"id x\",1.5,purple,plain\n", good + "\"id x\",1.5e,red,plain\n",
                    good + "\"id x\",2,red\n", crOnly + "\"id x\",1.5e,red,plain\r",
                    good + "\"id x\",1\u{0}5,red,plain\n", good + "\"id x\",1,red,\"open\n\nquote\n"] {
            let path = try file(bad)
            let expected = error { _ = try CSVReader.read(path: path, options: options, encoding: encoding) }
            let got = error { _ = try streamed(path, options, encoding, chunkBytes: chunkBytes) }
            #expect(expected != nil && got?.line == expected?.line && got?.column == expected?.column
                    && got?.file == expected?.file && got?.description == expected?.description,
                    "\(String(describing: got)) vs \(String(describing: expected))")
        }
    }

    @Test(arguments: chunkSizes)
    func aFileWithoutRowsIsAnError(chunkBytes: Int) throws {
        let encoding = try CSVReader.read(text: "a,b,y\n1,2,x\n").encoding
        for (text, message) in [("a,b\n", "no data rows"), ("a,b\n\n\r\n\n", "no data rows"), ("", "no columns"),
                                ("\n\n", "no columns")] {
            let path = try file(text)
            let got = error { _ = try streamed(path, CSVReadOptions(targetIsOptional: true), encoding, chunkBytes: chunkBytes) }
            #expect(got?.description.contains(message) == true, "\(text.debugDescription): \(String(describing: got))")
        }
        #expect(error { _ = try CSVTableStream(path: "/nonexistent.csv", encoding: encoding) } != nil)
    }

    /// A source of the caller's (here: a few bytes a call, then an error of its own) reads as the file does, and its
    /// error ends the stream unchanged.
    @Test func aCallersSourceReadsAsTheFileAndItsErrorPassesThrough() throws {
        final class Trickle: CSVByteSource {
            struct Broken: Error {}
            let bytes: [UInt8], failAt: Int?
            var position = 0, call = 0
            init(_ text: String, failAt: Int? = nil) { bytes = Array(text.utf8); self.failAt = failAt }
            func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
                if let failAt, position >= failAt { throw Broken() }
                call += 1
                let n = min(call % 7 + 1, buffer.count, bytes.count - position)
                bytes.withUnsafeBytes { buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[position..<(position + n)])) }
                position += n
                return n
            }
        }
        let text = Self.mixedText(rows: 80)
        let (options, encoding) = try Self.mixedOptions(text)
        let whole = try CSVReader.read(text: text, options: options, encoding: encoding)
        for chunkBytes in [16, 100, 1 << 20] {
            let stream = CSVTableStream(source: Trickle(text), name: "trickle", options: options, encoding: encoding,
                                        chunkBytes: chunkBytes)
            var tables: [DataTable] = []
            while let table = try stream.next() { tables.append(table) }
            #expect(tables.flatMap(\.features) == whole.features)
            #expect(tables.flatMap(\.targetLabels) == whole.targetLabels)
            #expect(tables.flatMap(\.lines) == whole.lines)
        }
        let failing = CSVTableStream(source: Trickle(text, failAt: text.utf8.count / 2), name: "trickle",
                                     options: options, encoding: encoding, chunkBytes: 64)
        #expect(throws: Trickle.Broken.self) { while try failing.next() != nil {} }
    }
}

// MLPPipeline.evaluate over a stream: the metrics of the whole table, bit for bit, whatever the chunk size.
@Suite struct StreamedEvaluationTests {
    static func text(rows: Int) -> String {
        var rng = SeededGenerator(seed: 5)
        var text = "x0,x1,label,value\n"
        for _ in 0..<rows {
            let a = Double.random(in: -2...2, using: &rng), b = Double.random(in: -2...2, using: &rng)
            text += "\(a),\(b),\(["p", "q", "r"][Int(a + b + 4) % 3]),\(a * 2 - b)\n"
        }
        return text
    }

    static func parameters() -> MLPParameters {
        var p = MLPParameters()
        p.hiddenLayerSizes = [4]
        p.maxIter = 5
        p.randomState = 0
        return p
    }

    @Test func classifierMetricsMatchTheWholeTable() throws {
        let path = try file(Self.text(rows: 700))
        let pipeline = MLPPipeline(estimator: .classifier(MLPClassifier<Double>(parameters: Self.parameters())))
        var options = CSVReadOptions(target: "label")
        options.drop = ["value"]
        try pipeline.fit(try CSVReader.read(path: path, options: options))
        guard case .classification(let whole, let truth) = try pipeline.evaluate(try pipeline.readCSV(path: path)) else {
            Issue.record("not a classification"); return
        }
        #expect(whole.samples == 700 && truth.count == 700 && whole.logLoss != nil)
        for chunkBytes in [40, 333, 1 << 20] {
            guard case .classification(let streamed, let none) = try pipeline.evaluate(
                try pipeline.streamCSV(path: path, chunkBytes: chunkBytes)) else {
                Issue.record("not a classification"); return
            }
            #expect(streamed == whole, "chunk \(chunkBytes)")
            #expect(streamed.logLoss!.bitPattern == whole.logLoss!.bitPattern && none.isEmpty)
        }
    }

    /// The tally predicts 1,024-row blocks through a reusable predictor; its metrics have the bits of the
    /// per-sample metrics of the pipeline's own whole-table predictions (binary, multiclass, float32, regression).
    @Test(arguments: [("label", false), ("binary", false), ("label", true), ("value", false)])
    func tallyMatchesThePerSampleMetricsOfWholeTablePredictions(target: String, float32: Bool) throws {
        var text = Self.text(rows: 2500)
        var lines = text.split(separator: "\n").map(String.init)
        lines[0] += ",binary"
        for i in 1..<lines.count { lines[i] += lines[i].hasPrefix("-") ? ",neg" : ",pos" }
        text = lines.joined(separator: "\n") + "\n"
        let path = try file(text)
        let regression = target == "value"
        let estimator: PipelineEstimator = regression ? .regressor(MLPRegressor<Double>(parameters: Self.parameters()))
            : float32 ? .floatClassifier(MLPClassifier<Float>(parameters: Self.parameters()))
            : .classifier(MLPClassifier<Double>(parameters: Self.parameters()))
        let pipeline = MLPPipeline(estimator: estimator)
        var options = CSVReadOptions(target: target, targetKind: regression ? .numeric : .labels)
        options.drop = ["label", "value", "binary"].filter { $0 != target }
        try pipeline.fit(try CSVReader.read(path: path, options: options))
        let table = try pipeline.readCSV(path: path)
        switch try pipeline.evaluate(table) {
        case .classification(let report, let truth):
            // The oracle: the first most probable class of each row of predict_proba (binary: p > 1 − p, p > 0.5).
            let probabilities = try pipeline.predictProbabilities(table)
            let k = probabilities.columns
            let predicted = (0..<table.rowCount).map { r in
                (0..<k).reduce(0) { best, c in probabilities[r, c] > probabilities[r, best] ? c : best }
            }
            let expected = try ClassificationReport(classes: pipeline.classes.map(\.description), yTrue: truth,
                                                yPred: predicted, probabilities: probabilities.storage)
            #expect(report == expected && report.samples == 2500)
            #expect(report.logLoss!.bitPattern == expected.logLoss!.bitPattern)
        case .regression(let report):
            let expected = try RegressionReport(yTrue: table.targetValues, yPred: try pipeline.predictValues(table).storage)
            #expect(report == expected && report.r2.bitPattern == expected.r2.bitPattern)
        case .multilabel:
            Issue.record("a single-label table evaluated as multilabel")
        }
    }

    @Test func regressorMetricsMatchTheWholeTable() throws {
        let path = try file(Self.text(rows: 500))
        let pipeline = MLPPipeline(estimator: .floatRegressor(MLPRegressor<Float>(parameters: Self.parameters())))
        var options = CSVReadOptions(target: "value", targetKind: .numeric)
        options.drop = ["label"]
        try pipeline.fit(try CSVReader.read(path: path, options: options))
        guard case .regression(let whole) = try pipeline.evaluate(try pipeline.readCSV(path: path)) else {
            Issue.record("not a regression"); return
        }
        #expect(whole.samples == 500)
        for chunkBytes in [40, 1 << 20] {
            guard case .regression(let streamed) = try pipeline.evaluate(
                try pipeline.streamCSV(path: path, chunkBytes: chunkBytes)) else {
                Issue.record("not a regression"); return
            }
            #expect(streamed == whole && streamed.r2.bitPattern == whole.r2.bitPattern, "chunk \(chunkBytes)")
        }
    }

    @Test func anUnknownLabelInALaterChunkNamesItsLine() throws {
        let text = Self.text(rows: 300)
        let path = try file(text + "0.5,0.5,s,1\n")
        let pipeline = MLPPipeline(estimator: .classifier(MLPClassifier<Double>(parameters: Self.parameters())))
        var options = CSVReadOptions(target: "label")
        options.drop = ["value"]
        try pipeline.fit(try CSVReader.read(text: text, options: options))
        let whole = error { _ = try pipeline.evaluate(try pipeline.readCSV(path: path)) }
        let streamed = error { _ = try pipeline.evaluate(try pipeline.streamCSV(path: path, chunkBytes: 64)) }
        #expect(whole?.line == 302 && streamed?.line == 302, "\(String(describing: whole)) / \(String(describing: streamed))")
    }
}

// A chunk parsed as two halves on two threads: wherever the halves meet (every byte is tried as the middle, inside
// quoted fields, between CR and LF, in blank lines), the table is the one-thread table of the whole chunk, and an error
// is the first one in the file.
@Suite struct SplitChunkParseTests {
    /// Runs `body` with the records of `text` (after its header), their line offset, the builder and the one-thread
    /// table of them.
    static func withRecords(_ text: String, options: CSVReadOptions, encoding: FeatureEncoding?, allowEmpty: Bool = true,
                            _ body: (UnsafeBufferPointer<UInt8>, Int, inout TableBuilder, DataTable) throws -> Void) throws {
        var bytes = Array(text.utf8)
        try bytes.withUnsafeMutableBufferPointer { raw in
            let all = UnsafeBufferPointer(raw)
            var builder = try TableBuilder(bytes: all, options: options, encoding: encoding)
            let (records, offset) = builder.records(of: all)
            let whole = try SplitChunkParse.table(of: records, lineOffset: offset, builder: &builder, source: "t.csv",
                                                  threads: 1, allowEmpty: allowEmpty)
            try body(records, offset, &builder, whole)
        }
    }

    static func wholeAndSplit(_ text: String, options: CSVReadOptions,
                              encoding: FeatureEncoding) throws -> (DataTable, [Result<DataTable, Error>]) {
        var result: (DataTable, [Result<DataTable, Error>])?
        try withRecords(text, options: options, encoding: encoding) { records, offset, builder, whole in
            let splits = (0...records.count).map { middle in
                Result {
                    try SplitChunkParse.table(of: records, lineOffset: offset, builder: &builder, source: "t.csv",
                                              threads: 2, minimumBytes: 0, cuts: [middle])
                }
            }
            result = (whole, splits)
        }
        return result!
    }

    @Test func everyMeetingPointGivesTheWholeChunksTable() throws {
        let text = "id,x,y\r\n\"a\",1,\"p\r\nq\"\n\"b,\"\"c\"\"\",2,r\r\rd,3,\"s\n\nt\"\r\n\ne,4.5,u\n  \nf,-6,\"\"\"v\"\n"
        var options = CSVReadOptions(target: "y")
        options.idColumn = "id"
        let encoding = try CSVReader.read(text: text, options: options).encoding
        let (whole, splits) = try Self.wholeAndSplit(text, options: options, encoding: encoding)
        #expect(whole.rowCount == 5 && whole.lines == [2, 4, 6, 10, 12], "\(whole.lines)")
        for (middle, split) in splits.enumerated() {
            let table = try split.get()
            #expect(table.features == whole.features && table.targetLabels == whole.targetLabels
                    && table.ids == whole.ids && table.lines == whole.lines, "middle \(middle)")
        }
    }

    /// Three parts, meeting anywhere (every pair of byte positions), and four or five equal parts on as many threads:
    /// the one-thread table, and the first error in the file.
    @Test func morePartsThanTwoGiveTheWholeChunksTable() throws {
        let text = "id,x,y\r\n\"a\",1,\"p\r\nq\"\n\"b,\"\"c\"\"\",2,r\r\rd,3,\"s\n\nt\"\r\n\ne,4.5,u\n  \nf,-6,\"\"\"v\"\n"
        var options = CSVReadOptions(target: "y")
        options.idColumn = "id"
        let encoding = try CSVReader.read(text: text, options: options).encoding
        try Self.withRecords(text, options: options, encoding: encoding) { records, offset, builder, whole in
            func same(_ table: DataTable) -> Bool {
                table.features == whole.features && table.targetLabels == whole.targetLabels && table.ids == whole.ids
                    && table.lines == whole.lines
            }
            for a in 0...records.count {
                for b in a...records.count {
                    let table = try SplitChunkParse.table(of: records, lineOffset: offset, builder: &builder,
                                                          source: "t.csv", threads: 3, minimumBytes: 0, cuts: [a, b])
                    #expect(same(table), "cuts \(a), \(b)")
                }
            }
            for threads in [4, 5] {
                let table = try SplitChunkParse.table(of: records, lineOffset: offset, builder: &builder,
                                                      source: "t.csv", threads: threads, minimumBytes: 0)
                #expect(same(table), "\(threads) threads")
            }
        }
        let bad = "x,y\n1,a\n2,b\n3x,c\n4,d\n5,e\n6y,f\n7,g\n"
        var badBytes = Array(bad.utf8)
        try badBytes.withUnsafeMutableBufferPointer { raw in
            let all = UnsafeBufferPointer(raw)
            var builder = try TableBuilder(bytes: all, options: CSVReadOptions(target: "y"),
                                           encoding: try CSVReader.read(text: "x,y\n1,a\n").encoding)
            let records = builder.records(of: all).bytes
            for a in 0...records.count {
                for b in stride(from: a, through: records.count, by: 3) {
                    let got = error {
                        _ = try SplitChunkParse.table(of: records, lineOffset: 1, builder: &builder, source: "t.csv",
                                                      threads: 3, minimumBytes: 0, cuts: [a, b])
                    }
                    #expect(got?.line == 4 && got?.column == "x", "cuts \(a), \(b): \(String(describing: got))")
                }
            }
        }
    }

    /// Training learns the encoding from the rows: one-hot categories first seen in either half (numbered in file
    /// order across the halves, then sorted), imputed means, and the rows the encoding is learnt from.
    @Test(arguments: [nil, [1, 3, 4, 5, 6]] as [[Int]?])
    func learningTheEncodingAcrossHalvesMatchesOneThread(encodingRows: [Int]?) throws {
        let text = "x,colour,size,y\n1,red,S,a\n,blue,M,b\n3,red,S,a\n4,green,L,b\n,blue,XL,a\n6,amber,M,b\n7,red,S,a\n"
        var options = CSVReadOptions(target: "y")
        options.oneHot = ["colour", "size"]
        options.impute = .mean
        options.encodingRows = encodingRows
        try Self.withRecords(text, options: options, encoding: nil, allowEmpty: false) { records, offset, builder, whole in
            #expect(whole.rowCount == 7 && whole.encoding.oneHot.count == 2)
            for middle in 0...records.count {
                let split = Result {
                    try SplitChunkParse.table(of: records, lineOffset: offset, builder: &builder, source: "t.csv",
                                              threads: 2, minimumBytes: 0, cuts: [middle], allowEmpty: false)
                }
                let table = try split.get()
                #expect(table.features == whole.features && table.encoding == whole.encoding
                        && table.featureNames == whole.featureNames, "middle \(middle)")
            }
        }
    }

    @Test func theFirstErrorInTheFileIsTheOneReported() throws {
        let text = "x,y\n1,a\n2,b\n3x,c\n4,d\n5,e\n6y,f\n7,g\n"
        let encoding = try CSVReader.read(text: "x,y\n1,a\n").encoding
        let (_, splits) = try Self.wholeAndSplit(text.replacingOccurrences(of: "3x", with: "3").replacingOccurrences(of: "6y", with: "6"),
                                                 options: CSVReadOptions(target: "y"), encoding: encoding)
        #expect(splits.allSatisfy { (try? $0.get())?.rowCount == 7 })
        var bytes = Array(text.utf8)
        try bytes.withUnsafeMutableBufferPointer { raw in
            let all = UnsafeBufferPointer(raw)
            var builder = try TableBuilder(bytes: all, options: CSVReadOptions(target: "y"), encoding: encoding)
            let records = builder.records(of: all).bytes
            for middle in 0...records.count {
                let got = error {
                    _ = try SplitChunkParse.table(of: records, lineOffset: 1, builder: &builder, source: "t.csv",
                                                  threads: 2, minimumBytes: 0, cuts: [middle])
                }
                #expect(got?.line == 4 && got?.column == "x", "middle \(middle): \(String(describing: got))")
            }
        }
    }

    @Test func aStreamOfLargeChunksSplitsThemAndMatchesTheWholeFile() throws {
        var rng = SeededGenerator(seed: 8)
        var text = "a,b,label\n"
        while text.utf8.count < 3 * SplitChunkParse.smallestSplit {
            let a = Double.random(in: -1...1, using: &rng)
            text += "\(a),\(a * 3),\(a > 0 ? "\"pos\nitive\"" : "neg")\r\n"
        }
        let path = try file(text)
        let options = CSVReadOptions(target: "label")
        let encoding = try CSVReader.read(path: path, options: options).encoding
        let whole = try CSVReader.read(path: path, options: options, encoding: encoding)
        for chunkBytes in [SplitChunkParse.smallestSplit + 1000, 1 << 23] {
            let (tables, _) = try streamed(path, options, encoding, chunkBytes: chunkBytes)
            #expect(tables.flatMap(\.features) == whole.features && tables.flatMap(\.lines) == whole.lines
                    && tables.flatMap(\.targetLabels) == whole.targetLabels)
        }
    }
}

