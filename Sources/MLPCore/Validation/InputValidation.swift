// Input checks made before any training or prediction, in scikit-learn's words where it has them
// (`check_array`, `_check_sample_weight`, `_check_n_features`), as typed `MLPError`s.

enum InputValidation {
    /// Non-empty, finite X with the expected feature count (when fitted).
    static func checkX<T: KernelFloat>(_ x: Matrix<T>, estimator: String, expectedFeatures: Int?) throws {
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

    /// NaN / ±inf anywhere: the error names the first offending cell.
    @_specialize(where T == Double)
    @_specialize(where T == Float)
    static func checkFinite<T: KernelFloat>(_ values: [T], columns: Int, what: String) throws {
        // One pass that sums x·0: NaN for NaN or ±inf anywhere, so the scan has no branch per element.
        let poisoned = values.withUnsafeBufferPointer { buffer -> Bool in
            var probe: T = 0
            for v in buffer { probe += v * 0 }
            return !probe.isFinite
        }
        guard poisoned else { return }
        if let i = values.firstIndex(where: { !$0.isFinite }) {
            throw MLPError.nonFiniteInput(what: what, row: i / max(columns, 1), column: i % max(columns, 1),
                                          value: Double(values[i]))
        }
    }

    static func checkLength(_ count: Int, rows: Int, what: String) throws {
        if count != rows {
            throw MLPError.inconsistentLength("Found input variables with inconsistent numbers of samples: [\(rows), \(count)] (X and \(what)).")
        }
    }

    /// `_check_sample_weight`: one finite weight per row.
    static func checkSampleWeight<T: KernelFloat>(_ weights: [T]?, rows: Int) throws {
        guard let weights else { return }
        if weights.count != rows {
            throw MLPError.inconsistentLength("sample_weight.shape == (\(weights.count),), expected (\(rows),)!")
        }
        try checkFinite(weights, columns: 1, what: "sample_weight")
    }
}
