/// Standardizes each column to zero mean and unit population standard deviation
/// (`sklearn.preprocessing.scale` / `StandardScaler`: ddof = 0; a column whose deviation is below 10·ε is left unscaled).
public struct StandardScaler: ColumnScaler, Codable, Equatable, Sendable {
    /// Per-column means (`mean_`).
    public private(set) var mean: [Double] = []
    /// Per-column divisors (`scale_`): the standard deviation, or 1 for a constant column.
    public private(set) var scale: [Double] = []

    /// Creates an unfitted scaler.
    public init() {}

    /// Creates a fitted scaler from stored statistics (a model file's).
    ///
    /// - Parameters:
    ///   - mean: Per-column means.
    ///   - scale: Per-column divisors, as many as `mean`.
    public init(mean: [Double], scale: [Double]) {
        precondition(mean.count == scale.count, "mean and scale differ in length")
        self.mean = mean
        self.scale = scale
    }

    /// Learns the column means and deviations (`fit`), as scikit-learn's `_incremental_mean_and_var` does on a
    /// first fit: mean = Σx / n; variance = (Σ(x − mean)² − (Σ(x − mean))² / n) / n, the second term correcting the
    /// rounding of the mean. Sums run down each column in row order, as numpy's axis-0 reduction does, so the
    /// statistics match scikit-learn's bit for bit. NaN is a missing value, as in scikit-learn: left out of the
    /// sums and of n (a column with no value gets NaN statistics), and kept by ``transform(inPlace:rows:)``. A
    /// constant column (scikit-learn's `_is_constant_feature`, or a deviation below 10·ε) is left unscaled. A
    /// column whose sums overflow (values near 1e200 and beyond) is summed again scaled by a power of two, which is
    /// exact, so its statistics stay finite.
    ///
    /// - Parameter x: The training features, (samples, features).
    /// - Throws: `MLPError.emptyData` for no rows, in scikit-learn's words.
    public mutating func fit<T: KernelFloat>(_ x: Matrix<T>) throws {
        try checkHasRows(x, scaler: "StandardScaler")
        mean = [Double](repeating: 0, count: x.columns)
        scale = [Double](repeating: 1, count: x.columns)
        var sums = [Double](repeating: 0, count: x.columns)
        var counts = [Double](repeating: 0, count: x.columns)
        for i in 0..<x.rows {
            for j in 0..<x.columns where !x[i, j].isNaN {
                sums[j] += Double(x[i, j])
                counts[j] += 1
            }
        }
        mean = zip(sums, counts).map { $0 / $1 }
        var corrections = [Double](repeating: 0, count: x.columns)
        var squares = [Double](repeating: 0, count: x.columns)
        for i in 0..<x.rows {
            for j in 0..<x.columns where !x[i, j].isNaN {
                let centred = Double(x[i, j]) - mean[j]
                corrections[j] += centred
                squares[j] += centred * centred
            }
        }
        for j in 0..<x.columns {
            let n = counts[j]
            guard n > 0 else {
                (mean[j], scale[j]) = (.nan, .nan)
                continue
            }
            let variance = (squares[j] - corrections[j] * corrections[j] / n) / n
            var deviation = variance.squareRoot()
            var constant = Self.isConstant(variance: variance, mean: mean[j], count: n)
            if !variance.isFinite || !mean[j].isFinite {
                (mean[j], deviation, constant) = Self.scaledStatistics(x, column: j)
            }
            scale[j] = constant || deviation < 10 * Double.ulpOfOne || !deviation.isFinite ? 1 : deviation
        }
    }

    /// scikit-learn's `_is_constant_feature`: a variance within the rounding error of computing it.
    private static func isConstant(variance: Double, mean: Double, count n: Double) -> Bool {
        let meanError = n * mean * .ulpOfOne
        return variance <= n * .ulpOfOne * variance + meanError * meanError
    }

    /// Mean, deviation and constancy of one column summed as x · 2⁻ᵏ, with 2ᵏ above its largest magnitude, then
    /// scaled back: the scalings are exact, so the sums cannot overflow and round no more than unscaled ones.
    private static func scaledStatistics<T: KernelFloat>(_ x: Matrix<T>, column j: Int)
        -> (mean: Double, deviation: Double, constant: Bool) {
        let present = (0..<x.rows).filter { !x[$0, j].isNaN }
        return scaledStatistics(count: present.count) { Double(x[present[$0], j]) }
    }

    /// ``scaledStatistics(_:column:)`` of `count` values read through `value`.
    static func scaledStatistics(count: Int, _ value: (Int) -> Double)
        -> (mean: Double, deviation: Double, constant: Bool) {
        var largest = 0.0
        for i in 0..<count { largest = max(largest, abs(value(i))) }
        guard largest.isFinite, largest > 0 else { return (largest == 0 ? 0 : .nan, largest == 0 ? 0 : .nan, largest == 0) }
        let down = powerOfTwoBelow(largest)
        let n = Double(count)
        var sum = 0.0
        for i in 0..<count { sum += value(i) * down }
        let scaledMean = sum / n
        var correction = 0.0, squares = 0.0
        for i in 0..<count {
            let centred = value(i) * down - scaledMean
            correction += centred
            squares += centred * centred
        }
        let scaledVariance = (squares - correction * correction / n) / n
        return (scaledMean / down, scaledVariance.squareRoot() / down,
                isConstant(variance: scaledVariance, mean: scaledMean, count: n))
    }

    /// 2⁻⁽ᵉ⁺¹⁾ for `magnitude` = m · 2ᵉ: multiplying by it is exact and brings `magnitude` below 1.
    static func powerOfTwoBelow(_ magnitude: Double) -> Double {
        Double(sign: .plus, exponent: -(magnitude.exponent + 1), significand: 1)
    }

