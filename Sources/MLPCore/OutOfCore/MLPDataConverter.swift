#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// The first pass of out-of-core training: CSV text → `.mlpdata` rows, in bounded memory. The header and the
// column roles are the CSV reader's own (TableBuilder, on the first chunk); each record becomes one row of Float64
// (numbers, NaN for a missing cell, category codes in first-seen order, the targets last), and each chunk's rows
// update the streamed statistics (StreamingStatistics) and category counts before they are written.

/// Converts a CSV file into an `.mlpdata` cache in one streaming pass (`mlp convert`).
public enum MLPDataConverter {
    /// The CSV text read at a time: 8 MiB.
    public static let defaultChunkBytes = 8 << 20
    /// The most distinct categories of a one-hot column, and the most distinct class labels.
    public static let maxDistinctValues = 1 << 16

    /// Where ``convert(csvPath:to:options:chunkBytes:isCancelled:)`` writes `cachePath` before renaming it into
    /// place: beside it, named for this process. A caller that may be ended by a signal removes it then.
    /// - Parameter cachePath: the cache's final path.
    public static func partialPath(for cachePath: String) -> String { cachePath + ".partial-\(getpid())" }

    /// Reads `csvPath` chunk by chunk and writes the cache to `cachePath` (through a temporary file and rename).
    ///
    /// - Parameters:
    ///   - csvPath: The CSV file, or a pipe such as `/dev/stdin` (read once).
    ///   - cachePath: The `.mlpdata` file to write; never the CSV file itself.
    ///   - options: Header, target columns (one, or several: a multi-output or multilabel cache) and kind, one-hot
    ///     columns, imputation (`mean` only), delimiter, dropped columns; an id column is dropped. `encodingRows` is
    ///     not supported.
    ///   - chunkBytes: The CSV text held at a time.
    ///   - isCancelled: Asked before each chunk; true stops the pass, removes the partial file and throws
    ///     ``MLPDataError/cancelled(file:)`` (the tool's first Ctrl-C).
    /// - Returns: The schema written.
    /// - Throws: ``DataError`` naming the file, line and column of a bad cell; ``MLPDataError`` for an option the
    ///   stream cannot honour or a file that cannot be written.
    @discardableResult
    public static func convert(csvPath: String, to cachePath: String, options: CSVReadOptions,
                               chunkBytes: Int = defaultChunkBytes,
                               isCancelled: () -> Bool = { false }) throws -> MLPDataSchema {
        try checkSupported(options)
        try refuseSameFile(csvPath, cachePath)
        return try convert(source: CSVFileSource(path: csvPath), name: csvPath, to: cachePath, options: options,
                           chunkBytes: chunkBytes, isCancelled: isCancelled)
    }

    /// ``convert(csvPath:to:options:chunkBytes:isCancelled:)`` on CSV text from `source`: standard input, or a
    /// decompressor, read once.
    ///
    /// - Parameters:
    ///   - source: The CSV text; an error it throws ends the pass (no cache is written) and is passed on unchanged.
    ///   - name: The text's name in messages (a path).
    ///   - cachePath: The `.mlpdata` file to write.
    ///   - options: As for the path form.
    ///   - chunkBytes: The CSV text held at a time.
    ///   - isCancelled: Asked before each chunk, as for the path form.
    /// - Returns: The schema written.
    /// - Throws: What the path form throws, and the source's errors.
    @discardableResult
    public static func convert(source: any CSVByteSource, name: String, to cachePath: String, options: CSVReadOptions,
                               chunkBytes: Int = defaultChunkBytes,
                               isCancelled: () -> Bool = { false }) throws -> MLPDataSchema {
        try checkSupported(options)
        let csvPath = name
        let reader = CSVChunkReader(source: source, name: name, chunkBytes: chunkBytes,
                                    maxRecordBytes: options.limits.maxFieldBytes * 4 + (1 << 20))
        let writer = try MLPDataWriter(path: cachePath)
        do {
            var pass: FirstPass?
            while let chunk = try reader.next() {
                if isCancelled() { throw MLPDataError.cancelled(file: cachePath) }
                if pass == nil {
                    pass = try FirstPass(firstChunk: chunk, options: options)
                    try pass!.consumeRecords(lineOffset: 0)
                } else {
                    try pass!.consume(chunk, lineOffset: reader.linesBefore)
                }
                try pass!.flush(to: writer)
            }
            guard let pass else { throw DataError(.empty, "no columns to parse: the file is empty") }
            let schema = try pass.schema()
            try writer.finish(schema: schema)
            return schema
        } catch let error as DataError {
            throw error.at(file: csvPath)
        }
    }

