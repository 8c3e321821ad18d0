// `_fit` for sgd and adam on rows streamed from a cache file: the same initialization, optimizer, epoch loop and
// stopping rule as an in-memory fit (runEpochs), with the epoch's minibatches run over the shuffle buffer and early
// stopping's score and loss accumulated over the held-out rows slice by slice.

extension PerceptronEngine {
    /// A fresh fit (no warm start) on `rows`; with early stopping, a hashed subset of them is held out
    /// (`HeldOutRows`, seeded from the fit's RandomState after the weights are drawn). `classWeights`: each
    /// class's weight (class_weight), for rows whose target is a class index; the held-out rows are weighted too.
    func fitStreamed(_ p: MLPParameters, rows: StreamedRows<T>, outputs: Int, targetLayout: TargetLayout,
                     outputActivation: Activation, loss: Loss, classWeights: [T]? = nil,
                     onEpoch: ((EpochReport) -> EpochAction)?) throws {
        warnings = []
        stopReason = nil
        self.targetLayout = targetLayout
        var random = makeRandomState(p)
        defer { if p.randomState == nil { unseededRandom = random } }
        initialize(p, layerSizes: [rows.featureCount] + p.hiddenLayerSizes + [outputs], outputActivation: outputActivation,
                   loss: loss, random: &random)
        try startStochastic(p, incremental: false)
        if p.earlyStopping {
            try rows.holdOut(HeldOutRows(fraction: p.validationFraction, seed: random.randomInterval(.max)))
        }
        let epoch = rows.makeEpoch(network: network!, batchSize: batchSize(p, samples: rows.trainingCount),
                                   dropout: p.dropout, randomState: p.randomState, classWeights: classWeights)
        let lossFunction = lossFunction
        let validate = p.earlyStopping ? { (net: Network<T>) in
            try self.streamedValidation(p, net, rows: rows, classWeights: classWeights)
        } : nil
        try runEpochs(p, rows: rows.trainingCount, outputs: outputs, validate: validate, incremental: false,
                      random: &random, onEpoch: onEpoch) { net, optimizer, random in
            try rows.runEpoch(epoch, shuffle: p.shuffle, random: &random) {
                epoch.run(&net, optimizer: &optimizer, loss: lossFunction, targetLayout: targetLayout, alpha: p.alpha,
                          outputs: outputs)
            }
        }
        if !network!.isFinite {
            stopReason = "Training diverged at iteration \(nIter): Solver produced non-finite parameter weights. Stopping."
            throw MLPError.diverged(epoch: nIter, detail: "Solver produced non-finite parameter weights")
        }
    }

    /// The held-out rows' score (accuracy, or R² of the single output) and loss (data term + L2 penalty, as
    /// `lossValue`), accumulated slice by slice, weighted by `classWeights` as in memory; NaN when an output is not
    /// finite.
    func streamedValidation(_ p: MLPParameters, _ net: Network<T>, rows: StreamedRows<T>,
                            classWeights: [T]? = nil) throws -> ValidationResult {
        var dataLoss = 0.0, total = 0.0
        let (score, _) = try Self.streamedScore(net, kind: kind, layout: targetLayout, rows: rows, heldOutOnly: true,
                                                classWeights: classWeights) { outputs, targets, weights in
            let sum = weights.map { Double($0.reduce(0, +)) } ?? Double(outputs.rows)
            guard sum > 0 else { return }  // only classes weighted 0: nothing to add
            dataLoss += self.lossValue(net, outputs: outputs, targets: targets, weights: weights, alpha: 0) * sum
            total += sum
        }
        guard score.isFinite else { return ValidationResult(score: .nan, loss: .nan) }
        return ValidationResult(score: score, loss: dataLoss / total + 0.5 * p.alpha * Double(net.squaredWeightNorm) / total)
    }

    /// Accuracy, or R² of the single output, of `net` over the held-out rows (`heldOutOnly`) or every row, slice by
    /// slice, and the rows scored; NaN as soon as an output is not finite. A classifier's accuracy is weighted by
    /// `classWeights` (indexed by the class-index targets). `each` sees every slice's outputs, targets and weights
    /// (the validation loss).
    static func streamedScore(_ net: Network<T>, kind: EstimatorRole, layout: TargetLayout, rows: StreamedRows<T>,
                              heldOutOnly: Bool, classWeights: [T]? = nil,
                              each: (Matrix<T>, [T], [T]?) -> Void = { _, _, _ in }) throws -> (Double, Int) {
        var count = 0, correct = 0.0, weightSum = 0.0, residual = 0.0, finite = true
        var targets = StreamingStatistics()
        try rows.forEachSlice(heldOutOnly: heldOutOnly) { x, y in
            let outputs = net.predict(x)
            guard finite, !outputs.storage.contains(where: { !$0.isFinite }) else { finite = false; return }
            let weights = classWeights.map { w in y.map { w[$0.truncatedInt] } }
            each(outputs, y, weights)
            switch kind {
            case .classifier:
                let sum = weights.map { Double($0.reduce(0, +)) } ?? Double(x.rows)
                guard sum > 0 else { break }
                let accuracy = score(kind: kind, outputs: outputs, targets: y, layout: layout, weights: weights) * sum
                // Unweighted, a count of rows: rounded, so the sum over slices is exact.
                correct += weights == nil ? accuracy.rounded() : accuracy
                weightSum += sum
            case .regressor:
                let values = y.map(Double.init)
                values.withUnsafeBufferPointer { targets.add($0, rows: x.rows, stride: 1, column: 0) }
                for (value, predicted) in zip(values, outputs.storage) { residual += (value - Double(predicted)) * (value - Double(predicted)) }
            }
            count += x.rows
        }
        guard finite else { return (.nan, count) }
        if case .classifier = kind { return (correct / weightSum, count) }
        return (targets.m2 == 0 ? (residual == 0 ? 1 : 0) : 1 - residual / targets.m2, count)
    }
}
