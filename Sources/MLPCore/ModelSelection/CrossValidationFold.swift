/// One train/test split of a cross-validation: sample indices, each list ascending, as scikit-learn's `split` yields.
public struct CrossValidationFold: Equatable, Sendable {
    /// The indices the estimator is fitted on.
    public var train: [Int]
    /// The indices the fitted estimator is scored on.
    public var test: [Int]

    /// A fold from its two index lists.
    /// - Parameters:
    ///   - train: The training indices.
    ///   - test: The test indices.
    public init(train: [Int], test: [Int]) {
        self.train = train
        self.test = test
    }

    /// The folds whose test sets are the samples assigned to each fold number (`test_folds == i`), the training
    /// sets everything else, both in index order.
    static func folds(assignment: [Int], count: Int) -> [CrossValidationFold] {
        var folds = [CrossValidationFold](repeating: CrossValidationFold(train: [], test: []), count: count)
        for (sample, fold) in assignment.enumerated() {
            for other in 0..<count {
                if other == fold { folds[other].test.append(sample) } else { folds[other].train.append(sample) }
            }
        }
        return folds
    }
}
