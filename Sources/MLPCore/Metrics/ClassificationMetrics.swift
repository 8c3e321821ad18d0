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
    public static func logLoss(_ yTrue: [Int], probabilities: [Double], classCount: Int) -> Double {
        precondition(probabilities.count == yTrue.count * classCount && !yTrue.isEmpty)
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
    public static func confusionMatrix(_ yTrue: [Int], _ yPred: [Int], classCount: Int) -> [[Int]] {
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
    public static func perClass(_ yTrue: [Int], _ yPred: [Int], labels: [Int]) -> [ClassScores] {
        let k = (labels.max() ?? -1) + 1
        return perClass(confusionMatrix: confusionMatrix(yTrue, yPred, classCount: max(k, (yTrue + yPred).max().map { $0 + 1 } ?? 0)),
                        labels: labels)
    }

    /// ``perClass(_:_:labels:)`` from the confusion matrix of the samples.
    /// - Parameters:
    ///   - m: the counts, rows the true class and columns the predicted one, square, covering every label.
    ///   - labels: the class indices to score, in the order wanted.
    /// - Returns: one `ClassScores` per entry of `labels`.
    public static func perClass(confusionMatrix m: [[Int]], labels: [Int]) -> [ClassScores] {
        labels.map { c in
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
    public init(classes: [String], yTrue: [Int], yPred: [Int], probabilities: [Double]?) {
        precondition(yTrue.count == yPred.count && !yTrue.isEmpty)
        self.init(classes: classes,
                  confusionMatrix: ClassificationMetrics.confusionMatrix(yTrue, yPred, classCount: classes.count),
                  logLoss: probabilities.map { ClassificationMetrics.logLoss(yTrue, probabilities: $0, classCount: classes.count) })
    }

    /// Computes every score of the report from the confusion matrix: the same values as from the class indices
    /// (accuracy is the trace over the count, exactly as the sum of 1s over the samples).
    /// - Parameters:
    ///   - classes: the class names, indexed by class index.
    ///   - confusionMatrix: classes.count × classes.count counts, rows the true class; at least one sample.
    ///   - logLoss: sklearn's `log_loss`, or nil.
    public init(classes: [String], confusionMatrix: [[Int]], logLoss: Double?) {
        precondition(confusionMatrix.count == classes.count && confusionMatrix.allSatisfy { $0.count == classes.count })
        self.classes = classes
        samples = confusionMatrix.reduce(0) { $0 + $1.reduce(0, +) }
        precondition(samples > 0)
        accuracy = Double(classes.indices.reduce(0) { $0 + confusionMatrix[$1][$1] }) / Double(samples)
        self.logLoss = logLoss
        self.confusionMatrix = confusionMatrix
        perClass = ClassificationMetrics.perClass(confusionMatrix: confusionMatrix, labels: Array(classes.indices))
        let present = classes.indices.filter { c in
            confusionMatrix[c].contains { $0 > 0 } || confusionMatrix.contains { $0[c] > 0 }
        }
        let scores = ClassificationMetrics.perClass(confusionMatrix: confusionMatrix, labels: present)
        macroAverage = ClassificationMetrics.macro(scores)
        weightedAverage = ClassificationMetrics.weighted(scores)
    }
}

private extension Double {
    func log() -> Double { Double.log(self) }
}
