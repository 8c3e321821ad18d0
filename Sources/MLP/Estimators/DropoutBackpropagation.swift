// Beyond scikit-learn (its issue 6175): inverted dropout on the hidden layers' outputs during training.
// The same forward/backward pass as Core/Backpropagation.swift, plus a mask per hidden layer:
//   forward:  h̃_l = h_l ⊙ m_l,  m_l ∈ {0, 1/(1−p)} drawn per element (keep with probability 1 − p)
//   backward: δ_l = (δ_{l+1} · W_lᵀ) ⊙ m_l ⊙ f'(h_l)
// Prediction uses the plain network (no mask), which is what "inverted" scaling makes correct in expectation.
// Masks come from their own RandomState so sklearn's stream (init, split, shuffles) is untouched.

final class DropoutBackpropagation<T: KernelFloat> {
    let layerSizes: [Int]
    let maxRows: Int
    let rate: Double
    private var random: NumPyRandomState
    // Per layer index (0 = input, unused): pre-activation, activation output, masked output, mask.
    private var pre: [[T]]
    private var out: [[T]]
    private var masked: [[T]]
    private var mask: [[T]]
    private var deltas: [[T]]

    init(layerSizes: [Int], maxRows: Int, rate: Double, seed: UInt32) {
        self.layerSizes = layerSizes
        self.maxRows = maxRows
        self.rate = rate
        random = NumPyRandomState(seed: seed)
        let buffers = layerSizes.map { [T](repeating: 0, count: maxRows * $0) }
        pre = buffers; out = buffers; masked = buffers; mask = buffers; deltas = buffers
    }

    /// The input of weight layer `layer`: X for the first, the masked hidden output otherwise.
    private func withLayerInput(_ layer: Int, _ input: UnsafePointer<T>, _ body: (UnsafePointer<T>) -> Void) {
        if layer == 0 { body(input) } else { masked[layer].withUnsafeBufferPointer { body($0.baseAddress!) } }
    }

    // input: (rows, n_0)  target: (rows, n_L)  gradient: (parameters.count). Returns the weighted data loss sum.
    func lossAndGradient(
        _ network: Network<T>, input: UnsafePointer<T>, target: UnsafePointer<T>, rows: Int,
        sampleWeights: UnsafePointer<T>?, loss: Loss, alpha: T, normalizer: T, gradient: UnsafeMutablePointer<T>
    ) -> T {
        let last = layerSizes.count - 1
        let keepScale = T(1 / (1 - rate))
        let p = network.parameters
        // Forward.
        for layer in 0..<network.layerCount {
            let fanIn = layerSizes[layer], fanOut = layerSizes[layer + 1]
            var z = [T](repeating: 0, count: rows * fanOut)
            withLayerInput(layer, input) { a in
                p.withUnsafeBufferPointer { w in
                    z.withUnsafeMutableBufferPointer { zp in
                        T.gemm(.noTranspose, .noTranspose, m: rows, n: fanOut, k: fanIn, alpha: 1, a: a, lda: fanIn,
                               b: w.baseAddress! + network.weightRange(ofLayer: layer).lowerBound, ldb: fanOut,
                               beta: 0, c: zp.baseAddress!, ldc: fanOut)
                    }
                }
            }
            let bias = network.biasRange(ofLayer: layer).lowerBound
            for r in 0..<rows { for j in 0..<fanOut { z[r * fanOut + j] += p[bias + j] } }
            for i in 0..<(rows * fanOut) { pre[layer + 1][i] = z[i] }
            z.withUnsafeMutableBufferPointer { network.activation(ofLayer: layer).apply($0.baseAddress!, rows: rows, columns: fanOut) }
            for i in 0..<(rows * fanOut) { out[layer + 1][i] = z[i] }
            if layer + 1 < last {
                for i in 0..<(rows * fanOut) {
                    let keep: T = random.randomSample() >= rate ? keepScale : 0
                    mask[layer + 1][i] = keep
                    masked[layer + 1][i] = z[i] * keep
                }
            }
        }
        // Output delta and loss.
        let outputs = layerSizes[last]
        let dataLoss: T = out[last].withUnsafeBufferPointer { o in
            pre[last].withUnsafeBufferPointer { z in
                deltas[last].withUnsafeMutableBufferPointer { d in
                    loss.valueAndOutputDelta(predicted: o.baseAddress!, target: target, weights: sampleWeights,
                                             rows: rows, outputs: outputs, activation: network.outputActivation,
                                             preActivation: z.baseAddress!, delta: d.baseAddress!)
                }
            }
        }
        // Backward.
        for layer in stride(from: network.layerCount - 1, through: 0, by: -1) {
            let fanIn = layerSizes[layer], fanOut = layerSizes[layer + 1]
            let weightRange = network.weightRange(ofLayer: layer)
            withLayerInput(layer, input) { a in
                deltas[layer + 1].withUnsafeBufferPointer { d in
                    T.gemm(.transpose, .noTranspose, m: fanIn, n: fanOut, k: rows, alpha: 1, a: a, lda: fanIn,
                           b: d.baseAddress!, ldb: fanOut, beta: 0, c: gradient + weightRange.lowerBound, ldc: fanOut)
                }
            }
            for i in weightRange { gradient[i] = (gradient[i] + alpha * p[i]) / normalizer }
            let biasStart = network.biasRange(ofLayer: layer).lowerBound
            for j in 0..<fanOut {
                var sum: T = 0
                for r in 0..<rows { sum += deltas[layer + 1][r * fanOut + j] }
                gradient[biasStart + j] = sum / normalizer
            }
            guard layer > 0 else { break }
            var previous = [T](repeating: 0, count: rows * fanIn)
            p.withUnsafeBufferPointer { w in
                deltas[layer + 1].withUnsafeBufferPointer { d in
                    previous.withUnsafeMutableBufferPointer { pd in
                        T.gemm(.noTranspose, .transpose, m: rows, n: fanIn, k: fanOut, alpha: 1, a: d.baseAddress!,
                               lda: fanOut, b: w.baseAddress! + weightRange.lowerBound, ldb: fanOut, beta: 0,
                               c: pd.baseAddress!, ldc: fanIn)
                    }
                }
            }
            for i in 0..<(rows * fanIn) { previous[i] *= mask[layer][i] }
            previous.withUnsafeMutableBufferPointer { pd in
                out[layer].withUnsafeBufferPointer { o in
                    pre[layer].withUnsafeBufferPointer { z in
                        network.hiddenActivation.multiplyDerivative(pd.baseAddress!, output: o.baseAddress!,
                                                                     input: z.baseAddress!, count: rows * fanIn)
                    }
                }
            }
            for i in 0..<(rows * fanIn) { deltas[layer][i] = previous[i] }
        }
        return dataLoss
    }
}
