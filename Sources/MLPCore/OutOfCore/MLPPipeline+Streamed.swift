// A pipeline fitted on an `.mlpdata` cache instead of a table: the encoding and the scaler come from the cache's
// streamed statistics, the estimator is trained by sgd or adam over streamed blocks (StreamedRows). The result is
// an ordinary fitted pipeline: it saves, loads and predicts like one fitted in memory.

extension MLPPipeline {
    /// Fits a new pipeline on a cache file, streaming its rows through a bounded shuffle buffer.
    ///
    /// - Parameters:
    ///   - file: The cache (`mlp convert`, or the first pass of `mlp train --stream`).
    ///   - estimator: The estimator to fit, in place as ``fit(_:)`` fits the pipeline's: the returned pipeline holds it.
    ///     When the fit throws, it keeps what the fit left, as after ``fit(_:)``: after `MLPError.diverged` its
    ///     `nIter`, `lossCurve`, `stopReason` and the weights of the epoch before the blow-up.
    ///   - scaling: The feature scaler, fitted from the streamed statistics.
    ///   - targetScaling: A regressor's target scaling.
    ///   - options: The shuffle buffer's size.
    ///   - onEpoch: Called after each epoch, as ``onEpoch``.
    /// - Returns: The fitted pipeline.
    /// - Throws: ``MLPDataError`` for options a stream does not support (lbfgs, warm start) or a cache of the other
    ///   target kind; `MLPError` and `DataError` as ``fit(_:)``. A blow-up is reported as in memory: with early
    ///   stopping a warning of kind `.divergence` (the best-validation weights are kept), else `MLPError.diverged`.
    public static func fitStreamed(_ file: MLPDataFile, estimator: PipelineEstimator, scaling: ScalerKind = .standard,
                                   targetScaling: TargetScalerKind = .none, options: StreamingOptions = StreamingOptions(),
                                   onEpoch: ((EpochReport) -> EpochAction)? = nil) throws -> MLPPipeline {
        let p = estimator.perceptron.parameters
        try p.validate(for: estimator.isClassifier ? .classifier : .regressor)
        try refuseUnsupported(p)
        let schema = file.schema
        guard (schema.targetKind == .labels) == estimator.isClassifier else {
            throw MLPDataError.mismatch(file: file.path, detail: estimator.isClassifier
                               ? "the cache holds a numeric target (converted with \(advising: .regression)); train "
                                   + "with \(advising: .regression)"
                               : "the cache holds class labels; convert it again with \(advising: .regression)")
        }
        let encoding = StreamedEncoding(schema: schema)
        var targetScaler: StandardScaler?
        if !estimator.isClassifier && targetScaling == .standard { targetScaler = Self.targetScaler(of: file) }
        // The scaler the network is trained with is the one the model keeps (MinMaxScaler sees T's values).
        let scaler = estimator.dtype == "float32" ? try encoding.scaler(scaling, Float.self, file: file)
                                                   : try encoding.scaler(scaling, Double.self, file: file)
        if estimator.dtype == "float32" {
            try encoding.checkScaledExtremes(scaler, Float.self, source: file.path)
        } else {
            try encoding.checkScaledExtremes(scaler, Double.self, source: file.path)
        }
        switch estimator {
        case .classifier(let e): try fitClassifier(e, file, encoding, scaler, p, options, onEpoch)
        case .floatClassifier(let e): try fitClassifier(e, file, encoding, scaler, p, options, onEpoch)
        case .regressor(let e): try fitRegressor(e, file, encoding, scaler, p, targetScaler, options, onEpoch)
        case .floatRegressor(let e): try fitRegressor(e, file, encoding, scaler, p, targetScaler, options, onEpoch)
        }
        return MLPPipeline(estimator: estimator, scaler: scaler, encoding: encoding.encoding, targetNames: schema.targetNames,
                           targetScaler: targetScaler)
    }

