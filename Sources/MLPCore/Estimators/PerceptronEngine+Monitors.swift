// The live training monitors: cheap detectors that run once a fit ends, on the loss curve, on the units of a
// sample of rows and on the regression target, and leave `MLPWarning`s named with `mlp diagnose`'s ids. They
// read the result and never touch the training loop, so a fit gives the same bits with or without them.
// (The loss blow-up monitor must stop training, so it lives in the epoch loop: `blowUp` in
// PerceptronEngine+Stochastic.swift; the not-converged one is the max_iter ConvergenceWarning.)

/// Thresholds of the live monitors, in one place.
enum MonitorThreshold {
    /// Epochs of the loss curve's tail that the oscillation monitor reads.
    static let oscillationWindow = 20
    /// The fewest epochs the oscillation monitor judges.
    static let oscillationMinimumEpochs = 10
    /// Above half of the successive differences reversing direction: noise reverses about 2/3 of them.
    static let oscillationSignChangeShare = 0.5
    /// The mean |Δloss| over the mean loss in the window: a descent that merely jitters near its floor moves less.
    static let oscillationRelativeSwing = 0.05
    /// The most rows the unit monitors push through the network.
    static let unitSampleRows = 1000
    /// A layer where at least this share of the units is saturated (or dead) gets a warning.
    static let unitShare = 0.5
}

extension PerceptronEngine {
    /// Runs the monitors after a finished `fit` (not after a `partial_fit` step, where the curve is the caller's).
    func runMonitors(_ p: MLPParameters, x: Matrix<T>, targets: [T], outputs: Int, curveStart: Int, incremental: Bool) {
        guard !incremental else { return }
        if p.solver.isStochastic, let curve = lossCurve, curveStart < curve.count {
            if let warning = Self.oscillation(Array(curve[curveStart...])) { warnings.append(warning) }
        }
        if let network { warnings += Self.unitWarnings(network, x: x) }
        if case .regressor = kind, targetLayout == .rows {
            warnings += Self.unscaledTargetWarnings(targets, outputs: outputs)
        }
    }

    /// `oscillating-loss`: the loss curve's tail reverses direction more often than a descent does, by a swing
    /// that is a visible part of the loss.
    static func oscillation(_ curve: [Double]) -> MLPWarning? {
        guard curve.count >= MonitorThreshold.oscillationMinimumEpochs else { return nil }
        let window = Array(curve.suffix(MonitorThreshold.oscillationWindow))
        var changes = 0, pairs = 0, swing = 0.0
        for i in 1..<window.count {
            swing += abs(window[i] - window[i - 1])
            guard i >= 2 else { continue }
            let a = window[i - 1] - window[i - 2], b = window[i] - window[i - 1]
            if a != 0 && b != 0 {
                pairs += 1
                if (a > 0) != (b > 0) { changes += 1 }
            }
        }
        let meanLoss = window.reduce(0, +) / Double(window.count)
        guard pairs > 0, meanLoss > 0 else { return nil }
        let share = Double(changes) / Double(pairs)
        let relativeSwing = swing / Double(window.count - 1) / meanLoss
        guard share > MonitorThreshold.oscillationSignChangeShare,
              relativeSwing > MonitorThreshold.oscillationRelativeSwing else { return nil }
        let message = "The training loss oscillates: \(changes) of the last \(pairs) loss changes reversed direction, "
            + "by \(percent(relativeSwing)) of the loss on average. The step is too large: lower learning_rate_init."
        return MLPWarning(kind: .monitor, message: message, findingID: .oscillatingLoss)
    }

    /// `saturated-units` (logistic, tanh) and `dead-units` (ReLU) on at most 1000 evenly spaced rows, through
    /// the public forward pass of the network cut after each hidden layer.
    static func unitWarnings(_ network: Network<T>, x: Matrix<T>) -> [MLPWarning] {
        let hidden = network.hiddenActivation
        guard network.layerCount > 1, x.rows > 0, [.logistic, .tanh, .relu].contains(hidden) else { return [] }
        let stride = (x.rows + MonitorThreshold.unitSampleRows - 1) / MonitorThreshold.unitSampleRows
        let sample = x.rows(at: Array(Swift.stride(from: 0, to: x.rows, by: stride)))
        var warnings: [MLPWarning] = []
        for layer in 0..<(network.layerCount - 1) {
            let width = network.layerSizes[layer + 1]
            let a = hiddenOutputs(network, through: layer, x: sample)
            var flagged = 0
            for unit in 0..<width {
                var derivativeSum = 0.0, active = false
                for r in 0..<sample.rows {
                    let v = Double(a.storage[r * width + unit])
                    derivativeSum += hidden == .logistic ? v * (1 - v) : 1 - v * v
                    if v > 0 { active = true }
                }
                let maxDerivative = hidden == .logistic ? 0.25 : 1.0
                if hidden == .relu ? !active : derivativeSum / Double(sample.rows) < maxDerivative / 10 { flagged += 1 }
            }
            let share = Double(flagged) / Double(width)
            guard share >= MonitorThreshold.unitShare else { continue }
            let where_ = "hidden layer \(layer + 1) (\(flagged) of \(width) units, on \(sample.rows) rows)"
            if hidden == .relu {
                warnings.append(MLPWarning(kind: .monitor, findingID: .deadUnits, message:
                    "\(percent(share)) of the ReLU units of \(where_) output 0 on every row: they no longer learn. "
                    + "Lower learning_rate_init, or use activation='leaky_relu'."))
            } else {
                warnings.append(MLPWarning(kind: .monitor, findingID: .saturatedUnits, message:
                    "\(percent(share)) of the \(hidden.rawValue) units of \(where_) are saturated (mean derivative "
                    + "below a tenth of its maximum): their gradients vanish. Scale the inputs, or use activation='relu'."))
            }
        }
        return warnings
    }

    /// The outputs of hidden layer `layer`: the network's first `layer + 1` layers as a network of their own.
    static func hiddenOutputs(_ network: Network<T>, through layer: Int, x: Matrix<T>) -> Matrix<T> {
        var head = Network<T>(layerSizes: Array(network.layerSizes[0...(layer + 1)]),
                              hiddenActivation: network.hiddenActivation, outputActivation: network.hiddenActivation)
        for l in 0...layer {
            head.setCoefficients(network.coefficients(ofLayer: l), ofLayer: l)
            head.setIntercepts(network.intercepts(ofLayer: l), ofLayer: l)
        }
        return head.predict(x)
    }

    /// `unscaled-target`: a regression target far from unit scale (``UnscaledTarget``, as `mlp train`'s note).
    static func unscaledTargetWarnings(_ targets: [T], outputs: Int) -> [MLPWarning] {
        guard outputs > 0, let found = UnscaledTarget.first(rows: targets.count / outputs, columns: outputs, {
            Double(targets[$0 * outputs + $1])
        }) else { return [] }
        let which = outputs > 1 ? "Target column \(found.column)" : "The target"
        return [MLPWarning(kind: .monitor, findingID: .unscaledTarget, message:
            "\(which) has mean \(shortNumber(found.mean)) and standard deviation \(shortNumber(found.deviation)); a "
            + "network fits a standardized target far better: scale it (StandardScaler on y, or MLPPipeline's target "
            + "scaling).")]
    }

    private static func percent(_ share: Double) -> String { String(printf: "%.0f%%", 100 * share) }
}

extension MLPWarning {
    /// A monitor warning, its id first (the memberwise initializer takes the message first).
    init(kind: Kind, findingID: FindingID, message: String) {
        self.init(kind: kind, message: message, findingID: findingID)
    }
}
