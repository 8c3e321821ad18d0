/// Preallocated buffers for forward and backward passes over batches of up to `maxRows` rows.
/// Training allocates nothing per batch: every intermediate lives here.
///
/// Shapes, for weight layer l (0-based) mapping width n_l to n_{l+1}:
///   activations[l+1]: (rows, n_{l+1})   preActivations[l+1]: same, kept only when the derivative needs it
///   deltas[l+1]:      (rows, n_{l+1})   ∂loss/∂(pre-activation of layer l+1), times the sample weight
public final class Backpropagation<T: KernelFloat> {
    public let layerSizes: [Int]
    public let maxRows: Int
    private var activations: [UnsafeMutablePointer<T>]
    private var preActivations: [UnsafeMutablePointer<T>?]
    private var deltas: [UnsafeMutablePointer<T>]
    // Inverted dropout (beyond scikit-learn, its issue 6175), on hidden layers while training only:
    //   forward:  h̃_l = h_l ⊙ m_l,  m_l ∈ {0, 1/(1−p)} per element, kept with probability 1 − p
    //   backward: δ_l = (δ_{l+1} · W_lᵀ) ⊙ m_l ⊙ f'(h_l);  ∂/∂W_l uses h̃_l
    // Masks come from their own RandomState, so scikit-learn's stream (init, split, shuffles) is untouched.
    public private(set) var dropoutRate = 0.0
    private var dropoutRandom = NumPyRandomState(seed: 0)
    private var masks: [UnsafeMutablePointer<T>?]
    private var maskedActivations: [UnsafeMutablePointer<T>?]
    /// Keep the last masks instead of drawing new ones (finite-difference checks of the dropout gradient).
    var reusesMasks = false

    public init(layerSizes: [Int], maxRows: Int, hiddenActivation: Activation, outputActivation: Activation) {
        precondition(maxRows > 0, "maxRows must be positive")
        self.layerSizes = layerSizes
        self.maxRows = maxRows
        let last = layerSizes.count - 1
        // Index 0 (the input) is never allocated: the caller's X is read in place.
        activations = layerSizes.enumerated().map { index, width in
            .allocate(capacity: index == 0 ? 1 : maxRows * width)
        }
        deltas = layerSizes.enumerated().map { index, width in .allocate(capacity: index == 0 ? 1 : maxRows * width) }
        preActivations = layerSizes.enumerated().map { index, width in
            let activation = index == last ? outputActivation : hiddenActivation
            return index > 0 && (activation.derivativeNeedsInput || (index == last && !activation.isElementwise))
                ? .allocate(capacity: maxRows * width) : nil
        }
        masks = Array(repeating: nil, count: layerSizes.count)
        maskedActivations = Array(repeating: nil, count: layerSizes.count)
    }

    /// What weight layer `layer` reads: X, the hidden output, or its dropped-out copy while training.
    private func layerInput(_ layer: Int, input: UnsafePointer<T>, training: Bool) -> UnsafePointer<T> {
        if layer == 0 { return input }
        if training, dropoutRate > 0, let masked = maskedActivations[layer] { return UnsafePointer(masked) }
        return UnsafePointer(activations[layer])
    }

    /// Turns on inverted dropout of hidden-layer outputs during `lossAndGradient` (never in `forward`).
    public func enableDropout(rate: Double, seed: UInt32) {
        precondition(rate >= 0 && rate < 1, "dropout rate must be in [0, 1)")
        dropoutRate = rate
        dropoutRandom = NumPyRandomState(seed: seed)
        for layer in 1..<(layerSizes.count - 1) where masks[layer] == nil {
            masks[layer] = .allocate(capacity: maxRows * layerSizes[layer])
            maskedActivations[layer] = .allocate(capacity: maxRows * layerSizes[layer])
        }
    }

    deinit {
        masks.forEach { $0?.deallocate() }
        maskedActivations.forEach { $0?.deallocate() }
        activations.forEach { $0.deallocate() }
        deltas.forEach { $0.deallocate() }
        preActivations.forEach { $0?.deallocate() }
    }

    /// The outputs of the last forward pass, (rows, nOutputs): still valid after `lossAndGradient`.
    public var lastOutputs: UnsafePointer<T> { UnsafePointer(activations[layerSizes.count - 1]) }

    /// The forward pass. Returns a pointer to the outputs, (rows, nOutputs), valid until the next pass.
    // input: (rows, n_0)  W_l: (n_l, n_{l+1})  b_l: (n_{l+1})
    @_specialize(where T == Double)
    @_specialize(where T == Float)
    public func forward(_ network: Network<T>, input: UnsafePointer<T>, rows: Int) -> UnsafePointer<T> {
        forward(network, input: input, rows: rows, training: false)
    }