    /// The StandardScaler of the cache's numeric targets, each column standardized apart as in memory, from their
    /// streamed statistics; for a column whose sums overflowed (a target near 1e154 and beyond: Σ(y − ȳ)² passes
    /// `Double.greatestFiniteMagnitude`), from one more pass over that column, summed scaled by a power of two as
    /// `StandardScaler.fit` does in memory.
    static func targetScaler(of file: MLPDataFile) -> StandardScaler {
        let first = file.schema.columns.count
        var means: [Double] = [], scales: [Double] = []
        for (t, s) in file.schema.targetStatistics.enumerated() {
            var (mean, deviation) = (s.mean, s.variance().squareRoot())
            if !(mean.isFinite && deviation.isFinite) && s.minimum.isFinite && s.maximum.isFinite {
                let scaled = StandardScaler.scaledStatistics(count: file.rowCount) { r in
                    file.rows(r..<(r + 1))[first + t]
                }
                (mean, deviation) = (scaled.mean, scaled.deviation)
                file.release(0..<file.rowCount)
            }
            means.append(mean)
            scales.append(StreamedEncoding.divisor(deviation: deviation))
        }
        return StandardScaler(mean: means, scale: scales)
    }

    private static func refuseUnsupported(_ p: MLPParameters) throws {
        let refused: String? = !p.solver.isStochastic ? "solver lbfgs (use adam or sgd)"
            : p.warmStart ? "warm_start (\(advising: .warmStart))" : nil
        if let refused { throw MLPDataError.unsupported("streamed training does not support \(refused)") }
    }

    private static func fitClassifier<T: KernelFloat>(
        _ classifier: MLPClassifier<T>, _ file: MLPDataFile, _ encoding: StreamedEncoding, _ scaler: FeatureScaler,
        _ p: MLPParameters, _ options: StreamingOptions, _ onEpoch: ((EpochReport) -> EpochAction)?
    ) throws {
        let schema = file.schema
        if schema.isMultilabel { return try fitMultilabel(classifier, file, encoding, scaler, p, options, onEpoch) }
        let labels = try LabelEncoder.parseColumn(schema.labelTexts, column: schema.targetName)
        let binarizer = try LabelBinarizer(fitting: labels)
        guard binarizer.classes.count >= 2 else {
            throw DataError(.invalidTarget, "the target column '\(schema.targetName)' has only one class "
                            + "('\(binarizer.classes.first.map(String.init(describing:)) ?? "")'); a classifier needs at least two",
                            file: file.path)
        }
        let classOfCode = try binarizer.indices(of: labels)
        let type = binarizer.targetType
        // class_weight over every row, as an in-memory fit weighs its rows before early stopping's split.
        let classWeights = try p.classWeight.map { classWeight in
            try MLPClassifier<T>.perClassWeights(classWeight, classes: binarizer.classes) {
                classCounts(file, classOfCode: classOfCode, classes: binarizer.classes.count)
            }.map { T($0) }
        }
        let rows = StreamedRows<T>(file: file, encoding: encoding, scaler: scaler, targetWidth: 1,
                                   batchSize: p.effectiveBatchSize(samples: file.rowCount), options: options,
                                   target: StreamedRows<T>.classIndexTarget(classOfCode, file: file))
        try classifier.fitStreamed(binarizer, featureCount: rows.featureCount) { engine in
            try engine.fitStreamed(p, rows: rows, outputs: binarizer.outputCount,
                                   targetLayout: type == .multiclass ? .classIndices : .rows,
                                   outputActivation: type == .multiclass ? .softmax : .logistic,
                                   loss: type == .multiclass ? .logLoss : .binaryLogLoss, classWeights: classWeights,
                                   onEpoch: onEpoch)
        }
    }

    /// A classifier of several label columns: a multilabel indicator matrix (cells 0 or 1), one logistic output per
    /// column, as `MLPClassifier.fit(_:multilabel:)` trains in memory.
    private static func fitMultilabel<T: KernelFloat>(
        _ classifier: MLPClassifier<T>, _ file: MLPDataFile, _ encoding: StreamedEncoding, _ scaler: FeatureScaler,
        _ p: MLPParameters, _ options: StreamingOptions, _ onEpoch: ((EpochReport) -> EpochAction)?
    ) throws {
        if p.classWeight != nil { throw MLPError.invalidClassWeight("class_weight is not supported for multilabel targets.") }
        let labels = file.schema.targetCount
        let binarizer = LabelBinarizer(multilabelCount: labels)
        let rows = StreamedRows<T>(file: file, encoding: encoding, scaler: scaler, targetWidth: labels,
                                   batchSize: p.effectiveBatchSize(samples: file.rowCount), options: options,
                                   target: StreamedRows<T>.indicatorTarget(file: file))
        try classifier.fitStreamed(binarizer, featureCount: rows.featureCount) { engine in
            try engine.fitStreamed(p, rows: rows, outputs: labels, targetLayout: .rows, outputActivation: .logistic,
                                   loss: .binaryLogLoss, onEpoch: onEpoch)
        }
    }

