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
    /// less than two samples" and returns nan), and so does a non-finite value in `yTrue` or `yPred`. Sums whose
    /// squares overflow (values near 1e154 and beyond, where sklearn gives nan or −inf) are taken again on the values
    /// scaled by a power of two, which leaves the ratio as it is.
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
            let truth = { (r: Int) in Double(yTrue[r * k + j]) }, predicted = { (r: Int) in Double(yPred[r * k + j]) }
            var (residual, total) = sumsOfSquares(n, weight, scale: 1, truth: truth, predicted: predicted)
            if !residual.isFinite || !total.isFinite {
                // Squares past Double's range (values near 1e154 and beyond): both sums again on the values scaled
                // by one power of two, which leaves their ratio as it is.
                var largest = 0.0
                for r in 0..<n { largest = max(largest, abs(truth(r)), abs(predicted(r))) }
                (residual, total) = sumsOfSquares(n, weight, scale: StandardScaler.powerOfTwoBelow(largest),
                                                  truth: truth, predicted: predicted)
            }
            if total == 0 { return residual == 0 ? 1 : 0 }
            return 1 - residual / total
        }
    }

    /// Σ w (y − ŷ)² and Σ w (y − ȳ)² over `n` rows, ȳ the weighted mean, of the values multiplied by `scale`.
    private static func sumsOfSquares(_ n: Int, _ weight: (Int) -> Double, scale: Double, truth: (Int) -> Double,
                                      predicted: (Int) -> Double) -> (residual: Double, total: Double) {
        var weightSum = 0.0, mean = 0.0
        for r in 0..<n {
            weightSum += weight(r)
            mean += weight(r) * (truth(r) * scale)
        }
        mean /= weightSum
        var residual = 0.0, total = 0.0
        for r in 0..<n {
            let y = truth(r) * scale, yHat = predicted(r) * scale
            residual += weight(r) * (y - yHat) * (y - yHat)
            total += weight(r) * (y - mean) * (y - mean)
        }
        return (residual, total)
    }

    /// sklearn `mean_absolute_error`: the mean of |y − ŷ|, finite whenever it is representable.
    /// - Parameters:
    ///   - yTrue: the true values; not empty.
    ///   - yPred: the predictions, as many as `yTrue`.
    /// - Returns: the mean absolute error.
    /// - Throws: `MLPError.emptyData` for no samples, `MLPError.inconsistentLength` when the counts differ.
    public static func meanAbsoluteError(_ yTrue: [Double], _ yPred: [Double]) throws -> Double {
        try checkSamples(yTrue, yPred)
        var s = 0.0
        for i in yTrue.indices { s += abs(yTrue[i] - yPred[i]) }
        let mean = s / Double(yTrue.count)
        guard !mean.isFinite else { return mean }
        // A sum past Double's range: again on the values scaled by a power of two (exact), then scaled back.
        let down = largestMagnitudeScale(yTrue, yPred)
        s = 0
        for i in yTrue.indices { s += abs(yTrue[i] * down - yPred[i] * down) }
        return s / Double(yTrue.count) / down
    }

    /// sklearn `root_mean_squared_error`: the square root of the mean of (y − ŷ)², finite whenever it is representable
    /// (squares that overflow are summed scaled).
    /// - Parameters:
    ///   - yTrue: the true values; not empty.
    ///   - yPred: the predictions, as many as `yTrue`.
    /// - Returns: the root mean squared error.
    /// - Throws: `MLPError.emptyData` for no samples, `MLPError.inconsistentLength` when the counts differ.
    public static func rootMeanSquaredError(_ yTrue: [Double], _ yPred: [Double]) throws -> Double {
        try checkSamples(yTrue, yPred)
        var s = 0.0
        for i in yTrue.indices { s += (yTrue[i] - yPred[i]) * (yTrue[i] - yPred[i]) }
        let root = (s / Double(yTrue.count)).squareRoot()
        guard !root.isFinite else { return root }
        // Squares past Double's range: again on the values scaled by a power of two (exact), then scaled back.
        let down = largestMagnitudeScale(yTrue, yPred)
        s = 0
        for i in yTrue.indices { s += (yTrue[i] * down - yPred[i] * down) * (yTrue[i] * down - yPred[i] * down) }
        return (s / Double(yTrue.count)).squareRoot() / down
    }

    /// scikit-learn's `check_consistent_length` and `check_array(ensure_min_samples=1)`, in its words.
    static func checkSamples(_ yTrue: [Double], _ yPred: [Double]) throws {
        if yTrue.count != yPred.count {
            throw MLPError.inconsistentLength("Found input variables with inconsistent numbers of samples: [\(yTrue.count), \(yPred.count)]")
        }
        if yTrue.isEmpty {
            throw MLPError.emptyData("Found array with 0 sample(s) (shape=(0,)) while a minimum of 1 is required.")
        }
    }

    /// The power of two that brings every finite value of both arrays below 1 (1 when one is not finite: then the
    /// metric is not finite either way).
    private static func largestMagnitudeScale(_ a: [Double], _ b: [Double]) -> Double {
        var largest = 0.0
        for i in a.indices { largest = max(largest, abs(a[i]), abs(b[i])) }
        return largest.isFinite && largest > 0 ? StandardScaler.powerOfTwoBelow(largest) : 1
    }
}

