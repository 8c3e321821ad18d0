// The training engine shared by MLPClassifier and MLPRegressor: scikit-learn's BaseMultilayerPerceptron
// (`_fit`, `_initialize`, `_fit_stochastic`, `_update_no_improvement_count`, `_fit_lbfgs`), step for step,
// so that the same data and random_state give the same model.
//
// Shapes: x: (n, nFeatures) row-major · targets: (n, nOutputs) row-major · sampleWeight: (n) or nil.
// The classifier hands in binarized targets (LabelBinarizer); the regressor its y.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Which estimator the engine serves: decides the score (accuracy or R²) and the error wording.
enum EstimatorRole {
    case classifier(TargetType)
    case regressor

    var isClassifier: Bool { if case .classifier = self { return true } else { return false } }
}

/// The stochastic optimizer with sklearn's schedule hooks (`iteration_ends`, `trigger_stopping`).
struct ScheduledOptimizer<T: KernelFloat> {
    // Two stored optionals rather than an enum with payloads: mutating a payload copies it out, and the copied
    // moment/velocity arrays would then be duplicated (allocated) on every batch. `x!.update` mutates in place.
    private var sgd: MomentumSGD<T>?
    private var adam: Adam<T>?
    let schedule: LearningRateSchedule
    let learningRateInit: Double
    let powerT: Double

    init(_ p: MLPParameters, parameterCount: Int) {
        schedule = p.learningRate
        learningRateInit = p.learningRateInit
        powerT = p.powerT
        switch p.solver {
        case .adam:
            adam = Adam(parameterCount: parameterCount, learningRate: p.learningRateInit,
                        beta1: p.beta1, beta2: p.beta2, epsilon: p.epsilon)
        default:
            sgd = MomentumSGD(parameterCount: parameterCount, learningRate: p.learningRateInit,
                              momentum: p.momentum, nesterov: p.nesterovsMomentum)
        }
    }

    var learningRate: Double { sgd?.learningRate ?? adam!.learningRate }

    mutating func withUpdateStep<R>(_ body: (ParameterUpdate<T>) -> R) -> R {
        sgd != nil ? sgd!.withUpdateStep(body) : adam!.withUpdateStep(body)
    }

    /// `SGDOptimizer.iteration_ends`: invscaling sets η = η₀ / (t + 1)^power_t, t = samples seen.
    mutating func iterationEnds(samplesSeen t: Int) {
        guard sgd != nil, schedule == .invscaling else { return }
        sgd!.learningRate = learningRateInit / pow(Double(t + 1), powerT)
    }

    /// `trigger_stopping`: true to stop. Adaptive SGD divides η by 5 instead, until η ≤ 1e-6.
    mutating func triggerStopping(_ message: String, verbose: Bool) -> Bool {
        guard sgd != nil, schedule == .adaptive else {
            if verbose { print(message + " Stopping.") }
            return true
        }
        if sgd!.learningRate <= 1e-6 {
            if verbose { print(message + " Learning rate too small. Stopping.") }
            return true
        }
        sgd!.learningRate /= 5.0
        if verbose { print(message + String(printf: " Setting learning rate to %f", sgd!.learningRate)) }
        return false
    }
}

/// Fitted state and training loop. The public estimators own one and expose its state.
final class PerceptronEngine<T: KernelFloat> {
    let estimatorName: String
    var kind: EstimatorRole

    var network: Network<T>?
    var lossFunction: Loss = .squaredError
    /// How the targets of the fit under way are stored (class indices for a multiclass classifier).
    var targetLayout = TargetLayout.rows
    var nIter = 0
    var t = 0
    var loss: Double = .nan
    var bestLoss: Double?
    var lossCurve: [Double]?
    var validationScores: [Double]?
    var validationLosses: [Double]?
    var bestValidationScore: Double?
    var noImprovementCount = 0
    var bestParameters: [T]?
    var bestLossParameters: [T]?
    var optimizer: ScheduledOptimizer<T>?
    var warnings: [MLPWarning] = []
    /// The stream used when random_state is nil (sklearn: numpy's global RandomState, never re-seeded).
    var unseededRandom: NumPyRandomState?

    init(estimatorName: String, kind: EstimatorRole) {
        self.estimatorName = estimatorName
        self.kind = kind
    }

