/// Standardizes each column to zero mean and unit population standard deviation
/// (`sklearn.preprocessing.scale` / `StandardScaler`: ddof = 0; a column whose deviation is below 10·ε is left unscaled).
public struct StandardScaler: Codable, Equatable, Sendable {
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

    /// Learns the column means and deviations (`fit`). Sums run down each column in row order, as numpy's axis-0
    /// reduction does, so the statistics match scikit-learn's bit for bit.
    ///
    /// - Parameter x: The training features, (samples, features).
    public mutating func fit<T: KernelFloat>(_ x: Matrix<T>) {
        let n = Double(x.rows)
        var sums = [Double](repeating: 0, count: x.columns)
        for i in 0..<x.rows { for j in 0..<x.columns { sums[j] += Double(x[i, j]) } }
        mean = sums.map { $0 / n }
        var squares = [Double](repeating: 0, count: x.columns)
        for i in 0..<x.rows {
            for j in 0..<x.columns {
                let centred = Double(x[i, j]) - mean[j]
                squares[j] += centred * centred
            }
        }
        scale = squares.map { sum in
            let deviation = (sum / n).squareRoot()
            return deviation < 10 * Double.ulpOfOne ? 1 : deviation
        }
    }

    /// (x − mean) / scale, column by column (`transform`).
    ///
    /// - Parameter x: Features with as many columns as the data the scaler was fitted on.
    /// - Returns: The standardized features, of the same shape.
    public func transform<T: KernelFloat>(_ x: Matrix<T>) -> Matrix<T> {
        precondition(x.columns == mean.count, "X has \(x.columns) features, but the scaler was fitted on \(mean.count)")
        var result = x
        for i in 0..<x.rows {
            for j in 0..<x.columns { result[i, j] = T((Double(x[i, j]) - mean[j]) / scale[j]) }
        }
        return result
    }

    /// x · scale + mean, undoing ``transform(_:)`` (`inverse_transform`).
    ///
    /// - Parameter x: Standardized features with as many columns as the data the scaler was fitted on.
    /// - Returns: The features in their original units.
    public func inverseTransform<T: KernelFloat>(_ x: Matrix<T>) -> Matrix<T> {
        var result = x
        for i in 0..<x.rows { for j in 0..<x.columns { result[i, j] = T(Double(x[i, j]) * scale[j] + mean[j]) } }
        return result
    }

    /// Fits on `x` and returns it standardized (`fit_transform`).
    ///
    /// - Parameter x: The training features, (samples, features).
    /// - Returns: `x` with zero-mean, unit-variance columns.
    public mutating func fitTransform<T: KernelFloat>(_ x: Matrix<T>) -> Matrix<T> {
        fit(x)
        return transform(x)
    }
}
