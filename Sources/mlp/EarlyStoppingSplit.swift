import MLP

/// The rows early stopping held out inside the estimator, redrawn as scikit-learn draws them: the seeded
/// RandomState, advanced by the Glorot initialization of every layer, then `train_test_split(test_size=
/// validation_fraction, stratify=...)`. Kept only when the model's score on them equals the estimator's own
/// validation score for the kept weights, so a report never shows a wrong validation set.
enum EarlyStoppingSplit {
    /// The fit table's (training rows, validation rows), or nil when they cannot be redrawn (no early stopping,
    /// no random_state, a warm start, L-BFGS) or the check fails.
    static func redraw(pipeline: MLPPipeline, table: DataTable, warmStarted: Bool) -> (train: [Int], validation: [Int])? {
        let p = pipeline.parameters
        guard p.earlyStopping, p.solver != .lbfgs, !warmStarted, let seed = p.randomState,
              let layerSizes = pipeline.estimator.layerSizes,
              let scores = pipeline.estimator.perceptron.validationScores, let last = scores.last else { return nil }
        var random = NumPyRandomState(seed: UInt32(seed))
        var network = Network<Double>(layerSizes: layerSizes, hiddenActivation: p.activation, outputActivation: .identity)
        Initializer.glorotUniform.initialize(&network, using: &random)
        var stratify: [Int]?
        if pipeline.isClassifier, let labels = try? ClassLabels(table.targetLabels) {
            // sklearn stratifies a binary target; the library also a multiclass one when asked to.
            if labels.classes.count == 2 || p.stratifyValidationSplit == true { stratify = labels.indices }
        }
        guard let split = try? trainTestSplitIndices(count: table.rowCount, testFraction: p.validationFraction,
                                                     stratify: stratify, using: &random),
              let score = try? pipeline.score(table.rows(at: split.test)) else { return nil }
        // The kept weights are the last epoch's, or the best epoch's when training stopped early (sklearn restores
        // them then) or restore_best_weights is set.
        let candidates = [last, pipeline.estimator.perceptron.bestValidationScore].compactMap { $0 }
        guard candidates.contains(where: { abs(score - $0) <= 1e-9 * max(1, abs($0)) }) else { return nil }
        return (split.train, split.test)
    }
}
