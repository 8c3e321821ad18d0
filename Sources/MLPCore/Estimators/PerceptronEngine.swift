// The training engine shared by MLPClassifier and MLPRegressor: scikit-learn's BaseMultilayerPerceptron
// (`_fit`, `_initialize`, `_fit_stochastic`, `_update_no_improvement_count`, `_fit_lbfgs`), step for step,
// so that the same data and random_state give the same model.
//
// Shapes: x: (n, nFeatures) row-major · targets: (n, nOutputs) row-major · sampleWeight: (n) or nil.
// The classifier hands in binarized targets (LabelBinarizer); the regressor its y.

/// Which estimator the engine serves: decides the score (accuracy or R²) and the error wording.
enum EstimatorRole {
    case classifier(TargetType)
    case regressor

    var isClassifier: Bool { if case .classifier = self { return true } else { return false } }
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
    /// The rows the last in-memory fit held out for early stopping; nil without it.
    var earlyStoppingRows: EarlyStoppingRows?
    var noImprovementCount = 0
    var bestParameters: [T]?
    var bestLossParameters: [T]?
    var optimizer: SolverOptimizer<T>?
    var warnings: [MLPWarning] = []
    /// Why the last fit stopped, in scikit-learn's words where it has them.
    var stopReason: String?
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

    /// Draws a fresh network; `samples` are the rows predicted at once (for the memory estimate).
    func initialize(_ p: MLPParameters, layerSizes: [Int], samples: Int, outputActivation: Activation, loss: Loss,
                    random: inout NumPyRandomState) throws {
        // Refused before allocating: a Swift allocation that fails traps, and absurd sizes overflow Int.
        try MemoryEstimate.training(layerSizes: layerSizes, samples: samples, parameters: p,
                                    elementBytes: MemoryLayout<T>.size).check(request: "fitting \(estimatorName)")
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

    /// One `fit` / `partial_fit` call on validated data. `firstPass` re-initializes the weights. `stratifyLabels`: each
    /// row's class index for the early-stopping split, into `stratifyClasses` (which name them in messages).
    @_specialize(where T == Double)
    @_specialize(where T == Float)
    // targets: (n, outputs), or (n) class indices when `targetLayout` is `.classIndices`
    func fit(_ p: MLPParameters, x: Matrix<T>, targets: [T], targetLayout: TargetLayout = .rows, outputs: Int,
             sampleWeight: [T]?, incremental: Bool, firstPass: Bool, outputActivation: Activation, loss: Loss,
             stratifyLabels: [Int]?, stratifyClasses: [ClassLabel] = [],
             onEpoch: ((EpochReport) -> EpochAction)?) throws {
        warnings = []
        stopReason = nil
        earlyStoppingRows = nil
        self.targetLayout = targetLayout
        var random = makeRandomState(p)
        defer { if p.randomState == nil { unseededRandom = random } }
        let layerSizes = [x.columns] + p.hiddenLayerSizes + [outputs]
        let curveStart = firstPass ? 0 : lossCurve?.count ?? 0
        if firstPass {
            try initialize(p, layerSizes: layerSizes, samples: x.rows, outputActivation: outputActivation, loss: loss,
                           random: &random)
        } else if network!.layerSizes != layerSizes {
            throw MLPError.invalidParameter(
                "The network shape \(network!.layerSizes) of the previous fit differs from \(layerSizes); "
                    + "use warm_start=false to start over.")
        } else {
            try network!.checkParameterCount(owner: estimatorName)
            // A regressor's loss changed since the previous fit: its output layer cannot carry on (scikit-learn keeps
            // `out_activation_` and feeds the identity's outputs to the Poisson loss, which turns to nan).
            if network!.outputActivation != outputActivation {
                throw MLPError.invalidParameter(
                    "The network of the previous fit has output activation '\(network!.outputActivation.rawValue)', but "
                        + "loss='\(loss.rawValue)' needs '\(outputActivation.rawValue)'; use warm_start=false to start over.")
            }
            // scikit-learn reads `activation` at every forward pass, so a warm start goes on with the one set now.
            network!.hiddenActivation = p.activation
        }
        if p.solver.isStochastic {
            try fitStochastic(p, x: x, targets: targets, outputs: outputs, sampleWeight: sampleWeight,
                              incremental: incremental, stratifyLabels: stratifyLabels,
                              stratifyClasses: stratifyClasses, random: &random,
                              onEpoch: onEpoch)
        } else {
            try fitLBFGS(p, x: x, targets: targets, outputs: outputs, sampleWeight: sampleWeight, onEpoch: onEpoch)
        }
        if !network!.isFinite {
            stopReason = "Training diverged at iteration \(nIter): Solver produced non-finite parameter weights. Stopping."
            throw MLPError.diverged(epoch: nIter, detail: "Solver produced non-finite parameter weights")
        }
        runMonitors(p, x: x, targets: targets, outputs: outputs, curveStart: curveStart, incremental: incremental)
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
