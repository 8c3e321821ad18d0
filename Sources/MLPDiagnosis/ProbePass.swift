import MLPCore

// The library's own forward and backward pass (`Backpropagation`) in Double on a small fixed sample, its loss
// without the penalty, so that gradient norms and unit activity are read after any epoch with training's formulas.

/// One pass through a network on a batch: the mean data loss, its gradient and every layer's outputs.
struct ProbePass {
    /// Outputs of every layer, input first, (rows, layerSizes[l]) each.
    var outputs: [[Double]]
    /// The data loss of the network's canonical loss, averaged over the rows and summed over the outputs.
    var loss: Double
    /// ∂loss/∂parameters (plus the penalty's αW/rows), laid out as `network.parameters`.
    var gradient: [Double]

    /// Runs the pass. `target` holds a class index per row (softmax outputs), else the outputs' targets row-major
    /// (rows, outputs): a value per regression output, a 0/1 per label, or a binary class index. `alpha` adds
    /// the L2 penalty's αW/rows to the weights' gradient (not to the loss).
    init(_ network: Network<Double>, x: [Double], rows: Int, target: [Double], alpha: Double = 0) {
        let workspace = Backpropagation<Double>(layerSizes: network.layerSizes, maxRows: rows,
                                                hiddenActivation: network.hiddenActivation,
                                                outputActivation: network.outputActivation)
        let layout: TargetLayout = network.outputActivation == .softmax ? .classIndices : .rows
        var gradient = [Double](repeating: 0, count: network.parameters.count)
        let summed = x.withUnsafeBufferPointer { x in
            target.withUnsafeBufferPointer { y in
                gradient.withUnsafeMutableBufferPointer { g in
                    workspace.lossAndGradient(network, input: x.baseAddress!, target: y.baseAddress!,
                                              targetLayout: layout, rows: rows, sampleWeights: nil,
                                              loss: Self.canonicalLoss(network.outputActivation), alpha: alpha,
                                              normalizer: Double(rows), gradient: g.baseAddress!)
                }
            }
        }
        self.gradient = gradient
        loss = summed / Double(rows)
        outputs = [x] + (1..<network.layerSizes.count).map { l in
            Array(UnsafeBufferPointer(start: workspace.outputs(ofLayer: l), count: rows * network.layerSizes[l]))
        }
    }

    /// The loss whose output delta is ŷ − y for this output activation, as scikit-learn pairs them.
    static func canonicalLoss(_ output: Activation) -> Loss {
        switch output {
        case .softmax: return .logLoss
        case .logistic: return .binaryLogLoss
        case .exp: return .poisson
        default: return .squaredError
        }
    }
}
