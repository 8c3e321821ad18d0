// sklearn/model_selection/_validation.py: cross_val_score → cross_validate with check_cv(cv, y, classifier).

/// `cross_val_score(make_pipeline(scaler, MLPClassifier(**parameters)), X, y, cv=cv)`: ``StratifiedKFold`` without
/// shuffling, per fold a fresh classifier with the same parameters fitted on the scaled training fold, scored by
/// accuracy on the test fold scaled with the training fold's statistics.
///
/// - Parameters:
///   - parameters: The classifier's parameters; a `randomState` makes every fold start from the same weights, as
///     sklearn's clones do.
///   - classWeight: The classifier's `class_weight`.
///   - x: The samples, (n, nFeatures).
///   - y: One class label per sample (`String`, `Int` or ``ClassLabel``).
///   - cv: The number of folds (`cv=int`), at least 2.
///   - scaler: The scaling fitted on each training fold.
/// - Returns: The per-fold accuracies with their mean and standard deviation.
/// - Throws: ``CrossValidationError`` for folds that cannot be made, the classifier's ``MLPError`` when a fold cannot
///   be fitted (sklearn's `error_score=np.nan` would score it NaN instead; here the first failure stops); a
///   non-finite input names its row in `x`.
public func crossValScore<T: KernelFloat, Label: ClassLabelConvertible>(
    classifier parameters: MLPParameters, classWeight: ClassWeight? = nil,
    _ x: Matrix<T>, _ y: [Label], cv: Int = 5, scaler: CrossValidationScaler = .standard
) throws -> CrossValidationScores {
    let labels = try y.classLabels()
    guard labels.count == x.rows else { throw CrossValidationError.inconsistentSampleCounts(x: x.rows, y: labels.count) }
    try checkBeforeScaling(x)
    // check_cv stratifies binary and multiclass targets only; a continuous one gets KFold, and then the
    // classifier's own error.
    let classTarget = labels.allSatisfy { label in label.numberValue.map { $0.isFinite && $0.rounded() == $0 } ?? true }
    let splits = classTarget
        ? try StratifiedKFold(nSplits: cv).split(labels)
        : StratifiedKFold.Splits(folds: try KFold(nSplits: cv).split(count: labels.count), warnings: [])
    var scores: [Double] = [], fitWarnings: [[MLPWarning]] = []
    for fold in splits.folds {
        let (train, test) = try scaler.scale(train: x.rows(at: fold.train), test: x.rows(at: fold.test))
        let classifier = MLPClassifier<T>(parameters: parameters, classWeight: classWeight)
        try inRows(fold.train) { try classifier.fit(train, fold.train.map { labels[$0] }) }
        scores.append(try inRows(fold.test) { try classifier.score(test, fold.test.map { labels[$0] }) })
        fitWarnings.append(classifier.warnings)
    }
    return CrossValidationScores(scores: scores, folds: splits.folds, splitWarnings: splits.warnings,
                                 fitWarnings: fitWarnings)
}

/// `cross_val_score(make_pipeline(scaler, MLPRegressor(loss, **parameters)), X, y, cv=cv)`: ``KFold`` without
/// shuffling, per fold a fresh regressor with the same parameters fitted on the scaled training fold, scored by R²
/// (uniform average over outputs) on the test fold scaled with the training fold's statistics.
///
/// - Parameters:
///   - parameters: The regressor's parameters; a `randomState` makes every fold start from the same weights, as
///     sklearn's clones do.
///   - loss: The regressor's loss.
///   - x: The samples, (n, nFeatures).
///   - y: The targets, (n, nOutputs).
///   - cv: The number of folds (`cv=int`), at least 2.
///   - scaler: The scaling fitted on each training fold (X only; y is not scaled, as in sklearn's pipeline).
/// - Returns: The per-fold R² scores with their mean and standard deviation.
/// - Throws: ``CrossValidationError`` for folds that cannot be made, the regressor's ``MLPError`` when a fold cannot
///   be fitted; a non-finite input names its row in `x`.
public func crossValScore<T: KernelFloat>(
    regressor parameters: MLPParameters, loss: RegressionLoss = .squaredError,
    _ x: Matrix<T>, _ y: Matrix<T>, cv: Int = 5, scaler: CrossValidationScaler = .standard
) throws -> CrossValidationScores {
    guard y.rows == x.rows else { throw CrossValidationError.inconsistentSampleCounts(x: x.rows, y: y.rows) }
    try checkBeforeScaling(x)
    try InputValidation.checkStorage(y, what: "y")
    let folds = try KFold(nSplits: cv).split(count: x.rows)
    var scores: [Double] = [], fitWarnings: [[MLPWarning]] = []
    for fold in folds {
        let (train, test) = try scaler.scale(train: x.rows(at: fold.train), test: x.rows(at: fold.test))
        let regressor = MLPRegressor<T>(loss: loss, parameters: parameters)
        try inRows(fold.train) { try regressor.fit(train, y.rows(at: fold.train)) }
        scores.append(try inRows(fold.test) { try regressor.score(test, y.rows(at: fold.test)) })
        fitWarnings.append(regressor.warnings)
    }
    return CrossValidationScores(scores: scores, folds: folds, splitWarnings: [], fitWarnings: fitWarnings)
}

/// `crossValScore(regressor:)` for a single target per sample: `y` is a `[T]` rather than an (n, outputs) matrix.
///
/// - Parameters:
///   - parameters: The regressor's parameters.
///   - loss: The regressor's loss.
///   - x: The samples, (n, nFeatures).
///   - y: One target per sample.
///   - cv: The number of folds, at least 2.
///   - scaler: The scaling fitted on each training fold.
/// - Returns: The per-fold R² scores with their mean and standard deviation.
/// - Throws: As the matrix form does.
public func crossValScore<T: KernelFloat>(
    regressor parameters: MLPParameters, loss: RegressionLoss = .squaredError,
    _ x: Matrix<T>, _ y: [T], cv: Int = 5, scaler: CrossValidationScaler = .standard
) throws -> CrossValidationScores {
    try crossValScore(regressor: parameters, loss: loss, x, Matrix(rows: y.count, columns: 1, storage: y),
                      cv: cv, scaler: scaler)
}

/// `body` on a fold's rows of x: a non-finite input is named by its row in x, not in the fold.
/// X whole and finite before a fold's scaler sees it: a standard scaler turns one NaN or infinity into a column of
/// NaN, and the estimator's error would then name the fold's first row instead of the cell (scikit-learn's
/// StandardScaler refuses infinity, and its MLP names NaN, but neither says where).
private func checkBeforeScaling<T: KernelFloat>(_ x: Matrix<T>) throws {
    try InputValidation.checkStorage(x, what: "X")
    try InputValidation.checkFinite(x.storage, columns: x.columns, what: "X")
}

private func inRows<R>(_ rows: [Int], _ body: () throws -> R) throws -> R {
    do { return try body() } catch let error as MLPError { throw error.rowsMapped(to: rows) }
}