    var isFitted: Bool { network != nil }

    /// `check_random_state(self.random_state)`, called at every `_fit`: an int seed restarts the stream.
    func makeRandomState(_ p: MLPParameters) -> NumPyRandomState {
        if let seed = p.randomState { return NumPyRandomState(seed: UInt32(seed)) }
        if unseededRandom == nil { unseededRandom = NumPyRandomState(seed: UInt32.random(in: .min ... .max)) }
        return unseededRandom!
    }

    // MARK: _initialize

    func initialize(_ p: MLPParameters, layerSizes: [Int], outputActivation: Activation, loss: Loss,
                    random: inout NumPyRandomState) {
        nIter = 0
        t = 0
        var net = Network<T>(layerSizes: layerSizes, hiddenActivation: p.activation, outputActivation: outputActivation)
        Initializer.glorotUniform.initialize(&net, using: &random)
        network = net
        lossFunction = loss
        bestParameters = net.parameters
        bestLossParameters = nil
        optimizer = nil
        if p.solver.isStochastic {
            lossCurve = []
            noImprovementCount = 0
            if p.earlyStopping {
                validationScores = []
                validationLosses = []
                bestValidationScore = -.infinity
                bestLoss = nil
            } else {
                bestLoss = .infinity
                validationScores = nil
                validationLosses = nil
                bestValidationScore = nil
            }
        } else {
            lossCurve = nil
            bestLoss = nil
            validationScores = nil
            validationLosses = nil
            bestValidationScore = nil
        }
    }

    // MARK: _fit

    /// One `fit` / `partial_fit` call on validated data. `firstPass` re-initializes the weights.
    @_specialize(where T == Double)
    @_specialize(where T == Float)
    // targets: (n, outputs), or (n) class indices when `targetLayout` is `.classIndices`
    func fit(_ p: MLPParameters, x: Matrix<T>, targets: [T], targetLayout: TargetLayout = .rows, outputs: Int,
             sampleWeight: [T]?, incremental: Bool, firstPass: Bool, outputActivation: Activation, loss: Loss,
             stratifyLabels: [Int]?, onEpoch: ((EpochReport) -> EpochAction)?) throws {
        warnings = []
        self.targetLayout = targetLayout
        var random = makeRandomState(p)
        defer { if p.randomState == nil { unseededRandom = random } }
        let layerSizes = [x.columns] + p.hiddenLayerSizes + [outputs]
        if firstPass {
            initialize(p, layerSizes: layerSizes, outputActivation: outputActivation, loss: loss, random: &random)
        } else if network!.layerSizes != layerSizes {
            throw MLPError.invalidParameter(
                "The network shape \(network!.layerSizes) of the previous fit differs from \(layerSizes); "
                    + "use warm_start=false to start over.")
        }
        if p.solver.isStochastic {
            try fitStochastic(p, x: x, targets: targets, outputs: outputs, sampleWeight: sampleWeight,
                              incremental: incremental, stratifyLabels: stratifyLabels, random: &random,
                              onEpoch: onEpoch)
        } else {
            try fitLBFGS(p, x: x, targets: targets, outputs: outputs, sampleWeight: sampleWeight, onEpoch: onEpoch)
        }
        if !network!.isFinite {
            throw MLPError.diverged(epoch: nIter, detail: "Solver produced non-finite parameter weights")
        }
    }

    // MARK: _fit_stochastic

