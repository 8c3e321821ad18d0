import MLPCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A regressor's held-out loss in its training loss's own formula (MLPCore's `Loss.poisson` and `.squaredError`,
/// without the penalty), so that a report's training and held-out losses are in the same units.
enum HeldOutLoss {
    /// The mean over rows: half the squared error, or for `.poisson` the half Poisson deviance
    /// y log(y/ŷ) − y + ŷ (scikit-learn's `loss='poisson'`).
    static func regression(_ loss: RegressionLoss, predicted: [Double], target: [Double]) -> Double {
        var sum = 0.0
        for (p, y) in zip(predicted, target) {
            switch loss {
            case .poisson: sum += xlogy(y, y) - xlogy(y, p) - y + p
            default: sum += (p - y) * (p - y) / 2
            }
        }
        return sum / Double(max(target.count, 1))
    }

    /// x log y, 0 when x is 0 (the limit, as scipy's `xlogy`): a zero count adds no log term.
    static func xlogy(_ x: Double, _ y: Double) -> Double { x == 0 ? 0 : x * log(y) }
}
