extension Loss {
    /// The loss scikit-learn reports for predictions (its `loss_curve_`'s data term, without the L2 penalty): summed
    /// over the outputs of a row, averaged over the rows, and for `squaredError` divided by the number of outputs.
    /// So several outputs give scikit-learn's multi-output losses: half the squared error averaged over every cell,
    /// the binary log loss summed over the labels of an indicator matrix, the Poisson deviance summed over outputs.
    /// - Parameters:
    ///   - predicted: the network's outputs (probabilities for the log losses), row-major (rows, outputs).
    ///   - target: the true values, same shape (one-hot rows or indicators for the log losses).
    ///   - outputs: values per row.
    /// - Returns: the mean loss; NaN for no rows or shapes that differ.
    public func reportedValue(predicted: [Double], target: [Double], outputs: Int) -> Double {
        guard outputs > 0, !target.isEmpty, predicted.count == target.count, target.count % outputs == 0 else { return .nan }
        let rows = target.count / outputs
        var delta = [Double](repeating: 0, count: target.count)
        // The canonical output for each loss: its delta is then ŷ − y, which this value does not need.
        let activation: Activation = switch self {
        case .sumOfSquares, .squaredError: .identity
        case .binaryLogLoss: .logistic
        case .logLoss: .softmax
        case .poisson: .exp
        }
        let total = predicted.withUnsafeBufferPointer { p in
            target.withUnsafeBufferPointer { y in
                delta.withUnsafeMutableBufferPointer { d in
                    valueAndOutputDelta(predicted: p.baseAddress!, target: y.baseAddress!, weights: nil, rows: rows,
                                        outputs: outputs, activation: activation, preActivation: nil,
                                        delta: d.baseAddress!)
                }
            }
        }
        return total / Double(rows) * reportedScale(outputs: outputs)
    }
}
