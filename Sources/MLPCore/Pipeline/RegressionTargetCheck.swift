// The estimator refuses a negative Poisson target in scikit-learn's words, but by then the rows have lost their lines:
// a table checks it first and names the cell.

extension DataTable {
    /// Throws, naming the first offending cell's line and column, when `loss` cannot fit these targets: a negative
    /// value for the Poisson loss (`MLPRegressor.fit` would refuse it without saying where).
    ///
    /// - Parameter loss: The regressor's loss.
    /// - Throws: ``DataError`` of kind `invalidTarget`, with scikit-learn's message after the value.
    public func checkTargets(for loss: RegressionLoss) throws {
        guard loss == .poisson, let cell = targetValues.firstIndex(where: { $0 < 0 }) else { return }
        let (row, target) = cell.quotientAndRemainder(dividingBy: max(targetCount, 1))
        throw DataError(.invalidTarget, "the target is \(targetValues[cell]): " + MLPError.negativeTargetForPoisson.description,
                        file: source, line: row < lines.count ? Int(lines[row]) : nil,
                        column: target < targetNames.count ? targetNames[target] : nil)
    }
}
