// Feature encoding → scaling → estimator, fitted on a table read from CSV (scikit-learn's
// make_pipeline(ColumnTransformer(OneHotEncoder, SimpleImputer), StandardScaler(), MLPClassifier())).
// Each step is the library's own: the CSV reader learns and applies the encoding (FeatureEncoding), the
// scalers are StandardScaler / MinMaxScaler, the estimators MLPClassifier / MLPRegressor.

/// A fitted or unfitted pipeline: the encoding of CSV columns into features, a scaler, and an MLP.
///
/// ```swift
/// let pipeline = MLPPipeline(estimator: .classifier(MLPClassifier(hiddenLayerSizes: [10], randomState: 0)),
///                            scaling: .standard, oneHot: ["color"], impute: .median)
/// try pipeline.fit(try pipeline.readCSV(path: "train.csv", target: "y"))
/// let labels = try pipeline.predict(try pipeline.readCSV(path: "new.csv"))
/// ```
public final class MLPPipeline {
    /// The estimator; its parameters may be changed between fits.
    public let estimator: PipelineEstimator
    /// The scaler kind fitted at the next (non-warm) fit.
    public var scaling: ScalerKind
    /// Columns to one-hot encode when `readCSV` reads training data (before the first fit).
    public var oneHot: [String]
    /// Imputation of missing values when `readCSV` reads training data (before the first fit).
    public var impute: ImputeStrategy?
    /// The scaling of a regression target at the next (non-warm) fit; classifiers ignore it.
    public var targetScaling: TargetScalerKind
    /// The fitted scaler; nil before fit.
    public private(set) var scaler: FeatureScaler?
    /// The fitted target scaler of a regressor with `targetScaling` standard; nil otherwise.
    public private(set) var targetScaler: StandardScaler?
    /// How CSV columns became the features at fit; nil before fit. Tables to predict on are read with it.
    public private(set) var encoding: FeatureEncoding?
    /// The target columns' names at fit, one per output of a multi-output regressor; empty before fit.
    public private(set) var targetNames: [String] = []
    /// The (first) target column's name at fit; with one target, its name.
    public var targetName: String? { targetNames.first }

    /// An unfitted pipeline.
    /// - Parameters:
    ///   - estimator: the classifier or regressor to fit last.
    ///   - scaling: the scaler to fit on the encoded features (default standard, as `mlp train`).
    ///   - oneHot: columns that `readCSV` one-hot encodes (scikit-learn's OneHotEncoder, categories sorted).
    ///   - impute: how `readCSV` fills missing feature values (scikit-learn's SimpleImputer), nil to refuse them.
    ///   - targetScaling: how a regressor's target is scaled (TransformedTargetRegressor with StandardScaler), or
    ///     not (default, a bare MLPRegressor as scikit-learn's pipeline has).
    public init(estimator: PipelineEstimator, scaling: ScalerKind = .standard, oneHot: [String] = [],
                impute: ImputeStrategy? = nil, targetScaling: TargetScalerKind = .none) {
        self.estimator = estimator
        self.scaling = scaling
        self.targetScaling = targetScaling
        self.oneHot = oneHot
        self.impute = impute
    }

    /// Restores a fitted pipeline (model files). Steps that disagree (a scaler of another width than the encoding's
    /// features, a target scaler without a regressor of as many outputs) are not checked here: predicting, scoring and
    /// a warm-start `fit` then throw `MLPError`.
    /// - Parameters:
    ///   - estimator: the fitted estimator.
    ///   - scaler: the fitted scaler.
    ///   - encoding: the fitted encoding; its feature names are the network's inputs.
    ///   - targetName: the target column's name at fit.
    ///   - targetScaler: the fitted target scaler of a regressor, nil when the target was not scaled.
    public convenience init(estimator: PipelineEstimator, scaler: FeatureScaler, encoding: FeatureEncoding,
                            targetName: String?, targetScaler: StandardScaler? = nil) {
        self.init(estimator: estimator, scaler: scaler, encoding: encoding, targetNames: targetName.map { [$0] } ?? [],
                  targetScaler: targetScaler)
    }

