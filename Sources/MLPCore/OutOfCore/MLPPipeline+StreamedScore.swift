// `score(X, y)` of a fitted pipeline over an `.mlpdata` cache, read slice by slice: the training score of a
// streamed fit, or any cache's score without loading its rows.

extension MLPPipeline {
    /// Accuracy (a classifier; subset accuracy of a multilabel one) or R² (a regressor; averaged over its outputs)
    /// over every row of a cache, as ``evaluate(_:)`` scores a table,
    /// reading the rows 4,096 at a time. Inside a data-parallel run (``DistributedTraining/rowExchange``) every
    /// process must call it: each scores 1/K of the rows and all get the whole score.
    ///
    /// - Parameters:
    ///   - file: A cache of the same columns (and categories) the pipeline was fitted on, e.g. the one it was
    ///     trained on by ``fitStreamed(_:estimator:scaling:targetScaling:options:onEpoch:)``.
    /// - Returns: The score; NaN when an output is not finite.
    /// - Throws: `MLPError.notFitted` before a fit; ``MLPDataError/mismatch(file:detail:)`` when the cache's
    ///   features, target kind, target columns or classes do not fit the model.
    public func scoreStreamed(_ file: MLPDataFile) throws -> Double {
        guard let scaler else { throw MLPError.notFitted("MLPPipeline") }
        let streamed = try checkFits(file)
        switch estimator {
        case .classifier(let c): return try Self.streamedScore(c, file, streamed, scaler)
        case .floatClassifier(let c): return try Self.streamedScore(c, file, streamed, scaler)
        case .regressor(let r): return try streamedScore(r, file, streamed, scaler)
        case .floatRegressor(let r): return try streamedScore(r, file, streamed, scaler)
        }
    }

    /// Refuses a cache whose columns, categories, target kind or target columns are not the model's.
    /// - Parameter file: A cache.
    /// - Returns: The cache's encoding, the model's.
    /// - Throws: `MLPError.notFitted` before a fit; ``MLPDataError/mismatch(file:detail:)``.
    func checkFits(_ file: MLPDataFile) throws -> StreamedEncoding {
        guard let encoding else { throw MLPError.notFitted("MLPPipeline") }
        try checkSteps()
        guard (file.schema.targetKind == .labels) == isClassifier else {
            throw MLPDataError.mismatch(file: file.path, detail: isClassifier
                                        ? "the cache holds a numeric target; the model is a classifier"
                                        : "the cache holds class labels; the model is a regressor")
        }
        // Outputs are matched to target columns by position, as a table's are.
        let sameTargets = targetNames.count <= 1 ? file.schema.targetCount == 1 : file.schema.targetNames == targetNames
        guard sameTargets else {
            throw MLPDataError.mismatch(file: file.path, detail: "it holds the target column(s) "
                                        + "\(file.schema.targetNames.joined(separator: ", ")), but the model predicts "
                                        + "\(targetNames.joined(separator: ", ")), in that order")
        }
        let streamed = StreamedEncoding(schema: file.schema)
        guard streamed.encoding == encoding else {
            throw MLPDataError.mismatch(file: file.path, detail: "its feature columns or categories differ from the model's")
        }
        return streamed
    }

    private static func streamedScore<T: KernelFloat>(_ classifier: MLPClassifier<T>, _ file: MLPDataFile,
                                                      _ encoding: StreamedEncoding, _ scaler: FeatureScaler) throws -> Double {
        guard let network = classifier.network, let type = classifier.targetType else {
            throw MLPError.notFitted("MLPClassifier")
        }
        try classifier.checkRestored(network)
        if type == .multilabelIndicator {
            let rows = StreamedRows<T>(file: file, encoding: encoding, scaler: scaler, targetWidth: file.schema.targetCount,
                                       batchSize: 1, options: StreamingOptions(bufferBytes: 0),
                                       target: StreamedRows<T>.indicatorTarget(file: file))
            return try sharedScore(network, kind: .classifier(type), layout: .rows, rows: rows)
        }
        let labels = try LabelEncoder.parseColumn(file.schema.labelTexts, column: file.schema.targetName)
        let classOfCode = try labels.map { label in
            guard let index = classifier.classes.firstIndex(of: label) else {
                throw MLPDataError.mismatch(file: file.path, detail: "it holds class '\(label)', which the model was not trained on")
            }
            return index
        }
        let rows = StreamedRows<T>(file: file, encoding: encoding, scaler: scaler, targetWidth: 1, batchSize: 1,
                                   options: StreamingOptions(bufferBytes: 0),
                                   target: StreamedRows<T>.classIndexTarget(classOfCode, file: file))
        return try sharedScore(network, kind: .classifier(type), layout: type == .multiclass ? .classIndices : .rows,
                               rows: rows)
    }

    /// The score over every row; in a data-parallel run (``DistributedTraining/rowExchange``) each process scores a
    /// contiguous 1/K of the rows and the exchange adds up their sums (a classifier's counts exactly; a regressor's
    /// R² to rounding, its sums merged in process order).
    private static func sharedScore<T: KernelFloat>(_ network: Network<T>, kind: EstimatorRole, layout: TargetLayout,
                                                    rows: StreamedRows<T>) throws -> Double {
        let exchange = DistributedTraining.rowExchange
        let range = exchange.map { $0.rowShare(rows.count, process: $0.processIndex) }
        let sums = try PerceptronEngine<T>.streamedScoreSums(network, kind: kind, layout: layout, rows: rows,
                                                             heldOutOnly: false, range: range)
        let outputs = network.layerSizes.last ?? 1
        return (exchange.map { sums.gathered(over: $0, outputs: outputs) } ?? sums).score(kind)
    }

    private func streamedScore<T: KernelFloat>(_ regressor: MLPRegressor<T>, _ file: MLPDataFile,
                                               _ encoding: StreamedEncoding, _ scaler: FeatureScaler) throws -> Double {
        guard let network = regressor.network else { throw MLPError.notFitted("MLPRegressor") }
        try network.checkParameterCount(owner: "MLPRegressor")
        // Targets in the network's units: R² is the same in those as in the target's own.
        let rows = StreamedRows<T>(file: file, encoding: encoding, scaler: scaler, targetWidth: file.schema.targetCount,
                                   batchSize: 1, options: StreamingOptions(bufferBytes: 0),
                                   target: StreamedRows<T>.scaledTarget(targetScaler))
        return try Self.sharedScore(network, kind: .regressor, layout: .rows, rows: rows)
    }
}
