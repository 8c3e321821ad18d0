// From a cache's raw rows to the network's inputs: the one-hot encoding (categories sorted as the CSV reader sorts
// them), mean imputation and the scaler, all taken from the schema's streamed statistics instead of a table.

/// The encoding and scaling of a cache's rows, learnt from its schema.
public struct StreamedEncoding: Sendable {
    /// The feature encoding a model stores (the same as reading the CSV in memory would learn).
    public let encoding: FeatureEncoding
    /// The number of features after encoding.
    public let featureCount: Int
    /// Per cache column: its first feature and, for a categorical column, each code's offset from it.
    private let firstFeature: [Int]
    private let codeOffsets: [[Int]?]
    private let imputeValues: [Double]
    private let schema: MLPDataSchema

    /// The encoding of `schema`'s columns.
    ///
    /// - Parameter schema: A cache's schema.
    public init(schema: MLPDataSchema) {
        self.schema = schema
        var oneHot: [FeatureEncoding.OneHotColumn] = []
        var first: [Int] = [], offsets: [[Int]?] = [], impute: [Double?] = [], fill: [Double] = []
        var next = 0
        for column in schema.columns {
            first.append(next)
            if column.isCategorical {
                let order = sortedCategoryOrder(column.categories)
                var offset = [Int](repeating: 0, count: order.count)
                for (position, code) in order.enumerated() { offset[code] = position }
                offsets.append(offset)
                oneHot.append(.init(column: column.name, categories: order.map { column.categories[$0] }))
                impute.append(nil)
                fill.append(.nan)
                next += order.count
            } else {
                offsets.append(nil)
                impute.append(schema.impute == nil ? nil : column.statistics.mean)
                fill.append(column.statistics.mean)
                next += 1
            }
        }
        encoding = FeatureEncoding(inputColumns: schema.columns.map(\.name), oneHot: oneHot, impute: schema.impute,
                                   imputeValues: schema.impute == nil ? [] : impute)
        featureCount = next
        firstFeature = first
        codeOffsets = offsets
        imputeValues = fill
    }

    /// Encodes raw rows: numbers (a NaN imputed with the column's mean), one 0/1 feature per category.
    ///
    /// - Parameters:
    ///   - raw: `rows × schema.rowWidth` raw values.
    ///   - rows: The rows to encode.
    ///   - out: `rows × featureCount` values, overwritten.
    /// - Throws: ``MLPDataError`` (`.corrupted`) for a category code the schema does not have.
    // raw: (rows, rowWidth)  out: (rows, featureCount)
    public func encode<T: KernelFloat>(_ raw: UnsafeBufferPointer<Double>, rows: Int,
                                       into out: UnsafeMutablePointer<T>) throws {
        let width = schema.rowWidth, f = featureCount
        for r in 0..<rows {
            let row = out + r * f
            row.update(repeating: 0, count: f)
            for (c, offsets) in codeOffsets.enumerated() {
                let v = raw[r * width + c]
                if let offsets {
                    guard let code = Int(exactly: v), code >= 0, code < offsets.count else {
                        throw MLPDataError(.corrupted, "row \(r) holds category code \(v) of \(offsets.count) in column "
                                           + "'\(schema.columns[c].name)'")
                    }
                    row[firstFeature[c] + offsets[code]] = 1
                } else {
                    row[firstFeature[c]] = T(v.isNaN ? imputeValues[c] : v)
                }
            }
        }
    }

    /// The scaler of `kind` fitted on the encoded features, from the streamed statistics: StandardScaler's mean and
    /// deviation (Chan's merge; a column whose minimum equals its maximum is constant and left unscaled), or
    /// MinMaxScaler fitted on each feature's minimum and maximum (in `T`, as the in-memory fit sees them).
    ///
    /// - Parameters:
    ///   - kind: The scaler.
    ///   - type: The training element type.
    /// - Returns: The fitted scaler.
    public func scaler<T: KernelFloat>(_ kind: ScalerKind, _ type: T.Type) -> FeatureScaler {
        var means: [Double] = [], scales: [Double] = [], low: [T] = [], high: [T] = []
        let n = schema.rowCount
        for column in schema.columns {
            if column.isCategorical {
                for code in sortedCategoryOrder(column.categories) {
                    let m = column.categoryCounts[code], p = Double(m) / Double(n)
                    let variance = (Double(m) * (1 - p) * (1 - p) + Double(n - m) * p * p) / Double(n)
                    means.append(p)
                    scales.append(m == n ? 1 : Self.deviation(variance))
                    low.append(m == n ? 1 : 0)
                    high.append(1)
                }
            } else {
                let s = column.statistics
                means.append(s.mean)
                scales.append(s.minimum == s.maximum ? 1 : Self.deviation(s.variance(imputing: n - s.count)))
                low.append(T(s.minimum))
                high.append(T(s.maximum))
            }
        }
        switch kind {
        case .none: return .none
        case .standard: return .standard(StandardScaler(mean: means, scale: scales))
        case .minmax:
            var scaler = MinMaxScaler()
            scaler.fit(Matrix(rows: 2, columns: low.count, storage: low + high))
            return .minmax(scaler)
        }
    }

    /// StandardScaler's divisor: the deviation, or 1 when it is below 10·ε or not finite.
    static func deviation(_ variance: Double) -> Double {
        let deviation = variance.squareRoot()
        return deviation < 10 * Double.ulpOfOne || !deviation.isFinite ? 1 : deviation
    }
}