    /// Restores a fitted pipeline of any number of target columns (model files); see
    /// ``init(estimator:scaler:encoding:targetName:targetScaler:)``.
    /// - Parameters:
    ///   - estimator: the fitted estimator.
    ///   - scaler: the fitted scaler.
    ///   - encoding: the fitted encoding; its feature names are the network's inputs.
    ///   - targetNames: the target columns' names at fit, one per output of a multi-output regressor.
    ///   - targetScaler: the fitted target scaler of a regressor, nil when the target was not scaled.
    public init(estimator: PipelineEstimator, scaler: FeatureScaler, encoding: FeatureEncoding, targetNames: [String],
                targetScaler: StandardScaler? = nil) {
        self.estimator = estimator
        self.scaling = scaler.kind
        self.targetScaling = targetScaler == nil ? .none : .standard
        self.targetScaler = targetScaler
        self.oneHot = encoding.oneHot.map(\.column)
        self.impute = encoding.impute
        self.scaler = scaler
        self.encoding = encoding
        self.targetNames = targetNames
    }

    // MARK: State

    /// True once fitted (or restored).
    public var isFitted: Bool { scaler != nil && encoding != nil && estimator.layerSizes != nil }
    /// True when the estimator is a classifier.
    public var isClassifier: Bool { estimator.isClassifier }
    /// The feature names after encoding (scikit-learn's `get_feature_names_out`); empty before fit.
    public var featureNames: [String] { encoding?.featureNames ?? [] }
    /// `classes_` of a classifier.
    public var classes: [ClassLabel] { estimator.classes }
    /// The estimator's hyper-parameters.
    public var parameters: MLPParameters {
        get { estimator.perceptron.parameters }
        set { estimator.perceptron.parameters = newValue }
    }
    /// Called after each epoch (see `MLPClassifier.onEpoch`).
    public var onEpoch: ((EpochReport) -> EpochAction)? {
        get { estimator.perceptron.onEpoch }
        set { estimator.perceptron.onEpoch = newValue }
    }

    // MARK: Reading data

    /// Reads a CSV file as this pipeline needs it: before fit the encoding is learnt (`oneHot`, `impute`); after
    /// fit the fitted encoding is applied and the target column may be absent.
    /// - Parameters:
    ///   - path: the CSV file.
    ///   - target: the target column, or a comma-separated list of them for a multi-output regressor (see
    ///     ``CSVReadOptions/targets``); default the ones seen at fit, or the last column before fit.
    ///   - hasHeader: false when the first row is data (columns are then matched by position).
    public func readCSV(path: String, target: String? = nil, hasHeader: Bool = true) throws -> DataTable {
        try CSVReader.read(path: path, options: readOptions(target: target, hasHeader: hasHeader), encoding: encoding)
    }

    /// Reads CSV text; see `readCSV(path:target:hasHeader:)`.
    /// - Parameters:
    ///   - text: the CSV text.
    ///   - target: the target column; default the one seen at fit, or the last column before fit.
    ///   - hasHeader: false when the first row is data.
    public func readCSV(text: String, target: String? = nil, hasHeader: Bool = true) throws -> DataTable {
        try CSVReader.read(text: text, options: readOptions(target: target, hasHeader: hasHeader), encoding: encoding)
    }

    /// Opens a CSV file to read with the fitted encoding a chunk at a time, for ``PipelinePredictor`` or
    /// ``evaluate(_:)-(CSVTableStream)`` on files of any size; see ``readCSV(path:target:hasHeader:)``.
    /// - Parameters:
    ///   - path: the CSV file, or a pipe such as `/dev/stdin`.
    ///   - target: the target column; default the one seen at fit.
    ///   - hasHeader: false when the first row is data.
    ///   - chunkBytes: the CSV text held at a time.
    /// - Throws: `MLPError.notFitted` before fit; ``DataError`` when the file cannot be opened.
    public func streamCSV(path: String, target: String? = nil, hasHeader: Bool = true,
                          chunkBytes: Int = CSVTableStream.defaultChunkBytes) throws -> CSVTableStream {
        guard let encoding else { throw MLPError.notFitted("MLPPipeline") }
        return try CSVTableStream(path: path, options: readOptions(target: target, hasHeader: hasHeader),
                                  encoding: encoding, chunkBytes: chunkBytes)
    }

