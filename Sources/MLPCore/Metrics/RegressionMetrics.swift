// Regression metrics with sklearn.metrics' definitions.

public enum RegressionMetrics {
    /// sklearn `r2_score`: 1 − SS_res / SS_tot; a constant truth gives 1 if predicted exactly, else 0
    /// (sklearn's `force_finite=True`).
    public static func r2(_ yTrue: [Double], _ yPred: [Double]) -> Double {
        precondition(yTrue.count == yPred.count && !yTrue.isEmpty)
        let mean = yTrue.reduce(0, +) / Double(yTrue.count)
        var residual = 0.0, total = 0.0
        for i in yTrue.indices {
            residual += (yTrue[i] - yPred[i]) * (yTrue[i] - yPred[i])
            total += (yTrue[i] - mean) * (yTrue[i] - mean)
        }
        if total == 0 { return residual == 0 ? 1 : 0 }
        return 1 - residual / total
    }

    /// sklearn `mean_absolute_error`.
    public static func meanAbsoluteError(_ yTrue: [Double], _ yPred: [Double]) -> Double {
        precondition(yTrue.count == yPred.count && !yTrue.isEmpty)
        var s = 0.0
        for i in yTrue.indices { s += abs(yTrue[i] - yPred[i]) }
        return s / Double(yTrue.count)
    }

    /// sklearn `root_mean_squared_error`.
    public static func rootMeanSquaredError(_ yTrue: [Double], _ yPred: [Double]) -> Double {
        precondition(yTrue.count == yPred.count && !yTrue.isEmpty)
        var s = 0.0
        for i in yTrue.indices { s += (yTrue[i] - yPred[i]) * (yTrue[i] - yPred[i]) }
        return (s / Double(yTrue.count)).squareRoot()
    }
}

/// Everything `mlp evaluate` reports for a regressor.
public struct RegressionReport: Codable, Equatable, Sendable {
    public var samples: Int
    public var r2: Double
    public var meanAbsoluteError: Double
    public var rootMeanSquaredError: Double

    public init(yTrue: [Double], yPred: [Double]) {
        samples = yTrue.count
        r2 = RegressionMetrics.r2(yTrue, yPred)
        meanAbsoluteError = RegressionMetrics.meanAbsoluteError(yTrue, yPred)
        rootMeanSquaredError = RegressionMetrics.rootMeanSquaredError(yTrue, yPred)
    }
}