    @_specialize(where T == Double)
    @_specialize(where T == Float)
    func fitStochastic(_ p: MLPParameters, x: Matrix<T>, targets: [T], outputs: Int, sampleWeight: [T]?,
                       incremental: Bool, stratifyLabels: [Int]?, random: inout NumPyRandomState,
                       onEpoch: ((EpochReport) -> EpochAction)?) throws {
        var net = network!
        if !incremental || optimizer == nil {
            optimizer = ScheduledOptimizer(p, parameterCount: net.parameters.count)
        }
        if p.earlyStopping && incremental {
            throw MLPError.partialFit("partial_fit does not support early_stopping=True")
        }
        // State a restored model (or a switch of early_stopping under warm_start) may lack; sklearn would crash.
        if lossCurve == nil { lossCurve = [] }
        if p.earlyStopping, validationScores == nil || bestValidationScore == nil {
            validationScores = validationScores ?? []
            validationLosses = validationLosses ?? []
            bestValidationScore = bestValidationScore ?? -.infinity
        }
        if !p.earlyStopping, bestLoss == nil { bestLoss = .infinity }
        if validationLosses == nil, validationScores != nil { validationLosses = [] }
        if bestParameters == nil { bestParameters = net.parameters }

        // The early-stopping split: train_test_split(X, y[, sw], random_state=rng, stratify=...).
        var xTrain = x, yTrain = targets, swTrain = sampleWeight
        var validation: (x: Matrix<T>, y: [T], sw: [T]?)?
        if p.earlyStopping {
            let split: (train: [Int], test: [Int])
            do {
                split = try trainTestSplitIndices(count: x.rows, testFraction: p.validationFraction,
                                                  stratify: stratifyLabels, using: &random)
            } catch let error as TrainTestSplitError {
                throw MLPError.invalidParameter(error.description)
            }
            if split.test.count < 2 { throw MLPError.validationSetTooSmall }
            let width = targetLayout.width(outputs: outputs)
            func take(_ values: [T], _ rows: [Int]) -> [T] {
                var out = [T]()
                out.reserveCapacity(rows.count * width)
                for r in rows { out.append(contentsOf: values[(r * width)..<((r + 1) * width)]) }
                return out
            }
            xTrain = x.rows(at: split.train)
            yTrain = take(targets, split.train)
            swTrain = sampleWeight.map { w in split.train.map { w[$0] } }
            validation = (x.rows(at: split.test), take(targets, split.test), sampleWeight.map { w in split.test.map { w[$0] } })
        }

        let nSamples = xTrain.rows
        let batchSize: Int
        if let requested = p.batchSize {
            if requested > nSamples {
                warnings.append(MLPWarning(kind: .batchSizeClipped,
                    message: "Got `batch_size` less than 1 or larger than sample size. It is going to be clipped"))
            }
            batchSize = min(max(requested, 1), nSamples)
        } else {
            batchSize = min(200, nSamples)
        }

        let workspace = Backpropagation<T>(layerSizes: net.layerSizes, maxRows: batchSize,
                                           hiddenActivation: net.hiddenActivation,
                                           outputActivation: net.outputActivation)
        var gradient = [T](repeating: 0, count: net.parameters.count)
        var sampleIndex = Array(0..<nSamples)
        let reportedScale = T(lossFunction.reportedScale(outputs: outputs))
        let halfAlpha = T(0.5 * p.alpha), alpha = T(p.alpha)
        let maxNoImprovement = p.nIterNoChange
        if p.dropout > 0 {
            workspace.enableDropout(rate: p.dropout,
                                    seed: p.randomState.map { UInt32(truncatingIfNeeded: $0 &+ 7919) } ?? UInt32.random(in: .min ... .max))
        }
        defer { network = net }

        nIter = 0
        for _ in 0..<p.maxIter {
            if p.shuffle {
                // sklearn.utils.shuffle(sample_idx, random_state=rng): sample_idx[rng.permutation(n)]. The permutation
                // is arange(n) put through a fixed sequence of swaps; making those swaps on sample_idx itself gives
                // the same order from the same draws, without two more n-element arrays.
                random.shuffle(&sampleIndex)
            }
            let lastFinite = net.parameters
            var accumulated: T = 0
            var start = 0
            while start < nSamples {
                // gen_batches(n, batch_size): full batches, then the remainder.
                let rows = min(batchSize, nSamples - start)
                let nextRows = min(batchSize, nSamples - start - rows)
                // X[batch], y[batch] are gathered inside the step; sw_sum in row order.
                let batch = start..<(start + rows)
                var normalizer: T = 0
                if let w = swTrain { for r in batch { normalizer += w[sampleIndex[r]] } } else { normalizer = T(rows) }
                let (dataLoss, squaredNorm): (T, T) = xTrain.storage.withUnsafeBufferPointer { xs in
                    yTrain.withUnsafeBufferPointer { ys in
                        withOptionalPointer(swTrain) { sw in
                            sampleIndex.withUnsafeBufferPointer { indices in
                                gradient.withUnsafeMutableBufferPointer { g in
                                    optimizer!.withUpdateStep { step in
                                        workspace.trainingStep(
                                            &net, x: xs.baseAddress!, targets: ys.baseAddress!,
                                            targetLayout: targetLayout, sampleWeights: sw,
                                            rowIndices: indices.baseAddress! + start, rows: rows,
                                            nextRowIndices: nextRows > 0 ? indices.baseAddress! + start + rows : nil,
                                            nextRows: nextRows, loss: lossFunction,
                                            alpha: alpha, normalizer: normalizer, gradient: g.baseAddress!, update: step)
                                    }
                                }
                            }
                        }
                    }
                }
                // _backprop: loss = data loss (sklearn's averaging) + (0.5·alpha)·Σ||W||² / sw_sum
                let batchLoss = dataLoss * reportedScale / normalizer + halfAlpha * squaredNorm / normalizer
                accumulated += batchLoss * T(rows)
                start += rows
            }

            nIter += 1
            loss = Double(accumulated / T(nSamples))
            t += nSamples
            lossCurve!.append(loss)
            if p.verbose { print(String(printf: "Iteration %ld, loss = %.8f", nIter, loss)) }

            // Divergence: keep the last finite model (sklearn trains on and fails at the end).
            if !loss.isFinite || !net.isFinite {
                if p.earlyStopping, let best = bestParameters {
                    net.parameters = best
                    warnings.append(MLPWarning(kind: .divergence,
                        message: "Training diverged at epoch \(nIter) (non-finite loss or weights); stopped and restored the best-validation weights."))
                    return
                }
                net.parameters = lastFinite
                throw MLPError.diverged(epoch: nIter, detail: "the training loss or the weights became non-finite")
            }

            // _update_no_improvement_count
            var validationScore: Double?, validationLoss: Double?
            if let validation {
                let outputsValue = net.predict(validation.x)
                let score = Self.score(kind: kind, outputs: outputsValue, targets: validation.y, layout: targetLayout,
                                       weights: validation.sw)
                validationScore = score
                validationScores!.append(score)
                validationLoss = lossValue(net, outputs: outputsValue, targets: validation.y, weights: validation.sw, alpha: p.alpha)
                validationLosses!.append(validationLoss!)
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
            } else {
                if loss > bestLoss! - p.tol { noImprovementCount += 1 } else { noImprovementCount = 0 }
                if loss < bestLoss! {
                    bestLoss = loss
                    if p.restoreBestWeights { bestLossParameters = net.parameters }
                }
            }

            optimizer!.iterationEnds(samplesSeen: t)

            var stop = false
            if Double(noImprovementCount) > maxNoImprovement {
                let message = validation != nil
                    ? String(printf: "Validation score did not improve more than tol=%f for %ld consecutive epochs.", p.tol, Int(maxNoImprovement))
                    : String(printf: "Training loss did not improve more than tol=%f for %ld consecutive epochs.", p.tol, Int(maxNoImprovement))
                if optimizer!.triggerStopping(message, verbose: p.verbose) { stop = true } else { noImprovementCount = 0 }
            }
            if let onEpoch, !stop {
                let report = EpochReport(epoch: nIter, maxIter: p.maxIter, loss: loss, validationScore: validationScore,
                                         validationLoss: validationLoss, learningRate: optimizer!.learningRate,
                                         samplesSeen: t, noImprovementCount: noImprovementCount)
                if onEpoch(report) == .stop { stop = true }
            }
            if stop || incremental { break }
            if nIter == p.maxIter {
                warnings.append(MLPWarning(kind: .convergence,
                    message: "Stochastic Optimizer: Maximum iterations (\(p.maxIter)) reached and the optimization hasn't converged yet."))
            }
        }

        if p.earlyStopping, let best = bestParameters {
            net.parameters = best  // restore best weights
        } else if p.restoreBestWeights, let best = bestLossParameters {
            net.parameters = best
        }
    }

