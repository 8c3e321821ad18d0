/// The rows early stopping split the last `fit`'s X into: scikit-learn's `train_test_split(X, y,
/// test_size=validation_fraction, random_state=..., stratify=...)` inside `_fit_stochastic`, which scikit-learn
/// draws and forgets. Kept so that a report can score the validation rows the estimator actually held out; only
/// the held-out share is stored (8 bytes a validation row), the training rows are its complement.
public struct EarlyStoppingRows: Equatable, Sendable {
    /// The rows of X: the training and the validation rows together.
    public let rowCount: Int
    /// The rows held out and scored after every epoch, in `train_test_split`'s order.
    public let validationRows: [Int]

    /// The rows trained on, ascending (`train_test_split` shuffled them; the order of a fit's rows does not change
    /// a metric).
    public var trainingRows: [Int] {
        var held = [Bool](repeating: false, count: rowCount)
        for row in validationRows { held[row] = true }
        return (0..<rowCount).filter { !held[$0] }
    }
}
