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
        earlyStoppingRows = nil
        self.targetLayout = targetLayout
        var random = makeRandomState(p)
        defer { if p.randomState == nil { unseededRandom = random } }
        try initialize(p, layerSizes: [rows.featureCount] + p.hiddenLayerSizes + [outputs],
                       samples: p.effectiveBatchSize(samples: rows.trainingCount), outputActivation: outputActivation,
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
            let loss = try rows.runEpoch(epoch, shuffle: p.shuffle, random: &random) {
                epoch.run(&net, optimizer: &optimizer, loss: lossFunction, targetLayout: targetLayout, alpha: p.alpha,
                          outputs: outputs)
            }
            if let error = epoch.zeroWeightError(epoch: self.nIter + 1) { throw error }
            return loss
        }
        if !network!.isFinite {
            stopReason = "Training diverged at iteration \(nIter): Solver produced non-finite parameter weights. Stopping."
            throw MLPError.diverged(epoch: nIter, detail: "Solver produced non-finite parameter weights")
        }
    }

    /// The held-out rows' score (accuracy, or R² averaged over the outputs) and loss (data term + L2 penalty, as
    /// `lossValue`), accumulated slice by slice, weighted by `classWeights` as in memory; NaN when an output is not
    /// finite.
    func streamedValidation(_ p: MLPParameters, _ net: Network<T>, rows: StreamedRows<T>,
                            classWeights: [T]? = nil) throws -> ValidationResult {
        var dataLoss = 0.0, total = 0.0
        let sums = try Self.streamedScoreSums(net, kind: kind, layout: targetLayout, rows: rows, heldOutOnly: true,
                                              classWeights: classWeights) { outputs, targets, weights in
            let sum = weights.map { Double($0.reduce(0, +)) } ?? Double(outputs.rows)
            guard sum > 0 else { return }  // only classes weighted 0: nothing to add
            dataLoss += self.lossValue(net, outputs: outputs, targets: targets, weights: weights, alpha: 0) * sum
            total += sum
        }
        let score = sums.score(kind)
        guard score.isFinite else { return ValidationResult(score: .nan, loss: .nan) }
        return ValidationResult(score: score, loss: dataLoss / total + 0.5 * p.alpha * Double(net.squaredWeightNorm) / total)
    }

    /// What the accuracy, or R² of each output, of `net` sums over the held-out rows (`heldOutOnly`) or every
    /// row of the file rows `range` (all by default), slice by slice; not finite as soon as an output is not. A
    /// classifier's hits are weighted by `classWeights` (indexed by the class-index targets). `each` sees every
    /// slice's outputs, targets and weights (the validation loss).
    static func streamedScoreSums(_ net: Network<T>, kind: EstimatorRole, layout: TargetLayout, rows: StreamedRows<T>,
                                  heldOutOnly: Bool, range: Range<Int>? = nil, classWeights: [T]? = nil,
                                  each: (Matrix<T>, [T], [T]?) -> Void = { _, _, _ in }) throws -> StreamedScoreSums {
        var sums = StreamedScoreSums()
        try rows.forEachSlice(heldOutOnly: heldOutOnly, range: range) { x, y in
            let outputs = net.predict(x)
            guard sums.finite, !outputs.storage.contains(where: { !$0.isFinite }) else { sums.finite = false; return }
            let weights = classWeights.map { w in y.map { w[$0.truncatedInt] } }
            each(outputs, y, weights)
            switch kind {
            case .classifier:
                let sum = weights.map { Double($0.reduce(0, +)) } ?? Double(x.rows)
                guard sum > 0 else { break }
                let accuracy = score(kind: kind, outputs: outputs, targets: y, layout: layout, weights: weights) * sum
                // Unweighted, a count of rows: rounded, so the sum over slices is exact.
                sums.correct += weights == nil ? accuracy.rounded() : accuracy
                sums.weightSum += sum
            case .regressor:
                let values = y.map(Double.init), k = outputs.columns
                if sums.targets.isEmpty {
                    sums.targets = Array(repeating: StreamingStatistics(), count: k)
                    sums.residual = Array(repeating: 0, count: k)
                }
                values.withUnsafeBufferPointer { v in
                    for j in 0..<k { sums.targets[j].add(v, rows: x.rows, stride: k, column: j) }
                }
                for (i, (value, predicted)) in zip(values, outputs.storage).enumerated() {
                    sums.residual[i % k] += (value - Double(predicted)) * (value - Double(predicted))
                }
            }
            sums.rows += x.rows
        }
        return sums
    }
}

/// What a streamed score sums over its rows: hits (or their weights) for accuracy; per output, squared residuals and
/// the targets' statistics for R². Sums of disjoint row ranges merge, in the ranges' order.
struct StreamedScoreSums {
    var finite = true
    var rows = 0
    var correct = 0.0
    var weightSum = 0.0
    /// Per output, Σ(y − ŷ)² (empty until a regressor's first slice).
    var residual: [Double] = []
    /// Per output, the targets' statistics.
    var targets: [StreamingStatistics] = []

    /// Accuracy, or R² averaged over the outputs (`r2_score`'s uniform average, force_finite); NaN when an output
    /// was not finite.
    func score(_ kind: EstimatorRole) -> Double {
        guard finite else { return .nan }
        if case .classifier = kind { return correct / weightSum }
        var total = 0.0
        for (r, t) in zip(residual, targets) { total += t.m2 == 0 ? (r == 0 ? 1 : 0) : 1 - r / t.m2 }
        return total / Double(targets.count)
    }

    /// Every process's sums, merged in process order: on every process, the sums of all their rows.
    /// - Parameters:
    ///   - exchange: the data-parallel run.
    ///   - outputs: the network's outputs (a process that scored no row has no per-output sums yet).
    func gathered(over exchange: any BatchRowExchange, outputs: Int) -> StreamedScoreSums {
        var all = StreamedScoreSums()
        var mine = [finite ? 1 : 0, Double(rows), correct, weightSum]
        for j in 0..<outputs {
            let t = j < targets.count ? targets[j] : StreamingStatistics()
            mine += [j < residual.count ? residual[j] : 0, Double(t.count), t.mean, t.m2, t.minimum, t.maximum]
        }
        all.residual = Array(repeating: 0, count: outputs)
        all.targets = Array(repeating: StreamingStatistics(), count: outputs)
        for v in exchange.gatherRows(mine) {
            all.finite = all.finite && v[0] == 1
            all.rows += Int(v[1])
            all.correct += v[2]
            all.weightSum += v[3]
            for j in 0..<outputs {
                let at = 4 + 6 * j
                all.residual[j] += v[at]
                all.targets[j].merge(StreamingStatistics(count: Int(v[at + 1]), mean: v[at + 2], m2: v[at + 3],
                                                         minimum: v[at + 4], maximum: v[at + 5]))
            }
        }
        return all
    }
}
