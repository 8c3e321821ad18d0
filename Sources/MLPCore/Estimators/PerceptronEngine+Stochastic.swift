// The sgd and adam solvers: scikit-learn's `_fit_stochastic` and `_update_no_improvement_count`, split the same
// way: the validation split, one epoch of minibatches, the no-improvement count and the stopping decision.

/// The rows a stochastic fit trains on, and the held-out rows early stopping scores.
struct StochasticSplit<T: KernelFloat> {
    // targets: (n, outputs), or (n) class indices  sampleWeight: (n) or nil
    var x: Matrix<T>
    var targets: [T]
    var sampleWeight: [T]?
    var validation: (x: Matrix<T>, targets: [T], sampleWeight: [T]?)?
}

/// What one epoch's end found on the validation rows (early stopping only).
struct ValidationResult {
    let score: Double
    let loss: Double
}

extension PerceptronEngine {
    // MARK: _fit_stochastic

    /// `_fit_stochastic`: epochs of minibatch steps until `maxIter`, the stopping rule or `onEpoch` ends training;
    /// `incremental` (`partial_fit`) runs one epoch and keeps the optimizer.
    @_specialize(where T == Double)
    @_specialize(where T == Float)
    func fitStochastic(_ p: MLPParameters, x: Matrix<T>, targets: [T], outputs: Int, sampleWeight: [T]?,
                       incremental: Bool, stratifyLabels: [Int]?, stratifyClasses: [ClassLabel] = [],
                       random: inout NumPyRandomState,
                       onEpoch: ((EpochReport) -> EpochAction)?) throws {
        try startStochastic(p, incremental: incremental)
        let data = try validationSplit(p, x: x, targets: targets, outputs: outputs, sampleWeight: sampleWeight,
                                       stratifyLabels: stratifyLabels, stratifyClasses: stratifyClasses, random: &random)
        let epoch = MinibatchEpoch(network: network!, data: data, batchSize: batchSize(p, samples: data.x.rows),
                                   dropout: p.dropout, randomState: p.randomState)
        let lossFunction = lossFunction, targetLayout = targetLayout
        let validate = data.validation.map { rows in { (net: Network<T>) in self.validationResult(p, net, rows) } }
        try runEpochs(p, rows: data.x.rows, outputs: outputs, validate: validate, incremental: incremental,
                      random: &random, onEpoch: onEpoch) { net, optimizer, random in
            if p.shuffle { epoch.shuffle(using: &random) }
            let loss = epoch.run(&net, optimizer: &optimizer, loss: lossFunction, targetLayout: targetLayout,
                                 alpha: p.alpha, outputs: outputs)
            if let error = epoch.zeroWeightError(epoch: self.nIter + 1) { throw error }
            return loss
        }
    }

    /// The optimizer and the stopping state a stochastic fit starts from (kept by `partial_fit`).
    func startStochastic(_ p: MLPParameters, incremental: Bool) throws {
        if !incremental || optimizer == nil {
            optimizer = SolverOptimizer(p, parameterCount: network!.parameters.count)
        }
        if p.earlyStopping && incremental {
            throw MLPError.partialFit("partial_fit does not support early_stopping=True")
        }
        prepareStochasticState(p, parameters: network!.parameters)
    }

    /// The epoch loop of `_fit_stochastic` around `runEpoch`, which trains one epoch (minibatch steps over `rows`
    /// training rows, in memory or streamed) and returns its mean loss; `validate` scores the held-out rows (early
    /// stopping).
    func runEpochs(
        _ p: MLPParameters, rows: Int, outputs: Int, validate: ((Network<T>) throws -> ValidationResult)?,
        incremental: Bool, random: inout NumPyRandomState, onEpoch: ((EpochReport) -> EpochAction)?,
        runEpoch: (inout Network<T>, inout SolverOptimizer<T>, inout NumPyRandomState) throws -> Double
    ) throws {
        var net = network!
        defer { network = net }

        nIter = 0
        // The blow-up monitor compares with this fit's first epoch (partial_fit: the first call's).
        let firstEpoch = incremental ? 0 : lossCurve!.count
        for _ in 0..<p.maxIter {
            let lastFinite = net.parameters
            loss = try runEpoch(&net, &optimizer!, &random)
            nIter += 1
            t += rows
            lossCurve!.append(loss)
            if p.verbose { print(String(printf: "Iteration %ld, loss = %.8f", nIter, loss)) }

            if let detail = blowUp(net, firstLoss: lossCurve![firstEpoch]) {
                try stopDiverged(p, &net, lastFinite: lastFinite, detail: detail)
                return
            }

            let validation = try updateNoImprovementCount(p, net, validate: validate)
            optimizer!.iterationEnds(samplesSeen: t)
            var stops = shouldStop(p, validation: validation, onEpoch: onEpoch)
            if let exchange = DistributedTraining.rowExchange { stops = exchange.broadcast(stops) }  // process 0 decides
            if stops { break }
            if incremental {
                stopReason = "partial_fit: one epoch over the given rows."
                break
            }
            if nIter == p.maxIter {
                let message = "Stochastic Optimizer: Maximum iterations (\(p.maxIter)) reached and the optimization hasn't converged yet."
                stopReason = "Maximum iterations (\(p.maxIter)) reached and the optimization hasn't converged yet."
                warnings.append(MLPWarning(kind: .convergence, message: message, findingID: .notConverged))
            }
        }

        if p.earlyStopping, let best = bestParameters {
            net.parameters = best  // restore best weights
        } else if p.restoreBestWeights, let best = bestLossParameters {
            net.parameters = best
        }
    }

