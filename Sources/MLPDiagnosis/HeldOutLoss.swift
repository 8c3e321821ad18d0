import MLPCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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

    /// A single-label classifier's loss: the log loss of the true class's probability, clipped at ε as training's
    /// is, averaged over rows. `columns` are the classes of the probabilities' columns; a row whose class the model
    /// never saw has probability 0 for it, the clip's largest loss, −log ε.
    static func classes(probabilities: Matrix<Double>, truths: [Int], columns: [Int]) -> Double {
        guard !truths.isEmpty, probabilities.rows == truths.count, probabilities.columns == columns.count else {
            return .nan
        }
        var oneHot = [Double](repeating: 0, count: probabilities.storage.count)
        var unseen = 0
        for (row, truth) in truths.enumerated() {
            if let column = columns.firstIndex(of: truth) { oneHot[row * columns.count + column] = 1 } else { unseen += 1 }
        }
        let seen = Loss.logLoss.reportedValue(predicted: probabilities.storage, target: oneHot, outputs: columns.count)
        return seen - Double(unseen) * log(Double.ulpOfOne) / Double(truths.count)
    }
}
