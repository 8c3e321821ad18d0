// Input checks made before any training or prediction, in scikit-learn's words where it has them
// (`check_array`, `_check_sample_weight`, `_check_n_features`), as typed `MLPError`s.

enum InputValidation {
    /// Non-empty, finite X with the expected feature count (when fitted).
    static func checkX<T: KernelFloat>(_ x: Matrix<T>, estimator: String, expectedFeatures: Int?) throws {
        try checkStorage(x, what: "X")
        if x.rows == 0 {
            throw MLPError.emptyData("Found array with 0 sample(s) (shape=(0, \(x.columns))) while a minimum of 1 is required by \(estimator).")
        }
        if x.columns == 0 {
            throw MLPError.emptyData("Found array with 0 feature(s) (shape=(\(x.rows), 0)) while a minimum of 1 is required by \(estimator).")
        }
        if let expected = expectedFeatures, expected != x.columns {
            throw MLPError.featureCountMismatch(got: x.columns, expected: expected, estimator: estimator)
        }
        try checkFinite(x.storage, columns: x.columns, what: "X")
    }

    /// `Matrix.storage` is a public array a caller may replace: one of another length than rows × columns is an error
    /// here, before kernels read rows × columns values through its pointer.
    static func checkStorage<T: KernelFloat>(_ m: Matrix<T>, what: String) throws {
        guard m.storage.count != m.rows * m.columns else { return }
        throw MLPError.inconsistentLength("\(what) holds \(m.storage.count) values in its storage, but its shape "
                                          + "(\(m.rows), \(m.columns)) needs \(m.rows * m.columns).")
    }

    /// NaN / ±inf anywhere: the error names the first offending cell.
    static func checkFinite<T: KernelFloat>(_ values: [T], columns: Int, what: String) throws {
        try values.withUnsafeBufferPointer { try checkFinite($0, columns: columns, what: what) }
    }

    /// NaN / ±inf anywhere in `values` (rows of `columns` values): the error names the first offending cell.
    @_specialize(where T == Double)
    @_specialize(where T == Float)
    static func checkFinite<T: KernelFloat>(_ values: UnsafeBufferPointer<T>, columns: Int, what: String) throws {
        guard containsNonFinite(values), let i = values.firstIndex(where: { !$0.isFinite }) else { return }
        throw MLPError.nonFiniteInput(what: what, row: i / max(columns, 1), column: i % max(columns, 1),
                                      value: Double(values[i]))
    }

    /// Whether any value is NaN or ±infinity, in one pass without a branch per value: x·0 is ±0 for finite x and NaN
    /// otherwise. Four vectors of partial sums: one running sum waits an add's latency per value (4 cycles), which
    /// made the check a fifth of a 1024-row prediction.
    @_specialize(where T == Double)
    @_specialize(where T == Float)
    static func containsNonFinite<T: KernelFloat>(_ values: UnsafeBufferPointer<T>) -> Bool {
        guard let base = values.baseAddress else { return false }
        let bytes = MemoryLayout<SIMD8<T>>.stride
        var sums = (SIMD8<T>(), SIMD8<T>(), SIMD8<T>(), SIMD8<T>())
        var i = 0
        while i + 32 <= values.count {
            let raw = UnsafeRawPointer(base + i)
            sums.0 += raw.loadUnaligned(as: SIMD8<T>.self) * 0
            sums.1 += raw.loadUnaligned(fromByteOffset: bytes, as: SIMD8<T>.self) * 0
            sums.2 += raw.loadUnaligned(fromByteOffset: 2 * bytes, as: SIMD8<T>.self) * 0
            sums.3 += raw.loadUnaligned(fromByteOffset: 3 * bytes, as: SIMD8<T>.self) * 0
            i += 32
        }
        var rest: T = 0
        while i < values.count {
            rest += base[i] * 0
            i += 1
        }
        return !((sums.0 + sums.1 + sums.2 + sums.3).sum() + rest).isFinite
    }

    static func checkLength(_ count: Int, rows: Int, what: String) throws {
        if count != rows {
            throw MLPError.inconsistentLength("Found input variables with inconsistent numbers of samples: [\(rows), \(count)] (X and \(what)).")
        }
    }

    /// `_check_sample_weight`: one finite weight per row, not all 0 (scikit-learn's message). Stricter than
    /// scikit-learn, a negative weight is refused too: it accepts one and minimises a "weighted mean" whose weights
    /// no longer sum to the rows they weigh.
    static func checkSampleWeight<T: KernelFloat>(_ weights: [T]?, rows: Int) throws {
        guard let weights else { return }
        if weights.count != rows {
            throw MLPError.inconsistentLength("sample_weight.shape == (\(weights.count),), expected (\(rows),)!")
        }
        try checkFinite(weights, columns: 1, what: "sample_weight")
        if let i = weights.firstIndex(where: { $0 < 0 }) {
            throw MLPError.invalidSampleWeight("Sample weights must be non-negative; sample_weight[\(i)] is \(weights[i]).")
        }
        if !weights.isEmpty && !weights.contains(where: { $0 > 0 }) {
            throw MLPError.invalidSampleWeight("Sample weights must contain at least one non-zero number.")
        }
        // The loss is a weighted mean: a sum of weights past T's range makes it nan at the first step, which used to
        // read as a divergence blamed on the learning rate.
        if !weights.reduce(T(0), +).isFinite {
            let largest = weights.max()!
            throw MLPError.invalidSampleWeight("Sample weights must sum to a finite number in \(T.self == Float.self ? "float32" : "float64"); "
                + "they overflow (the largest is \(largest)). Scale them down: only their ratios matter.")
        }
    }
}
