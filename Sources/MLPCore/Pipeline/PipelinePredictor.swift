// MLPPipeline's predictions through a reusable MLPPredictor, a block of table rows at a time: the same encoding
// check, Double → T rounding and scaling as MLPPipeline.predict*, then the predictor's workspace instead of a network
// pass that allocates its activations per call, and one pass for labels and probabilities together.

/// What a block of rows predicts to, by the kind of the pipeline's estimator.
public enum PipelinePrediction: Sendable {
    /// A classifier: one label per row; with probabilities requested, (rows, classes) in the order of `classes`.
    case labels([ClassLabel], probabilities: Matrix<Double>?)
    /// A classifier fitted on a multilabel indicator target: (rows, labels) of 0 and 1 (1 where the probability is
    /// above 0.5); with probabilities requested, (rows, labels).
    case multilabel(Matrix<Double>, probabilities: Matrix<Double>?)
    /// A regressor: (rows, outputs), in the target's units (the target scaler undone).
    case values(Matrix<Double>)
}

/// A fitted pipeline's prediction workspace: ``predict(_:rows:probabilities:)`` gives, for a block of a table's rows,
/// the same bits as ``MLPPipeline/predict(_:)``, ``MLPPipeline/predictProbabilities(_:)``,
/// ``MLPPipeline/predictMultilabel(_:)`` or ``MLPPipeline/predictValues(_:)`` give for those rows.
/// Not thread-safe: give each thread its own (``MLPPipeline/makePredictor(maxRows:)``).
public final class PipelinePredictor {
    /// The most rows one call predicts in one pass; larger ranges are run in chunks of this many rows.
    public var maxRows: Int { engine.maxRows }
    /// `classes_` of a classifier (empty for a regressor).
    public let classes: [ClassLabel]

    private enum Engine {
        case classifier(MLPPredictor<Double>, LabelBinarizer)
        case floatClassifier(MLPPredictor<Float>, LabelBinarizer)
        case regressor(MLPPredictor<Double>)
        case floatRegressor(MLPPredictor<Float>)

        var maxRows: Int {
            switch self {
            case .classifier(let p, _), .regressor(let p): p.maxRows
            case .floatClassifier(let p, _), .floatRegressor(let p): p.maxRows
            }
        }
    }
    private let engine: Engine
    private let estimatorName: String
    private let featureNames: [String]
    private let scaler: FeatureScaler
    private let targetScaler: StandardScaler?

    fileprivate init(_ pipeline: MLPPipeline, maxRows: Int) throws {
        guard pipeline.isFitted, let scaler = pipeline.scaler else { throw MLPError.notFitted("MLPPipeline") }
        try pipeline.checkSteps()
        switch pipeline.estimator {
        case .classifier(let e): engine = .classifier(try e.makePredictor(maxRows: maxRows), e.binarizer!)
        case .floatClassifier(let e): engine = .floatClassifier(try e.makePredictor(maxRows: maxRows), e.binarizer!)
        case .regressor(let e): engine = .regressor(try e.makePredictor(maxRows: maxRows))
        case .floatRegressor(let e): engine = .floatRegressor(try e.makePredictor(maxRows: maxRows))
        }
        estimatorName = pipeline.isClassifier ? "MLPClassifier" : "MLPRegressor"
        classes = pipeline.classes
        featureNames = pipeline.featureNames
        self.scaler = scaler
        targetScaler = pipeline.targetScaler
    }

    /// Predicts `rows` of `table`: labels (with `probabilities`, also `predict_proba`), multilabel indicators, or a
    /// regressor's values.
    /// - Parameters:
    ///   - table: rows read with the pipeline's encoding (``MLPPipeline/readCSV(path:target:hasHeader:)`` does).
    ///   - rows: the rows to predict, inside `0..<table.rowCount`, not empty.
    ///   - probabilities: also return a classifier's probabilities (ignored for a regressor).
    /// - Returns: the block's predictions, its first row `rows.lowerBound`.
    /// - Throws: `DataError` when the table's features are not the pipeline's; `MLPError.emptyData` for no rows,
    ///   `MLPError.inconsistentLength` for rows outside the table, `MLPError.nonFiniteInput` naming the table's row.
    public func predict(_ table: DataTable, rows: Range<Int>, probabilities: Bool = false) throws -> PipelinePrediction {
        guard table.featureCount == featureNames.count else {
            throw DataError(.featureMismatch, "X has \(table.featureCount) features, but the model expects \(featureNames.count)",
                            file: table.source)
        }
        guard !rows.isEmpty else {
            throw MLPError.emptyData("Found array with 0 sample(s) (shape=(0, \(table.featureCount))) while a minimum of 1 is required by \(estimatorName).")
        }
        guard rows.lowerBound >= 0, rows.upperBound <= table.rowCount else {
            throw MLPError.inconsistentLength("Rows \(rows.lowerBound)..<\(rows.upperBound) are outside the table's \(table.rowCount) rows.")
        }
        switch engine {
        case .classifier(let p, let b): return try classify(p, b, table, rows: rows, probabilities: probabilities)
        case .floatClassifier(let p, let b): return try classify(p, b, table, rows: rows, probabilities: probabilities)
        case .regressor(let p): return .values(try values(p, table, rows: rows))
        case .floatRegressor(let p): return .values(try values(p, table, rows: rows))
        }
    }