    @_specialize(where T == Double)
    @_specialize(where T == Float)
    private func forward(_ network: Network<T>, input: UnsafePointer<T>, rows: Int, training: Bool) -> UnsafePointer<T> {
        precondition(rows <= maxRows && network.layerSizes == layerSizes, "workspace does not fit this batch")
        network.parameters.withUnsafeBufferPointer { parameters in
            let base = parameters.baseAddress!
            for layer in 0..<network.layerCount {
                let fanIn = layerSizes[layer], fanOut = layerSizes[layer + 1]
                let source = layerInput(layer, input: input, training: training)
                let target = activations[layer + 1]
                let weights = base + network.weightRange(ofLayer: layer).lowerBound
                let bias = base + network.biasRange(ofLayer: layer).lowerBound
                T.gemm(.noTranspose, .noTranspose, m: rows, n: fanOut, k: fanIn,
                       alpha: 1, a: source, lda: fanIn, b: weights, ldb: fanOut, beta: 0, c: target, ldc: fanOut)
                let activation = network.activation(ofLayer: layer)
                if let pre = preActivations[layer + 1] {
                    FusedPasses.addBias(target, bias, rows: rows, columns: fanOut, relu: false)
                    pre.update(from: target, count: rows * fanOut)
                    activation.apply(target, rows: rows, columns: fanOut)
                } else if activation == .relu || activation == .identity {
                    // One sweep: bias and ReLU together.
                    FusedPasses.addBias(target, bias, rows: rows, columns: fanOut, relu: activation == .relu)
                } else {
                    FusedPasses.addBias(target, bias, rows: rows, columns: fanOut, relu: false)
                    activation.apply(target, rows: rows, columns: fanOut)
                }
                if training, dropoutRate > 0, let mask = masks[layer + 1], let masked = maskedActivations[layer + 1] {
                    let keepScale = T(1 / (1 - dropoutRate))
                    for i in 0..<(rows * fanOut) {
                        if !reusesMasks { mask[i] = dropoutRandom.randomSample() >= dropoutRate ? keepScale : 0 }
                        masked[i] = target[i] * mask[i]
                    }
                }
            }
        }
        return UnsafePointer(activations[layerSizes.count - 1])
    }

    /// Forward and backward pass over one batch, in scikit-learn's formulas:
    ///   δ_last = ∂loss/∂z_last · s_i           (= ŷ − y for canonical pairs)
    ///   δ_{l}  = (δ_{l+1} · W_lᵀ) ⊙ f'(a_l)
    ///   ∂/∂W_l = (a_lᵀ δ_{l+1} + α W_l) / normalizer,   ∂/∂b_l = Σ_rows δ_{l+1} / normalizer
    /// Writes the gradient into `gradient` (the layout of `network.parameters`) and returns the data loss summed
    /// over rows (weighted) and outputs, NOT divided by `normalizer` and without the penalty.
    // input: (rows, n_0)  target: (rows, n_L)  sampleWeights: (rows) or nil  gradient: (parameters.count)
    @_specialize(where T == Double)
    @_specialize(where T == Float)
    public func lossAndGradient(
        _ network: Network<T>, input: UnsafePointer<T>, target: UnsafePointer<T>, rows: Int,
        sampleWeights: UnsafePointer<T>?, loss: Loss, alpha: T, normalizer: T,
        gradient: UnsafeMutablePointer<T>
    ) -> T {
        let output = forward(network, input: input, rows: rows, training: true)
        let last = layerSizes.count - 1
        let dataLoss = loss.valueAndOutputDelta(
            predicted: output, target: target, weights: sampleWeights, rows: rows, outputs: layerSizes[last],
            activation: network.outputActivation, preActivation: preActivations[last].map { UnsafePointer($0) },
            delta: deltas[last])
        network.parameters.withUnsafeBufferPointer { parameters in
            let base = parameters.baseAddress!
            for layer in stride(from: network.layerCount - 1, through: 0, by: -1) {
                let fanIn = layerSizes[layer], fanOut = layerSizes[layer + 1]
                let source = layerInput(layer, input: input, training: true)
                let delta = UnsafePointer(deltas[layer + 1])
                let weightRange = network.weightRange(ofLayer: layer)
                let weights = base + weightRange.lowerBound
                let weightGradient = gradient + weightRange.lowerBound
                // ∂/∂W_l = (a_lᵀ δ + α W_l) / normalizer
                T.gemm(.transpose, .noTranspose, m: fanIn, n: fanOut, k: rows, alpha: 1, a: source, lda: fanIn,
                       b: delta, ldb: fanOut, beta: 0, c: weightGradient, ldc: fanOut)
                FusedPasses.finishWeightGradient(weightGradient, weights: weights, count: fanIn * fanOut,
                                                 alpha: alpha, normalizer: normalizer)
                // ∂/∂b_l = Σ_rows δ / normalizer
                FusedPasses.columnSums(delta, rows: rows, columns: fanOut, normalizer: normalizer,
                                       into: gradient + network.biasRange(ofLayer: layer).lowerBound)
                guard layer > 0 else { break }
                // δ_{layer} = (δ_{layer+1} · W_layerᵀ) ⊙ f'(a_layer)
                let previousDelta = deltas[layer]
                T.gemm(.noTranspose, .transpose, m: rows, n: fanIn, k: fanOut, alpha: 1, a: delta, lda: fanOut,
                       b: weights, ldb: fanOut, beta: 0, c: previousDelta, ldc: fanIn)
                if dropoutRate > 0, let mask = masks[layer] {
                    for i in 0..<(rows * fanIn) { previousDelta[i] *= mask[i] }
                }
                if !FusedPasses.multiplyDerivative(network.hiddenActivation, previousDelta,
                                                   output: activations[layer], count: rows * fanIn) {
                    network.hiddenActivation.multiplyDerivative(
                        previousDelta, output: activations[layer],
                        input: preActivations[layer].map { UnsafePointer($0) }, count: rows * fanIn)
                }
            }
        }
        return dataLoss
    }
}
