// MLPClassifier with labels as the caller has them: `try clf.fit(x, ["spam", "ham"])`, `try clf.fit(x, [0, 1])`.
// Each call converts the labels once and goes to the `[ClassLabel]` method, so the model is the same bit for bit.

extension MLPClassifier {
    /// `fit(X, y, sample_weight)` with labels of any `ClassLabelConvertible` type (`String`, `Int`, `ClassLabel`).
    /// - Parameters:
    ///   - x: the samples, (n, nFeatures).
    ///   - y: one label per sample.
    ///   - sampleWeight: one weight per sample, or nil for equal weights.
    /// - Throws: `MLPError.invalidParameter` for an `Int` label with no exact float64 value, and the errors of
    ///   `fit(_:_:sampleWeight:)` with `ClassLabel`s.
    public func fit<Label: ClassLabelConvertible>(_ x: Matrix<T>, _ y: [Label], sampleWeight: [T]? = nil) throws {
        try fit(x, y.classLabels(), sampleWeight: sampleWeight)
    }

    /// `partial_fit(X, y, sample_weight, classes)` with labels of any `ClassLabelConvertible` type.
    /// - Parameters:
    ///   - x: the samples, (n, nFeatures).
    ///   - y: one label per sample.
    ///   - sampleWeight: one weight per sample, or nil for equal weights.
    ///   - classes: every class; required on the first call.
    /// - Throws: `MLPError.invalidParameter` for an `Int` label with no exact float64 value, and the errors of
    ///   `partialFit(_:_:sampleWeight:classes:)` with `ClassLabel`s.
    public func partialFit<Label: ClassLabelConvertible>(_ x: Matrix<T>, _ y: [Label], sampleWeight: [T]? = nil,
                                                         classes: [Label]? = nil) throws {
        try partialFit(x, y.classLabels(), sampleWeight: sampleWeight, classes: classes?.classLabels())
    }

    /// `score`: mean accuracy (weighted by `sampleWeight`) with labels of any `ClassLabelConvertible` type.
    /// - Parameters:
    ///   - x: the samples, (n, nFeatures).
    ///   - y: the true label of each sample.
    ///   - sampleWeight: one weight per sample, or nil for equal weights.
    /// - Returns: the fraction of samples predicted correctly, in [0, 1].
    /// - Throws: `MLPError.invalidParameter` for an `Int` label with no exact float64 value, and the errors of
    ///   `score(_:_:sampleWeight:)` with `ClassLabel`s.
    public func score<Label: ClassLabelConvertible>(_ x: Matrix<T>, _ y: [Label], sampleWeight: [T]? = nil) throws -> Double {
        try score(x, y.classLabels(), sampleWeight: sampleWeight)
    }
}
