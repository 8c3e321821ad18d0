// Column statistics in one pass over chunks: each chunk's own count, mean and sum of squared deviations (two-pass
// within the chunk, with scikit-learn's correction term), merged into the running totals with Chan, Golub and
// LeVeque's parallel update ("Updating formulae and a pairwise algorithm for computing sample variances", 1979):
//   n = na + nb   δ = mean_b − mean_a   mean = mean_a + δ·nb/n   M2 = M2_a + M2_b + δ²·na·nb/n
// The result may differ from numpy's two-pass variance in the last bits.

/// The count, mean, sum of squared deviations (M2), minimum and maximum of a column's present (non-NaN) values.
public struct StreamingStatistics: Equatable, Sendable {
    /// The number of present values.
    public var count: Int = 0
    /// Their mean; 0 when `count` is 0.
    public var mean: Double = 0
    /// Σ(x − mean)² over them.
    public var m2: Double = 0
    /// The smallest present value; +∞ when `count` is 0.
    public var minimum: Double = .infinity
    /// The largest present value; −∞ when `count` is 0.
    public var maximum: Double = -.infinity

    /// Statistics of no values.
    public init() {}

    /// Statistics with the given fields (a cache file's header).
    ///
    /// - Parameters:
    ///   - count: The number of present values.
    ///   - mean: Their mean.
    ///   - m2: Σ(x − mean)².
    ///   - minimum: The smallest value.
    ///   - maximum: The largest value.
    public init(count: Int, mean: Double, m2: Double, minimum: Double, maximum: Double) {
        self.count = count
        self.mean = mean
        self.m2 = m2
        self.minimum = minimum
        self.maximum = maximum
    }

    /// The population variance (ddof 0) of the present values, with `missing` more values equal to the mean
    /// (mean imputation adds no deviation); 0 without values.
    ///
    /// - Parameter missing: Values imputed with the mean, counted in the divisor.
    /// - Returns: M2 / (count + missing).
    public func variance(imputing missing: Int = 0) -> Double {
        count + missing == 0 ? 0 : m2 / Double(count + missing)
    }

    /// Adds one chunk's values: column `column` of a row-major block, NaN cells skipped.
    ///
    /// - Parameters:
    ///   - values: The block, `rows × stride` values.
    ///   - rows: The block's rows.
    ///   - stride: Values per row.
    ///   - column: The column to read.
    public mutating func add(_ values: UnsafeBufferPointer<Double>, rows: Int, stride: Int, column: Int) {
        var chunk = StreamingStatistics()
        var sum = 0.0
        for r in 0..<rows {
            let v = values[r * stride + column]
            if v.isNaN { continue }
            chunk.count += 1
            sum += v
            chunk.minimum = Swift.min(chunk.minimum, v)
            chunk.maximum = Swift.max(chunk.maximum, v)
        }
        guard chunk.count > 0 else { return }
        let n = Double(chunk.count)
        chunk.mean = sum / n
        var squares = 0.0, correction = 0.0
        for r in 0..<rows {
            let v = values[r * stride + column]
            if v.isNaN { continue }
            squares += (v - chunk.mean) * (v - chunk.mean)
            correction += v - chunk.mean
        }
        chunk.m2 = squares - correction * correction / n
        merge(chunk)
    }

    /// Chan et al.'s parallel update: these statistics become those of both sets of values.
    ///
    /// - Parameter other: Statistics of other values of the same column.
    public mutating func merge(_ other: StreamingStatistics) {
        guard other.count > 0 else { return }
        guard count > 0 else { self = other; return }
        let na = Double(count), nb = Double(other.count), n = na + nb
        let delta = other.mean - mean
        mean += delta * (nb / n)
        m2 += other.m2 + delta * delta * (na * nb / n)
        count += other.count
        minimum = Swift.min(minimum, other.minimum)
        maximum = Swift.max(maximum, other.maximum)
    }
}
