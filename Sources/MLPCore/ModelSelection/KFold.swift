// sklearn/model_selection/_split.py: _BaseKFold.__init__ / split, KFold._iter_test_indices.

/// scikit-learn's `KFold`: consecutive blocks of the (optionally shuffled) indices as test folds, the first
/// `count % nSplits` folds one sample larger.
public struct KFold: Equatable, Sendable {
    /// The number of folds (`n_splits`, at least 2).
    public let nSplits: Int
    /// Whether the indices are shuffled before they are cut into blocks (`shuffle`).
    public let shuffle: Bool
    /// The seed of the shuffle (`random_state`); `nil` draws a fresh seed per `split`, as sklearn's `None` does.
    public let randomState: Int?

    /// Checks the parameters as sklearn's constructor does.
    /// - Parameters:
    ///   - nSplits: The number of folds, at least 2.
    ///   - shuffle: Shuffle the indices first.
    ///   - randomState: The shuffle's seed; only allowed with `shuffle`.
    /// - Throws: ``CrossValidationError/tooFewSplits(_:)``, ``CrossValidationError/randomStateWithoutShuffle`` or
    ///   ``CrossValidationError/invalidRandomState(_:)``.
    public init(nSplits: Int = 5, shuffle: Bool = false, randomState: Int? = nil) throws {
        try validateFoldParameters(nSplits: nSplits, shuffle: shuffle, randomState: randomState)
        self.nSplits = nSplits
        self.shuffle = shuffle
        self.randomState = randomState
    }

    /// The folds of `count` samples, in sklearn's order.
    /// - Parameter count: The number of samples.
    /// - Throws: ``CrossValidationError/moreSplitsThanSamples(splits:samples:)``.
    public func split(count: Int) throws -> [CrossValidationFold] {
        guard nSplits <= count else { throw CrossValidationError.moreSplitsThanSamples(splits: nSplits, samples: count) }
        var indices = Array(0..<count)
        if shuffle {
            var rng = checkRandomState(randomState)
            rng.shuffle(&indices)   // check_random_state(random_state).shuffle(indices)
        }
        var assignment = [Int](repeating: 0, count: count)
        var start = 0
        for fold in 0..<nSplits {
            let size = count / nSplits + (fold < count % nSplits ? 1 : 0)
            for sample in indices[start..<(start + size)] { assignment[sample] = fold }
            start += size
        }
        return CrossValidationFold.folds(assignment: assignment, count: nSplits)
    }
}

/// `_BaseKFold.__init__`'s checks.
func validateFoldParameters(nSplits: Int, shuffle: Bool, randomState: Int?) throws {
    guard nSplits > 1 else { throw CrossValidationError.tooFewSplits(nSplits) }
    guard shuffle || randomState == nil else { throw CrossValidationError.randomStateWithoutShuffle }
    if let seed = randomState, seed < 0 || seed > Int(UInt32.max) { throw CrossValidationError.invalidRandomState(seed) }
}

/// `sklearn.utils.check_random_state`: a fresh generator seeded with `seed`, or with a random seed for `nil`.
func checkRandomState(_ seed: Int?) -> NumPyRandomState {
    NumPyRandomState(seed: seed.map { UInt32($0) } ?? UInt32.random(in: .min ... .max))
}
