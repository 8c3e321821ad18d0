import MLPCore

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

    /// Per-column mean and (population) standard deviation of a row-major (rows, columns) matrix, as
    /// `StandardScaler` computes them: the numbers `--scale standard` would divide by.
    static func columnMoments(_ storage: [Double], rows: Int, columns: Int) -> (mean: [Double], std: [Double]) {
        let moments = (0..<columns).map { c in StandardScaler.meanAndDeviation(count: rows) { storage[$0 * columns + c] } }
        return (moments.map(\.mean), moments.map(\.deviation))
    }

    /// Mean and population standard deviation of values.
    static func moments(_ values: [Double]) -> (mean: Double, std: Double) {
        let (mean, deviation) = StandardScaler.meanAndDeviation(values)
        return (mean, deviation)
    }
}