    private func readOptions(target: String?, hasHeader: Bool) -> CSVReadOptions {
        CSVReadOptions(hasHeader: hasHeader, targets: target.map { [$0] } ?? targetNames,
                       targetKind: isClassifier ? .labels : .numeric, targetIsOptional: encoding != nil,
                       oneHot: encoding == nil ? oneHot : [], impute: encoding == nil ? impute : nil)
    }

    // MARK: Fitting

    /// Fits the scaler and the estimator on `table` (features and target column). With the estimator's
    /// `warmStart` and a fitted pipeline, training continues with the same encoding and scaler.
    /// - Parameter table: a table with a target column; with a warm start, read with `encoding`.
    public func fit(_ table: DataTable) throws {
        let warm = parameters.warmStart && isFitted
        if warm { try checkSteps() }
        if warm, table.featureNames != featureNames {
            throw DataError(.featureMismatch, "X has \(table.featureCount) features (\(Self.list(table.featureNames))), "
                            + "but the pipeline was fitted on \(featureNames.count) (\(Self.list(featureNames)))",
                            file: table.source)
        }
        guard table.targetCount > 0 else {
            throw DataError(.invalidTarget, "the table has no target column to fit on", file: table.source)
        }
        // Outputs are matched to target columns by position: a warm start of several must name them alike.
        if warm, table.targetCount != targetNames.count || (targetNames.count > 1 && table.targetNames != targetNames) {
            throw DataError(.invalidTarget, "the table has \(table.targetCount) target column(s) "
                            + "(\(Self.list(table.targetNames))), but the pipeline was fitted on \(targetNames.count) "
                            + "(\(Self.list(targetNames))), in that order", file: table.source)
        }
        let scaler: FeatureScaler
        switch estimator {
        case .classifier(let e): scaler = try fitClassifier(e, table, warm: warm)
        case .floatClassifier(let e): scaler = try fitClassifier(e, table, warm: warm)
        case .regressor(let e): scaler = try fitRegressor(e, table, warm: warm)
        case .floatRegressor(let e): scaler = try fitRegressor(e, table, warm: warm)
        }
        self.scaler = scaler
        encoding = table.encoding
        targetNames = table.targetNames
    }

    private func fitClassifier<T>(_ classifier: MLPClassifier<T>, _ table: DataTable, warm: Bool) throws -> FeatureScaler {
        // Several target columns: a multilabel indicator matrix, fitted as MLPClassifier.fit(x, multilabel: y).
        let multilabel = table.targetCount > 1
            ? Matrix<T>(rows: table.rowCount, columns: table.targetCount,
                        storage: try MultilabelTargets.indicators(of: table).map { T($0) })
            : nil
        let labels = multilabel == nil ? try TableLabels.labels(of: table) : []
        if let first = labels.first, !labels.contains(where: { $0 != first }) {
            throw DataError(.invalidTarget, "the target column '\(table.targetName ?? "")' has only one class "
                            + "('\(first)'); a classifier needs at least two", file: table.source)
        }
        let (x, scaler) = try scaled(table, T.self, refit: !warm)
        try namingOverflow(in: table, scaler: warm ? .model(scaler) : .fittedOnTheseRows(scaler)) {
            if let multilabel { try classifier.fit(x, multilabel: multilabel) } else { try classifier.fit(x, labels) }
        }
        return scaler
    }

    private func fitRegressor<T>(_ regressor: MLPRegressor<T>, _ table: DataTable, warm: Bool) throws -> FeatureScaler {
        try table.checkTargets(for: regressor.loss)
        let (x, scaler) = try scaled(table, T.self, refit: !warm)
        // TransformedTargetRegressor: the targets as columns, each standardized in float64, then cast to T.
        let outputs = table.targetCount
        var y = Matrix<Double>(rows: table.rowCount, columns: outputs, storage: table.targetValues)
        var targetScaler = warm ? self.targetScaler : nil
        if !warm && targetScaling == .standard {
            var fitted = StandardScaler()
            try fitted.fit(y)
            targetScaler = fitted
        }
        // (y − mean) / scale, finite also where y − mean alone would overflow (y of both signs near 1e308).
        if let targetScaler {
            for i in y.storage.indices { y.storage[i] = targetScaler.standardized(y.storage[i], column: i % outputs) }
        }
        try namingOverflow(in: table, scaler: warm ? .model(scaler) : .fittedOnTheseRows(scaler)) {
            try regressor.fit(x, y.converted(to: T.self))
        }
        self.targetScaler = targetScaler
        return scaler
    }

