import MLP

/// `--test-size`: the rows `train_test_split(X, y, test_size=F, random_state=N, stratify=y or None)` puts in each
/// set, in scikit-learn's order (X_train = X[train]).
struct HeldOutSplit {
    var train: [Int]
    var test: [Int]
    /// The random_state the split was drawn with, reported so the split can be repeated.
    var randomState: Int

    /// Draws the split from a fresh `RandomState(randomState)`, stratified by the sorted classes of a label target.
    init(table: DataTable, testSize: Double, stratify: Bool, randomState: Int) throws {
        var rng = NumPyRandomState(seed: randomState)
        let labels = stratify
            ? try cli { try ClassLabels(table.targetLabels, column: table.targetName, lines: table.lines) }
            : nil
        do {
            (train, test) = try trainTestSplitIndices(count: table.rowCount, testFraction: testSize,
                                                      stratify: labels?.indices, using: &rng)
        } catch let error as TrainTestSplitError {
            // A class too small to stratify by its label ('C', or 2 for a numeric target), as scikit-learn names it.
            let classes = labels.map { l in l.classes.map { l.isNumeric ? ClassLabel(parsing: $0) : .string($0) } } ?? []
            // No test size splits a class of one row in two.
            let hint = if case .classTooSmall = error { "remove that class's rows or leave out --test-size" } else { "change --test-size" }
            throw CLIError(.data, "\(table.source): " + error.description(classes: classes).withHint(hint))
        }
        self.randomState = randomState
    }
}
