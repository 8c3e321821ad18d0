// A table's target column as class labels. A CSV column is numeric or it is not: when every cell reads as a
// number the labels are numbers (sorted numerically, "10" after "9", as scikit-learn's np.unique on a numeric
// column), otherwise every label is its text.

enum TableLabels {
    /// The target column of `table` as labels (`LabelEncoder.parseColumn`, naming the file).
    static func labels(of table: DataTable) throws -> [ClassLabel] {
        try LabelEncoder.parseColumn(table.targetLabels, column: table.targetName, lines: table.lines, file: table.source)
    }

    /// Each row's index into `classes`; a label not among them is refused, naming it and its line, or given the
    /// index `unseen` when one is given (an index no prediction has: cross_val_score's accuracy counts it a miss).
    static func indices(of table: DataTable, in classes: [ClassLabel], unseen: Int? = nil) throws -> [Int] {
        var position: [ClassLabel: Int] = [:]
        for (i, c) in classes.enumerated() { position[c] = i }
        let numericClasses = classes.allSatisfy { $0.numberValue != nil }
        var out: [Int] = []
        out.reserveCapacity(table.targetLabels.count)
        for (i, text) in table.targetLabels.enumerated() {
            var label = ClassLabel.string(text)
            if numericClasses, let v = number(text) { label = .number(v) }
            guard let index = position[label] ?? unseen else {
                let known = classes.prefix(10).map { "'\($0)'" }.joined(separator: ", ")
                throw DataError(.unknownCategory, "unknown label '\(text)'; the model's classes are \(known)",
                                file: table.source, line: i < table.lines.count ? Int(table.lines[i]) : nil,
                                column: table.targetName)
            }
            out.append(index)
        }
        return out
    }

    /// The cell as a number, as the CSV reader reads numbers.
    static func number(_ text: String) -> Double? {
        var copy = text
        if case .number(let v) = copy.withUTF8({ parseCell($0) }) { return v }
        return nil
    }
}
