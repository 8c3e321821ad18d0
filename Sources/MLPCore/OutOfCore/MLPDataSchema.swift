// What an `.mlpdata` cache holds besides its rows: the columns, their categories and streamed statistics, the
// target and its classes. Written after the rows (the first pass learns it as it goes); see docs/out-of-core.md.

/// One feature column of a cache: numeric (Float64 cells, NaN when missing) or categorical (category codes).
public struct MLPDataColumn: Equatable, Sendable {
    /// The CSV column's name.
    public var name: String
    /// True for a one-hot (categorical) column, whose cells are codes into `categories`.
    public var isCategorical: Bool
    /// The categories in first-seen order (categorical only); a cell holds an index into them.
    public var categories: [String]
    /// Rows per category, in the order of `categories`.
    public var categoryCounts: [Int]
    /// The present values' statistics (numeric only).
    public var statistics: StreamingStatistics

    /// Creates a column description.
    ///
    /// - Parameters:
    ///   - name: The CSV column's name.
    ///   - isCategorical: Whether the cells are category codes.
    ///   - categories: The categories in first-seen order.
    ///   - categoryCounts: Rows per category.
    ///   - statistics: The present values' statistics.
    public init(name: String, isCategorical: Bool, categories: [String] = [], categoryCounts: [Int] = [],
                statistics: StreamingStatistics = StreamingStatistics()) {
        self.name = name
        self.isCategorical = isCategorical
        self.categories = categories
        self.categoryCounts = categoryCounts
        self.statistics = statistics
    }
}

/// The header of an `.mlpdata` cache: its rows' layout and what the first pass learnt.
///
/// Each row holds `columns.count + targetNames.count` Float64 values: the features in CSV order, then the targets in
/// `--target` order. One target of class labels is a code into `labelTexts`; several of class labels are a multilabel
/// indicator matrix (each cell 0 or 1); a numeric target is its value.
public struct MLPDataSchema: Equatable, Sendable {
    /// The number of rows.
    public var rowCount: Int
    /// The feature columns, in CSV order.
    public var columns: [MLPDataColumn]
    /// The target columns' names, in the order of the outputs (one, or several for a multi-output or multilabel fit).
    public var targetNames: [String]
    /// Class labels (a classifier) or numbers (a regressor).
    public var targetKind: TargetKind
    /// Per target column, its statistics (`.numeric` only; empty statistics otherwise).
    public var targetStatistics: [StreamingStatistics]
    /// The distinct label texts in first-seen order (one target of `.labels` only); a target cell is an index into them.
    public var labelTexts: [String]
    /// The classes, sorted as `LabelEncoder` sorts them (numeric labels numerically).
    public var classes: [String]
    /// Per label text, its index into `classes` ("1" and "1.0" are one class).
    public var classIndexOfLabel: [Int]
    /// The imputation of missing numeric cells chosen at conversion; nil when a missing cell was an error.
    public var impute: ImputeStrategy?

    /// The first target column's name (the only one, but for a multi-output or multilabel cache).
    public var targetName: String { targetNames.first ?? "" }
    /// The number of target columns.
    public var targetCount: Int { targetNames.count }
    /// True for several target columns of class labels: each cell is 0 or 1, one column per label.
    public var isMultilabel: Bool { targetKind == .labels && targetCount > 1 }

    /// Values per row: the features, then the targets.
    public var rowWidth: Int { columns.count + targetCount }

    /// Creates a schema; ``MLPDataConverter`` makes one from a CSV file.
    ///
    /// - Parameters:
    ///   - rowCount: The number of rows.
    ///   - columns: The feature columns.
    ///   - targetNames: The target columns' names, at least one (a cache without one is written with an empty name).
    ///   - targetKind: Labels or numbers.
    ///   - targetStatistics: Per target column, its statistics (numeric targets); empty statistics for those not
    ///     given.
    ///   - labelTexts: The distinct label texts, first seen first.
    ///   - classes: The sorted class names.
    ///   - classIndexOfLabel: Per label text, its class index.
    ///   - impute: The imputation strategy.
    public init(rowCount: Int, columns: [MLPDataColumn], targetNames: [String], targetKind: TargetKind,
                targetStatistics: [StreamingStatistics]? = nil, labelTexts: [String] = [],
                classes: [String] = [], classIndexOfLabel: [Int] = [], impute: ImputeStrategy? = nil) {
        self.rowCount = rowCount
        self.columns = columns
        self.targetNames = targetNames
        self.targetKind = targetKind
        let given = targetStatistics ?? []
        self.targetStatistics = targetNames.indices.map { $0 < given.count ? given[$0] : StreamingStatistics() }
        self.labelTexts = labelTexts
        self.classes = classes
        self.classIndexOfLabel = classIndexOfLabel
        self.impute = impute
    }

