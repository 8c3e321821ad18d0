/// A scaler that maps each feature column on its own (StandardScaler, MinMaxScaler): it scales rows in place, and
/// scaling a matrix is that on a copy.
public protocol ColumnScaler {
    /// The number of features it was fitted on.
    var featureCount: Int { get }
    /// Scales `rows` rows of ``featureCount`` values in place.
    /// - Parameters:
    ///   - x: the rows, row-major, overwritten.
    ///   - rows: the number of rows.
    func transform<T: KernelFloat>(inPlace x: UnsafeMutablePointer<T>, rows: Int)
}

extension ColumnScaler {
    /// The scaled copy of `x` (`transform`).
    ///
    /// - Parameter x: Features with as many columns as the data the scaler was fitted on.
    /// - Returns: The scaled features, of the same shape.
    /// - Throws: ``MLPError/featureCountMismatch(got:expected:estimator:)`` when `x` has another width.
    public func transform<T: KernelFloat>(_ x: Matrix<T>) throws -> Matrix<T> {
        try checkWidth(of: x)
        var result = x
        result.storage.withUnsafeMutableBufferPointer { transform(inPlace: $0.baseAddress!, rows: x.rows) }
        return result
    }

    /// Refuses a matrix whose width is not the fitted one, with scikit-learn's message ("X has 3 features, but
    /// StandardScaler is expecting 2 features as input.").
    func checkWidth<T>(of x: Matrix<T>) throws {
        guard x.columns == featureCount else {
            throw MLPError.featureCountMismatch(got: x.columns, expected: featureCount, estimator: "\(Self.self)")
        }
    }
}

/// Replaces every value of `rows` rows of `columns` values (row-major) with `transform(Double(value), column)`,
/// rounded back to `T`: the loop of every column scaler.
/// - Parameters:
///   - x: the rows, overwritten.
///   - rows: the number of rows.
///   - columns: values per row.
///   - transform: the new value of a value in a column, computed in Double.
@inline(__always)
func mapColumns<T: KernelFloat>(_ x: UnsafeMutablePointer<T>, rows: Int, columns: Int,
                                _ transform: (Double, Int) -> Double) {
    for i in 0..<rows {
        let row = x + i * columns
        for j in 0..<columns { row[j] = T(transform(Double(row[j]), j)) }
    }
}

/// Throws scikit-learn's error for fitting a scaler on no rows (`check_array`'s `ensure_min_samples`).
/// - Parameters:
///   - x: the training features.
///   - scaler: the scaler's name, for the message.
func checkHasRows<T: KernelFloat>(_ x: Matrix<T>, scaler: String) throws {
    guard x.rows == 0 else { return }
    throw MLPError.emptyData("Found array with 0 sample(s) (shape=(0, \(x.columns))) while a minimum of 1 is required "
                             + "by \(scaler).")
}
