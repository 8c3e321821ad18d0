import MLPCore

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
        case .valueColumns(let values, let names):
            try Self.checkColumns(values, names: names)
            if parameters.loss == .poisson {
                if scaleTarget { throw DiagnosisError.poissonWithScaledTarget }
                if let cell = values.storage.firstIndex(where: { $0 < 0 }) {
                    throw DiagnosisError.negativePoissonValue(row: cell / values.columns, column: names[cell % values.columns],
                                                              value: values.storage[cell])
                }
            }
        case .labelIndicators(let indicators, let labels):
            if parameters.classWeight != nil { throw DiagnosisError.classWeightWithLabels }
            guard indicators.columns == labels.count else {
                throw DiagnosisError.targetNamesMismatch(columns: indicators.columns, names: labels.count)
            }
            if let cell = indicators.storage.firstIndex(where: { $0 != 0 && $0 != 1 }) {
                throw DiagnosisError.indicatorNotBinary(row: cell / indicators.columns, column: labels[cell % indicators.columns],
                                                        value: indicators.storage[cell])
            }
            try Self.checkColumns(indicators, names: labels)
        }
        guard features.rows >= 2 * foldCount else { throw DiagnosisError.cannotSplit(rows: features.rows, folds: foldCount) }
    }

    /// Refuses several target columns without one name each, or with a column of one value throughout (named).
    private static func checkColumns(_ values: Matrix<Double>, names: [String]) throws {
        guard values.columns == names.count else {
            throw DiagnosisError.targetNamesMismatch(columns: values.columns, names: names.count)
        }
        for column in 0..<values.columns where values.rows > 0 {
            let first = values[0, column]
            if (1..<values.rows).allSatisfy({ values[$0, column] == first }) {
                throw DiagnosisError.constantTargetColumn(column: names[column], value: first)
            }
        }
    }
}
