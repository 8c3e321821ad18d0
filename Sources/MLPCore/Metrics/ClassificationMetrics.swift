// Classification metrics with sklearn.metrics' definitions. Classes are indices 0..<classCount (accuracy compares
// labels of any equatable type).

/// Classification scores with the definitions of scikit-learn's `sklearn.metrics` (a namespace of static functions).
public enum ClassificationMetrics {
    /// sklearn `accuracy_score(y_true, y_pred, sample_weight=)`: the fraction of predictions equal to the truth,
    /// each sample counting with its weight. The one accuracy of the package (the classifier's `score`, `mlp evaluate`).
    /// - Parameters:
    ///   - yTrue: the true labels (class indices, `ClassLabel`s, or any equatable value).
    ///   - yPred: the predicted labels, as many as `yTrue`.
    ///   - sampleWeight: one weight per sample, or nil for equal weights.
    /// - Returns: the (weighted) accuracy in [0, 1]; NaN for no samples (or weights that sum to 0).
    /// - Throws: `MLPError.inconsistentLength` when the counts differ.
    public static func accuracy<Label: Equatable>(_ yTrue: [Label], _ yPred: [Label],
                                                  sampleWeight: [Double]? = nil) throws -> Double {
        guard yPred.count == yTrue.count, sampleWeight.map({ $0.count == yTrue.count }) ?? true else {
            throw MLPError.inconsistentLength("accuracy: y_true has \(yTrue.count) samples, y_pred \(yPred.count)"
                                              + (sampleWeight.map { ", sample_weight \($0.count)" } ?? "") + ".")
        }
        return uncheckedAccuracy(yTrue, yPred, sampleWeight: sampleWeight)
    }

    static func uncheckedAccuracy<Label: Equatable>(_ yTrue: [Label], _ yPred: [Label], sampleWeight: [Double]?) -> Double {
        var correct = 0.0, total = 0.0
        for i in yTrue.indices {
            let w = sampleWeight?[i] ?? 1
            total += w
            if yTrue[i] == yPred[i] { correct += w }
        }
        return correct / total
    }

    /// sklearn `log_loss(y_true, proba, labels=classes)`: mean of −log p(true class), p clipped to [eps, 1 − eps]
    /// with eps = `Double.ulpOfOne`.
    /// - Parameters:
    ///   - yTrue: the true class index of each sample, in 0..<classCount; not empty.
    ///   - probabilities: (n, classCount) row-major, one row of class probabilities per sample.
    ///   - classCount: the number of classes (columns of `probabilities`).
    /// - Returns: the mean log-loss.
    /// - Throws: `MLPError.emptyData` for no samples, `MLPError.inconsistentLength` when `probabilities` is not
    ///   (n, classCount), `MLPError.invalidParameter` for a class index outside 0..<classCount.
    public static func logLoss(_ yTrue: [Int], probabilities: [Double], classCount: Int) throws -> Double {
        try checkSamples(yTrue.count)
        let (cells, overflow) = yTrue.count.multipliedReportingOverflow(by: classCount)
        guard classCount > 0, !overflow, probabilities.count == cells else {
            throw MLPError.inconsistentLength("log_loss: y_true has \(yTrue.count) samples, but the probabilities hold "
                                              + "\(probabilities.count) values for \(classCount) classes.")
        }
        try checkClassIndices(yTrue, classCount: classCount, what: "y_true")
        var total = 0.0
        for (i, y) in yTrue.enumerated() { total -= logLossTerm(probabilities[i * classCount + y]) }
        return total / Double(yTrue.count)
    }

    /// log p of the true class's probability p, clipped to [eps, 1 − eps] as `log_loss` clips it.
    static func logLossTerm(_ p: Double) -> Double {
        let eps = Double.ulpOfOne
        return min(max(p, eps), 1 - eps).log()
    }

    /// sklearn `confusion_matrix`: entry [i][j] counts samples of true class i predicted as class j.
    /// - Parameters:
    ///   - yTrue: the true class indices, each in 0..<classCount.
    ///   - yPred: the predicted class indices, as many as `yTrue`, each in 0..<classCount.
    ///   - classCount: the number of classes (rows and columns of the result).
    /// - Returns: a classCount × classCount matrix of counts.
    /// - Throws: `MLPError.inconsistentLength` when the counts differ, `MLPError.invalidParameter` for a class index
    ///   outside 0..<classCount.
    public static func confusionMatrix(_ yTrue: [Int], _ yPred: [Int], classCount: Int) throws -> [[Int]] {
        try checkLengths(yTrue.count, yPred.count)
        try checkClassIndices(yTrue, classCount: classCount, what: "y_true")
        try checkClassIndices(yPred, classCount: classCount, what: "y_pred")
        var m = Array(repeating: Array(repeating: 0, count: classCount), count: classCount)
        for i in yTrue.indices { m[yTrue[i]][yPred[i]] += 1 }
        return m
    }

