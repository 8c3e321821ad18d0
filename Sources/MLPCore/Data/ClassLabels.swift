// A classifier's target column as text, for the command-line tool: a thin view over LabelEncoder, which does the
// parsing, sorting and encoding.

/// The sorted class names of a label column and each row's class index.
public struct ClassLabels: Equatable, Sendable {
    /// Class names, sorted. Numeric labels are written canonically ("3", not "3.0").
    public var classes: [String]
    /// True when every label was a number.
    public var isNumeric: Bool
    /// Per row, the index into `classes`.
    public var indices: [Int]

    /// `classes` as class labels: numbers when every label is one (so they sort as numpy sorts them), else strings.
    public var classLabels: [ClassLabel] {
        classes.map { isNumeric ? ClassLabel(parsing: $0) : .string($0) }
    }

    /// Learns the classes of a column (`LabelEncoder.parseColumn`).
    /// - Parameters:
    ///   - labels: one text cell per row.
    ///   - column: the column's name, for messages.
    ///   - lines: the file line of each row, for messages.
    ///   - file: the file the labels come from, for messages.
    /// - Throws: `DataError` for a missing, non-finite or (in a numeric column) non-integral label.
    public init(_ labels: [String], column: String? = nil, lines: [Int32] = [], file: String? = nil) throws {
        let parsed = try LabelEncoder.parseColumn(labels, column: column, lines: lines, file: file)
        let encoder = try LabelEncoder(fitting: parsed)
        classes = encoder.classNames
        isNumeric = encoder.classes.first?.numberValue != nil
        indices = try encoder.transform(parsed)
    }

    /// Learns the classes of a table's target column, naming its file, line and column in errors.
    /// - Parameter table: a table read with `TargetKind.labels`.
    /// - Throws: `DataError` for a missing, non-finite or (in a numeric column) non-integral label.
    public init(targetOf table: DataTable) throws {
        try self.init(table.targetLabels, column: table.targetName, lines: table.lines, file: table.source)
    }

    /// Maps labels to indices of known `classes` (`LabelEncoder.transform(parsing:)`).
    /// - Parameters:
    ///   - labels: one text cell per row.
    ///   - classes: the class names, as `classes` writes them.
    ///   - column: the column's name, for messages.
    ///   - lines: the file line of each row, for messages.
    /// - Returns: one index into `classes` per label.
    /// - Throws: `DataError` naming an unseen label and its line.
    public static func encode(_ labels: [String], classes: [String], column: String? = nil,
                              lines: [Int32] = []) throws -> [Int] {
        try LabelEncoder(classNames: classes).transform(parsing: labels, column: column, lines: lines)
    }

    /// Whether every name reads as a number (then the classes are numeric labels).
    /// - Parameter names: class names.
    /// - Returns: true when `names` is not empty and each reads as a finite number.
    public static func areNumeric(_ names: [String]) -> Bool {
        !names.isEmpty && names.allSatisfy { ClassLabel(parsing: $0).numberValue?.isFinite == true }
    }
}