    // MARK: Binary form
    //
    // Version 1 holds one target; version 2 appends the further targets after the imputation strategy: their count
    // (at least one), then per target its name and statistics. A one-target cache is still written as version 1.

    /// The format version this schema is written in: 1 for one target column, 2 for several.
    var formatVersion: UInt32 { targetCount > 1 ? 2 : 1 }

    func encoded() -> [UInt8] {
        var w = ByteWriter()
        func append(_ s: StreamingStatistics) {
            w.append(UInt64(s.count)); w.append(s.mean); w.append(s.m2); w.append(s.minimum); w.append(s.maximum)
        }
        w.append(UInt64(rowCount))
        w.append(UInt64(columns.count))
        for column in columns {
            w.append(column.name)
            w.append(UInt8(column.isCategorical ? 1 : 0))
            w.append(column.categories)
            for n in column.categoryCounts { w.append(UInt64(n)) }
            append(column.statistics)
        }
        w.append(targetName)
        w.append(UInt8(targetKind == .labels ? 0 : 1))
        append(targetStatistics.first ?? StreamingStatistics())
        w.append(labelTexts)
        w.append(classes)
        for i in classIndexOfLabel { w.append(UInt32(i)) }
        w.append(impute?.rawValue ?? "")
        if formatVersion >= 2 {
            w.append(UInt64(targetCount - 1))
            for t in 1..<targetCount {
                w.append(targetNames[t])
                append(targetStatistics[t])
            }
        }
        return w.bytes
    }

    init(decoding bytes: UnsafeRawBufferPointer, version: UInt32, file: String) throws {
        var r = ByteReader(bytes, file: file)
        func statistics() throws -> StreamingStatistics {
            StreamingStatistics(count: try r.count(limit: Int.max), mean: try r.double(), m2: try r.double(),
                                minimum: try r.double(), maximum: try r.double())
        }
        func corrupted(_ what: String) -> MLPDataError {
            MLPDataError.corrupted(file: file, detail: "the header's \(what) is inconsistent")
        }
        let rows = try r.count(limit: Int.max >> 4)
        rowCount = rows
        let columnCount = try r.count(limit: bytes.count)
        var columns: [MLPDataColumn] = []
        for _ in 0..<columnCount {
            let name = try r.string()
            let flag = try r.integer(UInt8.self)
            guard flag <= 1 else { throw corrupted("column kind") }
            let categories = try r.strings()
            let counts = try categories.map { _ in try r.count(limit: rows) }
            columns.append(MLPDataColumn(name: name, isCategorical: flag == 1, categories: categories,
                                         categoryCounts: counts, statistics: try statistics()))
        }
        self.columns = columns
        var names = [try r.string()]
        let kind = try r.integer(UInt8.self)
        guard kind <= 1 else { throw corrupted("target kind") }
        targetKind = kind == 0 ? .labels : .numeric
        var targetStatistics = [try statistics()]
        let texts = try r.strings()
        labelTexts = texts
        let classNames = try r.strings()
        classes = classNames
        let indices = try texts.map { _ in Int(try r.integer(UInt32.self)) }
        classIndexOfLabel = indices
        let imputeName = try r.string()
        impute = imputeName.isEmpty ? nil : ImputeStrategy(rawValue: imputeName)
        guard imputeName.isEmpty || impute != nil else { throw corrupted("imputation strategy") }
        if version >= 2 {
            // Each further target takes at least 44 bytes (a name's length and five statistics).
            let further = try r.count(limit: bytes.count / 44)
            guard further >= 1 else { throw corrupted("target count") }
            for _ in 0..<further {
                names.append(try r.string())
                targetStatistics.append(try statistics())
            }
            guard texts.isEmpty, classNames.isEmpty else { throw corrupted("label table of several targets") }
        }
        targetNames = names
        self.targetStatistics = targetStatistics
        guard indices.allSatisfy({ $0 < classNames.count }) else { throw corrupted("class table") }
        guard !columns.isEmpty else { throw corrupted("column list") }
    }
}