    /// Precision, recall, F1 and support of one class (one row of scikit-learn's `classification_report`).
    public struct ClassScores: Codable, Equatable, Sendable {
        /// True positives over predicted positives (0 when the class is never predicted).
        public var precision: Double
        /// True positives over actual positives (0 when the class never occurs).
        public var recall: Double
        /// The harmonic mean of precision and recall, 2·tp / (2·tp + fp + fn) (0 when both counts are 0).
        public var f1: Double
        /// The number of samples whose true class is this one.
        public var support: Int
    }

    /// sklearn `precision_recall_fscore_support(average=None, zero_division=0)` for each of `labels`.
    /// - Parameters:
    ///   - yTrue: the true class indices (non-negative).
    ///   - yPred: the predicted class indices, as many as `yTrue`.
    ///   - labels: the class indices to score, in the order wanted.
    /// - Returns: one `ClassScores` per entry of `labels`.
    /// - Throws: `MLPError.inconsistentLength` when the counts differ, `MLPError.invalidParameter` for a negative
    ///   class index or label.
    public static func perClass(_ yTrue: [Int], _ yPred: [Int], labels: [Int]) throws -> [ClassScores] {
        try checkLengths(yTrue.count, yPred.count)
        let k = max((labels.max() ?? -1) + 1, (yTrue + yPred).max().map { $0 + 1 } ?? 0)
        try checkClassIndices(labels, classCount: k, what: "labels")
        return try perClass(confusionMatrix: confusionMatrix(yTrue, yPred, classCount: k), labels: labels)
    }

    /// ``perClass(_:_:labels:)`` from the confusion matrix of the samples.
    /// - Parameters:
    ///   - m: the counts, rows the true class and columns the predicted one, square, covering every label.
    ///   - labels: the class indices to score, in the order wanted.
    /// - Returns: one `ClassScores` per entry of `labels`.
    /// - Throws: `MLPError.inconsistentLength` for a matrix that is not square, `MLPError.invalidParameter` for a
    ///   label outside its rows.
    public static func perClass(confusionMatrix m: [[Int]], labels: [Int]) throws -> [ClassScores] {
        try checkSquare(m, classes: m.count)
        try checkClassIndices(labels, classCount: m.count, what: "labels")
        return labels.map { c in
            let tp = m[c][c]
            let predicted = m.reduce(0) { $0 + $1[c] }
            let actual = m[c].reduce(0, +)
            let precision = predicted == 0 ? 0 : Double(tp) / Double(predicted)
            let recall = actual == 0 ? 0 : Double(tp) / Double(actual)
            // sklearn computes F from counts: 2·tp / (2·tp + fp + fn).
            let denominator = predicted + actual
            let f1 = denominator == 0 ? 0 : Double(2 * tp) / Double(denominator)
            return ClassScores(precision: precision, recall: recall, f1: f1, support: actual)
        }
    }

    /// Precision, recall and F1 averaged over classes (the "macro avg" and "weighted avg" rows of scikit-learn's
    /// `classification_report`).
    public struct Averages: Codable, Equatable, Sendable {
        /// The averaged precision.
        public var precision: Double
        /// The averaged recall.
        public var recall: Double
        /// The averaged F1 (the average of the per-class F1 scores).
        public var f1: Double
    }

    // The checks of scikit-learn's `check_consistent_length`, `check_array(ensure_min_samples=1)` and label
    // validation, in its words where it has them.

    static func checkSamples(_ count: Int) throws {
        if count == 0 {
            throw MLPError.emptyData("Found empty input array (e.g., `y_true` or `y_pred`) while a minimum of 1 sample is required.")
        }
    }

    static func checkLengths(_ a: Int, _ b: Int) throws {
        if a != b { throw MLPError.inconsistentLength("Found input variables with inconsistent numbers of samples: [\(a), \(b)]") }
    }

    static func checkClassIndices(_ indices: [Int], classCount: Int, what: String) throws {
        guard classCount >= 0 else { throw MLPError.invalidParameter("The number of classes must be ≥ 0; got \(classCount).") }
        if let i = indices.firstIndex(where: { $0 < 0 || $0 >= classCount }) {
            throw MLPError.invalidParameter("\(what)[\(i)] is \(indices[i]), not a class index in 0..<\(classCount).")
        }
    }

    static func checkSquare(_ m: [[Int]], classes: Int) throws {
        if m.count != classes {
            throw MLPError.inconsistentLength("The confusion matrix has \(m.count) rows for \(classes) classes.")
        }
        if let row = m.firstIndex(where: { $0.count != classes }) {
            throw MLPError.inconsistentLength("The confusion matrix must be \(classes) × \(classes); row \(row) has \(m[row].count) entries.")
        }
    }

