// `_fit` for sgd and adam on rows streamed from a cache file: the same initialization, optimizer, epoch loop and
// stopping rule as an in-memory fit (runEpochs), with the epoch's minibatches run over the shuffle buffer and early
// stopping's score and loss accumulated over the held-out rows slice by slice.

extension PerceptronEngine {
    /// A fresh fit (no warm start) on `rows`; with early stopping, a hashed subset of them is held out
    /// (`HeldOutRows`, seeded from the fit's RandomState after the weights are drawn).
    func fitStreamed(_ p: MLPParameters, rows: StreamedRows<T>, outputs: Int, targetLayout: TargetLayout,
                     outputActivation: Activation, loss: Loss, onEpoch: ((EpochReport) -> EpochAction)?) throws {
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
                                   dropout: p.dropout, randomState: p.randomState)
        let lossFunction = lossFunction
        let validate = p.earlyStopping ? { (net: Network<T>) in try self.streamedValidation(p, net, rows: rows) } : nil
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
    /// `lossValue`), accumulated slice by slice; NaN when an output is not finite.
    func streamedValidation(_ p: MLPParameters, _ net: Network<T>, rows: StreamedRows<T>) throws -> ValidationResult {
        var dataLoss = 0.0
        let (score, count) = try Self.streamedScore(net, kind: kind, layout: targetLayout, rows: rows, heldOutOnly: true) {
            outputs, targets in
            dataLoss += self.lossValue(net, outputs: outputs, targets: targets, weights: nil, alpha: 0) * Double(outputs.rows)
        }
        guard score.isFinite else { return ValidationResult(score: .nan, loss: .nan) }
        let n = Double(count)
        return ValidationResult(score: score, loss: dataLoss / n + 0.5 * p.alpha * Double(net.squaredWeightNorm) / n)
    }

    /// Accuracy, or R² of the single output, of `net` over the held-out rows (`heldOutOnly`) or every row, slice by
    /// slice, and the rows scored; NaN as soon as an output is not finite. `each` sees every slice's outputs and
    /// targets (the validation loss).
    static func streamedScore(_ net: Network<T>, kind: EstimatorRole, layout: TargetLayout, rows: StreamedRows<T>,
                              heldOutOnly: Bool, each: (Matrix<T>, [T]) -> Void = { _, _ in }) throws -> (Double, Int) {
        var count = 0, correct = 0.0, residual = 0.0, finite = true
        var targets = StreamingStatistics()
        try rows.forEachSlice(heldOutOnly: heldOutOnly) { x, y in
            let outputs = net.predict(x)
            guard finite, !outputs.storage.contains(where: { !$0.isFinite }) else { finite = false; return }
            each(outputs, y)
            switch kind {
            case .classifier:
                correct += (score(kind: kind, outputs: outputs, targets: y, layout: layout, weights: nil) * Double(x.rows))
                    .rounded()
            case .regressor:
                let values = y.map(Double.init)
                values.withUnsafeBufferPointer { targets.add($0, rows: x.rows, stride: 1, column: 0) }
                for (value, predicted) in zip(values, outputs.storage) { residual += (value - Double(predicted)) * (value - Double(predicted)) }
            }
            count += x.rows
        }
        guard finite else { return (.nan, count) }
        if case .classifier = kind { return (correct / Double(count), count) }
        return (targets.m2 == 0 ? (residual == 0 ? 1 : 0) : 1 - residual / targets.m2, count)
    }
}