    /// The mean and population standard deviation (ddof = 0) of `values`, as ``fit(_:)`` computes them for one
    /// column, finite for any finite values: when the sums overflow (values near 1e154 and beyond square past
    /// `Double.greatestFiniteMagnitude`) they are taken again on the values scaled by a power of two.
    ///
    /// - Parameter values: The values; empty gives (0, 0).
    /// - Returns: Their mean and standard deviation.
    public static func meanAndDeviation(_ values: [Double]) -> (mean: Double, deviation: Double) {
        values.withUnsafeBufferPointer { v in meanAndDeviation(count: v.count) { v[$0] } }
    }

    /// ``meanAndDeviation(_:)`` of `count` values read through `value` (a column of a row-major buffer).
    package static func meanAndDeviation(count: Int, _ value: (Int) -> Double) -> (mean: Double, deviation: Double) {
        guard count > 0 else { return (0, 0) }
        let n = Double(count)
        var sum = 0.0
        for i in 0..<count { sum += value(i) }
        let mean = sum / n
        var correction = 0.0, squares = 0.0
        for i in 0..<count {
            let centred = value(i) - mean
            correction += centred
            squares += centred * centred
        }
        let deviation = ((squares - correction * correction / n) / n).squareRoot()
        if mean.isFinite && deviation.isFinite { return (mean, deviation) }
        let scaled = scaledStatistics(count: count, value)
        return (scaled.mean, scaled.deviation)
    }

    /// (x − mean) / scale, as ``transform(inPlace:rows:)`` computes it, but finite whenever the result is: where
    /// x − mean overflows (x and the mean of opposite signs near the top of the range) all three are first scaled
    /// by a power of two. A standardized value is at most √n in magnitude, so only the intermediate can overflow.
    ///
    /// - Parameters:
    ///   - x: A value.
    ///   - column: Its column.
    /// - Returns: The standardized value.
    public func standardized(_ x: Double, column: Int) -> Double {
        let (m, s) = (mean[column], scale[column])
        let z = (x - m) / s
        guard !z.isFinite, x.isFinite, m.isFinite, s.isFinite else { return z }
        let down = Self.powerOfTwoBelow(max(abs(x), abs(m)))
        return (x * down - m * down) / (s * down)
    }

    /// x · scale + mean, as ``inverseTransform(_:)`` computes it, but finite whenever the result is: where x · scale
    /// overflows while the sum would not, all three are first scaled by a power of two.
    ///
    /// - Parameters:
    ///   - x: A standardized value.
    ///   - column: Its column.
    /// - Returns: The value in the column's units.
    public func restored(_ x: Double, column: Int) -> Double {
        let (m, s) = (mean[column], scale[column])
        let v = x * s + m
        guard !v.isFinite, x.isFinite, m.isFinite, s.isFinite else { return v }
        let down = Self.powerOfTwoBelow(max(abs(s), abs(m)))
        return (x * (s * down) + m * down) / down
    }

    /// The number of features it was fitted on.
    public var featureCount: Int { mean.count }

    /// (x − mean) / scale in place, for rows already in a buffer (streamed training scales each slice it reads).
    ///
    /// - Parameters:
    ///   - x: `rows` rows of as many features as the scaler was fitted on, row-major.
    ///   - rows: the number of rows.
    public func transform<T: KernelFloat>(inPlace x: UnsafeMutablePointer<T>, rows: Int) {
        // Unchecked reads let the compiler vectorize the division across a row's columns.
        mean.withUnsafeBufferPointer { mean in
            scale.withUnsafeBufferPointer { scale in
                mapColumns(x, rows: rows, columns: mean.count) { value, j in (value - mean[j]) / scale[j] }
            }
        }
    }

    /// x · scale + mean, undoing ``transform(_:)`` (`inverse_transform`), finite whenever the result is
    /// (``restored(_:column:)``).
    ///
    /// - Parameter x: Standardized features with as many columns as the data the scaler was fitted on.
    /// - Returns: The features in their original units.
    /// - Throws: ``MLPError/featureCountMismatch(got:expected:estimator:)`` when `x` has another width.
    public func inverseTransform<T: KernelFloat>(_ x: Matrix<T>) throws -> Matrix<T> {
        try checkWidth(of: x)
        var result = x
        for i in 0..<x.rows { for j in 0..<x.columns { result[i, j] = T(restored(Double(x[i, j]), column: j)) } }
        return result
    }

    /// Fits on `x` and returns it standardized (`fit_transform`).
    ///
    /// - Parameter x: The training features, (samples, features).
    /// - Returns: `x` with zero-mean, unit-variance columns.
    /// - Throws: `MLPError.emptyData` for no rows.
    public mutating func fitTransform<T: KernelFloat>(_ x: Matrix<T>) throws -> Matrix<T> {
        try fit(x)
        return try transform(x)
    }
}

extension StandardScaler {
    /// Decodes the statistics `encode(to:)` writes, refusing a mean and a scale of different lengths (which
    /// `init(mean:scale:)` traps on, and `transform` would read past).
    /// - Parameter decoder: the decoder holding `mean` and `scale`.
    /// - Throws: `DecodingError` for missing keys, values of the wrong type or lengths that differ.
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let mean = try container.decode([Double].self, forKey: .mean)
        let scale = try container.decode([Double].self, forKey: .scale)
        guard mean.count == scale.count else {
            throw DecodingError.dataCorruptedError(forKey: .scale, in: container, debugDescription:
                "a StandardScaler's scale holds \(scale.count) values for \(mean.count) means")
        }
        self.init(mean: mean, scale: scale)
    }
}
