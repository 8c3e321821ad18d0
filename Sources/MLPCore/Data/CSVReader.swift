import MLPKernels

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// CSV text → DataTable. One pass over the records; numbers are parsed from the bytes as they are met and
// appended to a row-major buffer reserved from a count of line ends, so memory stays near the matrix size.

/// Reads RFC 4180 CSV into a ``DataTable``: numeric features, one-hot categories, imputation and a target column.
///
/// The role of `pandas.read_csv` followed by scikit-learn's `OneHotEncoder` and `SimpleImputer` in a Python script.
/// When training, pass no encoding and the reader learns one from the data; when predicting, pass the fitted
/// table's ``DataTable/encoding`` so the same columns and categories are applied.
public enum CSVReader {
    /// Reads a CSV file.
    ///
    /// With `encoding` nil (training) the encoding is learnt from the data (all columns but the target are
    /// features); with an encoding (predicting) its columns are looked up by name and applied.
    ///
    /// - Parameters:
    ///   - path: The file's path; it is memory-mapped, not copied.
    ///   - options: Header, target column, one-hot columns, imputation and limits.
    ///   - encoding: The encoding to apply, or nil to learn one from this data.
    /// - Returns: The table, with the encoding that produced its features.
    /// - Throws: ``DataError`` naming the file, line and column of the first problem.
    public static func read(path: String, options: CSVReadOptions = CSVReadOptions(),
                            encoding: FeatureEncoding? = nil) throws -> DataTable {
        let file = try MappedFile(path: path, maxStreamBytes: options.limits.maxStreamBytes)
        return try withExtendedLifetime(file) {
            try read(bytes: file.bytes, source: path, options: options, encoding: encoding)
        }
    }

    /// Reads CSV text held in memory (tests, bundled data sets).
    ///
    /// - Parameters:
    ///   - text: The CSV text.
    ///   - source: The name that error messages and ``DataTable/source`` give the text.
    ///   - options: Header, target column, one-hot columns, imputation and limits.
    ///   - encoding: The encoding to apply, or nil to learn one from this data.
    /// - Returns: The table, with the encoding that produced its features.
    /// - Throws: ``DataError`` naming the source, line and column of the first problem.
    public static func read(text: String, source: String = "<text>", options: CSVReadOptions = CSVReadOptions(),
                            encoding: FeatureEncoding? = nil) throws -> DataTable {
        var copy = text
        return try copy.withUTF8 { try read(bytes: $0, source: source, options: options, encoding: encoding) }
    }

    /// Reads CSV bytes (UTF-8, with or without a byte-order mark).
    ///
    /// - Parameters:
    ///   - bytes: The CSV bytes; only read during the call.
    ///   - source: The name that error messages and ``DataTable/source`` give the bytes.
    ///   - options: Header, target column, one-hot columns, imputation and limits.
    ///   - encoding: The encoding to apply, or nil to learn one from this data.
    /// - Returns: The table, with the encoding that produced its features.
    /// - Throws: ``DataError`` naming the source, line and column of the first problem.
    public static func read(bytes: UnsafeBufferPointer<UInt8>, source: String,
                            options: CSVReadOptions = CSVReadOptions(),
                            encoding: FeatureEncoding? = nil) throws -> DataTable {
        do {
            var builder = try TableBuilder(bytes: bytes, options: options, encoding: encoding)
            let records = builder.records(of: bytes)
            return try SplitChunkParse.table(of: records.bytes, lineOffset: records.lineOffset, builder: &builder,
                                             source: source, threads: KernelConfiguration.threadCount, allowEmpty: false)
        } catch let error as DataError {
            throw error.at(file: source)
        }
    }
}

/// The role of one CSV column.
enum ColumnRole {
    case ignored
    case numeric(Int)     // index into the numeric block
    case oneHot(Int)      // index into the one-hot columns
    case target(Int)      // index into the targets, the order of the outputs
    case id               // passed through as text (`--id`)
}

