/// Maps each column linearly onto `featureRange` (scikit-learn's `MinMaxScaler`):
///   scale_ = (high − low) / (max − min)   (a constant column gets range 1)
///   min_   = low − min · scale_
///   x'     = x · scale_ + min_
public struct MinMaxScaler: ColumnScaler, Codable, Equatable, Sendable {
    /// The interval each column is mapped onto (`feature_range`).
    public var featureRange: ClosedRange<Double>
    /// Per-column factors (`scale_`), empty until fitted.
    public private(set) var scale: [Double] = []
    /// Per-column offsets added after scaling (`min_`), empty until fitted.
    public private(set) var offset: [Double] = []

    /// Creates an unfitted scaler.
    ///
    /// - Parameter featureRange: The interval each column is mapped onto (`feature_range`, default `0...1`).
    public init(featureRange: ClosedRange<Double> = 0...1) { self.featureRange = featureRange }

    /// Restores a fitted scaler (e.g. from a model file).
    ///
    /// - Parameters:
    ///   - scale: Per-column factors (`scale_`).
    ///   - offset: Per-column offsets (`min_`), as many as `scale` (other lengths trap, as `StandardScaler(mean:scale:)`
    ///     does: `transform` reads both through unchecked pointers).
    ///   - featureRange: The interval the columns were mapped onto (`feature_range`).
    public init(scale: [Double], offset: [Double], featureRange: ClosedRange<Double> = 0...1) {
        precondition(scale.count == offset.count, "scale and offset differ in length")
        self.featureRange = featureRange
        self.scale = scale
        self.offset = offset
    }

    /// Learns each column's minimum and maximum (`fit`). NaN is a missing value, as in scikit-learn (`nanmin`,
    /// `nanmax`): left out of the extremes (a column with no value gets NaN statistics), and kept by `transform`.
    ///
    /// - Parameter x: The training features, (samples, features).
    /// - Throws: `MLPError.emptyData` for no rows, `MLPError.invalidParameter` for a ``featureRange`` of one point,
    ///   in scikit-learn's words.
    public mutating func fit<T: KernelFloat>(_ x: Matrix<T>) throws {
        guard featureRange.lowerBound < featureRange.upperBound else {
            throw MLPError.invalidParameter("Minimum of desired feature range must be smaller than maximum. "
                                            + "Got (\(featureRange.lowerBound), \(featureRange.upperBound)).")
        }
        try checkHasRows(x, scaler: "MinMaxScaler")
        var low = [Double](repeating: .infinity, count: x.columns)
        var high = [Double](repeating: -.infinity, count: x.columns)
        for i in 0..<x.rows {
            for j in 0..<x.columns {
                low[j] = Swift.min(low[j], Double(x[i, j]))
                high[j] = Swift.max(high[j], Double(x[i, j]))
            }
        }
        let width = featureRange.upperBound - featureRange.lowerBound
        // Swift.min and Swift.max keep the extreme so far against NaN, so only a column of NaN keeps low > high.
        scale = zip(low, high).map { low, high in
            let range = high - low
            if low > high { return .nan }
            return width / (range < 10 * Double.ulpOfOne ? 1 : range)
        }
        offset = zip(low, scale).map { low, scale in featureRange.lowerBound - low * scale }
    }

    /// The number of features it was fitted on.
    public var featureCount: Int { scale.count }

    /// x · scale + offset in place, for rows already in a buffer (streamed training scales each slice it reads).
    ///
    /// - Parameters:
    ///   - x: `rows` rows of as many features as the scaler was fitted on, row-major.
    ///   - rows: the number of rows.
    public func transform<T: KernelFloat>(inPlace x: UnsafeMutablePointer<T>, rows: Int) {
        scale.withUnsafeBufferPointer { scale in
            offset.withUnsafeBufferPointer { offset in
                mapColumns(x, rows: rows, columns: scale.count) { value, j in value * scale[j] + offset[j] }
            }
        }
    }

    /// Undoes ``transform(_:)`` (`inverse_transform`).
    ///
    /// - Parameter x: Scaled features with as many columns as the data the scaler was fitted on.
    /// - Returns: The features in their original units.
    /// - Throws: ``MLPError/featureCountMismatch(got:expected:estimator:)`` when `x` has another width.
    public func inverseTransform<T: KernelFloat>(_ x: Matrix<T>) throws -> Matrix<T> {
        try checkWidth(of: x)
        var result = x
        for i in 0..<x.rows { for j in 0..<x.columns { result[i, j] = T((Double(x[i, j]) - offset[j]) / scale[j]) } }
        return result
    }

    /// Fits on `x` and returns it scaled (`fit_transform`).
    ///
    /// - Parameter x: The training features, (samples, features).
    /// - Returns: `x` mapped onto ``featureRange``.
    /// - Throws: What ``fit(_:)`` throws.
    public mutating func fitTransform<T: KernelFloat>(_ x: Matrix<T>) throws -> Matrix<T> {
        try fit(x)
        return try transform(x)
    }
}

extension MinMaxScaler {
    /// Decodes what `encode(to:)` writes, refusing a scale and an offset of different lengths (which
    /// `init(scale:offset:featureRange:)` traps on, and `transform` would read past).
    /// - Parameter decoder: the decoder holding `featureRange`, `scale` and `offset`.
    /// - Throws: `DecodingError` for missing keys, values of the wrong type or lengths that differ.
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let featureRange = try container.decode(ClosedRange<Double>.self, forKey: .featureRange)
        let scale = try container.decode([Double].self, forKey: .scale)
        let offset = try container.decode([Double].self, forKey: .offset)
        guard scale.count == offset.count else {
            throw DecodingError.dataCorruptedError(forKey: .offset, in: container, debugDescription:
                "a MinMaxScaler's offset holds \(offset.count) values for \(scale.count) scales")
        }
        self.init(scale: scale, offset: offset, featureRange: featureRange)
    }
}
