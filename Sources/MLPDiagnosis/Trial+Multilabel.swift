import MLPCore

extension Trainer {
    /// A run on a multilabel indicator matrix: MLPClassifier fitted on it (one logistic output per label), scored by
    /// the labels' mean balanced accuracy and the binary log loss summed over the labels (its training loss).
    func runLabels(_ parameters: MLPParameters, data: PreparedData, x: (train: Matrix<Double>, validation: Matrix<Double>),
                   onEpoch: ((EpochReport) -> EpochAction)?) -> TrialRun {
        let labels = data.targetWidth
        let classifier = MLPClassifier<Double>(parameters: parameters)
        classifier.onEpoch = onEpoch
        var failure: FitFailure?
        do {
            try classifier.fit(x.train, multilabel: Matrix(rows: x.train.rows, columns: labels, storage: data.trainTarget))
        } catch { failure = FitFailure(error) }
        /// Each label's recall of its 0 rows and of its 1 rows, and the loss; nil recalls when it cannot predict.
        func scored(_ m: Matrix<Double>, _ truth: [Double]) -> (recalls: [Double]?, loss: Double) {
            guard classifier.network != nil, let proba = try? classifier.predictProbabilities(m) else { return (nil, .infinity) }
            // One label's probabilities come back as [1 − p, p], as for a binary target.
            let p = proba.columns == labels ? proba.storage : (0..<proba.rows).map { proba[$0, 1] }
            let loss = HeldOutLoss.multilabel(probabilities: p, indicators: truth, labels: labels)
            return (Self.labelRecalls(truth, p.map { $0 > 0.5 ? 1 : 0 }, labels: labels), loss.isFinite ? loss : .infinity)
        }
        let heldOut = scored(x.validation, data.validationTarget), train = scored(x.train, data.trainTarget)
        return Self.classificationRun(curve: classifier.lossCurve ?? [], failure: failure, chance: data.chance,
                                      groups: data.recallGroupCount, validationRecalls: heldOut.recalls,
                                      trainRecalls: train.recalls, validationLoss: heldOut.loss, trainDataLoss: train.loss)
    }

    /// Per label, the recall of its 0 rows then of its 1 rows (NaN where the rows hold none), from row-major
    /// (rows, labels) indicators: their mean is the mean over labels of each label's balanced accuracy.
    static func labelRecalls(_ truth: [Double], _ predicted: [Double], labels: Int) -> [Double] {
        var hits = [Double](repeating: 0, count: 2 * labels), totals = hits
        for (i, (t, p)) in zip(truth, predicted).enumerated() {
            let group = 2 * (i % labels) + (t == 1 ? 1 : 0)
            totals[group] += 1
            if t == p { hits[group] += 1 }
        }
        return zip(hits, totals).map { $1 > 0 ? $0 / $1 : .nan }
    }
}
