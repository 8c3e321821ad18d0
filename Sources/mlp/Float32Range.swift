import MLP

/// `--dtype float32` converts the features to Float: a value beyond Float's range would become infinite and
/// fail later as "NaN in X"; it is refused at read time instead, naming the file, line and column.
enum Float32Range {
    /// Throws CLIError(.data) for the first feature whose magnitude exceeds `Float.greatestFiniteMagnitude`.
    /// - Parameter table: The data, before scaling.
    static func check(_ table: DataTable) throws {
        let limit = Double(Float.greatestFiniteMagnitude)
        guard let i = table.features.firstIndex(where: { abs($0) > limit }) else { return }
        let row = i / max(1, table.featureCount), column = i % max(1, table.featureCount)
        let line = row < table.lines.count ? ", line \(table.lines[row])" : ""
        throw CLIError(.data, "\(table.source)\(line), column '\(table.featureNames[column])': \(table.features[i]) is "
                       + "beyond float32's range (±3.4e38); train with --dtype float64")
    }
}