    /// The table's features in T (rounded from Double like numpy's astype), scaled by a new or the fitted scaler.
    private func scaled<T: KernelFloat>(_ table: DataTable, _: T.Type, refit: Bool) throws -> (Matrix<T>, FeatureScaler) {
        let x = Matrix<T>(rows: table.rowCount, columns: table.featureCount, storage: table.features.map { T($0) })
        let scaler = refit || self.scaler == nil ? try FeatureScaler.fitted(scaling, on: x) : self.scaler!
        return (try scaler.transform(x), scaler)
    }

    // MARK: Prediction

    /// `predict` of a classifier: the most likely class of each row.
    /// - Parameter table: rows to predict, read with `encoding` (`readCSV` does).
    public func predict(_ table: DataTable) throws -> [ClassLabel] {
        try namingOverflow(in: table) { try predict(features: try features(of: table)) }
    }

    /// `predict` of a classifier on encoded, unscaled features (rows, featureNames.count).
    /// - Parameter features: the encoded features, before scaling.
    public func predict(features: Matrix<Double>) throws -> [ClassLabel] {
        switch estimator {
        case .classifier(let e): return try e.predict(try scaled(features, Double.self))
        case .floatClassifier(let e): return try e.predict(try scaled(features, Float.self))
        case .regressor, .floatRegressor:
            throw MLPError.invalidParameter("This pipeline ends in an MLPRegressor; use predictValues(_:).")
        }
    }

    /// `predict` of a regressor: (rows, outputs), widened to Double.
    /// - Parameter table: rows to predict, read with `encoding`.
    public func predictValues(_ table: DataTable) throws -> Matrix<Double> {
        try namingOverflow(in: table) { try predictValues(features: try features(of: table)) }
    }

    /// `predict` of a regressor on encoded, unscaled features.
    /// - Parameter features: the encoded features, before scaling.
    public func predictValues(features: Matrix<Double>) throws -> Matrix<Double> {
        let values: Matrix<Double>
        switch estimator {
        case .regressor(let e): values = try e.predict(try scaled(features, Double.self))
        case .floatRegressor(let e): values = try e.predict(try scaled(features, Float.self)).converted(to: Double.self)
        case .classifier, .floatClassifier:
            throw MLPError.invalidParameter("This pipeline ends in an MLPClassifier; use predict(_:).")
        }
        guard let targetScaler else { return values }
        return try targetScaler.inverseTransform(values)
    }

    /// `predict_proba`: (rows, classes.count) in the order of `classes`, widened to Double.
    /// - Parameter table: rows to predict, read with `encoding`.
    public func predictProbabilities(_ table: DataTable) throws -> Matrix<Double> {
        try namingOverflow(in: table) { try predictProbabilities(features: try features(of: table)) }
    }

    /// `predict` of a classifier fitted on a multilabel indicator target: (rows, labels) of 0 and 1, 1 where the
    /// label's probability is above 0.5.
    /// - Parameter table: rows to predict, read with `encoding`.
    /// - Returns: the indicator matrix, one column per label.
    /// - Throws: `MLPError` for a regressor or a classifier fitted on another kind of target, `DataError` for a table
    ///   that does not fit the encoding.
    public func predictMultilabel(_ table: DataTable) throws -> Matrix<Double> {
        let features = try features(of: table)
        return try namingOverflow(in: table) {
            switch estimator {
            case .classifier(let e): return try e.predictMultilabel(try scaled(features, Double.self))
            case .floatClassifier(let e): return try e.predictMultilabel(try scaled(features, Float.self)).converted(to: Double.self)
            case .regressor, .floatRegressor:
                throw MLPError.invalidParameter("This pipeline ends in an MLPRegressor; use predictValues(_:).")
            }
        }
    }

    /// `predict_proba` on encoded, unscaled features.
    /// - Parameter features: the encoded features, before scaling.
    public func predictProbabilities(features: Matrix<Double>) throws -> Matrix<Double> {
        switch estimator {
        case .classifier(let e): return try e.predictProbabilities(try scaled(features, Double.self))
        case .floatClassifier(let e):
            return try e.predictProbabilities(try scaled(features, Float.self)).converted(to: Double.self)
        case .regressor, .floatRegressor:
            throw MLPError.invalidParameter("predict_proba needs a classifier; this pipeline ends in an MLPRegressor.")
        }
    }

