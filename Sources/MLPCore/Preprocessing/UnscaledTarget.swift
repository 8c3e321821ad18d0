/// A regression target column an order of magnitude off unit scale: the rule behind the `unscaled-target` monitor
/// warning and `mlp train`'s note. Glorot initialization and the default steps assume outputs near unit scale, so a
/// bare MLPRegressor (scikit-learn's, kept for parity) fits such a target badly unless it is standardized.
public struct UnscaledTarget: Sendable, Equatable {
    /// The column among the target columns (0 for a single target).
    public var column: Int
    /// The column's mean.
    public var mean: Double
    /// The column's population standard deviation, finite for any finite values.
    public var deviation: Double

    /// A standard deviation above this, or a mean above this × max(deviation, 1), is off unit scale.
    public static let threshold = 10.0

    /// The first of `columns` target columns of `rows` values that is off unit scale; nil when none is, or for
    /// fewer than two rows.
    /// - Parameters:
    ///   - rows: the values per column.
    ///   - columns: the target columns.
    ///   - value: the value at (row, column).
    public static func first(rows: Int, columns: Int, _ value: (_ row: Int, _ column: Int) -> Double) -> UnscaledTarget? {
        guard rows > 1 else { return nil }
        for column in 0..<columns {
            // Overflow-safe: a target near 1e160 has a finite deviation although its squares are not.
            let (mean, deviation) = StandardScaler.meanAndDeviation(count: rows) { value($0, column) }
            if deviation > threshold || abs(mean) > threshold * max(deviation, 1) {
                return UnscaledTarget(column: column, mean: mean, deviation: deviation)
            }
        }
        return nil
    }
}

extension DataTable {
    /// The first numeric target column off unit scale (``UnscaledTarget``), nil when none is.
    public var firstUnscaledTarget: UnscaledTarget? {
        let columns = targetCount
        guard columns > 0 else { return nil }
        return targetValues.withUnsafeBufferPointer { values in
            UnscaledTarget.first(rows: values.count / columns, columns: columns) { values[$0 * columns + $1] }
        }
    }
}