    // MARK: Scores and losses on held-out data

    /// The training loss formula (data term + L2 penalty, sklearn's normalization) on given outputs.
    func lossValue(_ net: Network<T>, outputs: Matrix<T>, targets: [T], weights: [T]?, alpha: Double) -> Double {
        let rows = outputs.rows, k = outputs.columns
        var delta = [T](repeating: 0, count: rows * k)
        let data: T = outputs.storage.withUnsafeBufferPointer { o in
            targets.withUnsafeBufferPointer { y in
                delta.withUnsafeMutableBufferPointer { d in
                    if let weights {
                        return weights.withUnsafeBufferPointer { w in
                            lossFunction.valueAndOutputDelta(
                                predicted: o.baseAddress!, target: y.baseAddress!, targetLayout: targetLayout,
                                weights: w.baseAddress!, rows: rows,
                                outputs: k, activation: net.outputActivation, preActivation: nil, delta: d.baseAddress!)
                        }
                    }
                    return lossFunction.valueAndOutputDelta(
                        predicted: o.baseAddress!, target: y.baseAddress!, targetLayout: targetLayout, weights: nil,
                        rows: rows, outputs: k,
                        activation: net.outputActivation, preActivation: nil, delta: d.baseAddress!)
                }
            }
        }
        let normalizer = weights.map { Double($0.reduce(0, +)) } ?? Double(rows)
        return Double(data) * lossFunction.reportedScale(outputs: k) / normalizer
            + 0.5 * alpha * Double(net.squaredWeightNorm) / normalizer
    }

