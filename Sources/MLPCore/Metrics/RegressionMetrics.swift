// Regression metrics with sklearn.metrics' definitions.

/// Regression scores with the definitions of scikit-learn's `sklearn.metrics` (a namespace of static functions).
public enum RegressionMetrics {
    /// sklearn `r2_score(y_true, y_pred, sample_weight=, multioutput='uniform_average')`: the mean over outputs of
    /// each output's R². The one R² of the package (the regressor's `score`, `mlp evaluate`).
    /// - Parameters:
    ///   - yTrue: the true values, row-major (n, outputs).
    ///   - yPred: the predictions, same shape.
    ///   - outputs: values per sample.
    ///   - sampleWeight: one weight per sample, or nil for equal weights.
    /// - Returns: see `r2Scores`; NaN when any output's R² is NaN.
    /// - Throws: `MLPError.inconsistentLength` when the shapes differ.
    public static func r2Score<Value: BinaryFloatingPoint>(_ yTrue: [Value], _ yPred: [Value], outputs: Int = 1,
                                                           sampleWeight: [Value]? = nil) throws -> Double {
        let scores = try r2Scores(yTrue, yPred, outputs: outputs, sampleWeight: sampleWeight)
        return scores.reduce(0, +) / Double(scores.count)
    }

    /// sklearn `r2_score(..., multioutput='raw_values')` with `force_finite=True`: per output,
    /// 1 − Σ w (y − ŷ)² / Σ w (y − ȳ)², ȳ the weighted mean. A constant truth (Σ w (y − ȳ)² = 0) scores 1 when
    /// predicted exactly, else 0. Fewer than two samples give NaN (sklearn warns "R^2 score is not well-defined with
    /// less than two samples" and returns nan), and so does a non-finite value in `yTrue` or `yPred`.
    /// - Parameters:
    ///   - yTrue: the true values, row-major (n, outputs).
    ///   - yPred: the predictions, same shape.
    ///   - outputs: values per sample.
    ///   - sampleWeight: one weight per sample, or nil for equal weights.
    /// - Returns: one R² per output.
    /// - Throws: `MLPError.inconsistentLength` when the shapes differ.
    public static func r2Scores<Value: BinaryFloatingPoint>(_ yTrue: [Value], _ yPred: [Value], outputs: Int = 1,
                                                            sampleWeight: [Value]? = nil) throws -> [Double] {
        guard outputs > 0, yTrue.count == yPred.count, yTrue.count % outputs == 0,
              sampleWeight.map({ $0.count == yTrue.count / outputs }) ?? true else {
            throw MLPError.inconsistentLength(
                "r2_score: y_true has \(yTrue.count) values, y_pred \(yPred.count), for \(outputs) output(s)"
                + (sampleWeight.map { " and \($0.count) sample weights" } ?? "") + ".")
        }
        return uncheckedR2Scores(yTrue, yPred, outputs: outputs, sampleWeight: sampleWeight)
    }

    static func uncheckedR2Scores<Value: BinaryFloatingPoint>(_ yTrue: [Value], _ yPred: [Value], outputs k: Int,
                                                              sampleWeight: [Value]?) -> [Double] {
        let n = yTrue.count / k
        if n < 2 || yTrue.contains(where: { !$0.isFinite }) || yPred.contains(where: { !$0.isFinite }) {
            return [Double](repeating: .nan, count: k)
        }
        let weight: (Int) -> Double = { r in sampleWeight.map { Double($0[r]) } ?? 1 }
        return (0..<k).map { j in
            var weightSum = 0.0, mean = 0.0
            for r in 0..<n {
                weightSum += weight(r)
                mean += weight(r) * Double(yTrue[r * k + j])
            }
            mean /= weightSum
            var residual = 0.0, total = 0.0
            for r in 0..<n {
                let y = Double(yTrue[r * k + j]), yHat = Double(yPred[r * k + j])
                residual += weight(r) * (y - yHat) * (y - yHat)
                total += weight(r) * (y - mean) * (y - mean)
            }
            if total == 0 { return residual == 0 ? 1 : 0 }
            return 1 - residual / total
        }
    }

    /// sklearn `mean_absolute_error`: the mean of |y − ŷ|.
    /// - Parameters:
    ///   - yTrue: the true values; not empty.
    ///   - yPred: the predictions, as many as `yTrue`.
    /// - Returns: the mean absolute error.
    public static func meanAbsoluteError(_ yTrue: [Double], _ yPred: [Double]) -> Double {
        precondition(yTrue.count == yPred.count && !yTrue.isEmpty)
        var s = 0.0
        for i in yTrue.indices { s += abs(yTrue[i] - yPred[i]) }
        return s / Double(yTrue.count)
    }

    /// sklearn `root_mean_squared_error`: the square root of the mean of (y − ŷ)².
    /// - Parameters:
    ///   - yTrue: the true values; not empty.
    ///   - yPred: the predictions, as many as `yTrue`.
    /// - Returns: the root mean squared error.
    public static func rootMeanSquaredError(_ yTrue: [Double], _ yPred: [Double]) -> Double {
        precondition(yTrue.count == yPred.count && !yTrue.isEmpty)
        var s = 0.0
        for i in yTrue.indices { s += (yTrue[i] - yPred[i]) * (yTrue[i] - yPred[i]) }
        return (s / Double(yTrue.count)).squareRoot()
    }
}

/// Everything `mlp evaluate` reports for a regressor.
public struct RegressionReport: Codable, Equatable, Sendable {
    /// The number of samples scored.
    public var samples: Int
    /// The coefficient of determination (sklearn's `r2_score`); NaN for fewer than two samples or a non-finite value.
    public var r2: Double
    /// sklearn's `mean_absolute_error`.
    public var meanAbsoluteError: Double
    /// sklearn's `root_mean_squared_error`.
    public var rootMeanSquaredError: Double

    /// Computes every score of the report for a single output.
    /// - Parameters:
    ///   - yTrue: the true value of each sample; not empty.
    ///   - yPred: the prediction for each sample, as many as `yTrue`.
    public init(yTrue: [Double], yPred: [Double]) {
        precondition(yTrue.count == yPred.count && !yTrue.isEmpty)
        samples = yTrue.count
        r2 = RegressionMetrics.uncheckedR2Scores(yTrue, yPred, outputs: 1, sampleWeight: nil)[0]
        meanAbsoluteError = RegressionMetrics.meanAbsoluteError(yTrue, yPred)
        rootMeanSquaredError = RegressionMetrics.rootMeanSquaredError(yTrue, yPred)
    }
}
