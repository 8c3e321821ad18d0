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
        let classes = stratify
            ? try cli { try ClassLabels(table.targetLabels, column: table.targetName, lines: table.lines).indices }
            : nil
        do {
            (train, test) = try trainTestSplitIndices(count: table.rowCount, testFraction: testSize, stratify: classes,
                                                      using: &rng)
        } catch let error as TrainTestSplitError {
            throw CLIError(.data, "\(table.source): " + error.description.withHint("change --test-size"))
        }
        self.randomState = randomState
    }
}
