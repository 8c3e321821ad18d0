// A table read from CSV: a row-major Double feature matrix, the target columns and the encoding that made it.

/// How the target column is read.
public enum TargetKind: Sendable {
    /// Class labels, kept as text (a classifier; numeric labels too).
    case labels
    /// Numbers (a regressor).
    case numeric
}

/// Options for reading a table (`--target`, `--no-header`, `--one-hot`, `--impute`).
public struct CSVReadOptions: Sendable {
    /// False for `--no-header`: columns are then named by their 0-based index ("0", "1", ...).
    public var hasHeader: Bool = true
    /// The target columns, in the order of the outputs; empty means the last column when training, none when
    /// predicting. Each entry is a column's name, or, when no column has that name, a comma-separated list of column
    /// names (`"y1,y2"`), so that a name holding a comma stays one column.
    public var targets: [String] = []
    /// The (first) target column's name; nil for none. Setting it leaves one target.
    public var target: String? {
        get { targets.first }
        set { targets = newValue.map { [$0] } ?? [] }
    }
    /// Whether the target holds class labels (a classifier) or numbers (a regressor).
    public var targetKind: TargetKind = .labels
    /// When predicting: ignore a missing target column rather than fail.
    public var targetIsOptional = false
    /// Columns to one-hot encode (training only; predicting uses the stored encoding).
    public var oneHot: [String] = []
    /// How missing feature values are replaced; nil makes a missing value an error.
    public var impute: ImputeStrategy?
    /// Bounds on a field's size and the column count, which protect against a hostile or broken file.
    public var limits = CSVLimits()
    /// The field delimiter (`--delimiter`); nil detects comma, semicolon, tab or `|` from the first record.
    public var delimiter: UInt8?
    /// Columns left out of the features (`--drop`).
    public var drop: [String] = []
    /// A column kept out of the features and returned as ``DataTable/ids`` (`--id`).
    public var idColumn: String?
    /// The rows (0-based, in file order) the encoding is learnt from when training (one-hot categories,
    /// imputation statistics), as a pipeline fitted on a training split learns them; nil for every row.
    public var encodingRows: [Int]?

    /// Creates reading options; each parameter sets the property of the same name.
    ///
    /// - Parameters:
    ///   - hasHeader: Whether the first record names the columns.
    ///   - target: The target column's name; nil means the last column when training, none when predicting.
    ///   - targets: More target columns, after `target` (see ``targets``), for several outputs.
    ///   - targetKind: Whether the target holds class labels or numbers.
    ///   - targetIsOptional: When predicting, whether a missing target column is ignored rather than an error.
    ///   - oneHot: The columns to one-hot encode.
    ///   - impute: How missing feature values are replaced; nil makes them an error.
    ///   - limits: Bounds on a field's size and the column count.
    ///   - delimiter: The field delimiter; nil detects it from the first record.
    ///   - drop: Columns left out of the features.
    ///   - idColumn: A column kept out of the features and returned as ``DataTable/ids``.
    ///   - encodingRows: The rows the encoding is learnt from; nil for every row.
    public init(hasHeader: Bool = true, target: String? = nil, targets: [String] = [], targetKind: TargetKind = .labels,
                targetIsOptional: Bool = false, oneHot: [String] = [], impute: ImputeStrategy? = nil,
                limits: CSVLimits = CSVLimits(), delimiter: UInt8? = nil, drop: [String] = [],
                idColumn: String? = nil, encodingRows: [Int]? = nil) {
        self.hasHeader = hasHeader
        self.targets = (target.map { [$0] } ?? []) + targets
        self.targetKind = targetKind
        self.targetIsOptional = targetIsOptional
        self.oneHot = oneHot
        self.impute = impute
        self.limits = limits
        self.delimiter = delimiter
        self.drop = drop
        self.idColumn = idColumn
        self.encodingRows = encodingRows
    }
}

/// A table of numeric features plus optional target columns (one, or several for a multi-output regressor).
public struct DataTable: Sendable {
    /// Where it came from (a path or "dataset iris"), for messages.
    public var source: String
    /// The number of rows (records, the header excluded).
    public var rowCount: Int
    /// Feature names after encoding, one per column of `features`.
    public var featureNames: [String]
    /// Row-major (rowCount, featureNames.count).
    public var features: [Double]
    /// The target columns' names, in the order of the outputs; empty when the table has no target.
    public var targetNames: [String]
    /// Raw target text per row (`.labels`), row-major (rowCount, targetCount); empty otherwise.
    public var targetLabels: [String]
    /// Target numbers per row (`.numeric`), row-major (rowCount, targetCount); empty otherwise.
    public var targetValues: [Double]
    /// Physical line of each row in the file (1-based), for messages about rows found later.
    public var lines: [Int32]
    /// The encoding that produced `features`; store it in the model.
    public var encoding: FeatureEncoding
    /// The `idColumn` cell of each row, as text; empty without an id column.
    public var ids: [String] = []

    /// The number of feature columns after encoding.
    public var featureCount: Int { featureNames.count }

    /// The number of target columns: 0 without a target, 1, or more for several outputs.
    public var targetCount: Int { targetNames.count }

    /// The (first) target column's name, nil when the table has no target; with one target, its name.
    public var targetName: String? { targetNames.first }

    /// One target column's numbers (`.numeric`), a value per row.
    ///
    /// - Parameter j: A target index in `0..<targetCount`.
    /// - Returns: The column of ``targetValues``.
    public func targetValues(ofColumn j: Int) -> [Double] {
        let k = targetCount
        return k == 1 ? targetValues : stride(from: j, to: targetValues.count, by: k).map { targetValues[$0] }
    }

    /// The features as Float (`--dtype float32`), rounded from Double like numpy's `astype(float32)`.
    public func featuresAsFloat() -> [Float] { features.map { Float($0) } }

    /// Row `i` of the feature matrix.
    ///
    /// - Parameter i: A row index in `0..<rowCount`.
    /// - Returns: The row's `featureCount` values.
    public func row(_ i: Int) -> ArraySlice<Double> {
        features[(i * featureCount)..<((i + 1) * featureCount)]
    }
}
