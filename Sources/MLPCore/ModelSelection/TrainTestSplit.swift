// scikit-learn's train_test_split, index for index.
//
// sklearn/model_selection/_split.py: train_test_split → _validate_shuffle_split, then one split of
// ShuffleSplit (plain) or StratifiedShuffleSplit (stratify=y), both drawing from RandomState(random_state).

/// Why a split cannot be made; the messages follow scikit-learn's `ValueError`s.
public enum TrainTestSplitError: Error, Equatable, CustomStringConvertible {
    /// `test_size` is not in (0, 1) (fraction) or not in 1..<n (count).
    case invalidTestSize(String)
    /// The training set would be empty.
    case emptyTrainingSet(count: Int, testSize: String)
    /// `stratify` does not have one label per sample.
    case labelCountMismatch(labels: Int, samples: Int)
    /// A class has fewer than 2 members.
    case classTooSmall(classes: [Int])
    /// The training or test set is smaller than the number of classes.
    case tooFewSamplesForClasses(set: String, size: Int, classes: Int)

    /// The message scikit-learn's `ValueError` gives for the same problem.
    public var description: String {
        switch self {
        case .invalidTestSize(let s):
            return "test_size=\(s) should be either positive and smaller than the number of samples or a float in the (0, 1) range"
        case .emptyTrainingSet(let n, let s):
            return "With n_samples=\(n) and test_size=\(s), the resulting train set will be empty."
        case .labelCountMismatch(let labels, let samples):
            return "stratify has \(labels) labels for \(samples) samples"
        case .classTooSmall(let classes):
            return Self.tooFewMembers + "\(classes)"
        case .tooFewSamplesForClasses(let set, let size, let classes):
            return "The \(set)_size = \(size) should be greater or equal to the number of classes = \(classes)"
        }
    }

    /// ``description``, with the classes of ``classTooSmall(classes:)`` named by their labels (`['C']`, `[2]`), as
    /// scikit-learn names them from the values of y, rather than by the indices `stratify` held.
    /// - Parameter classes: the labels the indices stand for (index `i` is `classes[i]`); an index outside them
    ///   leaves the message as ``description`` writes it.
    /// - Returns: the message.
    public func description(classes: [ClassLabel]) -> String {
        guard case .classTooSmall(let indices) = self, indices.allSatisfy(classes.indices.contains) else { return description }
        return Self.tooFewMembers + MLPError.list(indices.map { classes[$0] })
    }

    private static let tooFewMembers = "The least populated classes in y have only 1 member, which is too few. The minimum "
        + "number of groups for any class cannot be less than 2. Classes with too few members are: "
}

/// `sklearn.model_selection.train_test_split(range(count), test_size=testFraction, random_state=rs,
/// stratify=stratify)`, returning the index arrays (train first, as sklearn orders its outputs).
///
/// - `n_test = ceil(testFraction · count)`, `n_train = count − n_test`.
/// - Plain (ShuffleSplit): `perm = rng.permutation(count)`; test = perm[:n_test], train = perm[n_test:].
/// - Stratified (StratifiedShuffleSplit): per-class counts from `_approximate_mode`, per-class
///   permutations, then `rng.permutation(train)` and `rng.permutation(test)`.
///
/// `rng` must be fresh from `NumPyRandomState(seed: random_state)` to match sklearn, which builds a new
/// RandomState from an int `random_state`; passing a used one matches passing a `RandomState` instance.
///
/// - Parameters:
///   - count: The number of samples.
///   - testFraction: The share of samples in the test set, in (0, 1) (`test_size` as a float).
///   - stratify: One class index per sample to keep class proportions in both sets, or nil for a plain shuffle.
///   - rng: The random state; it advances as sklearn's does.
/// - Returns: The training and test sample indices.
/// - Throws: ``TrainTestSplitError`` when the fraction is out of range, a set would be empty, or a class is too
///   small to stratify.
public func trainTestSplitIndices(
    count: Int, testFraction: Double, stratify: [Int]? = nil, using rng: inout NumPyRandomState
) throws -> (train: [Int], test: [Int]) {
    guard testFraction > 0, testFraction < 1 else { throw TrainTestSplitError.invalidTestSize("\(testFraction)") }
    let nTest = Int((testFraction * Double(count)).rounded(.up))
    let nTrain = count - nTest
    guard nTrain > 0 else { throw TrainTestSplitError.emptyTrainingSet(count: count, testSize: "\(testFraction)") }
    return try splitIndices(count: count, nTrain: nTrain, nTest: nTest, stratify: stratify, using: &rng)
}

