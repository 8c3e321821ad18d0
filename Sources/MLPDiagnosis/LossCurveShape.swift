/// The shape of a training-loss curve, measured with scale-free ratios.
struct LossCurveShape {
    var firstLoss: Double
    var finalLoss: Double
    /// The largest loss over the first: above 10³, or a non-finite loss, is a blow-up.
    var peakOverFirst: Double
    var diverged: Bool
    /// The share of consecutive differences that change sign: 0 for a steady descent, about 2/3 for noise.
    var signChangeShare: Double
    /// The last tenth of the epochs' loss drop over the whole drop: near 0 on a plateau, large while still falling.
    var lateDropShare: Double

    /// Whether the loss zigzags like noise: its direction changes at over a third of its steps.
    var zigzags: Bool { signChangeShare > 1.0 / 3 }

    /// Whether the run was unstable: it diverged, climbed above its first loss (a healthy descent never does), or
    /// zigzags.
    var isUnstable: Bool { diverged || peakOverFirst > 1 || zigzags }

    init(_ curve: [Double]) {
        firstLoss = curve.first ?? .nan
        let finite = curve.prefix { $0.isFinite }
        finalLoss = finite.last ?? .nan
        diverged = finite.count < curve.count
        let peak = finite.max() ?? .nan
        peakOverFirst = firstLoss > 0 ? peak / firstLoss : .nan
        if peakOverFirst > 1e3 { diverged = true }
        let values = Array(finite)
        var changes = 0, pairs = 0
        if values.count >= 3 {
            for i in 2..<values.count {
                let a = values[i - 1] - values[i - 2], b = values[i] - values[i - 1]
                if a != 0 && b != 0 {
                    pairs += 1
                    if (a > 0) != (b > 0) { changes += 1 }
                }
            }
        }
        signChangeShare = pairs > 0 ? Double(changes) / Double(pairs) : 0
        let tail = max(values.count / 10, 1)
        let totalDrop = (values.first ?? 0) - (values.last ?? 0)
        lateDropShare = values.count > tail && totalDrop > 0
            ? (values[values.count - 1 - tail] - values[values.count - 1]) / totalDrop : 0
    }
}