    /// Rows per class (the classes of `classOfCode`), from one pass over the cache's target cells; a code the
    /// table does not hold counts for no class (training refuses it at the first fill). In a data-parallel run each
    /// process counts a contiguous 1/K of the rows and the exchange adds them up (whole numbers: exact in any order).
    private static func classCounts(_ file: MLPDataFile, classOfCode: [Int], classes: Int) -> [Double] {
        let exchange = DistributedTraining.rowExchange
        let rows = exchange.map { $0.rowShare(file.rowCount, process: $0.processIndex) } ?? 0..<file.rowCount
        var counts = [Double](repeating: 0, count: classes)
        let width = file.schema.rowWidth, sliceRows = 4096
        for start in stride(from: rows.lowerBound, to: rows.upperBound, by: sliceRows) {
            let slice = start..<min(start + sliceRows, rows.upperBound)
            let raw = file.rows(slice)
            for r in 0..<slice.count {
                if let code = Int(exactly: raw[r * width + width - 1]), code >= 0, code < classOfCode.count {
                    counts[classOfCode[code]] += 1
                }
            }
            file.release(slice)
        }
        guard let exchange else { return counts }
        let all = exchange.gatherRows(counts)
        return (0..<classes).map { c in all.reduce(0) { $0 + $1[c] } }
    }

    private static func fitRegressor<T: KernelFloat>(
        _ regressor: MLPRegressor<T>, _ file: MLPDataFile, _ encoding: StreamedEncoding, _ scaler: FeatureScaler,
        _ p: MLPParameters, _ targetScaler: StandardScaler?, _ options: StreamingOptions,
        _ onEpoch: ((EpochReport) -> EpochAction)?
    ) throws {
        if p.loss == .poisson && file.schema.targetStatistics.contains(where: { $0.minimum < 0 }) {
            throw MLPError.negativeTargetForPoisson
        }
        let outputs = file.schema.targetCount
        let rows = StreamedRows<T>(file: file, encoding: encoding, scaler: scaler, targetWidth: outputs,
                                   batchSize: p.effectiveBatchSize(samples: file.rowCount), options: options,
                                   target: StreamedRows<T>.scaledTarget(targetScaler))
        try regressor.fitStreamed(featureCount: rows.featureCount) { engine in
            try engine.fitStreamed(p, rows: rows, outputs: outputs, targetLayout: .rows,
                                   outputActivation: p.loss == .poisson ? .exp : .identity,
                                   loss: p.loss == .poisson ? .poisson : .squaredError, onEpoch: onEpoch)
        }
    }
}

extension StreamedRows {
    /// A class label's target: its code into the cache's label table, mapped to a class index by `classOfCode`;
    /// a code outside the table is a damaged cache.
    static func classIndexTarget(_ classOfCode: [Int], file: MLPDataFile) -> (Int, Double) throws -> T {
        { _, cell in
            guard let code = Int(exactly: cell), code >= 0, code < classOfCode.count else {
                throw MLPDataError.corrupted(file: file.path,
                                             detail: "a target cell holds label code \(cell) of \(classOfCode.count)")
            }
            return T(classOfCode[code])
        }
    }

    /// A multilabel target cell: 0 or 1 (the first pass checked each); anything else is a damaged cache.
    static func indicatorTarget(file: MLPDataFile) -> (Int, Double) throws -> T {
        { k, cell in
            guard cell == 0 || cell == 1 else {
                throw MLPDataError.corrupted(file: file.path, detail: "a cell of the multilabel target "
                                             + "'\(file.schema.targetNames[k])' holds \(cell), not 0 or 1")
            }
            return T(cell)
        }
    }

    /// Numeric target k in the network's units: standardized by column k of a regressor's `targetScaler` (each
    /// target apart, as in memory), as is when nil.
    static func scaledTarget(_ targetScaler: StandardScaler?) -> (Int, Double) -> T {
        guard let targetScaler else { return { _, cell in T(cell) } }
        return { k, cell in T(targetScaler.standardized(cell, column: k)) }
    }
}
