import MLPCore

/// What one look at a network on the probe sample measures.
struct ProbeMeasurement {
    /// Root-mean-square weight gradient per weight layer (scale-free across layer sizes).
    var gradientRMS: [Double]
    /// Per hidden layer: the share of units whose mean f′ over the sample is below a tenth of f′'s maximum
    /// (logistic, tanh; 0 for other activations).
    var saturatedShare: [Double]
    /// Per hidden layer: the share of ReLU units that output zero on every sample row.
    var deadShare: [Double]
    var loss: Double
    /// Per hidden layer: the units' outputs on the sample, binned.
    var histograms: [ActivationHistogram]
    /// The epochs trained when it was taken (1-based).
    var epoch = 0
    /// How long taking it took, seconds.
    var seconds = 0.0
}

/// Measures gradient norms and unit activity of networks on a fixed sample of training rows.
struct NetworkProbe {
    let x: [Double]
    let rows: Int
    let target: [Double]

    /// A fixed sample of at most `maxRows` rows (the first ones: the split already shuffled them); `target` holds
    /// `targetWidth` values per row (`ProbePass`'s layout).
    init(x: Matrix<Double>, target: [Double], targetWidth: Int = 1, maxRows: Int = 256) {
        rows = min(maxRows, x.rows)
        self.x = Array(x.storage.prefix(rows * x.columns))
        self.target = Array(target.prefix(rows * targetWidth))
    }

    func measure(_ network: Network<Double>) -> ProbeMeasurement {
        let pass = ProbePass(network, x: x, rows: rows, target: target)
        let gradientRMS = (0..<network.layerCount).map { l -> Double in
            let range = network.weightRange(ofLayer: l)
            let squares = pass.gradient[range].reduce(0) { $0 + $1 * $1 }
            return (squares / Double(range.count)).squareRoot()
        }
        var saturated: [Double] = [], dead: [Double] = [], histograms: [ActivationHistogram] = []
        let hidden = network.hiddenActivation, saturates = hidden == .logistic || hidden == .tanh
        for l in 0..<(network.layerCount - 1) {
            let width = network.layerSizes[l + 1], a = pass.outputs[l + 1]
            // f′ from the outputs, as the backward pass takes it (logistic and tanh need no pre-activation).
            var derivative = [Double](repeating: 1, count: a.count)
            if saturates {
                a.withUnsafeBufferPointer { a in
                    hidden.multiplyDerivative(&derivative, output: a.baseAddress!, input: nil, count: a.count)
                }
            }
            var saturatedUnits = 0, deadUnits = 0
            for unit in 0..<width {
                let column = stride(from: unit, to: a.count, by: width)
                let meanDerivative = column.reduce(0) { $0 + derivative[$1] } / Double(rows)
                if saturates, meanDerivative < Self.maximumDerivative(hidden) / 10 { saturatedUnits += 1 }
                if hidden == .relu, column.allSatisfy({ !(a[$0] > 0) }) { deadUnits += 1 }
            }
            histograms.append(ActivationHistogram(layer: l + 1, values: a))
            saturated.append(Double(saturatedUnits) / Double(width))
            dead.append(Double(deadUnits) / Double(width))
        }
        return ProbeMeasurement(gradientRMS: gradientRMS, saturatedShare: saturated, deadShare: dead, loss: pass.loss,
                                histograms: histograms)
    }

    /// The largest value f′ takes: a unit whose mean derivative stays below a tenth of it passes little gradient on.
    static func maximumDerivative(_ activation: Activation) -> Double {
        activation == .logistic ? 0.25 : 1
    }
}
