// sklearn/model_selection/_split.py: check_cv stratifies binary and multiclass targets only.

/// `cross_val_score(pipeline, X, y, cv=cv)` for an ``MLPPipeline`` over a table: the folds scikit-learn's `check_cv`
/// chooses without shuffling — ``StratifiedKFold`` for one column of class labels, ``KFold`` for a regression target
/// or several label columns (a multilabel target, which it does not stratify) — and per fold a fresh pipeline from
/// `makePipeline` whose scalers (and, with `encodedFor`, encoding) learn from the training rows only, scored by
/// ``MLPPipeline/score(_:)`` (accuracy, R², or subset accuracy) on the test rows.
///
/// - Parameters:
///   - makePipeline: A fresh, unfitted pipeline per fold, as sklearn clones the estimator.
///   - table: The rows, with their target columns.
///   - cv: The number of folds (`cv=int`), at least 2.
///   - encodedFor: The table encoded by an encoding learnt from a fold's training rows (a `ColumnTransformer` inside
///     the pipeline: one-hot categories, imputation statistics); nil uses `table` as it is for every fold.
/// - Returns: The per-fold scores with their mean and standard deviation, the splitter's and each fold's warnings.
/// - Throws: ``CrossValidationError`` for folds that cannot be made, a class label that is not one (``DataError``),
///   and the first fold's ``MLPError`` or ``DataError`` that cannot be fitted or scored (rows named by their lines).
public func crossValScore(pipeline makePipeline: () -> MLPPipeline, _ table: DataTable, cv: Int = 5,
                          encodedFor: ((_ trainingRows: [Int]) throws -> DataTable)? = nil) throws -> CrossValidationScores {
    let probe = makePipeline()
    let splits = probe.isClassifier && table.targetCount == 1
        ? try StratifiedKFold(nSplits: cv).split(try TableLabels.labels(of: table))
        : StratifiedKFold.Splits(folds: try KFold(nSplits: cv).split(count: table.rowCount), warnings: [])
    var scores: [Double] = [], fitWarnings: [[MLPWarning]] = []
    for (k, fold) in splits.folds.enumerated() {
        let encoded = try encodedFor?(fold.train) ?? table
        let pipeline = k == 0 ? probe : makePipeline()
        try pipeline.fit(encoded.rows(at: fold.train))
        scores.append(try foldScore(pipeline, encoded.rows(at: fold.test)))
        fitWarnings.append(pipeline.estimator.perceptron.warnings)
    }
    return CrossValidationScores(scores: scores, folds: splits.folds, splitWarnings: splits.warnings,
                                 fitWarnings: fitWarnings)
}

/// The fold's score as cross_val_score takes it: ``MLPPipeline/score(_:)``, except that a one-column classifier's
/// accuracy counts a class its training fold lacked as a miss, as `accuracy_score` does (`score` refuses it by
/// its line, for `mlp evaluate`).
private func foldScore(_ pipeline: MLPPipeline, _ test: DataTable) throws -> Double {
    guard pipeline.isClassifier, test.targetCount == 1 else { return try pipeline.score(test) }
    let truth = try TableLabels.indices(of: test, in: pipeline.classes, unseen: -1)
    let predicted = try pipeline.predictClassIndices(features: try pipeline.features(of: test))
    return Double(zip(truth, predicted).count { $0 == $1 }) / Double(truth.count)
}