/// `train_test_split` with an integer `test_size` (a number of samples, 1..<count).
///
/// - Parameters:
///   - count: The number of samples.
///   - testCount: The number of samples in the test set, in `1..<count`.
///   - stratify: One class index per sample to keep class proportions in both sets, or nil for a plain shuffle.
///   - rng: The random state; it advances as sklearn's does.
/// - Returns: The training and test sample indices.
/// - Throws: ``TrainTestSplitError`` when the count is out of range or a class is too small to stratify.
public func trainTestSplitIndices(
    count: Int, testCount: Int, stratify: [Int]? = nil, using rng: inout NumPyRandomState
) throws -> (train: [Int], test: [Int]) {
    guard testCount > 0, testCount < count else { throw TrainTestSplitError.invalidTestSize("\(testCount)") }
    return try splitIndices(count: count, nTrain: count - testCount, nTest: testCount, stratify: stratify, using: &rng)
}

func splitIndices(
    count: Int, nTrain: Int, nTest: Int, stratify: [Int]?, using rng: inout NumPyRandomState
) throws -> (train: [Int], test: [Int]) {
    guard let labels = stratify else {
        // ShuffleSplit._iter_indices
        let perm = rng.permutation(count)
        return (Array(perm[nTest..<(nTest + nTrain)]), Array(perm[..<nTest]))
    }
    guard labels.count == count else { throw TrainTestSplitError.labelCountMismatch(labels: labels.count, samples: count) }

    // np.unique(y, return_inverse, return_counts); class_indices = split(argsort(y_indices, stable))
    let classes = Array(Set(labels)).sorted()
    let classIndex = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($1, $0) })
    var classIndices = [[Int]](repeating: [], count: classes.count)
    for (sample, label) in labels.enumerated() { classIndices[classIndex[label]!].append(sample) }
    let classCounts = classIndices.map(\.count)

    let small = zip(classes, classCounts).filter { $0.1 < 2 }.map(\.0)
    guard small.isEmpty else { throw TrainTestSplitError.classTooSmall(classes: small) }
    guard nTrain >= classes.count else {
        throw TrainTestSplitError.tooFewSamplesForClasses(set: "train", size: nTrain, classes: classes.count)
    }
    guard nTest >= classes.count else {
        throw TrainTestSplitError.tooFewSamplesForClasses(set: "test", size: nTest, classes: classes.count)
    }

    // StratifiedShuffleSplit._iter_indices, one split
    let nI = approximateMode(classCounts: classCounts, draws: nTrain, using: &rng)
    let remaining = zip(classCounts, nI).map { $0 - $1 }
    let tI = approximateMode(classCounts: remaining, draws: nTest, using: &rng)
    var train: [Int] = [], test: [Int] = []
    train.reserveCapacity(nTrain)
    test.reserveCapacity(nTest)
    for i in classes.indices {
        let perm = rng.permutation(classCounts[i])
        train.append(contentsOf: perm[..<nI[i]].map { classIndices[i][$0] })
        test.append(contentsOf: perm[nI[i]..<(nI[i] + tI[i])].map { classIndices[i][$0] })
    }
    rng.shuffle(&train)   // rng.permutation(train)
    rng.shuffle(&test)    // rng.permutation(test)
    return (train, test)
}

/// `sklearn.utils.extmath._approximate_mode`: how many of `draws` samples each class gets, the floor
/// of its proportional share plus one for the largest remainders, ties broken by
/// `rng.choice(inds, add_now, replace=False)`.
func approximateMode(classCounts: [Int], draws: Int, using rng: inout NumPyRandomState) -> [Int] {
    let total = Double(classCounts.reduce(0, +))
    let continuous = classCounts.map { Double($0) / total * Double(draws) }
    var floored = continuous.map { $0.rounded(.down) }
    var needToAdd = Int(Double(draws) - floored.reduce(0, +))
    if needToAdd > 0 {
        let remainder = zip(continuous, floored).map { $0 - $1 }
        for value in Set(remainder).sorted(by: >) {
            let inds = remainder.indices.filter { remainder[$0] == value }
            let addNow = min(inds.count, needToAdd)
            for i in rng.choiceWithoutReplacement(inds, count: addNow) { floored[i] += 1 }
            needToAdd -= addNow
            if needToAdd == 0 { break }
        }
    }
    return floored.map { Int($0) }
}
