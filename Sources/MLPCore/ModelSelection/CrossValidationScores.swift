/// What ``crossValScore(classifier:classWeight:_:_:cv:scaler:)`` and
/// ``crossValScore(regressor:loss:_:_:cv:scaler:)-(_,_,_,Matrix<T>,_,_)`` measured: one score per fold, as `cross_val_score` returns them.
public struct CrossValidationScores: Equatable, Sendable {
    /// The test-fold scores in fold order: accuracy for a classifier, R² for a regressor.
    public var scores: [Double]
    /// The folds the scores came from.
    public var folds: [CrossValidationFold]
    /// What the splitter warned about (a class smaller than the number of folds).
    public var splitWarnings: [CrossValidationWarning]
    /// Each fold's estimator warnings (e.g. sklearn's `ConvergenceWarning` at `max_iter`), in fold order.
    public var fitWarnings: [[MLPWarning]]

    /// Scores measured elsewhere (for instance a pipeline refitted per fold), with their folds and warnings.
    ///
    /// - Parameters:
    ///   - scores: The test-fold scores in fold order.
    ///   - folds: The folds the scores came from.
    ///   - splitWarnings: What the splitter warned about.
    ///   - fitWarnings: Each fold's estimator warnings, in fold order.
    public init(scores: [Double], folds: [CrossValidationFold], splitWarnings: [CrossValidationWarning] = [],
                fitWarnings: [[MLPWarning]] = []) {
        self.scores = scores
        self.folds = folds
        self.splitWarnings = splitWarnings
        self.fitWarnings = fitWarnings
    }

    /// `scores.mean()`, summed pairwise as numpy sums.
    public var mean: Double { numpyPairwiseSum(scores) / Double(scores.count) }

    /// `scores.std()`: numpy's population standard deviation (ddof = 0).
    public var standardDeviation: Double {
        let mean = self.mean
        return (numpyPairwiseSum(scores.map { ($0 - mean) * ($0 - mean) }) / Double(scores.count)).squareRoot()
    }
}

/// numpy's `pairwise_sum` (the 1-d `np.add.reduce`): a plain loop under 8 values, eight running sums up to 128,
/// halves beyond, so `mean` and `std` round as numpy's do.
func numpyPairwiseSum(_ values: [Double]) -> Double {
    numpyPairwiseSum(values[...])
}

private func numpyPairwiseSum(_ a: ArraySlice<Double>) -> Double {
    let n = a.count
    let start = a.startIndex
    if n < 8 {
        var sum = -0.0
        for value in a { sum += value }
        return sum
    }
    if n <= 128 {
        var r = Array(a[start..<(start + 8)])
        var i = 8
        while i < n - n % 8 {
            for j in 0..<8 { r[j] += a[start + i + j] }
            i += 8
        }
        var sum = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]))
        while i < n {
            sum += a[start + i]
            i += 1
        }
        return sum
    }
    var half = n / 2
    half -= half % 8
    return numpyPairwiseSum(a[start..<(start + half)]) + numpyPairwiseSum(a[(start + half)...])
}
