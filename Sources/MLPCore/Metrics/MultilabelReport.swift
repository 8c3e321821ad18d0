// Scores of a multilabel classifier (an indicator matrix, a 0/1 column per label) with scikit-learn's definitions:
// accuracy_score on indicator matrices is the subset accuracy (a row counts only when every label is right), which is
// MLPClassifier.score; precision_recall_fscore_support(average=None, zero_division=0) scores each label's column.

/// Everything `mlp evaluate` reports for a multilabel classifier.
public struct MultilabelReport: Codable, Equatable, Sendable {
    /// The labels' names (the target columns), in the order of the outputs.
    public var labels: [String]
    /// The number of samples scored.
    public var samples: Int
    /// sklearn `accuracy_score` on indicator matrices: the fraction of rows whose every label is predicted right.
    public var subsetAccuracy: Double
    /// sklearn `hamming_loss`: the fraction of (row, label) cells predicted wrong.
    public var hammingLoss: Double
    /// sklearn `precision_recall_fscore_support(average=None, zero_division=0)`, one entry per label.
    public var perLabel: [ClassificationMetrics.ClassScores]

    /// Computes every score of the report.
    /// - Parameters:
    ///   - labels: the labels' names, one per column.
    ///   - yTrue: the true indicators (0 or 1), row-major (samples, labels.count); not empty.
    ///   - yPred: the predicted indicators, same shape.
    /// - Throws: `MLPError.emptyData` for no samples, `MLPError.inconsistentLength` when the shapes differ.
    public init(labels: [String], yTrue: [Double], yPred: [Double]) throws {
        var counts = MultilabelCounts(labels: labels.count)
        try counts.add(yTrue, yPred)
        try self.init(labels: labels, counts: counts)
    }

    init(labels: [String], counts: MultilabelCounts) throws {
        guard counts.samples > 0 else { throw MLPError.emptyData("No rows to evaluate.") }
        self.labels = labels
        samples = counts.samples
        subsetAccuracy = Double(counts.exactRows) / Double(counts.samples)
        let wrong = zip(counts.falsePositives, counts.falseNegatives).reduce(0) { $0 + $1.0 + $1.1 }
        hammingLoss = Double(wrong) / Double(counts.samples * labels.count)
        // Each label's column is a binary problem: its confusion matrix [[tn, fp], [fn, tp]], scored for class 1.
        perLabel = try labels.indices.map { j in
            let tp = counts.truePositives[j], fp = counts.falsePositives[j], fn = counts.falseNegatives[j]
            let matrix = [[counts.samples - tp - fp - fn, fp], [fn, tp]]
            return try ClassificationMetrics.perClass(confusionMatrix: matrix, labels: [1])[0]
        }
    }
}

/// The counts behind a ``MultilabelReport``, added a block of rows at a time (`mlp evaluate` streams them).
struct MultilabelCounts {
    private(set) var samples = 0
    private(set) var exactRows = 0
    private(set) var truePositives: [Int]
    private(set) var falsePositives: [Int]
    private(set) var falseNegatives: [Int]

    init(labels: Int) {
        truePositives = Array(repeating: 0, count: labels)
        falsePositives = truePositives
        falseNegatives = truePositives
    }

    /// Adds rows of true and predicted indicators, row-major.
    mutating func add(_ yTrue: [Double], _ yPred: [Double]) throws {
        let k = truePositives.count
        guard k > 0, yTrue.count == yPred.count, yTrue.count % k == 0 else {
            throw MLPError.inconsistentLength("y_true has \(yTrue.count) values, y_pred \(yPred.count), for \(k) labels.")
        }
        for start in stride(from: 0, to: yTrue.count, by: k) {
            var exact = true
            for j in 0..<k {
                let truth = yTrue[start + j] == 1, predicted = yPred[start + j] == 1
                if truth && predicted { truePositives[j] += 1 }
                if !truth && predicted { falsePositives[j] += 1 }
                if truth && !predicted { falseNegatives[j] += 1 }
                exact = exact && truth == predicted
            }
            samples += 1
            if exact { exactRows += 1 }
        }
    }
}