    /// Accuracy (classifier: binary/multiclass on the class, multilabel on the whole row) or R²
    /// (regressor, uniform average over outputs), weighted; NaN when an output is not finite.
    // targets: (n, outputs), or (n) class indices for `.classIndices`
    static func score(kind: EstimatorRole, outputs: Matrix<T>, targets: [T], layout: TargetLayout = .rows,
                      weights: [T]?) -> Double {
        let n = outputs.rows, k = outputs.columns
        if outputs.storage.contains(where: { !$0.isFinite }) { return .nan }
        let w: (Int) -> Double = { i in weights.map { Double($0[i]) } ?? 1 }
        switch kind {
        case .classifier(let type):
            var correct = 0.0, total = 0.0
            outputs.storage.withUnsafeBufferPointer { o in
                for r in 0..<n {
                    let hit: Bool
                    switch type {
                    case .binary:
                        hit = (o[r] > 0.5) == (targets[r] == 1)
                    case .multiclass:
                        let predicted = LabelBinarizer.argmax(o, offset: r * k, count: k)
                        hit = layout == .classIndices ? targets[r].truncatedInt == predicted : targets[r * k + predicted] == 1
                    case .multilabelIndicator:
                        hit = (0..<k).allSatisfy { (o[r * k + $0] > 0.5) == (targets[r * k + $0] == 1) }
                    }
                    total += w(r)
                    if hit { correct += w(r) }
                }
            }
            return correct / total
        case .regressor:
            return r2Score(predicted: outputs.storage, targets: targets, rows: n, outputs: k, weights: weights)
        }
    }

    /// sklearn's `r2_score(..., multioutput='uniform_average')` with force_finite.
    static func r2Score(predicted: [T], targets: [T], rows n: Int, outputs k: Int, weights: [T]?) -> Double {
        var total = 0.0
        for j in 0..<k {
            var sw = 0.0, mean = 0.0
            for r in 0..<n {
                let wi = weights.map { Double($0[r]) } ?? 1
                sw += wi
                mean += wi * Double(targets[r * k + j])
            }
            mean /= sw
            var numerator = 0.0, denominator = 0.0
            for r in 0..<n {
                let wi = weights.map { Double($0[r]) } ?? 1
                let y = Double(targets[r * k + j]), yhat = Double(predicted[r * k + j])
                numerator += wi * (y - yhat) * (y - yhat)
                denominator += wi * (y - mean) * (y - mean)
            }
            if denominator == 0 {
                total += numerator == 0 ? 1 : 0
            } else {
                total += 1 - numerator / denominator
            }
        }
        return total / Double(k)
    }
}

/// `body` with the array's base address, or nil for a nil array.
private func withOptionalPointer<T, R>(_ array: [T]?, _ body: (UnsafePointer<T>?) -> R) -> R {
    guard let array else { return body(nil) }
    return array.withUnsafeBufferPointer { body($0.baseAddress!) }
}
