// Which CSV columns are the targets: `CSVReadOptions.targets` resolved against the header. A name is looked up whole
// first, so a column whose name holds a comma stays one target; only a name that is no column is read as a
// comma-separated list ("y1,y2"), the way a user lists several columns to --target.

enum TargetColumns {
    /// The column index of each target, in the order given (the order of the outputs).
    ///
    /// - Parameters:
    ///   - targets: ``CSVReadOptions/targets``.
    ///   - names: The header's column names.
    ///   - optional: When predicting: a target that names no column is left out rather than refused.
    ///   - columnList: The columns, as an error message lists them.
    /// - Returns: Distinct column indices.
    /// - Throws: ``DataError`` naming a target that is no column, or a column named twice.
    static func resolve(_ targets: [String], in names: [String], optional: Bool,
                        columnList: () -> String) throws -> [Int] {
        var indices: [Int] = []
        for target in targets {
            if let i = names.firstIndex(of: target) {
                indices.append(i)
                continue
            }
            let parts = target.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            let found = parts.compactMap { names.firstIndex(of: $0) }
            if parts.count > 1, found.count == parts.count {
                indices += found
            } else if !optional {
                let missing = parts.count > 1 ? parts.first { !names.contains($0) } ?? target : target
                throw DataError(.unknownColumn, "no column named '\(missing)' for the target (columns: \(columnList()))")
            }
        }
        var seen = Set<Int>()
        for i in indices where !seen.insert(i).inserted {
            throw DataError(.unknownColumn, "\(advising: .target) names the column '\(names[i])' twice; "
                            + "give each target column once")
        }
        return indices
    }
}
