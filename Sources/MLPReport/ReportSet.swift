import MLPCore

/// One scored set of rows (training, validation or test) with what its plots need.
public struct ReportSet: Sendable {
    /// "training", "validation", "test" or another label shown as the section title.
    public var name: String
    /// A single-label classifier's scores on the set, nil otherwise.
    public var classification: ClassificationReport?
    /// Each row's true class index (classifiers).
    public var trueClasses: [Int] = []
    /// (rows, classes) row-major predicted probabilities (classifiers), in the order of `classification.classes`.
    public var probabilities: [Double] = []
    /// A regressor's scores on the set (with several targets, the uniform averages and `perOutput`), nil for a
    /// classifier.
    public var regression: RegressionReport?
    /// A multilabel classifier's scores on the set (several 0/1 target columns), nil otherwise.
    public var multilabel: MultilabelReport?
    /// The true targets, row-major (rows, targets): a regressor's values, or a multilabel classifier's 0/1 indicators.
    public var actual: [Double] = []
    /// The predictions, the shape of `actual`.
    public var predicted: [Double] = []
    /// The target columns' names with several targets, in the order of the outputs; empty for one.
    public var targetNames: [String] = []

    /// A classifier's set.
    /// - Parameters:
    ///   - name: the set's name.
    ///   - classification: the scores.
    ///   - trueClasses: the true class index per row.
    ///   - probabilities: (rows, classes) row-major probabilities; a multilabel classifier's are (rows, labels).
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
    ///   - actual: the true targets, row-major (rows, targets).
    ///   - predicted: the predictions, the same shape.
    ///   - targetNames: the targets' names with several targets (`regression.perOutput`); empty for one.
    public init(name: String, regression: RegressionReport, actual: [Double], predicted: [Double],
                targetNames: [String] = []) {
        self.name = name
        self.regression = regression
        self.actual = actual
        self.predicted = predicted
        self.targetNames = targetNames
    }

    /// A multilabel classifier's set: a 0/1 column per label.
    /// - Parameters:
    ///   - name: the set's name.
    ///   - multilabel: the scores; its `labels` name the columns.
    ///   - actual: the true indicators, row-major (rows, labels).
    ///   - predicted: the predicted indicators, the same shape.
    ///   - probabilities: each label's predicted probability, the same shape.
    public init(name: String, multilabel: MultilabelReport, actual: [Double], predicted: [Double],
                probabilities: [Double]) {
        self.name = name
        self.multilabel = multilabel
        self.actual = actual
        self.predicted = predicted
        self.probabilities = probabilities
        targetNames = multilabel.labels
    }
}
