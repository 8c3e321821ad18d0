import MLPCore

// The curves of a binary decision score, computed as scikit-learn's roc_curve (drop_intermediate=False),
// precision_recall_curve and calibration_curve (strategy='uniform') compute them.

/// ROC, precision-recall and reliability curves of one score against one binary outcome.
public enum CurveMetrics {
    /// Points of the ROC curve from (0, 0) to (1, 1), one per distinct threshold, and the area under it.
    /// - Parameters:
    ///   - scores: the score of each sample; higher means more likely positive.
    ///   - positive: whether each sample is positive.
    /// - Returns: false-positive rates, true-positive rates and the trapezoidal AUC; nil when a class is absent.
    public static func roc(scores: [Double], positive: [Bool]) -> (fpr: [Double], tpr: [Double], auc: Double)? {
        let (tps, fps) = cumulativeCounts(scores: scores, positive: positive)
        guard let p = tps.last, let n = fps.last, p > 0, n > 0 else { return nil }
        let tpr = [0] + tps.map { $0 / p }, fpr = [0] + fps.map { $0 / n }
        var auc = 0.0
        for i in 1..<tpr.count { auc += (fpr[i] - fpr[i - 1]) * (tpr[i] + tpr[i - 1]) / 2 }
        return (fpr, tpr, auc)
    }

    /// Points of the precision-recall curve by increasing threshold, and sklearn's average precision
    /// Σ (Rₙ − Rₙ₋₁) Pₙ.
    /// - Parameters:
    ///   - scores: the score of each sample.
    ///   - positive: whether each sample is positive.
    /// - Returns: recall and precision per threshold (ending at recall 0, precision 1) and the average precision;
    ///   nil without positives.
    public static func precisionRecall(scores: [Double], positive: [Bool])
        -> (recall: [Double], precision: [Double], averagePrecision: Double)? {
        let (tps, fps) = cumulativeCounts(scores: scores, positive: positive)
        guard let p = tps.last, p > 0 else { return nil }
        let precision = zip(tps, fps).map { $0 + $1 > 0 ? $0 / ($0 + $1) : 1 }
        let recall = tps.map { $0 / p }
        var ap = 0.0, previousRecall = 0.0
        for i in recall.indices {
            ap += (recall[i] - previousRecall) * precision[i]
            previousRecall = recall[i]
        }
        return (recall.reversed() + [0], precision.reversed() + [1], ap)
    }

    /// The reliability curve: in `bins` equal-width probability bins, the mean predicted probability and the
    /// observed fraction of positives; empty bins are left out.
    /// - Parameters:
    ///   - probabilities: the predicted probability of the positive outcome per sample.
    ///   - positive: whether each sample is positive.
    ///   - bins: the number of bins over [0, 1].
    /// - Returns: per non-empty bin, the mean prediction, the observed fraction and the sample count.
    public static func calibration(probabilities: [Double], positive: [Bool], bins: Int = 10)
        -> [(predicted: Double, observed: Double, count: Int)] {
        var sums = [Double](repeating: 0, count: bins), hits = [Double](repeating: 0, count: bins)
        var counts = [Int](repeating: 0, count: bins)
        // numpy's linspace(0, 1, bins + 1) edges; a probability on an inner edge belongs to the bin below it,
        // as calibration_curve's searchsorted(side="left") puts it.
        let step = 1 / Double(bins)
        let innerEdges = (1..<bins).map { Double($0) * step }
        for (p, y) in zip(probabilities, positive) {
            let b = innerEdges.prefix { $0 < p }.count
            sums[b] += p
            hits[b] += y ? 1 : 0
            counts[b] += 1
        }
        return (0..<bins).filter { counts[$0] > 0 }.map {
            (sums[$0] / Double(counts[$0]), hits[$0] / Double(counts[$0]), counts[$0])
        }
    }

    /// True and false positives at each distinct threshold, scores taken in decreasing order.
    private static func cumulativeCounts(scores: [Double], positive: [Bool]) -> (tps: [Double], fps: [Double]) {
        let order = scores.indices.sorted { scores[$0] > scores[$1] }
        var tps: [Double] = [], fps: [Double] = []
        var tp = 0.0, fp = 0.0
        for (k, i) in order.enumerated() {
            if positive[i] { tp += 1 } else { fp += 1 }
            if k == order.count - 1 || scores[order[k + 1]] != scores[i] {
                tps.append(tp)
                fps.append(fp)
            }
        }
        return (tps, fps)
    }
}