struct TableBuilder {
    var tokenizer: CSVTokenizer
    let options: CSVReadOptions
    let given: FeatureEncoding?
    var names: [String] = []
    var width = 0
    var roles: [ColumnRole] = []
    var inputColumns: [String] = []
    var numericColumns: [String] = []        // names of the numeric block, in order
    var numericInputIndex: [Int] = []        // numeric block index → index in inputColumns
    var oneHotColumns: [String] = []
    var targetNames: [String] = []
    var targetIndices: [Int] = []
    var impute: ImputeStrategy?
    var firstRecordIsData = false
    var idIndex: Int?

    init(bytes: UnsafeBufferPointer<UInt8>, options: CSVReadOptions, encoding: FeatureEncoding?) throws {
        // A given encoding is public data a caller may have built: one whose parts disagree (imputation statistics
        // for other columns, one-hot columns it does not read) would index past its arrays or be ignored silently.
        try encoding?.validate()
        tokenizer = CSVTokenizer(bytes, limits: options.limits, delimiter: options.delimiter)
        self.options = options
        self.given = encoding
        impute = encoding.map { $0.impute } ?? options.impute
        try readHeader()
        try assignRoles()
    }

    /// The records of `bytes`, the buffer the builder read its header from, and the line ends before them: those
    /// after the header, or without one all of them (a new tokenizer skips a BOM again).
    func records(of bytes: UnsafeBufferPointer<UInt8>) -> (bytes: UnsafeBufferPointer<UInt8>, lineOffset: Int) {
        firstRecordIsData ? (bytes, 0) : (UnsafeBufferPointer(rebasing: bytes[tokenizer.position...]), tokenizer.line - 1)
    }

    /// Moves on to the next run of complete records of the same file (CSVTableStream): the header, roles and
    /// delimiter stay; `lineOffset` line breaks come before `bytes`.
    mutating func moveOn(to bytes: UnsafeBufferPointer<UInt8>, lineOffset: Int) {
        tokenizer = CSVTokenizer(bytes, limits: options.limits, delimiter: tokenizer.delimiter, firstLine: lineOffset + 1)
        firstRecordIsData = false
    }

    private mutating func readHeader() throws {
        guard try tokenizer.nextRecord() else {
            throw DataError(.empty, "no columns to parse: the file is empty or holds only blank lines")
        }
        var count = tokenizer.fields.count
        if options.hasHeader {
            // A trailing delimiter on the header (last name empty) is allowed, and then on the rows too.
            if count > 1 && tokenizer.bytes(count - 1).isEmpty && !tokenizer.fields[count - 1].quoted { count -= 1 }
            names = (0..<count).map { tokenizer.string($0) }
            for (i, name) in names.enumerated() where name.isEmpty { names[i] = String(i) }
            var seen: [String: Int] = [:]
            for (i, name) in names.enumerated() {
                if let first = seen[name] {
                    throw DataError(.duplicateColumn,
                                    "the header names column '\(name)' twice (columns \(first + 1) and \(i + 1))",
                                    line: tokenizer.recordLine)
                }
                seen[name] = i
            }
        } else {
            names = (0..<count).map { String($0) }
            firstRecordIsData = true
        }
        width = names.count
    }

    private func columnList() -> String {
        let shown = names.prefix(8).map { "'\($0)'" }.joined(separator: ", ")
        return names.count > 8 ? shown + ", … (\(names.count) columns)" : shown
    }

