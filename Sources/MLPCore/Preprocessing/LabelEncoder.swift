// scikit-learn's `LabelEncoder` (sklearn/preprocessing/_label.py): the sorted distinct classes of a label column and
// each label's index among them. Every label conversion goes through it: the classifier's LabelBinarizer, and a
// column of text cells from a CSV file (with line numbers for its errors).

/// The sorted, distinct classes of a set of labels (`np.unique`), and the index of any label among them.
public struct LabelEncoder: Sendable, Equatable {
    /// `classes_`: sorted as `ClassLabel` sorts (numbers numerically, before strings; strings by Unicode scalars).
    public let classes: [ClassLabel]
    private let position: [ClassLabel: Int]

    /// Learns the classes of `labels` (`fit`), or restores known classes.
    /// - Parameter labels: the labels, or the classes, in any order and with repeats.
    /// - Throws: `MLPError.nonFiniteInput` for a NaN or infinite numeric label.
    public init(fitting labels: [ClassLabel]) throws {
        try Self.checkFinite(labels)
        self.init(sortedClasses: Self.distinctSorted(labels))
    }

    /// Restores the classes from their names as `classNames` writes them: numbers when every name reads as one,
    /// else strings verbatim (the rule `parseColumn` reads a column by).
    /// - Parameter classNames: the class names, e.g. from a model file.
    /// - Throws: `DataError` for a name that reads as a missing or non-finite number.
    public init(classNames: [String]) throws {
        try self.init(fitting: Self.parseColumn(classNames))
    }

    init(sortedClasses: [ClassLabel]) {
        classes = sortedClasses
        var position = [ClassLabel: Int](minimumCapacity: sortedClasses.count)
        for (i, c) in sortedClasses.enumerated() { position[c] = i }
        self.position = position
    }

    /// The canonical text of each class ("3", not "3.0").
    public var classNames: [String] { classes.map(\.description) }

    /// The index of `label` in `classes`, nil for an unseen label.
    /// - Parameter label: the label to look up.
    /// - Returns: the index, or nil.
    public func index(of label: ClassLabel) -> Int? { position[label] }

    /// `transform`: the index in `classes` of each label.
    /// - Parameter labels: labels to encode.
    /// - Returns: one index into `classes` per label.
    /// - Throws: `MLPError.unseenLabels` naming every label not in `classes`.
    public func transform(_ labels: [ClassLabel]) throws -> [Int] {
        var result = [Int]()
        result.reserveCapacity(labels.count)
        var unseen = Set<ClassLabel>()
        for label in labels {
            if let i = position[label] { result.append(i) } else { unseen.insert(label) }
        }
        if !unseen.isEmpty { throw MLPError.unseenLabels(known: classes, unseen: unseen.sorted()) }
        return result
    }

    /// `transform` of text cells (e.g. a CSV target column) against these classes: each cell is read as the
    /// classes were (a number when they are numbers, else the text verbatim).
    /// - Parameters:
    ///   - cells: one text cell per row.
    ///   - column: the column's name, for messages.
    ///   - lines: the file line of each row, for messages.
    /// - Returns: one index into `classes` per cell.
    /// - Throws: `DataError` naming the first unseen, missing or non-finite label and its line.
    public func transform(parsing cells: [String], column: String? = nil, lines: [Int32] = []) throws -> [Int] {
        let numeric = classes.first?.numberValue != nil
        var result = [Int]()
        result.reserveCapacity(cells.count)
        for (row, cell) in cells.enumerated() {
            let parsed = try Self.label(cell, row: row, column: column, lines: lines)
            guard let index = position[numeric ? parsed : .string(cell)] else {
                let known = classNames.prefix(10).map { "'\($0)'" }.joined(separator: ", ")
                throw DataError(.unknownCategory, "unknown label '\(cell)'; the model's classes are \(known)",
                                line: Self.line(row, lines), column: column)
            }
            result.append(index)
        }
        return result
    }

    /// Reads a classifier's target column of text cells: numbers when every cell reads as a number with the CSV
    /// grammar (`ClassLabel(parsing:)`), else every cell a string, verbatim (as pandas reads a column and numpy sorts
    /// it: "10" before "9" in a string column).
    /// - Parameters:
    ///   - cells: one text cell per row.
    ///   - column: the column's name, for messages.
    ///   - lines: the file line of each row, for messages.
    ///   - file: the file the cells come from, for messages.
    /// - Returns: one label per cell.
    /// - Throws: `DataError` for a missing value (`NA`, `NaN` …), a non-finite number, or a non-integral number in a
    ///   numeric column (scikit-learn's "Unknown label type: continuous"), naming its line.
    public static func parseColumn(_ cells: [String], column: String? = nil, lines: [Int32] = [],
                                   file: String? = nil) throws -> [ClassLabel] {
        var labels = [ClassLabel]()
        labels.reserveCapacity(cells.count)
        var allNumbers = true
        for (row, cell) in cells.enumerated() {
            let parsed = try label(cell, row: row, column: column, lines: lines, file: file)
            if allNumbers, parsed.numberValue == nil { allNumbers = false }
            labels.append(parsed)
        }
        guard allNumbers else { return cells.map { .string($0) } }
        if let row = labels.firstIndex(where: { $0.numberValue! != $0.numberValue!.rounded() }) {
            let place = row < lines.count ? " (line \(lines[row]))" : ""
            throw DataError(.invalidTarget,
                            "Unknown label type: continuous. The target holds non-integer numbers such as "
                            + "\(cells[row])\(place); use \(advising: .regression) to fit a regressor",
                            file: file, column: column)
        }
        return labels
    }

    /// One cell with the CSV grammar; a missing or non-finite value is an error naming its line.
    private static func label(_ cell: String, row: Int, column: String?, lines: [Int32],
                              file: String? = nil) throws -> ClassLabel {
        let label = ClassLabel(parsing: cell)
        if let v = label.numberValue, !v.isFinite {
            throw v.isNaN
                ? DataError(.missingValue, "missing target value ('\(cell)')", file: file, line: line(row, lines),
                            column: column)
                : DataError(.nonFinite, "'\(cell)' is not a finite number; a class label must be finite",
                            file: file, line: line(row, lines), column: column)
        }
        return label
    }

    private static func line(_ row: Int, _ lines: [Int32]) -> Int? { row < lines.count ? Int(lines[row]) : nil }

    /// The distinct labels, sorted (`np.unique`). The set grows with the classes found: `Set(labels)` would reserve
    /// room for every label (6 MB for 100 000 labels).
    static func distinctSorted(_ labels: [ClassLabel]) -> [ClassLabel] {
        var distinct = Set<ClassLabel>()
        for label in labels { distinct.insert(label) }
        return distinct.sorted()
    }

    /// Refuses NaN and infinite numeric labels (scikit-learn's "Input y contains NaN"), naming the first one's row.
    static func checkFinite(_ labels: [ClassLabel]) throws {
        for (row, label) in labels.enumerated() {
            if let v = label.numberValue, !v.isFinite {
                throw MLPError.nonFiniteInput(what: "y", row: row, column: 0, value: v)
            }
        }
    }

    /// Equal when the classes are.
    /// - Parameters:
    ///   - a: an encoder.
    ///   - b: another encoder.
    /// - Returns: whether both have the same `classes`.
    public static func == (a: LabelEncoder, b: LabelEncoder) -> Bool { a.classes == b.classes }
}
