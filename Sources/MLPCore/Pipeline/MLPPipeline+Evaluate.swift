// `mlp evaluate`'s metrics, over one table or a stream of them. Both go through one tally, filled a block of rows at a
// time in row order: a classifier's confusion matrix and log-loss sum (memory of the classes only, the same bits as
// from whole arrays: counts are exact and the sum runs in the same order), a regressor's targets and predictions
// (16 bytes a row and target: R² needs the targets' mean before its second sum).

/// What `MLPPipeline.evaluate` measures, with the library's metrics.
public enum PipelineEvaluation: Sendable {
    /// Accuracy, log-loss, confusion matrix, per-class scores; and each row's true class index (empty when the
    /// rows were streamed, ``MLPPipeline/evaluate(_:)-(CSVTableStream)``).
    case classification(ClassificationReport, trueClassIndices: [Int])
    /// R², MAE, RMSE.
    case regression(RegressionReport)
    /// A classifier fitted on several target columns (an indicator matrix): subset accuracy, Hamming loss and each
    /// label's precision, recall and F1.
    case multilabel(MultilabelReport)
}

extension MLPPipeline {
    /// The library's metrics of the pipeline on a labelled table.
    /// - Parameter table: rows with the target column, read with `encoding`.
    public func evaluate(_ table: DataTable) throws -> PipelineEvaluation {
        var tally = try EvaluationTally(self, keepsTruth: true)
        try tally.add(table)
        return try tally.evaluation()
    }

    /// The metrics of ``evaluate(_:)-(DataTable)`` over every table of a stream, with the same bits, holding one
    /// chunk of rows at a time (plus 16 bytes a row for a regressor).
    /// - Parameter stream: a labelled CSV file read with the pipeline's encoding (``CSVTableStream``).
    /// - Returns: the metrics; a classifier's `trueClassIndices` are left empty.
    /// - Throws: what ``evaluate(_:)-(DataTable)`` throws, a non-finite input naming its row in the file.
    public func evaluate(_ stream: CSVTableStream) throws -> PipelineEvaluation {
        var tally = try EvaluationTally(self, keepsTruth: false)
        while let table = try stream.next() {
            do {
                try tally.add(table)
            } catch let error as MLPError {
                throw error.rowsShifted(by: stream.rowsBefore)
            }
        }
        return try tally.evaluation()
    }
}

/// Counts and sums of ``MLPPipeline/evaluate(_:)-(DataTable)``, added a table at a time in row order, its rows
/// predicted a block at a time through one reusable predictor (one pass gives the classes and the probabilities).
struct EvaluationTally {
    /// Rows per pass through the network: the activations stay in cache, as for `mlp predict`.
    static let blockRows = 1024
    private let pipeline: MLPPipeline
    private let predictor: PipelinePredictor
    private let keepsTruth: Bool
    private var confusion: [[Int]]
    private var logLossTotal = 0.0
    private var truth: [Int] = []
    private var targets: [Double] = []
    private var predictions: [Double] = []
    private var multilabel: MultilabelCounts?
    /// The target columns scored (the tables', which may not be the ones the model was fitted on): the labels'
    /// names in a multilabel report.
    private var scoredTargets: [String] = []
    /// A regressor's outputs: the target columns of every table added.
    private let outputs: Int

    init(_ pipeline: MLPPipeline, keepsTruth: Bool) throws {
        self.pipeline = pipeline
        predictor = try pipeline.makePredictor(maxRows: Self.blockRows)
        self.keepsTruth = keepsTruth
        let multilabel = pipeline.estimator.targetType == .multilabelIndicator
        outputs = pipeline.isClassifier && !multilabel ? 1 : pipeline.estimator.perceptron.nOutputs
        if multilabel { self.multilabel = MultilabelCounts(labels: outputs) }
        let k = pipeline.classes.count
        confusion = Array(repeating: Array(repeating: 0, count: k), count: k)
    }

    mutating func add(_ table: DataTable) throws {
        _ = try pipeline.features(of: table)  // the encoding check, with its message
        guard table.targetName != nil else {
            throw DataError(.invalidTarget, "the table has no target column to score against", file: table.source)
        }
        guard table.targetCount == outputs else {
            throw DataError(.invalidTarget, "the table has \(table.targetCount) target column(s) "
                            + "(\(table.targetNames.joined(separator: ", "))), but the model predicts \(outputs) "
                            + "(\(pipeline.targetNames.joined(separator: ", ")))", file: table.source)
        }
        scoredTargets = table.targetNames
        guard table.rowCount > 0 else { return }
        if multilabel != nil { return try addMultilabel(table) }
        let classes = pipeline.isClassifier ? try pipeline.classIndices(of: table) : []
        for start in stride(from: 0, to: table.rowCount, by: Self.blockRows) {
            let rows = start..<min(start + Self.blockRows, table.rowCount)
            if pipeline.isClassifier {
                let (predicted, probabilities) = try predictor.classIndices(table, rows: rows)
                let k = probabilities.columns
                for (i, c) in classes[rows].enumerated() {
                    confusion[c][predicted[i]] += 1
                    logLossTotal -= ClassificationMetrics.logLossTerm(probabilities.storage[i * k + c])
                }
                continue
            }
            guard case .values(let values) = try predictor.predict(table, rows: rows), values.columns == table.targetCount else {
                throw MLPError.inconsistentLength("The table has \(table.targetCount) target column(s), but the regressor has "
                                                  + "\(pipeline.estimator.perceptron.nOutputs) output(s).")
            }
            predictions += values.storage
        }
        if keepsTruth { truth += classes }
        if !pipeline.isClassifier { targets += table.targetValues }
    }

    private mutating func addMultilabel(_ table: DataTable) throws {
        let truth = try MultilabelTargets.indicators(of: table)
        let k = outputs
        for start in stride(from: 0, to: table.rowCount, by: Self.blockRows) {
            let rows = start..<min(start + Self.blockRows, table.rowCount)
            guard case .multilabel(let predicted, _) = try predictor.predict(table, rows: rows) else {
                throw MLPError.invalidParameter("The classifier was not fitted on a multilabel target.")
            }
            try multilabel!.add(Array(truth[(rows.lowerBound * k)..<(rows.upperBound * k)]), predicted.storage)
        }
    }

    func evaluation() throws -> PipelineEvaluation {
        if let multilabel { return .multilabel(try MultilabelReport(labels: scoredTargets, counts: multilabel)) }
        if pipeline.isClassifier {
            let samples = confusion.reduce(0) { $0 + $1.reduce(0, +) }
            guard samples > 0 else { throw MLPError.emptyData("No rows to evaluate.") }
            let report = try ClassificationReport(classes: pipeline.classes.map(\.description), confusionMatrix: confusion,
                                              logLoss: logLossTotal / Double(samples))
            return .classification(report, trueClassIndices: truth)
        }
        guard !targets.isEmpty else { throw MLPError.emptyData("No rows to evaluate.") }
        return .regression(try RegressionReport(yTrue: targets, yPred: predictions, outputs: outputs))
    }
}
