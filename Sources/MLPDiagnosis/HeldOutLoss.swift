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
}