    private mutating func assignRoles() throws {
        roles = Array(repeating: .ignored, count: width)
        if !options.targets.isEmpty {
            targetIndices = try TargetColumns.resolve(options.targets, in: names, optional: options.targetIsOptional,
                                                      columnList: columnList)
        } else if given == nil {
            targetIndices = [width - 1]
        }
        for (k, t) in targetIndices.enumerated() { roles[t] = .target(k) }
        targetNames = targetIndices.map { names[$0] }
        let targetName = targetNames.first
        func isTarget(_ i: Int) -> Bool { targetIndices.contains(i) }
        var excluded = Set<Int>()
        for name in options.drop {
            guard let i = names.firstIndex(of: name) else {
                throw DataError(.unknownColumn, "\(advising: .drop(column: nil)) names no column '\(name)' (columns: \(columnList()))")
            }
            if isTarget(i) { throw DataError(.unknownColumn, "\(advising: .drop(column: nil)) names the target column '\(name)'") }
            excluded.insert(i)
        }
        if let id = options.idColumn {
            guard let i = names.firstIndex(of: id) else {
                throw DataError(.unknownColumn, "\(advising: .idColumn) names no column '\(id)' (columns: \(columnList()))")
            }
            if isTarget(i) { throw DataError(.unknownColumn, "\(advising: .idColumn) names the target column '\(id)'") }
            roles[i] = .id
            idIndex = i
            excluded.insert(i)
        }

        if let given {
            inputColumns = given.inputColumns
            let oneHotNames = Set(given.oneHot.map(\.column))
            if options.hasHeader {
                for column in inputColumns {
                    guard let i = names.firstIndex(of: column) else {
                        throw DataError(.featureMismatch,
                                        "the model needs column '\(column)', which the header lacks (columns: \(columnList()))")
                    }
                    if isTarget(i) {
                        throw DataError(.featureMismatch, "column '\(column)' is a feature of the model, not a target")
                    }
                    if i == idIndex {
                        throw DataError(.featureMismatch, "column '\(column)' is a feature of the model, not an id")
                    }
                    roles[i] = oneHotNames.contains(column) ? .oneHot(oneHotColumns.count) : .numeric(numericColumns.count)
                    if oneHotNames.contains(column) { oneHotColumns.append(column) } else { appendNumeric(column) }
                }
            } else {
                // Without a header, columns match by position; the target (if named by index) is skipped.
                let available = (0..<width).filter { !isTarget($0) && !excluded.contains($0) }
                guard available.count == inputColumns.count else {
                    throw DataError(.featureMismatch,
                                    "X has \(available.count) features, but the model expects \(inputColumns.count)")
                }
                for (k, i) in available.enumerated() {
                    let column = inputColumns[k]
                    roles[i] = oneHotNames.contains(column) ? .oneHot(oneHotColumns.count) : .numeric(numericColumns.count)
                    if oneHotNames.contains(column) { oneHotColumns.append(column) } else { appendNumeric(column) }
                }
            }
            // Keep inputColumns order for the encoded output: reorder blocks accordingly.
            return
        }

        for name in options.oneHot where !names.contains(name) {
            throw DataError(.unknownColumn, "\(advising: .oneHot(column: nil)) names no column '\(name)' (columns: \(columnList()))")
        }
        if let t = targetNames.first(where: options.oneHot.contains) {
            throw DataError(.unknownColumn, "\(advising: .oneHot(column: nil)) names the target column '\(t)'; only features can be encoded")
        }
        for i in excluded.sorted() where options.oneHot.contains(names[i]) {
            let role = i == idIndex ? "the id column" : "a dropped column"
            throw DataError(.unknownColumn, "\(advising: .oneHot(column: nil)) names \(role) '\(names[i])'; only features can be encoded")
        }
        for i in 0..<width where !isTarget(i) && !excluded.contains(i) {
            let column = names[i]
            inputColumns.append(column)
            if options.oneHot.contains(column) {
                roles[i] = .oneHot(oneHotColumns.count)
                oneHotColumns.append(column)
            } else {
                roles[i] = .numeric(numericColumns.count)
                appendNumeric(column)
            }
        }
        if inputColumns.isEmpty && !excluded.isEmpty {
            throw DataError(.empty, "no feature columns left: every column but the target '\(targetName ?? "")' is dropped "
                            + "or the id (\(advising: .drop(column: nil)), \(advising: .idColumn))")
        }
        if inputColumns.isEmpty {
            let delimiter = String(UnicodeScalar(tokenizer.delimiter))
            throw DataError(.empty, "no feature columns: the file has only the target column '\(targetName ?? "")' "
                            + "(read with the delimiter '\(delimiter == "\t" ? "\\t" : delimiter)'; see \(advising: .delimiter))")
        }
    }