/// Everything `mlp evaluate` reports for a regressor. With several outputs each score is scikit-learn's
/// `multioutput='uniform_average'`: the mean over the outputs of each output's score, which ``perOutput`` holds.
public struct RegressionReport: Codable, Equatable, Sendable {
    /// The number of samples scored.
    public var samples: Int
    /// The coefficient of determination (sklearn's `r2_score`); NaN for fewer than two samples or a non-finite value.
    public var r2: Double
    /// sklearn's `mean_absolute_error`.
    public var meanAbsoluteError: Double
    /// sklearn's `root_mean_squared_error`.
    public var rootMeanSquaredError: Double
    /// Each output's scores (`multioutput='raw_values'`), in the order of the outputs; nil for a single output.
    public var perOutput: [RegressionReport]?

    /// Computes every score of the report for `outputs` values per sample: each output's, and their uniform average.
    /// - Parameters:
    ///   - yTrue: the true values, row-major (samples, outputs); not empty.
    ///   - yPred: the predictions, same shape.
    ///   - outputs: values per sample.
    /// - Throws: `MLPError.emptyData` for no samples, `MLPError.inconsistentLength` when the shapes differ.
    public init(yTrue: [Double], yPred: [Double], outputs: Int) throws {
        guard outputs > 1 else {
            try self.init(yTrue: yTrue, yPred: yPred)
            return
        }
        guard yTrue.count == yPred.count, yTrue.count % outputs == 0 else {
            throw MLPError.inconsistentLength("y_true has \(yTrue.count) values, y_pred \(yPred.count), for \(outputs) outputs.")
        }
        let column = { (values: [Double], j: Int) in stride(from: j, to: values.count, by: outputs).map { values[$0] } }
        let each = try (0..<outputs).map { try RegressionReport(yTrue: column(yTrue, $0), yPred: column(yPred, $0)) }
        self.init(averaging: each)
    }

    /// The uniform average of each output's report.
    private init(averaging each: [RegressionReport]) {
        let mean = { (score: (RegressionReport) -> Double) in each.map(score).reduce(0, +) / Double(each.count) }
        samples = each[0].samples
        r2 = mean(\.r2)
        meanAbsoluteError = mean(\.meanAbsoluteError)
        rootMeanSquaredError = mean(\.rootMeanSquaredError)
        perOutput = each
    }

    /// Computes every score of the report for a single output.
    /// - Parameters:
    ///   - yTrue: the true value of each sample; not empty.
    ///   - yPred: the prediction for each sample, as many as `yTrue`.
    /// - Throws: `MLPError.emptyData` for no samples, `MLPError.inconsistentLength` when the counts differ.
    public init(yTrue: [Double], yPred: [Double]) throws {
        try RegressionMetrics.checkSamples(yTrue, yPred)
        samples = yTrue.count
        r2 = RegressionMetrics.uncheckedR2Scores(yTrue, yPred, outputs: 1, sampleWeight: nil)[0]
        meanAbsoluteError = try RegressionMetrics.meanAbsoluteError(yTrue, yPred)
        rootMeanSquaredError = try RegressionMetrics.rootMeanSquaredError(yTrue, yPred)
    }
}
