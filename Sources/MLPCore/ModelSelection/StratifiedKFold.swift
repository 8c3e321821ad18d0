// sklearn/model_selection/_split.py: StratifiedKFold._make_test_folds (the allocation used since 0.22).

/// scikit-learn's `StratifiedKFold`: folds that keep each class's share of the samples, the class sizes in the test
/// folds differing by at most one.
///
/// Classes are numbered in order of first appearance in y; the sorted codes are dealt round robin onto the folds
/// (`np.bincount(y_order[i::n_splits])`), which fixes how many members of each class every test fold gets; each
/// class's members then take their fold numbers in index order, in blocks (shuffled per class with `shuffle`).
public struct StratifiedKFold: Equatable, Sendable {
    /// The number of folds (`n_splits`, at least 2).
    public let nSplits: Int
    /// Whether each class's fold numbers are shuffled (`shuffle`).
    public let shuffle: Bool
    /// The seed of the shuffle (`random_state`); `nil` draws a fresh seed per `split`, as sklearn's `None` does.
    public let randomState: Int?

    /// The folds and what scikit-learn warned about while making them.
    public struct Splits: Equatable, Sendable {
        /// The folds, in sklearn's order.
        public var folds: [CrossValidationFold]
        /// The `UserWarning`s sklearn would raise for this y.
        public var warnings: [CrossValidationWarning]
    }

    /// Checks the parameters as sklearn's constructor does.
    /// - Parameters:
    ///   - nSplits: The number of folds, at least 2.
    ///   - shuffle: Shuffle each class's fold numbers.
    ///   - randomState: The shuffle's seed; only allowed with `shuffle`.
    /// - Throws: ``CrossValidationError/tooFewSplits(_:)``, ``CrossValidationError/randomStateWithoutShuffle`` or
    ///   ``CrossValidationError/invalidRandomState(_:)``.
    public init(nSplits: Int = 5, shuffle: Bool = false, randomState: Int? = nil) throws {
        try validateFoldParameters(nSplits: nSplits, shuffle: shuffle, randomState: randomState)
        self.nSplits = nSplits
        self.shuffle = shuffle
        self.randomState = randomState
    }

    /// The stratified folds of the samples labelled `y`.
    /// - Parameter y: One class label per sample; only equality and first appearance matter.
    /// - Returns: The folds, with ``CrossValidationWarning/leastPopulatedClass(members:splits:)`` when some class
    ///   has fewer members than there are folds.
    /// - Throws: ``CrossValidationError/moreSplitsThanSamples(splits:samples:)``, or
    ///   ``CrossValidationError/splitsExceedEveryClass(splits:)`` when every class is smaller than `nSplits`.
    public func split<Label: Hashable>(_ y: [Label]) throws -> Splits {
        let (assignment, warnings) = try testFolds(y)
        return Splits(folds: CrossValidationFold.folds(assignment: assignment, count: nSplits), warnings: warnings)
    }

    /// `_make_test_folds`: each sample's test fold number.
    func testFolds<Label: Hashable>(_ y: [Label]) throws -> (assignment: [Int], warnings: [CrossValidationWarning]) {
        guard nSplits <= y.count else { throw CrossValidationError.moreSplitsThanSamples(splits: nSplits, samples: y.count) }
        var rng = checkRandomState(randomState)

        // y_encoded: classes numbered by first appearance
        var code: [Label: Int] = [:]
        let encoded = y.map { label in
            if let c = code[label] { return c }
            code[label] = code.count
            return code.count - 1
        }
        let classCount = code.count
        var counts = [Int](repeating: 0, count: classCount)
        for c in encoded { counts[c] += 1 }
        let fewest = counts.min() ?? 0
        guard counts.contains(where: { $0 >= nSplits }) else { throw CrossValidationError.splitsExceedEveryClass(splits: nSplits) }
        let warnings = nSplits > fewest ? [CrossValidationWarning.leastPopulatedClass(members: fewest, splits: nSplits)] : []

        // allocation[fold][class] = bincount(sort(y_encoded)[fold::n_splits])
        var allocation = [[Int]](repeating: [Int](repeating: 0, count: classCount), count: nSplits)
        var position = 0
        for c in 0..<classCount {
            for _ in 0..<counts[c] {
                allocation[position % nSplits][c] += 1
                position += 1
            }
        }

        var assignment = [Int](repeating: 0, count: y.count)
        var members = [[Int]](repeating: [], count: classCount)
        for (sample, c) in encoded.enumerated() { members[c].append(sample) }
        for c in 0..<classCount {
            // np.arange(n_splits).repeat(allocation[:, k])
            var foldsForClass: [Int] = []
            foldsForClass.reserveCapacity(counts[c])
            for fold in 0..<nSplits { foldsForClass.append(contentsOf: repeatElement(fold, count: allocation[fold][c])) }
            if shuffle { rng.shuffle(&foldsForClass) }
            for (sample, fold) in zip(members[c], foldsForClass) { assignment[sample] = fold }
        }
        return (assignment, warnings)
    }
}
