/// Maps each column linearly onto `featureRange` (scikit-learn's `MinMaxScaler`):
///   scale_ = (high − low) / (max − min)   (a constant column gets range 1)
///   min_   = low − min · scale_
///   x'     = x · scale_ + min_
public struct MinMaxScaler: Codable, Equatable, Sendable {
    public var featureRange: ClosedRange<Double>
    public private(set) var scale: [Double] = []
    public private(set) var offset: [Double] = []

    public init(featureRange: ClosedRange<Double> = 0...1) { self.featureRange = featureRange }

    /// Restores a fitted scaler (e.g. from a model file): `scale_` and `min_` per feature.
    public init(scale: [Double], offset: [Double], featureRange: ClosedRange<Double> = 0...1) {
        self.featureRange = featureRange
        self.scale = scale
        self.offset = offset
    }

    public mutating func fit<T: KernelFloat>(_ x: Matrix<T>) {
        var low = [Double](repeating: .infinity, count: x.columns)
        var high = [Double](repeating: -.infinity, count: x.columns)
        for i in 0..<x.rows {
            for j in 0..<x.columns {
                low[j] = Swift.min(low[j], Double(x[i, j]))
                high[j] = Swift.max(high[j], Double(x[i, j]))
            }
        }
        let width = featureRange.upperBound - featureRange.lowerBound
        scale = zip(low, high).map { low, high in
            let range = high - low
            return width / (range < 10 * Double.ulpOfOne ? 1 : range)
        }
        offset = zip(low, scale).map { low, scale in featureRange.lowerBound - low * scale }
    }

    public func transform<T: KernelFloat>(_ x: Matrix<T>) -> Matrix<T> {
        precondition(x.columns == scale.count, "X has \(x.columns) features, but the scaler was fitted on \(scale.count)")
        var result = x
        for i in 0..<x.rows { for j in 0..<x.columns { result[i, j] = T(Double(x[i, j]) * scale[j] + offset[j]) } }
        return result
    }

    public func inverseTransform<T: KernelFloat>(_ x: Matrix<T>) -> Matrix<T> {
        var result = x
        for i in 0..<x.rows { for j in 0..<x.columns { result[i, j] = T((Double(x[i, j]) - offset[j]) / scale[j]) } }
        return result
    }

    public mutating func fitTransform<T: KernelFloat>(_ x: Matrix<T>) -> Matrix<T> {
        fit(x)
        return transform(x)
    }
}