    /// The index into `classes` of each predicted class (for confusion matrices and plots).
    /// - Parameter features: encoded, unscaled features.
    public func predictClassIndices(features: Matrix<Double>) throws -> [Int] {
        var position: [ClassLabel: Int] = [:]
        for (i, c) in classes.enumerated() { position[c] = i }
        return try predict(features: features).map { position[$0]! }
    }

    /// Each row's true class as an index into `classes`; an unseen label is an error naming its line.
    /// - Parameter table: a table with the target column.
    public func classIndices(of table: DataTable) throws -> [Int] {
        try TableLabels.indices(of: table, in: classes)
    }

    // MARK: Scoring

    /// `score`: mean accuracy of a classifier, R² of a regressor, on a table with its target column.
    /// - Parameter table: rows with the target column, read with `encoding`.
    public func score(_ table: DataTable) throws -> Double {
        switch try evaluate(table) {
        case .classification(let report, _): report.accuracy
        case .regression(let report): report.r2
        case .multilabel(let report): report.subsetAccuracy
        }
    }

    // MARK: Features

    /// `body` on `table`'s rows, a finite feature that became infinite in the network's input (beyond float32, or
    /// scaled past the largest number) named by its file, line and column rather than by its 0-based row.
    private func namingOverflow<R>(in table: DataTable, scaler: OverflowingScaler? = nil,
                                   _ body: () throws -> R) throws -> R {
        do {
            return try body()
        } catch let error as MLPError {
            guard let scaler = scaler ?? self.scaler.map(OverflowingScaler.model) else { throw error }
            throw error.namingOverflow(in: table, scaler: scaler, float32: estimator.dtype == "float32")
        }
    }

    /// The table's features as a matrix, after checking they are the pipeline's.
    func features(of table: DataTable) throws -> Matrix<Double> {
        guard isFitted else { throw MLPError.notFitted("MLPPipeline") }
        guard table.featureCount == featureNames.count else {
            throw DataError(.featureMismatch, "X has \(table.featureCount) features, but the model expects \(featureNames.count)",
                            file: table.source)
        }
        return Matrix(rows: table.rowCount, columns: table.featureCount, storage: table.features)
    }

    /// Encoded features → T, scaled by the fitted scaler.
    private func scaled<T: KernelFloat>(_ features: Matrix<Double>, _: T.Type) throws -> Matrix<T> {
        guard let scaler else { throw MLPError.notFitted("MLPPipeline") }
        try checkSteps()
        guard features.columns == featureNames.count else {
            throw MLPError.featureCountMismatch(got: features.columns, expected: featureNames.count, estimator: "MLPPipeline")
        }
        return try scaler.transform(features.converted(to: T.self))
    }

    private static func list(_ names: [String]) -> String { names.prefix(5).joined(separator: ", ") }

    /// A pipeline put together from parts (``init(estimator:scaler:encoding:targetName:targetScaler:)``) predicts only
    /// when they agree: a scaler of the encoding's width (it would stop on a row of another), and a target scaler only
    /// after a regressor, one column per output (predictions were returned unscaled). A fitted one always agrees.
    func checkSteps() throws {
        let width = featureNames.count
        if let scaled = scaler?.featureCount, scaled != width {
            throw MLPError.inconsistentLength("MLPPipeline's steps disagree: its \(scaler!.kind.rawValue) scaler was "
                                              + "fitted on \(scaled) features, but its encoding gives \(width).")
        }
        guard let targetScaler else { return }
        guard !isClassifier else {
            throw MLPError.invalidParameter("MLPPipeline's steps disagree: a target scaler, but the estimator is an MLPClassifier.")
        }
        let outputs = estimator.perceptron.nOutputs
        if targetScaler.mean.count != outputs {
            throw MLPError.inconsistentLength("MLPPipeline's steps disagree: its target scaler has \(targetScaler.mean.count) "
                                              + "column(s), but its MLPRegressor has \(outputs) output(s).")
        }
    }
}
