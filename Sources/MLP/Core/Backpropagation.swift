/// Preallocated buffers for forward and backward passes over batches of up to `maxRows` rows.
/// Training allocates nothing per batch: every intermediate lives here.
///
/// Shapes, for weight layer l (0-based) mapping width n_l to n_{l+1}:
///   activations[l+1]: (rows, n_{l+1})   preActivations[l+1]: same, kept only when the derivative needs it
///   deltas[l+1]:      (rows, n_{l+1})   ∂loss/∂(pre-activation of layer l+1), times the sample weight
public final class Backpropagation<T: KernelFloat>: ParallelWork {
    public let layerSizes: [Int]
    public let maxRows: Int
    private var activations: [UnsafeMutablePointer<T>]
    private var preActivations: [UnsafeMutablePointer<T>?]
    private var deltas: [UnsafeMutablePointer<T>]
    /// Each row's weighted loss in the last `lossAndGradient`, summed in row order afterwards.
    private let rowLosses: UnsafeMutablePointer<T>
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
        rowLosses = .allocate(capacity: maxRows)
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
        rowLosses.deallocate()
    }

    /// The outputs of the last forward pass, (rows, nOutputs): still valid after `lossAndGradient`.
    public var lastOutputs: UnsafePointer<T> { UnsafePointer(activations[layerSizes.count - 1]) }

    /// The arguments of the pass under way, read by every part (`runPart`).
    private struct Pass {
        enum Phase { case forward, rows, parameters }
        var phase: Phase
        let network: Network<T>
        let parameters: UnsafePointer<T>
        let input: UnsafePointer<T>
        let rows: Int
        var target: UnsafePointer<T>? = nil
        var sampleWeights: UnsafePointer<T>? = nil
        var loss = Loss.squaredError
        var alpha: T = 0
        var normalizer: T = 1
        var gradient: UnsafeMutablePointer<T>? = nil
    }
    private var pass: Pass?

    /// Threads a pass over `rows` rows is split across: one when the batch is too small to pay for a hand-off
    /// (the question's 10 x 2-3-1 network), else every pool thread.
    private func partCount(rows: Int) -> Int {
        let multiplyAdds = rows * zip(layerSizes, layerSizes.dropFirst()).reduce(0) { $0 + $1.0 * $1.1 }
        return multiplyAdds < Self.parallelMultiplyAdds ? 1 : Swift.min(KernelConfiguration.threadCount, rows)
    }
    /// About 50 µs of one thread's work, forward and backward.
    static var parallelMultiplyAdds: Int { 1 << 17 }

    /// GEMM options for one part of a product of `wholeWork` multiply-adds split `parts` ways.
    @inline(__always)
    private func options(parts: Int, wholeWork: Int) -> GemmOptions {
        parts == 1 ? GemmOptions() : partOptions(wholeWork: wholeWork)
    }

    /// The forward pass. Returns a pointer to the outputs, (rows, nOutputs), valid until the next pass.
    // input: (rows, n_0)  W_l: (n_l, n_{l+1})  b_l: (n_{l+1})
    @_specialize(where T == Double)
    @_specialize(where T == Float)
    public func forward(_ network: Network<T>, input: UnsafePointer<T>, rows: Int) -> UnsafePointer<T> {
        precondition(rows <= maxRows && network.layerSizes == layerSizes, "workspace does not fit this batch")
        network.parameters.withUnsafeBufferPointer { parameters in
            pass = Pass(phase: .forward, network: network, parameters: parameters.baseAddress!, input: input, rows: rows)
            runParts(partCount(rows: rows), self)
        }
        pass = nil
        return UnsafePointer(activations[layerSizes.count - 1])
    }

    /// Draws the dropout masks of every hidden layer for `rows` rows, layer by layer (the order the stream is
    /// consumed in does not depend on how the rows are split between threads).
    private func drawDropoutMasks(rows: Int) {
        guard dropoutRate > 0, !reusesMasks else { return }
        let keepScale = T(1 / (1 - dropoutRate))
        for layer in 1..<(layerSizes.count - 1) {
            guard let mask = masks[layer] else { continue }
            for i in 0..<(rows * layerSizes[layer]) { mask[i] = dropoutRandom.randomSample() >= dropoutRate ? keepScale : 0 }
        }
    }

    /// The forward pass over the rows `part` of a `rows`-row batch.
    @_specialize(where T == Double)
    @_specialize(where T == Float)
    private func forwardRows(_ network: Network<T>, _ base: UnsafePointer<T>, input: UnsafePointer<T>, rows: Int,
                             part: Range<Int>, parts: Int, training: Bool) {
        let r0 = part.lowerBound, n = part.count
        guard n > 0 else { return }
        for layer in 0..<network.layerCount {
            let fanIn = layerSizes[layer], fanOut = layerSizes[layer + 1]
            let source = layerInput(layer, input: input, training: training) + r0 * fanIn
            let target = activations[layer + 1] + r0 * fanOut
            let weights = base + network.weightRange(ofLayer: layer).lowerBound
            let bias = base + network.biasRange(ofLayer: layer).lowerBound
            gemm(.noTranspose, .noTranspose, m: n, n: fanOut, k: fanIn, alpha: 1, a: source, lda: fanIn,
                 b: weights, ldb: fanOut, beta: 0, c: target, ldc: fanOut,
                 options: options(parts: parts, wholeWork: rows * fanIn * fanOut))
            let activation = network.activation(ofLayer: layer)
            if let pre = preActivations[layer + 1] {
                FusedPasses.addBias(target, bias, rows: n, columns: fanOut, relu: false)
                (pre + r0 * fanOut).update(from: target, count: n * fanOut)
                activation.apply(target, rows: n, columns: fanOut)
            } else if activation == .relu || activation == .identity {
                // One sweep: bias and ReLU together.
                FusedPasses.addBias(target, bias, rows: n, columns: fanOut, relu: activation == .relu)
            } else {
                FusedPasses.addBias(target, bias, rows: n, columns: fanOut, relu: false)
                activation.apply(target, rows: n, columns: fanOut)
            }
            if training, dropoutRate > 0, let mask = masks[layer + 1], let masked = maskedActivations[layer + 1] {
                for i in (r0 * fanOut)..<((r0 + n) * fanOut) { masked[i] = activations[layer + 1][i] * mask[i] }
            }
        }
    }

    /// Forward and backward pass over one batch, in scikit-learn's formulas:
    ///   δ_last = ∂loss/∂z_last · s_i           (= ŷ − y for canonical pairs)
    ///   δ_{l}  = (δ_{l+1} · W_lᵀ) ⊙ f'(a_l)
    ///   ∂/∂W_l = (a_lᵀ δ_{l+1} + α W_l) / normalizer,   ∂/∂b_l = Σ_rows δ_{l+1} / normalizer
    /// Writes the gradient into `gradient` (the layout of `network.parameters`) and returns the data loss summed
    /// over rows (weighted) and outputs, NOT divided by `normalizer` and without the penalty.
    ///
    /// Two parallel regions: the rows (forward, loss, deltas: every row is independent), then the parameters
    /// (each thread owns a block of rows of every weight gradient and of bias columns). Every element is computed
    /// by one thread in a fixed order, so the result does not depend on the thread count.
    // input: (rows, n_0)  target: (rows, n_L)  sampleWeights: (rows) or nil  gradient: (parameters.count)
    @_specialize(where T == Double)
    @_specialize(where T == Float)
    public func lossAndGradient(
        _ network: Network<T>, input: UnsafePointer<T>, target: UnsafePointer<T>, rows: Int,
        sampleWeights: UnsafePointer<T>?, loss: Loss, alpha: T, normalizer: T,
        gradient: UnsafeMutablePointer<T>
    ) -> T {
        precondition(rows <= maxRows && network.layerSizes == layerSizes, "workspace does not fit this batch")
        let threads = partCount(rows: rows)
        drawDropoutMasks(rows: rows)
        network.parameters.withUnsafeBufferPointer { parameters in
            pass = Pass(phase: .rows, network: network, parameters: parameters.baseAddress!, input: input, rows: rows,
                        target: target, sampleWeights: sampleWeights, loss: loss, alpha: alpha, normalizer: normalizer,
                        gradient: gradient)
            runParts(threads, self)
            pass!.phase = .parameters
            runParts(threads, self)
        }
        pass = nil
        var dataLoss: T = 0
        for r in 0..<rows { dataLoss += rowLosses[r] }
        return dataLoss
    }

    /// Phase `forward` and `rows` split the batch's rows between parts; `parameters` splits the gradient.
    @_specialize(where T == Double)
    @_specialize(where T == Float)
    package func runPart(_ part: Int, of parts: Int) {
        let p = pass!
        switch p.phase {
        case .forward, .rows:
            let rowPart = partRange(p.rows, part: part, parts: parts)
            forwardRows(p.network, p.parameters, input: p.input, rows: p.rows, part: rowPart, parts: parts,
                        training: p.phase == .rows)
            if p.phase == .rows {
                backwardRows(p.network, p.parameters, target: p.target!, rows: p.rows, sampleWeights: p.sampleWeights,
                             loss: p.loss, part: rowPart, parts: parts)
            }
        case .parameters:
            parameterGradients(p.network, p.parameters, input: p.input, rows: p.rows, alpha: p.alpha,
                               normalizer: p.normalizer, gradient: p.gradient!, part: part, parts: parts)
        }
    }

    /// Output delta and per-row loss, then the hidden deltas, for the rows `part`.
    @_specialize(where T == Double)
    @_specialize(where T == Float)
    private func backwardRows(_ network: Network<T>, _ base: UnsafePointer<T>, target: UnsafePointer<T>, rows: Int,
                              sampleWeights: UnsafePointer<T>?, loss: Loss, part: Range<Int>, parts: Int) {
        let r0 = part.lowerBound, n = part.count
        guard n > 0 else { return }
        let last = layerSizes.count - 1, outputs = layerSizes[last]
        _ = loss.valueAndOutputDelta(
            predicted: activations[last] + r0 * outputs, target: target + r0 * outputs,
            weights: sampleWeights.map { $0 + r0 }, rows: n, outputs: outputs, activation: network.outputActivation,
            preActivation: preActivations[last].map { UnsafePointer($0 + r0 * outputs) },
            delta: deltas[last] + r0 * outputs, rowLosses: rowLosses + r0)
        for layer in stride(from: network.layerCount - 1, to: 0, by: -1) {
            // δ_{layer} = (δ_{layer+1} · W_layerᵀ) ⊙ f'(a_layer)
            let fanIn = layerSizes[layer], fanOut = layerSizes[layer + 1]
            let weights = base + network.weightRange(ofLayer: layer).lowerBound
            let previousDelta = deltas[layer] + r0 * fanIn
            gemm(.noTranspose, .transpose, m: n, n: fanIn, k: fanOut, alpha: 1, a: deltas[layer + 1] + r0 * fanOut,
                 lda: fanOut, b: weights, ldb: fanOut, beta: 0, c: previousDelta, ldc: fanIn,
                 options: options(parts: parts, wholeWork: rows * fanIn * fanOut))
            if dropoutRate > 0, let mask = masks[layer] {
                for i in 0..<(n * fanIn) { previousDelta[i] *= mask[r0 * fanIn + i] }
            }
            let output = activations[layer] + r0 * fanIn
            if !FusedPasses.multiplyDerivative(network.hiddenActivation, previousDelta, output: output, count: n * fanIn) {
                network.hiddenActivation.multiplyDerivative(
                    previousDelta, output: output,
                    input: preActivations[layer].map { UnsafePointer($0 + r0 * fanIn) }, count: n * fanIn)
            }
        }
    }

    /// Part `part` of the parameter gradient: rows `partRange(n_l)` of every ∂/∂W_l and columns of every ∂/∂b_l.
    @_specialize(where T == Double)
    @_specialize(where T == Float)
    private func parameterGradients(_ network: Network<T>, _ base: UnsafePointer<T>, input: UnsafePointer<T>,
                                    rows: Int, alpha: T, normalizer: T, gradient: UnsafeMutablePointer<T>,
                                    part: Int, parts: Int) {
        for layer in 0..<network.layerCount {
            let fanIn = layerSizes[layer], fanOut = layerSizes[layer + 1]
            let source = layerInput(layer, input: input, training: true)
            let delta = UnsafePointer(deltas[layer + 1])
            let weightOffset = network.weightRange(ofLayer: layer).lowerBound
            // ∂/∂W_l[i, :] = (a_l[:, i]ᵀ δ + α W_l[i, :]) / normalizer
            let inputs = partRange(fanIn, part: part, parts: parts)
            if !inputs.isEmpty {
                let offset = weightOffset + inputs.lowerBound * fanOut
                gemm(.transpose, .noTranspose, m: inputs.count, n: fanOut, k: rows, alpha: 1,
                     a: source + inputs.lowerBound, lda: fanIn, b: delta, ldb: fanOut, beta: 0,
                     c: gradient + offset, ldc: fanOut, options: options(parts: parts, wholeWork: rows * fanIn * fanOut))
                FusedPasses.finishWeightGradient(gradient + offset, weights: base + offset,
                                                 count: inputs.count * fanOut, alpha: alpha, normalizer: normalizer)
            }
            // ∂/∂b_l[j] = Σ_rows δ[:, j] / normalizer
            let columns = partRange(fanOut, part: part, parts: parts)
            if !columns.isEmpty {
                FusedPasses.columnSums(delta + columns.lowerBound, rows: rows, columns: columns.count, ld: fanOut,
                                       normalizer: normalizer,
                                       into: gradient + network.biasRange(ofLayer: layer).lowerBound + columns.lowerBound)
            }
        }
    }
}