    /// The loss-blow-up monitor: what blew up this epoch (a non-finite loss or weights, or a loss above
    /// 10³ × the first epoch's), nil when nothing did. Keras' TerminateOnNaN, with a finite threshold too.
    private func blowUp(_ net: Network<T>, firstLoss: Double) -> String? {
        if !loss.isFinite || !net.isFinite { return "the training loss or the weights became non-finite" }
        if firstLoss > 0, loss > Self.blowUpFactor * firstLoss {
            return "the training loss \(Self.shortNumber(loss)) exceeded 1000 × the first epoch's loss \(Self.shortNumber(firstLoss))"
        }
        return nil
    }

    /// A loss above this multiple of the first epoch's stops training as a blow-up.
    static var blowUpFactor: Double { 1e3 }

    /// A number in at most 4 significant digits (a blown-up loss may have 130 of them in fixed point).
    static func shortNumber(_ value: Double) -> String { String(printf: "%.4g", value) }

    /// Divergence: keeps the best-validation weights with a warning under early stopping, else restores the
    /// last finite model and throws (sklearn trains on and fails at the end).
    private func stopDiverged(_ p: MLPParameters, _ net: inout Network<T>, lastFinite: [T], detail: String) throws {
        stopReason = "Training diverged at epoch \(nIter): \(detail). Stopping."
        if p.earlyStopping, let best = bestParameters {
            net.parameters = best
            warnings.append(MLPWarning(kind: .divergence,
                message: "Training diverged at epoch \(nIter) (\(detail)); stopped and restored the best-validation weights.",
                findingID: .explodingGradient))
            return
        }
        net.parameters = lastFinite
        throw MLPError.diverged(epoch: nIter, detail: detail)
    }

    /// The state a restored model (or a switch of early_stopping under warm_start) may lack, where sklearn
    /// would crash.
    private func prepareStochasticState(_ p: MLPParameters, parameters: [T]) {
        if lossCurve == nil { lossCurve = [] }
        if p.earlyStopping, validationScores == nil || bestValidationScore == nil {
            validationScores = validationScores ?? []
            validationLosses = validationLosses ?? []
            bestValidationScore = bestValidationScore ?? -.infinity
        }
        if !p.earlyStopping, bestLoss == nil { bestLoss = .infinity }
        if validationLosses == nil, validationScores != nil { validationLosses = [] }
        if bestParameters == nil { bestParameters = parameters }
    }

    /// The early-stopping split, `train_test_split(X, y[, sw], random_state=rng, stratify=...)`; all rows train
    /// without early stopping. A class too small to stratify is named by its label (`stratifyClasses`), where
    /// scikit-learn names the value of its binarized y (`['True']`).
    private func validationSplit(_ p: MLPParameters, x: Matrix<T>, targets: [T], outputs: Int, sampleWeight: [T]?,
                                 stratifyLabels: [Int]?, stratifyClasses: [ClassLabel],
                                 random: inout NumPyRandomState) throws -> StochasticSplit<T> {
        guard p.earlyStopping else { return StochasticSplit(x: x, targets: targets, sampleWeight: sampleWeight) }
        let split: (train: [Int], test: [Int])
        do {
            split = try trainTestSplitIndices(count: x.rows, testFraction: p.validationFraction,
                                              stratify: stratifyLabels, using: &random)
        } catch let error as TrainTestSplitError {
            throw MLPError.invalidParameter(error.description(classes: stratifyClasses))
        }
        if split.test.count < 2 { throw MLPError.validationSetTooSmall }
        earlyStoppingRows = EarlyStoppingRows(rowCount: x.rows, validationRows: split.test)
        let width = targetLayout.width(outputs: outputs)
        func take(_ values: [T], _ rows: [Int]) -> [T] {
            var out = [T]()
            out.reserveCapacity(rows.count * width)
            for r in rows { out.append(contentsOf: values[(r * width)..<((r + 1) * width)]) }
            return out
        }
        return StochasticSplit(
            x: x.rows(at: split.train), targets: take(targets, split.train),
            sampleWeight: sampleWeight.map { w in split.train.map { w[$0] } },
            validation: (x.rows(at: split.test), take(targets, split.test),
                         sampleWeight.map { w in split.test.map { w[$0] } }))
    }

