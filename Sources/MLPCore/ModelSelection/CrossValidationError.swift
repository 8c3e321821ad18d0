/// Why cross-validation folds cannot be made; the messages are scikit-learn's `ValueError`s word for word.
public enum CrossValidationError: Error, Equatable, Sendable, CustomStringConvertible {
    /// `n_splits` is below 2.
    case tooFewSplits(Int)
    /// A `random_state` was given without `shuffle`, where it would have no effect.
    case randomStateWithoutShuffle
    /// A `random_state` outside numpy's seed range 0...2³²−1.
    case invalidRandomState(Int)
    /// More folds than samples.
    case moreSplitsThanSamples(splits: Int, samples: Int)
    /// Every class has fewer members than there are folds (stratified splitting only).
    case splitsExceedEveryClass(splits: Int)
    /// X and y disagree on the number of samples.
    case inconsistentSampleCounts(x: Int, y: Int)

    /// scikit-learn's message for the error.
    public var description: String {
        switch self {
        case .tooFewSplits(let k):
            return "k-fold cross-validation requires at least one train/test split by setting n_splits=2 or more, got n_splits=\(k)."
        case .randomStateWithoutShuffle:
            return "Setting a random_state has no effect since shuffle is False. You should leave random_state to its default (None), or set shuffle=True."
        case .invalidRandomState:
            return "Seed must be between 0 and 2**32 - 1"
        case .moreSplitsThanSamples(let k, let n):
            return "Cannot have number of splits n_splits=\(k) greater than the number of samples: n_samples=\(n)."
        case .splitsExceedEveryClass(let k):
            return "n_splits=\(k) cannot be greater than the number of members in each class."
        case .inconsistentSampleCounts(let x, let y):
            return "Found input variables with inconsistent numbers of samples: [\(x), \(y)]"
        }
    }
}

/// Something scikit-learn warns about (`UserWarning`) while splitting, without stopping.
public enum CrossValidationWarning: Equatable, Sendable, CustomStringConvertible {
    /// Some class has fewer members than there are folds, so some test folds lack it.
    case leastPopulatedClass(members: Int, splits: Int)

    /// scikit-learn's message for the warning.
    public var description: String {
        switch self {
        case .leastPopulatedClass(let members, let k):
            return "The least populated class in y has only \(members) members, which is less than n_splits=\(k)."
        }
    }
}