    private mutating func appendNumeric(_ column: String) {
        numericInputIndex.append(inputColumns.firstIndex(of: column)!)
        numericColumns.append(column)
    }

    /// An upper bound on the number of records: the count of line ends.
    private func estimatedRows() -> Int {
        let base = UnsafeRawPointer(tokenizer.base)
        func countByte(_ byte: Int32) -> Int {
            var n = 0
            var p = base
            var left = tokenizer.count
            while left > 0, let hit = memchr(p, byte, left) {
                n += 1
                let skip = UnsafeRawPointer(hit) - p + 1
                p = UnsafeRawPointer(hit) + 1
                left -= skip
            }
            return n
        }
        let lf = countByte(0x0A)
        return (lf > 0 ? lf : countByte(0x0D)) + 1
    }

    /// The table of the tokenizer's records. `allowEmpty`: no records gives a table of no rows instead of an
    /// error (a later chunk of blank lines).
    mutating func build(source: String, allowEmpty: Bool = false) throws -> DataTable {
        try finish(scan(), source: source, allowEmpty: allowEmpty)
    }

    /// The tokenizer's records, cell by cell: numbers, targets, ids and category ids, before imputation, the order of
    /// learnt categories and the layout of the features (`finish`).
    mutating func scan() throws -> ScannedRecords {
        let numericCount = numericColumns.count
        let reserve = min(estimatedRows(), tokenizer.count / max(1, 2 * width) + 1)
        var numeric: [Double] = []
        numeric.reserveCapacity(reserve * numericCount)
        var lines: [Int32] = []
        lines.reserveCapacity(reserve)
        var labels: [String] = []
        var ids: [String] = []
        var targetValues: [Double] = []
        let targetCount = targetIndices.count
        if targetCount > 0 {
            if options.targetKind == .labels {
                labels.reserveCapacity(reserve * targetCount)
            } else {
                targetValues.reserveCapacity(reserve * targetCount)
            }
        }
        // One-hot: category ids per row; when training, categories in first-seen order (sorted at the end).
        var categoryIDs = Array(repeating: [UInt32](), count: oneHotColumns.count)
        var categoryLookup = Array(repeating: [String: UInt32](), count: oneHotColumns.count)
        var categoryNames = Array(repeating: [String](), count: oneHotColumns.count)
        if let given {
            for (k, column) in oneHotColumns.enumerated() {
                let categories = given.oneHot.first { $0.column == column }!.categories
                categoryNames[k] = categories
                for (id, name) in categories.enumerated() { categoryLookup[k][name] = UInt32(id) }
            }
        }
        var missingSeen = Array(repeating: false, count: numericCount)
        let storedImpute: [Double?]? = given.flatMap { $0.impute == nil ? nil : $0.imputeValues }

        var rowCount = 0
        var pending = firstRecordIsData
        while true {
            if !pending { guard try tokenizer.nextRecord() else { break } }
            pending = false
            let line = tokenizer.recordLine
            let fieldCount = tokenizer.fields.count
            if fieldCount != width {
                let trailingDelimiter = fieldCount == width + 1 && tokenizer.bytes(width).isEmpty
                    && !tokenizer.fields[width].quoted
                if !trailingDelimiter {
                    throw DataError(.ragged, "expected \(width) fields, saw \(fieldCount)", line: line)
                }
            }
            let rowBase = numeric.count
            numeric.append(contentsOf: repeatElement(0.0, count: numericCount))
            // The row's targets in the order given, which may not be the file's.
            let targetBase = options.targetKind == .labels ? labels.count : targetValues.count
            if options.targetKind == .labels {
                labels.append(contentsOf: repeatElement("", count: targetCount))
            } else {
                targetValues.append(contentsOf: repeatElement(0.0, count: targetCount))
            }
            for j in 0..<width {
                switch roles[j] {
                case .ignored:
                    continue
                case .id:
                    ids.append(String(decoding: tokenizer.bytes(j), as: UTF8.self))
                case .numeric(let k):
                    let cell = tokenizer.bytes(j)
                    switch parseCell(cell) {
                    case .number(let v):
                        numeric[rowBase + k] = v
                    case .missing:
                        if let storedImpute, let v = storedImpute[numericInputIndex[k]] {
                            numeric[rowBase + k] = v
                        } else if impute != nil && given == nil {
                            numeric[rowBase + k] = .nan
                            missingSeen[k] = true
                        } else {
                            let shown = cell.isEmpty ? "an empty cell" : quoted(cell)
                            // Imputation is chosen at training time: only then can an option fill the cell.
                            let hint = given == nil ? "use \(advising: .impute(strategies: "mean|median")) to fill it"
                                : "the model was trained without \(advising: .impute(strategies: nil)); fill the cell, or train "
                                    + "again with \(advising: .impute(strategies: "mean|median"))"
                            throw DataError(.missingValue, "missing value (\(shown)); \(hint)", line: line, column: names[j])
                        }
                    case .nonFinite:
                        throw DataError(.nonFinite, "\(quoted(cell)) is not a finite number", line: line, column: names[j])
                    case .invalid:
                        let hint = given == nil ? "; use \(advising: .oneHot(column: names[j])) to encode it as categories or "
                            + "\(advising: .drop(column: names[j])) to leave it out" : ""
                        // A decimal comma is named alone: encoding such a column as categories would be no fix.
                        let comma = DecimalComma.note(cell)
                        throw DataError(.nonNumeric, "could not convert \(quoted(cell)) to a number"
                                        + (comma.isEmpty ? hint : comma), line: line, column: names[j])
                    }
                case .oneHot(let k):
                    let cell = tokenizer.bytes(j)
                    if case .missing = parseCell(cell) {
                        throw DataError(.missingValue, "missing category in a one-hot column", line: line, column: names[j])
                    }
                    let category = String(decoding: cell, as: UTF8.self)
                    if let id = categoryLookup[k][category] {
                        categoryIDs[k].append(id)
                    } else if given == nil {
                        let id = UInt32(categoryNames[k].count)
                        categoryLookup[k][category] = id
                        categoryNames[k].append(category)
                        categoryIDs[k].append(id)
                    } else {
                        let known = categoryNames[k].prefix(10).map { "'\($0)'" }.joined(separator: ", ")
                        throw DataError(.unknownCategory, "unknown category \(quoted(cell)); the model knows \(known)",
                                        line: line, column: names[j])
                    }
                case .target(let k):
                    let cell = tokenizer.bytes(j)
                    if options.targetKind == .labels {
                        if cell.isEmpty {
                            throw DataError(.missingValue, "missing target value", line: line, column: names[j])
                        }
                        labels[targetBase + k] = String(decoding: cell, as: UTF8.self)
                    } else {
                        switch parseCell(cell) {
                        case .number(let v): targetValues[targetBase + k] = v
                        case .missing:
                            throw DataError(.missingValue, "missing target value", line: line, column: names[j])
                        case .nonFinite:
                            throw DataError(.nonFinite, "\(quoted(cell)) is not a finite number", line: line, column: names[j])
                        case .invalid:
                            throw DataError(.nonNumeric,
                                            "could not convert \(quoted(cell)) to a number; a regression target must be numeric",
                                            line: line, column: names[j])
                        }
                    }
                }
            }
            lines.append(Int32(truncatingIfNeeded: line))
            rowCount += 1
        }
        return ScannedRecords(rowCount: rowCount, numeric: numeric, lines: lines, labels: labels, ids: ids,
                              targetValues: targetValues, categoryIDs: categoryIDs, categoryNames: categoryNames,
                              missingSeen: missingSeen, learnsCategories: given == nil)
    }