    /// sklearn's `batch_size`: 'auto' is min(200, n); a request outside 1...n is clipped, with a warning.
    func batchSize(_ p: MLPParameters, samples: Int) -> Int {
        if let requested = p.batchSize, requested > samples {
            warnings.append(MLPWarning(kind: .batchSizeClipped,
                message: "Got `batch_size` less than 1 or larger than sample size. It is going to be clipped"))
        }
        return p.effectiveBatchSize(samples: samples)
    }

    // MARK: _update_no_improvement_count

    /// The score and the loss of `net` on held-out rows in memory.
    private func validationResult(_ p: MLPParameters, _ net: Network<T>,
                                  _ rows: (x: Matrix<T>, targets: [T], sampleWeight: [T]?)) -> ValidationResult {
        let outputs = net.predict(rows.x)
        return ValidationResult(
            score: Self.score(kind: kind, outputs: outputs, targets: rows.targets, layout: targetLayout,
                              weights: rows.sampleWeight),
            loss: lossValue(net, outputs: outputs, targets: rows.targets, weights: rows.sampleWeight, alpha: p.alpha))
    }

    /// Counts epochs without improvement by `tol`: of the validation score with early stopping, else of the
    /// training loss; keeps the best parameters. Returns the validation score and loss (early stopping only).
    private func updateNoImprovementCount(
        _ p: MLPParameters, _ net: Network<T>, validate: ((Network<T>) throws -> ValidationResult)?
    ) throws -> ValidationResult? {
        guard let validate else {
            if loss > bestLoss! - p.tol { noImprovementCount += 1 } else { noImprovementCount = 0 }
            if loss < bestLoss! {
                bestLoss = loss
                if p.restoreBestWeights { bestLossParameters = net.parameters }
            }
            return nil
        }
        let result = try validate(net)
        var score = result.score
        // Data-parallel: every process scores the same weights; process 0's score decides for all.
        if let exchange = DistributedTraining.rowExchange { score = exchange.broadcast(score) }
        validationScores!.append(score)
        let validationLoss = result.loss
        validationLosses!.append(validationLoss)
        if p.verbose { print(String(printf: "Validation score: %f", score)) }
        // Fixed: sklearn's `NaN < best + tol` is false and resets the counter; a NaN score counts as no improvement.
        if score.isNaN || score < bestValidationScore! + p.tol {
            noImprovementCount += 1
        } else {
            noImprovementCount = 0
        }
        if score > bestValidationScore! {
            bestValidationScore = score
            bestParameters = net.parameters
        }
        return ValidationResult(score: score, loss: validationLoss)
    }

    /// The end of `_fit_stochastic`'s epoch: after `n_iter_no_change` epochs without improvement the optimizer
    /// stops training (or adapts its learning rate and the count restarts); then `onEpoch` may stop it.
    private func shouldStop(_ p: MLPParameters, validation: ValidationResult?,
                            onEpoch: ((EpochReport) -> EpochAction)?) -> Bool {
        let maxNoImprovement = p.nIterNoChange
        if Double(noImprovementCount) > maxNoImprovement {
            let message = p.earlyStopping
                ? String(printf: "Validation score did not improve more than tol=%f for %ld consecutive epochs.", p.tol, Int(maxNoImprovement))
                : String(printf: "Training loss did not improve more than tol=%f for %ld consecutive epochs.", p.tol, Int(maxNoImprovement))
            if optimizer!.triggerStopping(message, verbose: p.verbose) {
                let adaptive = p.solver == .sgd && p.learningRate == .adaptive
                stopReason = message + (adaptive ? " Learning rate too small. Stopping." : " Stopping.")
                return true
            }
            noImprovementCount = 0
        }
        guard let onEpoch else { return false }
        let report = EpochReport(epoch: nIter, maxIter: p.maxIter, loss: loss, validationScore: validation?.score,
                                 validationLoss: validation?.loss, learningRate: optimizer!.learningRate,
                                 samplesSeen: t, noImprovementCount: noImprovementCount)
        switch onEpoch(report) {
        case .continue:
            return false
        case .stop:
            stopReason = "The epoch callback stopped training after epoch \(nIter)."
        case .interrupted:
            stopReason = "Training was interrupted after epoch \(nIter)."
        }
        return true
    }
}