    private static func checkSupported(_ options: CSVReadOptions) throws {
        if options.impute == .median {
            throw MLPDataError.unsupported("\(advising: .impute(strategies: "median")) needs every value of a column at "
                               + "once; a streamed pass computes \(advising: .impute(strategies: "mean")) (or train in memory)")
        }
        guard options.encodingRows == nil else {
            throw MLPDataError.unsupported("a streamed pass learns the encoding from every row (no \(advising: .testSize))")
        }
    }

    private static func refuseSameFile(_ a: String, _ b: String) throws {
        var sa = stat(), sb = stat()
        if stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino {
            throw MLPDataError.io(file: b, reason: "is the CSV input; the cache needs another name")
        }
    }
}

/// The state of the first pass: roles, dictionaries, statistics and the current chunk's rows.
private struct FirstPass {
    let options: CSVReadOptions
    let names: [String]
    let width: Int
    /// Per CSV column, its place in the cache row (features in CSV order, targets last in `--target` order), nil
    /// when left out.
    let slot: [Int?]
    let categorical: [Bool]           // per feature slot
    let featureNames: [String]
    let targetNames: [String]
    /// The slot of the first target; target k is at `firstTargetSlot + k`.
    let firstTargetSlot: Int
    var rowWidth: Int { firstTargetSlot + targetNames.count }
    var delimiter: UInt8
    var tokenizer: CSVTokenizer
    var pendingRecord: Bool
    var rows: [Double] = []
    var rowCount = 0
    var categoryCodes: [[String: Int]]
    var categoryNames: [[String]]
    var categoryCounts: [[Int]]
    var statistics: [StreamingStatistics]
    var targetStatistics: [StreamingStatistics]
    var labelCodes: [String: Int] = [:]
    var labelTexts: [String] = []

    init(firstChunk: UnsafeBufferPointer<UInt8>, options: CSVReadOptions) throws {
        var learning = options
        learning.encodingRows = nil
        let builder = try TableBuilder(bytes: firstChunk, options: learning, encoding: nil)
        guard !builder.targetNames.isEmpty else {
            throw DataError(.unknownColumn, "give the target column with \(advising: .target)")
        }
        self.options = options
        names = builder.names
        width = builder.width
        featureNames = builder.inputColumns
        targetNames = builder.targetNames
        var slot = [Int?](repeating: nil, count: width)
        for (j, role) in builder.roles.enumerated() {
            switch role {
            case .numeric, .oneHot: slot[j] = builder.inputColumns.firstIndex(of: builder.names[j])
            case .target(let k): slot[j] = builder.inputColumns.count + k
            case .ignored, .id: slot[j] = nil
            }
        }
        self.slot = slot
        firstTargetSlot = builder.inputColumns.count
        targetStatistics = Array(repeating: StreamingStatistics(), count: builder.targetNames.count)
        categorical = builder.inputColumns.map { builder.oneHotColumns.contains($0) }
        tokenizer = builder.tokenizer
        delimiter = builder.tokenizer.delimiter
        pendingRecord = builder.firstRecordIsData
        let n = featureNames.count
        categoryCodes = Array(repeating: [:], count: n)
        categoryNames = Array(repeating: [], count: n)
        categoryCounts = Array(repeating: [], count: n)
        statistics = Array(repeating: StreamingStatistics(), count: n)
    }

    mutating func consume(_ chunk: UnsafeBufferPointer<UInt8>, lineOffset: Int) throws {
        tokenizer = CSVTokenizer(chunk, limits: options.limits, delimiter: delimiter)
        try consumeRecords(lineOffset: lineOffset)
    }

    /// Parses every record left in the tokenizer into `rows`.
    mutating func consumeRecords(lineOffset: Int) throws {
        while true {
            if !pendingRecord { guard try tokenizer.nextRecord() else { break } }
            pendingRecord = false
            let line = tokenizer.recordLine + lineOffset
            let fields = tokenizer.fields.count
            if fields != width && !(fields == width + 1 && tokenizer.bytes(width).isEmpty && !tokenizer.fields[width].quoted) {
                throw DataError(.ragged, "expected \(width) fields, saw \(fields)", line: line)
            }
            let base = rows.count
            rows.append(contentsOf: repeatElement(0, count: rowWidth))
            for j in 0..<width {
                guard let k = slot[j] else { continue }
                rows[base + k] = try value(of: tokenizer.bytes(j), slot: k, line: line, column: names[j])
            }
            rowCount += 1
        }
    }

