import MLPCore

/// One scored set of rows (training, validation or test) with what its plots need.
public struct ReportSet: Sendable {
    /// "training", "validation", "test" or another label shown as the section title.
    public var name: String
    /// A classifier's scores on the set, nil for a regressor.
    public var classification: ClassificationReport?
    /// Each row's true class index (classifiers).
    public var trueClasses: [Int] = []
    /// (rows, classes) row-major predicted probabilities (classifiers), in the order of `classification.classes`.
    public var probabilities: [Double] = []
    /// A regressor's scores on the set, nil for a classifier.
    public var regression: RegressionReport?
    /// The true target per row (regressors).
    public var actual: [Double] = []
    /// The predicted target per row (regressors).
    public var predicted: [Double] = []

    /// A classifier's set.
    /// - Parameters:
    ///   - name: the set's name.
    ///   - classification: the scores.
    ///   - trueClasses: the true class index per row.
    ///   - probabilities: (rows, classes) row-major probabilities.
    public init(name: String, classification: ClassificationReport, trueClasses: [Int], probabilities: [Double]) {
        self.name = name
        self.classification = classification
        self.trueClasses = trueClasses
        self.probabilities = probabilities
    }

    /// A regressor's set.
    /// - Parameters:
    ///   - name: the set's name.
    ///   - regression: the scores.
    ///   - actual: the true target per row.
    ///   - predicted: the prediction per row.
    public init(name: String, regression: RegressionReport, actual: [Double], predicted: [Double]) {
        self.name = name
        self.regression = regression
        self.actual = actual
        self.predicted = predicted
    }
}
