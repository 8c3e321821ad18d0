// A table's target column as class labels. A CSV column is numeric or it is not: when every cell reads as a
// number the labels are numbers (sorted numerically, "10" after "9", as scikit-learn's np.unique on a numeric
// column), otherwise every label is its text.

enum TableLabels {
    /// The target column of `table` as labels; a numeric column with a non-integer value is refused, naming it.
    static func labels(of table: DataTable) throws -> [ClassLabel] {
        let texts = table.targetLabels
        // As for features: inf, -inf and numbers beyond float64 (1e400) are refused, not taken as class names.
        if let i = texts.firstIndex(where: { if case .nonFinite = ClassLabel.parse($0) { true } else { false } }) {
            throw DataError(.nonFinite, "'\(texts[i])' is not a finite number; a class label is a finite number or a text",
                            file: table.source, line: i < table.lines.count ? Int(table.lines[i]) : nil,
                            column: table.targetName)
        }
        if let numbers = numbers(texts) {
            if let i = numbers.firstIndex(where: { $0 != $0.rounded() }) {
                throw DataError(.invalidTarget,
                                "Unknown label type: continuous. The target holds non-integer numbers such as "
                                + "\(texts[i])\(place(i, table)); use \(advising: .regression) to fit a regressor",
                                file: table.source, column: table.targetName)
            }
            return numbers.map { .number($0) }
        }
        return texts.map { .string($0) }
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

    private static func place(_ row: Int, _ table: DataTable) -> String {
        row < table.lines.count ? " (line \(table.lines[row]))" : ""
    }

    /// The cell as a number, as the CSV reader reads numbers.
    static func number(_ text: String) -> Double? {
        var copy = text
        if case .number(let v) = copy.withUTF8({ parseCell($0) }) { return v }
        return nil
    }

    /// Every cell as a number, or nil when one is not.
    private static func numbers(_ texts: [String]) -> [Double]? {
        guard !texts.isEmpty else { return nil }
        var out: [Double] = []
        out.reserveCapacity(texts.count)
        for text in texts {
            guard let v = number(text) else { return nil }
            out.append(v)
        }
        return out
    }
}
