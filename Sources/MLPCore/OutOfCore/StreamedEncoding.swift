// From a cache's raw rows to the network's inputs: the one-hot encoding (categories sorted as the CSV reader sorts
// them), mean imputation and the scaler, all taken from the schema's streamed statistics instead of a table.

/// The encoding and scaling of a cache's rows, learnt from its schema.
public struct StreamedEncoding: Sendable {
    /// The feature encoding a model stores (the same as reading the CSV in memory would learn).
    public let encoding: FeatureEncoding
    /// The number of features after encoding.
    public let featureCount: Int
    /// Per cache column three Ints: its first feature, its category count (0: numeric) and where its codes' offsets
    /// from the first feature start in `plan`; then those offsets. One flat array: the per-row loop reads no nested
    /// arrays.
    private let plan: [Int]
    /// Per cache column, the value that replaces NaN (the mean; unused for a categorical column).
    private let imputeValues: [Double]
    private let hasCategorical: Bool
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
        var plan: [Int] = []
        for c in schema.columns.indices { plan += [first[c], offsets[c]?.count ?? 0, 0] }
        for c in schema.columns.indices where offsets[c] != nil {
            plan[3 * c + 2] = plan.count
            plan += offsets[c]!
        }
        self.plan = plan
        hasCategorical = offsets.contains { $0 != nil }
        imputeValues = fill
    }

    /// Encodes raw rows: numbers (a NaN imputed with the column's mean), one 0/1 feature per category.
    ///
    /// - Parameters:
    ///   - raw: `rows × schema.rowWidth` raw values.
    ///   - rows: The rows to encode.
    ///   - out: `rows × featureCount` values, overwritten.
    /// - Throws: ``MLPDataError`` (`.corrupted`) for a category code the schema does not have.
    public func encode<T: KernelFloat>(_ raw: UnsafeBufferPointer<Double>, rows: Int,
                                       into out: UnsafeMutablePointer<T>) throws {
        // raw: (rows, rowWidth)  out: (rows, featureCount)
        let width = schema.rowWidth, f = featureCount, columns = schema.columns.count
        if !hasCategorical {
            // Every column is one feature, in order: no plan to look up (this runs for every row of every epoch).
            imputeValues.withUnsafeBufferPointer { fill in
                for r in 0..<rows {
                    let row = out + r * f, source = raw.baseAddress! + r * width
                    for c in 0..<columns {
                        let v = source[c]
                        row[c] = T(v.isNaN ? fill[c] : v)
                    }
                }
            }
            return
        }
        try plan.withUnsafeBufferPointer { plan in
            try imputeValues.withUnsafeBufferPointer { fill in
                for r in 0..<rows {
                    let row = out + r * f, source = raw.baseAddress! + r * width
                    if hasCategorical { row.update(repeating: 0, count: f) }
                    for c in 0..<columns {
                        let v = source[c], first = plan[3 * c], categories = plan[3 * c + 1]
                        if categories == 0 {
                            row[first] = T(v.isNaN ? fill[c] : v)
                            continue
                        }
                        guard let code = Int(exactly: v), code >= 0, code < categories else {
                            throw MLPDataError.corrupted(file: nil, detail: "row \(r) holds category code \(v) of "
                                                         + "\(categories) in column '\(schema.columns[c].name)'")
                        }
                        row[first + plan[plan[3 * c + 2] + code]] = 1
                    }
                }
            }
        }
    }

    /// The scaler of `kind` fitted on the encoded features, from the streamed statistics: StandardScaler's mean and
    /// deviation (Chan's merge; a column whose minimum equals its maximum is constant and left unscaled), or
    /// MinMaxScaler fitted on each feature's minimum and maximum (in `T`, as the in-memory fit sees them). A
    /// numeric column whose sums overflowed (values near 1e154 and beyond: Σ(x − x̄)² passes
    /// `Double.greatestFiniteMagnitude`) is read again from `file`, summed scaled by a power of two as
    /// `StandardScaler.fit` does in memory, so that it gets the in-memory statistics rather than a scale of 1.
    ///
    /// - Parameters:
    ///   - kind: The scaler.
    ///   - type: The training element type.
    ///   - file: The cache the schema describes, for such a column; without it the column is left unscaled.
    /// - Returns: The fitted scaler.
    public func scaler<T: KernelFloat>(_ kind: ScalerKind, _ type: T.Type, file: MLPDataFile? = nil) throws -> FeatureScaler {
        var means: [Double] = [], scales: [Double] = [], low: [T] = [], high: [T] = []
        let n = schema.rowCount
        for (c, column) in schema.columns.enumerated() {
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
                var (mean, deviation) = (s.mean, s.variance(imputing: n - s.count).squareRoot())
                if kind == .standard, !(mean.isFinite && deviation.isFinite), s.minimum.isFinite, s.maximum.isFinite,
                   let file {
                    (mean, deviation) = scaledStatistics(column: c, of: file)
                }
                means.append(mean)
                scales.append(s.minimum == s.maximum ? 1 : Self.divisor(deviation: deviation))
                low.append(T(s.minimum))
                high.append(T(s.maximum))
            }
        }
        switch kind {
        case .none: return .none
        case .standard: return .standard(StandardScaler(mean: means, scale: scales))
        case .minmax:
            var scaler = MinMaxScaler()
            try scaler.fit(Matrix(rows: 2, columns: low.count, storage: low + high))
            return .minmax(scaler)
        }
    }

    /// Throws, naming the column and the value, when a numeric column's smallest or largest value becomes infinite in
    /// the network's input: beyond float32's range, or past the largest number once scaled (the in-memory fit names
    /// the line; a stream checks once, before training, what every slice of every epoch would meet). Encoding and
    /// scaling are monotone in each value, so the extremes are the only values to check.
    ///
    /// - Parameters:
    ///   - scaler: The scaler fitted from the statistics (``scaler(_:_:)``).
    ///   - type: The training element type.
    ///   - source: The data's name for the message.
    /// - Throws: ``DataError`` (`.nonFinite`).
    func checkScaledExtremes<T: KernelFloat>(_ scaler: FeatureScaler, _ type: T.Type, source: String) throws {
        var low: [Double] = [], high: [Double] = []
        for column in schema.columns {
            if column.isCategorical {
                low += repeatElement(0, count: column.categories.count)
                high += repeatElement(1, count: column.categories.count)
            } else {
                low.append(column.statistics.minimum)
                high.append(column.statistics.maximum)
            }
        }
        let extremes = low + high, f = featureCount
        guard extremes.count == 2 * f else { return }
        let x = Matrix<T>(rows: 2, columns: f, storage: extremes.map { T($0) })
        let scaled = try scaler.transform(x)
        let table = DataTable(source: source, rowCount: 2, featureNames: encoding.featureNames, features: extremes,
                              targetNames: [], targetLabels: [], targetValues: [], lines: [], encoding: encoding)
        // A value beyond T's range first: it is what makes its column's scaling overflow too.
        let converted = extremes.indices.filter { extremes[$0].isFinite && !x.storage[$0].isFinite }
        let overflowed = extremes.indices.filter { extremes[$0].isFinite && !scaled.storage[$0].isFinite }
        for i in converted + overflowed {
            let error = MLPError.nonFiniteInput(what: "X", row: i / f, column: i % f, value: Double(scaled.storage[i]))
                .namingOverflow(in: table, scaler: .fittedOnTheseRows(scaler), float32: T.self == Float.self)
            if error is DataError { throw error }
        }
    }

    /// StandardScaler's divisor for a variance: its square root, or 1 when that is below 10·ε or not finite.
    static func deviation(_ variance: Double) -> Double { divisor(deviation: variance.squareRoot()) }

    /// `StandardScaler.scaledStatistics` of numeric cache column `c` as the network sees it: every row in order, a
    /// missing value imputed (missing values reach training only with imputation).
    private func scaledStatistics(column c: Int, of file: MLPDataFile) -> (mean: Double, deviation: Double) {
        defer { file.release(0..<file.rowCount) }
        let fill = imputeValues[c]
        let statistics = StandardScaler.scaledStatistics(count: file.rowCount) { r in
            let v = file.rows(r..<(r + 1))[c]
            return v.isNaN ? fill : v
        }
        return (statistics.mean, statistics.deviation)
    }

    /// StandardScaler's divisor: the deviation, or 1 when it is below 10·ε or not finite.
    static func divisor(deviation: Double) -> Double {
        deviation < 10 * Double.ulpOfOne || !deviation.isFinite ? 1 : deviation
    }
}