    /// The table of scanned records: imputation (training: statistics of the learning rows), learnt categories
    /// sorted, the features laid out in `inputColumns` order.
    func finish(_ scanned: ScannedRecords, source: String, allowEmpty: Bool = false) throws -> DataTable {
        let numericCount = numericColumns.count
        let rowCount = scanned.rowCount, lines = scanned.lines, missingSeen = scanned.missingSeen
        var numeric = scanned.numeric, categoryIDs = scanned.categoryIDs, categoryNames = scanned.categoryNames
        if rowCount == 0 && !allowEmpty {
            throw DataError(.empty, "no data rows: the file holds only a header")
        }

        let learningRows = try encodingRows(rowCount: rowCount)

        // Imputation statistics (training), from the learning rows only.
        var imputeValues: [Double?] = []
        if let impute, given == nil {
            var perNumeric = [Double](repeating: 0, count: numericCount)
            for k in 0..<numericCount {
                var present: [Double] = []
                present.reserveCapacity(learningRows.count)
                for r in learningRows where !numeric[r * numericCount + k].isNaN {
                    present.append(numeric[r * numericCount + k])
                }
                guard !present.isEmpty else {
                    throw DataError(.missingValue, "only missing values; there is nothing to impute from",
                                    column: numericColumns[k])
                }
                perNumeric[k] = impute == .mean ? mean(present) : median(&present)
                if missingSeen[k] {
                    for r in 0..<rowCount where numeric[r * numericCount + k].isNaN {
                        numeric[r * numericCount + k] = perNumeric[k]
                    }
                }
            }
            imputeValues = Array(repeating: nil, count: inputColumns.count)
            for k in 0..<numericCount { imputeValues[numericInputIndex[k]] = perNumeric[k] }
        } else if let given {
            imputeValues = given.imputeValues
        }

        // One-hot: keep the categories of the learning rows, sort them (numerically when all are numbers) and
        // remap the ids; another row with a category they lack is refused as predict would refuse it.
        var oneHot: [FeatureEncoding.OneHotColumn] = []
        if given == nil {
            for k in 0..<oneHotColumns.count {
                var learnt = [Bool](repeating: options.encodingRows == nil, count: categoryNames[k].count)
                if options.encodingRows != nil {
                    for r in learningRows { learnt[Int(categoryIDs[k][r])] = true }
                    if let r = (0..<rowCount).first(where: { !learnt[Int(categoryIDs[k][$0])] }) {
                        let category = categoryNames[k][Int(categoryIDs[k][r])]
                        throw DataError(.unknownCategory, "category '\(category)' is not in the training rows, so the "
                                        + "one-hot encoder fitted on them does not know it", line: Int(lines[r]),
                                        column: oneHotColumns[k])
                    }
                }
                let order = sortedCategoryOrder(categoryNames[k]).filter { learnt[$0] }
                var remap = [UInt32](repeating: 0, count: categoryNames[k].count)
                for (newID, oldID) in order.enumerated() { remap[oldID] = UInt32(newID) }
                for r in 0..<rowCount { categoryIDs[k][r] = remap[Int(categoryIDs[k][r])] }
                categoryNames[k] = order.map { categoryNames[k][$0] }
            }
        }
        for (k, column) in oneHotColumns.enumerated() {
            oneHot.append(FeatureEncoding.OneHotColumn(column: column, categories: categoryNames[k]))
        }
        oneHot.sort { inputColumns.firstIndex(of: $0.column)! < inputColumns.firstIndex(of: $1.column)! }

        let encoding = given ?? FeatureEncoding(inputColumns: inputColumns, oneHot: oneHot, impute: impute,
                                                imputeValues: imputeValues)
        if !oneHotColumns.isEmpty {
            let columns = numericCount + categoryNames.reduce(0) { $0 + $1.count }
            let estimate = MemoryEstimate.table(rows: rowCount, columns: columns, what: "the one-hot encoded features")
            do { try estimate.check(limit: options.limits.maxMemoryBytes, request: "reading the data") } catch let error as MemoryLimitError {
                throw DataError(.tooLarge, error.template + "; one-hot encode fewer columns, or columns with fewer distinct values")
            }
        }
        let features = assemble(numeric: numeric, numericCount: numericCount, categoryIDs: categoryIDs,
                                categoryCounts: categoryNames.map(\.count), rowCount: rowCount)
        return DataTable(source: source, rowCount: rowCount, featureNames: encoding.featureNames,
                         features: features, targetNames: targetNames, targetLabels: scanned.labels,
                         targetValues: scanned.targetValues, lines: lines, encoding: encoding, ids: scanned.ids)
    }