    /// Unweighted mean over classes (sklearn `average="macro"`).
    /// - Parameter scores: the per-class scores to average.
    /// - Returns: the means; NaN when `scores` is empty.
    public static func macro(_ scores: [ClassScores]) -> Averages {
        let n = Double(scores.count)
        return Averages(precision: scores.map(\.precision).reduce(0, +) / n,
                        recall: scores.map(\.recall).reduce(0, +) / n,
                        f1: scores.map(\.f1).reduce(0, +) / n)
    }

    /// Mean weighted by support (sklearn `average="weighted"`).
    /// - Parameter scores: the per-class scores to average.
    /// - Returns: the support-weighted means; all 0 when the total support is 0.
    public static func weighted(_ scores: [ClassScores]) -> Averages {
        let total = Double(scores.map(\.support).reduce(0, +))
        guard total > 0 else { return Averages(precision: 0, recall: 0, f1: 0) }
        func w(_ f: (ClassScores) -> Double) -> Double { scores.reduce(0) { $0 + f($1) * Double($1.support) } / total }
        return Averages(precision: w(\.precision), recall: w(\.recall), f1: w(\.f1))
    }
}

/// Everything `mlp evaluate` reports for a classifier.
public struct ClassificationReport: Codable, Equatable, Sendable {
    /// The class names; class index i is `classes[i]`.
    public var classes: [String]
    /// The number of samples scored.
    public var samples: Int
    /// The fraction of samples predicted correctly (sklearn's `accuracy_score`).
    public var accuracy: Double
    /// sklearn's `log_loss` of the probabilities, or nil when none were given.
    public var logLoss: Double?
    /// Rows: true class, columns: predicted class, over all `classes`.
    public var confusionMatrix: [[Int]]
    /// Per class in `classes` order (classes absent from both truth and prediction score 0 with support 0).
    public var perClass: [ClassificationMetrics.ClassScores]
    /// The macro average over the classes present in truth or prediction (sklearn's default labels).
    public var macroAverage: ClassificationMetrics.Averages
    /// The support-weighted average over the classes present in truth or prediction (sklearn's default labels).
    public var weightedAverage: ClassificationMetrics.Averages

    /// Computes every score of the report from class indices.
    /// - Parameters:
    ///   - classes: the class names, indexed by class index.
    ///   - yTrue: the true class index of each sample, in `classes.indices`; not empty.
    ///   - yPred: the predicted class index of each sample, as many as `yTrue`.
    ///   - probabilities: (n, classes.count) row-major, or nil to skip log-loss.
    /// - Throws: `MLPError.emptyData` for no samples, `MLPError.inconsistentLength` when the counts or the
    ///   probabilities' shape differ, `MLPError.invalidParameter` for a class index outside `classes.indices`.
    public init(classes: [String], yTrue: [Int], yPred: [Int], probabilities: [Double]?) throws {
        try ClassificationMetrics.checkSamples(yTrue.count)
        try self.init(classes: classes,
                      confusionMatrix: ClassificationMetrics.confusionMatrix(yTrue, yPred, classCount: classes.count),
                      logLoss: probabilities.map { try ClassificationMetrics.logLoss(yTrue, probabilities: $0,
                                                                                    classCount: classes.count) })
    }

    /// Computes every score of the report from the confusion matrix: the same values as from the class indices
    /// (accuracy is the trace over the count, exactly as the sum of 1s over the samples).
    /// - Parameters:
    ///   - classes: the class names, indexed by class index.
    ///   - confusionMatrix: classes.count × classes.count counts, rows the true class; at least one sample.
    ///   - logLoss: sklearn's `log_loss`, or nil.
    /// - Throws: `MLPError.inconsistentLength` for a matrix that is not classes.count square, `MLPError.emptyData`
    ///   when it counts no sample, `MLPError.invalidParameter` for a negative count.
    public init(classes: [String], confusionMatrix: [[Int]], logLoss: Double?) throws {
        try ClassificationMetrics.checkSquare(confusionMatrix, classes: classes.count)
        if confusionMatrix.contains(where: { $0.contains { $0 < 0 } }) {
            throw MLPError.invalidParameter("A confusion matrix counts samples; it holds a negative count.")
        }
        self.classes = classes
        samples = confusionMatrix.reduce(0) { $0 + $1.reduce(0, +) }
        try ClassificationMetrics.checkSamples(samples)
        accuracy = Double(classes.indices.reduce(0) { $0 + confusionMatrix[$1][$1] }) / Double(samples)
        self.logLoss = logLoss
        self.confusionMatrix = confusionMatrix
        perClass = try ClassificationMetrics.perClass(confusionMatrix: confusionMatrix, labels: Array(classes.indices))
        let present = classes.indices.filter { c in
            confusionMatrix[c].contains { $0 > 0 } || confusionMatrix.contains { $0[c] > 0 }
        }
        let scores = try ClassificationMetrics.perClass(confusionMatrix: confusionMatrix, labels: present)
        macroAverage = ClassificationMetrics.macro(scores)
        weightedAverage = ClassificationMetrics.weighted(scores)
    }
}

private extension Double {
    func log() -> Double { Double.log(self) }
}
