// Small statistics the detectors share.

enum Statistics {
    /// The median (the mean of the two middle values for an even count); NaN for no values.
    static func median(_ values: [Double]) -> Double {
        guard !values.isEmpty else { return .nan }
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    /// max − min: the spread over random states (0 for fewer than two values).
    static func spread(_ values: [Double]) -> Double {
        guard let low = values.min(), let high = values.max() else { return 0 }
        return high - low
    }

    /// Per-column mean and (population) standard deviation of a row-major (rows, columns) matrix.
    static func columnMoments(_ storage: [Double], rows: Int, columns: Int) -> (mean: [Double], std: [Double]) {
        var mean = [Double](repeating: 0, count: columns), squares = [Double](repeating: 0, count: columns)
        guard rows > 0 else { return (mean, squares) }
        for r in 0..<rows { for c in 0..<columns { mean[c] += storage[r * columns + c] } }
        for c in 0..<columns { mean[c] /= Double(rows) }
        for r in 0..<rows {
            for c in 0..<columns {
                let d = storage[r * columns + c] - mean[c]
                squares[c] += d * d
            }
        }
        return (mean, squares.map { ($0 / Double(rows)).squareRoot() })
    }

    /// Mean and population standard deviation of values.
    static func moments(_ values: [Double]) -> (mean: Double, std: Double) {
        let m = columnMoments(values, rows: values.count, columns: 1)
        return (m.mean[0], m.std[0])
    }
}
