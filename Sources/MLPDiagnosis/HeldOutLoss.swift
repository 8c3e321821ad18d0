import MLPCore

/// A held-out loss in the training loss's own formula (MLPCore's `Loss`, without the penalty), so that a report's
/// training and held-out losses are in the same units.
enum HeldOutLoss {
    /// A regressor's loss, `outputs` values per row: half the squared error averaged over every cell, or for
    /// `.poisson` the half Poisson deviance y log(y/ŷ) − y + ŷ summed over outputs (scikit-learn's `loss='poisson'`),
    /// averaged over rows.
    static func regression(_ loss: RegressionLoss, predicted: [Double], target: [Double], outputs: Int = 1) -> Double {
        (loss == .poisson ? Loss.poisson : .squaredError).reportedValue(predicted: predicted, target: target,
                                                                        outputs: outputs)
    }

    /// A multilabel classifier's loss: the binary log loss of every label's probability, summed over the labels and
    /// averaged over rows, as MLPClassifier trains on an indicator matrix.
    static func multilabel(probabilities: [Double], indicators: [Double], labels: Int) -> Double {
        Loss.binaryLogLoss.reportedValue(predicted: probabilities, target: indicators, outputs: labels)
    }

    /// A single-label classifier's loss: scikit-learn's `log_loss` (`ClassificationMetrics.logLoss`, clipped at ε as
    /// training's is) of the probabilities, whose columns are the classes `columns`. A row whose class the model never
    /// saw has probability 0 for it (a column of zeros appended), the clip's largest loss, −log ε.
    static func classes(probabilities: Matrix<Double>, truths: [Int], columns: [Int]) -> Double {
        let k = columns.count
        guard probabilities.rows == truths.count, probabilities.columns == k else { return .nan }
        var padded: [Double] = []
        padded.reserveCapacity(truths.count * (k + 1))
        for row in 0..<truths.count { padded += probabilities.storage[(row * k)..<((row + 1) * k)] + [0] }
        let indices = truths.map { columns.firstIndex(of: $0) ?? k }
        return (try? ClassificationMetrics.logLoss(indices, probabilities: padded, classCount: k + 1)) ?? .nan
    }
}