    private func classify<T>(_ predictor: MLPPredictor<T>, _ binarizer: LabelBinarizer, _ table: DataTable,
                             rows: Range<Int>, probabilities: Bool) throws -> PipelinePrediction {
        let out = try outputs(predictor, table, rows: rows)
        let proba = probabilities ? Self.probabilities(of: out) : nil
        if binarizer.targetType == .multilabelIndicator {
            let indicators = out.storage.map { $0 > 0.5 ? T(1) : T(0) }
            return .multilabel(Matrix<T>(rows: out.rows, columns: out.columns, storage: indicators).converted(to: Double.self),
                               probabilities: proba)
        }
        let labels = out.storage.withUnsafeBufferPointer { binarizer.inverseTransform($0, rows: out.rows) }
        return .labels(labels, probabilities: proba)
    }

    /// MLPClassifier.predictProbabilities: the outputs as they are, or one logistic unit p as the columns [1 − p, p].
    private static func probabilities<T>(of out: Matrix<T>) -> Matrix<Double> {
        out.columns != 1 ? out.converted(to: Double.self)
            : Matrix(rows: out.rows, columns: 2, storage: out.storage.flatMap { [Double(1 - $0), Double($0)] })
    }

    /// A single-label classifier's predicted class indices (into `classes`) and probabilities for `rows`, from one
    /// pass: what `predict(_:rows:probabilities: true)` gives, without making the labels (`mlp evaluate`'s tally).
    func classIndices(_ table: DataTable, rows: Range<Int>) throws -> (indices: [Int], probabilities: Matrix<Double>) {
        switch engine {
        case .classifier(let p, let b): return try classIndices(p, b, table, rows: rows)
        case .floatClassifier(let p, let b): return try classIndices(p, b, table, rows: rows)
        case .regressor, .floatRegressor:
            throw MLPError.invalidParameter("This pipeline ends in an MLPRegressor; it predicts no classes.")
        }
    }

    private func classIndices<T>(_ predictor: MLPPredictor<T>, _ binarizer: LabelBinarizer, _ table: DataTable,
                                 rows: Range<Int>) throws -> (indices: [Int], probabilities: Matrix<Double>) {
        guard binarizer.targetType != .multilabelIndicator else {
            throw MLPError.invalidParameter("A multilabel classifier predicts no single class per row.")
        }
        let out = try outputs(predictor, table, rows: rows)
        return (out.storage.withUnsafeBufferPointer { binarizer.classIndices($0, rows: out.rows) },
                Self.probabilities(of: out))
    }

    private func values<T>(_ predictor: MLPPredictor<T>, _ table: DataTable, rows: Range<Int>) throws -> Matrix<Double> {
        let values = try outputs(predictor, table, rows: rows).converted(to: Double.self)
        guard let targetScaler else { return values }
        return try targetScaler.inverseTransform(values)
    }

    /// The network's outputs for the rows: their features rounded to T and scaled as MLPPipeline does.
    private func outputs<T>(_ predictor: MLPPredictor<T>, _ table: DataTable, rows: Range<Int>) throws -> Matrix<T> {
        let features = table.featureCount
        let block = table.features[(rows.lowerBound * features)..<(rows.upperBound * features)]
        let x = try scaler.transform(Matrix<T>(rows: rows.count, columns: features, storage: block.map { T($0) }))
        var out = Matrix<T>(rows: rows.count, columns: predictor.outputColumns)
        do {
            try x.storage.withUnsafeBufferPointer { x in
                try out.storage.withUnsafeMutableBufferPointer { try predictor.predictOutputs(x, rows: rows.count, into: $0) }
            }
        } catch let error as MLPError {
            throw error.rowsShifted(by: rows.lowerBound).namingOverflow(in: table, scaler: .model(scaler),
                                                                       float32: T.self == Float.self)
        }
        return out
    }
}

extension MLPPipeline {
    /// A reusable prediction workspace for this fitted pipeline, predicting a table block by block
    /// (``PipelinePredictor/predict(_:rows:probabilities:)``) with the same bits as `predict` and `predictProbabilities`.
    /// - Parameter maxRows: the rows one pass through the network holds.
    /// - Returns: a predictor holding copies of the fitted scaler and network.
    /// - Throws: `MLPError.notFitted` before fit, `MLPError.invalidParameter` for a `maxRows` below 1 or too large.
    public func makePredictor(maxRows: Int = 4096) throws -> PipelinePredictor {
        try PipelinePredictor(self, maxRows: maxRows)
    }
}
