extension DiagnosisInput {
    /// The folds a diagnosis splits the rows into: one per random state, at least two.
    var foldCount: Int { max(randomStateCount, 2) }

    /// Refuses what no diagnosis can score, before any training, with the error that names the setting to change.
    /// - Throws: ``DiagnosisError``.
    func check() throws {
        guard Self.randomStateRange.contains(randomStateCount) else {
            throw DiagnosisError.randomStatesOutOfRange(randomStateCount)
        }
        guard timeBudget > 0, timeBudget.isFinite else { throw DiagnosisError.timeBudgetNotPositive(timeBudget) }
        guard features.rows == target.rowCount else {
            throw DiagnosisError.rowCountMismatch(features: features.rows, target: target.rowCount)
        }
        switch target {
        case .values(let values):
            if let first = values.first, values.allSatisfy({ $0 == first }) { throw DiagnosisError.constantTarget(first) }
            if parameters.loss == .poisson {
                if scaleTarget { throw DiagnosisError.poissonWithScaledTarget }
                if let row = values.firstIndex(where: { $0 < 0 }) {
                    throw DiagnosisError.negativePoissonTarget(row: row, value: values[row])
                }
            }
        case .classes(let indices, let names):
            if let row = indices.firstIndex(where: { !names.indices.contains($0) }) {
                throw DiagnosisError.classIndexOutOfRange(row: row, index: indices[row], classCount: names.count)
            }
            if let first = indices.first, indices.allSatisfy({ $0 == first }) { throw DiagnosisError.oneClass(names[first]) }
        }
        guard features.rows >= 2 * foldCount else { throw DiagnosisError.cannotSplit(rows: features.rows, folds: foldCount) }
    }
}
