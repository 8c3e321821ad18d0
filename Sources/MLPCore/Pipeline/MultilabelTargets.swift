// Several target columns of a classifier: a multilabel indicator matrix, one 0/1 column per label, as scikit-learn's
// MLPClassifier takes a 2-D y of zeros and ones. Each cell is checked where it was read, so a 2 or a "yes" is named
// by its line and column rather than turning the target into something else.

/// A classifier's several target columns as a multilabel indicator matrix.
public enum MultilabelTargets {
    /// The table's target columns as indicators, row-major (rows, targetCount), 1 for a label that applies.
    /// - Parameter table: a table of class labels (``TargetKind/labels``) with several target columns.
    /// - Returns: 0 and 1, one per cell of ``DataTable/targetLabels``.
    /// - Throws: ``DataError`` naming the line and column of the first cell that is not 0 or 1, or for a table whose
    ///   targets were read as numbers.
    public static func indicators(of table: DataTable) throws -> [Double] {
        let k = table.targetCount
        guard k > 0, table.targetLabels.count == table.rowCount * k else {
            throw DataError(.invalidTarget, "the table holds no class labels for its \(k) target column(s): a classifier "
                            + "reads its targets as labels (TargetKind.labels)", file: table.source)
        }
        return try table.targetLabels.enumerated().map { i, text in
            let row = i / k
            do {
                return try indicator(text, line: row < table.lines.count ? Int(table.lines[row]) : nil,
                                     column: table.targetNames[i % k])
            } catch let error as DataError {
                throw error.at(file: table.source)
            }
        }
    }

    /// One cell of a multilabel target as its indicator (the first pass of a cache checks each cell with it).
    /// - Parameters:
    ///   - text: the cell's text.
    ///   - line: its line in the file, for the message.
    ///   - column: its column's name, for the message.
    /// - Returns: 0 or 1.
    /// - Throws: ``DataError`` naming the line and column when the cell is not 0 or 1.
    public static func indicator(_ text: String, line: Int?, column: String) throws -> Double {
        if case .number(let v) = ClassLabel.parse(text), v == 0 || v == 1 { return v }
        throw DataError(.invalidTarget, "'\(text)' is not 0 or 1: several target columns of a classifier are a "
                        + "multilabel indicator matrix (a 0/1 column per label); for numbers use "
                        + "\(advising: .regression)", line: line, column: column)
    }

    /// The label combination of each row as text ("0 1 1"), the classes that scikit-learn's `train_test_split`
    /// stratifies a multilabel target by (StratifiedShuffleSplit joins each row of a 2-D y).
    /// - Parameters:
    ///   - indicators: ``indicators(of:)``.
    ///   - labels: the number of labels (target columns).
    /// - Returns: one text per row.
    public static func rowCombinations(_ indicators: [Double], labels: Int) -> [String] {
        stride(from: 0, to: indicators.count, by: labels).map { start in
            indicators[start..<(start + labels)].map { $0 == 1 ? "1" : "0" }.joined(separator: " ")
        }
    }
}
