/// The rows early stopping split the last `fit`'s X into: scikit-learn's `train_test_split(X, y,
/// test_size=validation_fraction, random_state=..., stratify=...)` inside `_fit_stochastic`, which scikit-learn
/// draws and forgets. Kept so that a report can score the validation rows the estimator actually held out.
public struct EarlyStoppingRows: Equatable, Sendable {
    /// The rows trained on, in `train_test_split`'s order.
    public let trainingRows: [Int]
    /// The rows held out and scored after every epoch, in `train_test_split`'s order.
    public let validationRows: [Int]
}