    /// One cell as the cache stores it.
    private mutating func value(of cell: UnsafeBufferPointer<UInt8>, slot k: Int, line: Int, column: String) throws -> Double {
        func fail(_ kind: DataError.Kind, _ message: String) -> DataError {
            DataError(kind, message, line: line, column: column)
        }
        if k >= firstTargetSlot {
            if options.targetKind == .labels && targetNames.count > 1 {
                // Several label columns: a multilabel indicator matrix, each cell checked as in memory.
                return try MultilabelTargets.indicator(String(decoding: cell, as: UTF8.self), line: line, column: column)
            }
            if options.targetKind == .labels {
                if cell.isEmpty { throw fail(.missingValue, "missing target value") }
                return Double(try code(String(decoding: cell, as: UTF8.self), in: &labelCodes, names: &labelTexts,
                                       what: "class labels (a numeric target needs \(advising: .regression))", line: line,
                                       column: column))
            }
            switch parseCell(cell) {
            case .number(let v): return v
            case .missing: throw fail(.missingValue, "missing target value")
            case .nonFinite: throw fail(.nonFinite, "\(quoted(cell)) is not a finite number")
            case .invalid: throw fail(.nonNumeric, "could not convert \(quoted(cell)) to a number; a regression target must be numeric")
            }
        }
        if categorical[k] {
            if case .missing = parseCell(cell) { throw fail(.missingValue, "missing category in a one-hot column") }
            let id = try code(String(decoding: cell, as: UTF8.self), in: &categoryCodes[k], names: &categoryNames[k],
                              what: "categories", line: line, column: column)
            if id == categoryCounts[k].count { categoryCounts[k].append(0) }
            categoryCounts[k][id] += 1
            return Double(id)
        }
        switch parseCell(cell) {
        case .number(let v): return v
        case .missing:
            if options.impute != nil { return .nan }
            throw fail(.missingValue, "missing value (\(cell.isEmpty ? "an empty cell" : quoted(cell))); use "
                      + "\(advising: .impute(strategies: "mean")) to fill it")
        case .nonFinite: throw fail(.nonFinite, "\(quoted(cell)) is not a finite number")
        case .invalid:
            let comma = DecimalComma.note(cell)
            throw fail(.nonNumeric, "could not convert \(quoted(cell)) to a number" + (comma.isEmpty
                      ? "; use \(advising: .oneHot(column: column)) to encode it as categories or "
                        + "\(advising: .drop(column: column)) to leave it out" : comma))
        }
    }

    /// The first-seen code of `text`, adding it when new (at most `maxDistinctValues`).
    private func code(_ text: String, in codes: inout [String: Int], names: inout [String], what: String,
                      line: Int, column: String) throws -> Int {
        if let id = codes[text] { return id }
        guard names.count < MLPDataConverter.maxDistinctValues else {
            throw DataError(.tooLarge, "more than \(MLPDataConverter.maxDistinctValues) distinct \(what)",
                            line: line, column: column)
        }
        codes[text] = names.count
        names.append(text)
        return names.count - 1
    }

    /// Updates the statistics with the chunk's rows, writes them and empties the chunk.
    mutating func flush(to writer: MLPDataWriter) throws {
        let rows = rows.count / rowWidth
        self.rows.withUnsafeBufferPointer { values in
            for k in featureNames.indices where !categorical[k] {
                statistics[k].add(values, rows: rows, stride: rowWidth, column: k)
            }
            if options.targetKind == .numeric {
                for t in targetNames.indices {
                    targetStatistics[t].add(values, rows: rows, stride: rowWidth, column: firstTargetSlot + t)
                }
            }
        }
        try self.rows.withUnsafeBufferPointer { try writer.append($0) }
        self.rows.removeAll(keepingCapacity: true)
    }

    /// The schema of everything read; the classes come from the label texts (`LabelEncoder`'s order).
    func schema() throws -> MLPDataSchema {
        guard rowCount > 0 else { throw DataError(.empty, "no data rows: the file holds only a header") }
        var columns: [MLPDataColumn] = []
        for (k, name) in featureNames.enumerated() {
            if !categorical[k] && statistics[k].count == 0 {
                throw DataError(.missingValue, "only missing values; there is nothing to impute from", column: name)
            }
            columns.append(MLPDataColumn(name: name, isCategorical: categorical[k], categories: categoryNames[k],
                                         categoryCounts: categoryCounts[k], statistics: statistics[k]))
        }
        var classes: [String] = [], classIndex: [Int] = []
        if options.targetKind == .labels && targetNames.count == 1 {
            let parsed = try LabelEncoder.parseColumn(labelTexts, column: targetNames[0])
            let sorted = LabelEncoder.distinctSorted(parsed)
            classes = sorted.map(\.description)
            var position: [ClassLabel: Int] = [:]
            for (i, c) in sorted.enumerated() { position[c] = i }
            classIndex = parsed.map { position[$0]! }
        }
        return MLPDataSchema(rowCount: rowCount, columns: columns, targetNames: targetNames, targetKind: options.targetKind,
                             targetStatistics: targetStatistics, labelTexts: labelTexts, classes: classes,
                             classIndexOfLabel: classIndex, impute: options.impute)
    }
}