    /// `options.encodingRows`, checked, or every row.
    private func encodingRows(rowCount: Int) throws -> [Int] {
        guard let rows = options.encodingRows else { return Array(0..<rowCount) }
        if let bad = rows.first(where: { $0 < 0 || $0 >= rowCount }) {
            throw DataError(.invalidTarget, "encoding row \(bad) is outside the \(rowCount) data rows")
        }
        if rows.isEmpty { throw DataError(.empty, "no rows to learn the encoding from") }
        return rows
    }

    /// Lays the numeric block and the one-hot blocks out in `inputColumns` order.
    private func assemble(numeric: [Double], numericCount: Int, categoryIDs: [[UInt32]], categoryCounts: [Int],
                          rowCount: Int) -> [Double] {
        // The common case: all features numeric and already in order.
        if oneHotColumns.isEmpty && numericInputIndex == Array(0..<numericCount) { return numeric }
        enum Source { case numeric(Int), oneHot(Int) }
        var layout: [Source] = []
        var total = 0
        for column in inputColumns {
            if let k = oneHotColumns.firstIndex(of: column) {
                layout.append(.oneHot(k)); total += categoryCounts[k]
            } else {
                layout.append(.numeric(numericColumns.firstIndex(of: column)!)); total += 1
            }
        }
        var out = [Double](repeating: 0, count: rowCount * total)
        for r in 0..<rowCount {
            var c = r * total
            for source in layout {
                switch source {
                case .numeric(let k):
                    out[c] = numeric[r * numericCount + k]; c += 1
                case .oneHot(let k):
                    out[c + Int(categoryIDs[k][r])] = 1; c += categoryCounts[k]
                }
            }
        }
        return out
    }
}

private func mean(_ values: [Double]) -> Double {
    values.reduce(0, +) / Double(values.count)
}

private func median(_ values: inout [Double]) -> Double {
    values.sort()
    let n = values.count
    return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2
}

/// Category order: numeric when every category is a number, else by Unicode scalar values (like Python's sort).
func sortedCategoryOrder(_ names: [String]) -> [Int] {
    let numbers: [Double?] = names.map { name in
        var copy = name
        return copy.withUTF8 { if case .number(let v) = parseCell($0) { return v } else { return nil } }
    }
    if numbers.allSatisfy({ $0 != nil }) {
        return names.indices.sorted { a, b in
            if numbers[a]! != numbers[b]! { return numbers[a]! < numbers[b]! }
            return names[a].unicodeScalars.lexicographicallyPrecedes(names[b].unicodeScalars)
        }
    }
    return names.indices.sorted { names[$0].unicodeScalars.lexicographicallyPrecedes(names[$1].unicodeScalars) }
}
