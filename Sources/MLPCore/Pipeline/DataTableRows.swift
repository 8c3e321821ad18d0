// A subset of a table's rows, for held-out splits and cross-validation folds (`X[indices]`, `y[indices]`).

extension DataTable {
    /// The rows at `indices`, in that order, with the same encoding.
    /// - Parameter indices: row indices in `0..<rowCount`; repeats are allowed.
    /// - Returns: a table of `indices.count` rows.
    public func rows(at indices: [Int]) -> DataTable {
        var subset = self
        let width = featureCount
        var features: [Double] = []
        features.reserveCapacity(indices.count * width)
        for i in indices { features.append(contentsOf: row(i)) }
        subset.features = features
        subset.rowCount = indices.count
        if !targetLabels.isEmpty { subset.targetLabels = Self.rows(indices, of: targetLabels, width: targetCount) }
        if !targetValues.isEmpty { subset.targetValues = Self.rows(indices, of: targetValues, width: targetCount) }
        if !lines.isEmpty { subset.lines = indices.map { lines[$0] } }
        if !ids.isEmpty { subset.ids = indices.map { ids[$0] } }
        return subset
    }

    /// The rows at `indices` of a row-major array of `width` values a row (the targets).
    private static func rows<Element>(_ indices: [Int], of values: [Element], width: Int) -> [Element] {
        if width == 1 { return indices.map { values[$0] } }
        var out: [Element] = []
        out.reserveCapacity(indices.count * width)
        for i in indices { out.append(contentsOf: values[(i * width)..<((i + 1) * width)]) }
        return out
    }
}
