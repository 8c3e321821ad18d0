import MLPCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// The diagnosis's own forward and backward pass, in Double on a small fixed sample, so that the engine stays as it is
// and gradient norms and unit activity can be read after any epoch. Written out like scikit-learn's `_backprop`:
// forward keeps every layer's pre-activation, backward starts from the canonical output delta (output − target).

/// A hidden or output activation evaluated from its input `x`: f(x) and f′(x).
enum ProbeActivation {
    static func value(_ activation: Activation, _ x: Double) -> Double {
        switch activation {
        case .identity, .softmax: return x
        case .logistic: return 1 / (1 + exp(-x))
        case .tanh: return tanh(x)
        case .relu: return max(x, 0)
        case .leakyRelu: return x < 0 ? x * Activation.leakySlope : x
        case .elu: return x < 0 ? exp(x) - 1 : x
        case .gelu: return 0.5 * x * (1 + erf(x / 2.0.squareRoot()))
        case .silu: return x / (1 + exp(-x))
        case .softplus: return max(x, 0) + log(1 + exp(-abs(x)))
        case .exp: return exp(x)
        }
    }

    static func derivative(_ activation: Activation, _ x: Double) -> Double {
        switch activation {
        case .identity, .softmax: return 1
        case .logistic:
            let s = 1 / (1 + exp(-x))
            return s * (1 - s)
        case .tanh:
            let t = tanh(x)
            return 1 - t * t
        case .relu: return x > 0 ? 1 : 0
        case .leakyRelu: return x < 0 ? Activation.leakySlope : 1
        case .elu: return x < 0 ? exp(x) : 1
        case .gelu:
            return 0.5 * (1 + erf(x / 2.0.squareRoot())) + x * exp(-0.5 * x * x) / (2 * Double.pi).squareRoot()
        case .silu:
            let s = 1 / (1 + exp(-x))
            return s * (1 + x * (1 - s))
        case .softplus: return 1 / (1 + exp(-x))
        case .exp: return exp(x)
        }
    }

    /// The largest value f′ takes: a unit whose derivative stays far below it passes little gradient on.
    static func maxDerivative(_ activation: Activation) -> Double {
        activation == .logistic ? 0.25 : 1
    }
}

/// Forward and backward through a network on a batch, into a flat gradient laid out as `network.parameters`.
struct ProbePass {
    /// Pre-activations of every weight layer, (rows, layerSizes[l + 1]) each.
    var preActivations: [[Double]] = []
    /// Outputs of every layer, input first, (rows, layerSizes[l]) each.
    var outputs: [[Double]] = []
    var loss = 0.0
    var gradient: [Double] = []

    /// Runs the pass. `target` holds a class index per row (softmax outputs), else the outputs' targets row-major
    /// (rows, outputs): a value per regression output, a 0/1 per label, or a binary class index.
    init(_ network: Network<Double>, x: [Double], rows: Int, target: [Double]) {
        let sizes = network.layerSizes
        outputs = [x]
        network.parameters.withUnsafeBufferPointer { p in
            for l in 0..<network.layerCount {
                // z: (rows, fanOut) = a (rows, fanIn) · W (fanIn, fanOut) + b
                let fanIn = sizes[l], fanOut = sizes[l + 1]
                var z = [Double](repeating: 0, count: rows * fanOut)
                for r in 0..<rows { for j in 0..<fanOut { z[r * fanOut + j] = p[network.biasRange(ofLayer: l).lowerBound + j] } }
                outputs[l].withUnsafeBufferPointer { a in
                    z.withUnsafeMutableBufferPointer { c in
                        Double.gemm(.noTranspose, .noTranspose, m: rows, n: fanOut, k: fanIn, alpha: 1,
                                    a: a.baseAddress!, lda: fanIn,
                                    b: p.baseAddress! + network.weightRange(ofLayer: l).lowerBound, ldb: fanOut,
                                    beta: 1, c: c.baseAddress!, ldc: fanOut)
                    }
                }
                let activation = network.activation(ofLayer: l)
                var a = z.map { ProbeActivation.value(activation, $0) }
                if activation == .softmax { Self.softmaxRows(&a, rows: rows, columns: fanOut) }
                preActivations.append(z)
                outputs.append(a)
            }
        }
        // The output delta (output − target) / rows holds for every canonical pair (softmax + log loss,
        // logistic + binary log loss, identity + squared error, exp + Poisson).
        let width = network.outputCount
        // Softmax rows are given as class indices, one per row; other outputs as (rows, width) values or indicators.
        let classIndices = width > 1 && network.outputActivation == .softmax
        var delta = outputs[network.layerCount]
        var lossSum = 0.0
        for r in 0..<rows {
            for j in 0..<width {
                let y: Double = classIndices ? (Int(target[r]) == j ? 1 : 0) : target[r * width + j]
                let out = delta[r * width + j]
                switch network.outputActivation {
                case .softmax: if y == 1 { lossSum -= log(max(out, 1e-300)) }
                case .logistic: lossSum -= y * log(max(out, 1e-300)) + (1 - y) * log(max(1 - out, 1e-300))
                default: lossSum += 0.5 * (out - y) * (out - y)
                }
                delta[r * width + j] = (out - y) / Double(rows)
            }
        }
        loss = lossSum / Double(rows)
        gradient = [Double](repeating: 0, count: network.parameters.count)
        for l in stride(from: network.layerCount - 1, through: 0, by: -1) {
            let fanIn = sizes[l], fanOut = sizes[l + 1]
            // dW (fanIn, fanOut) = aᵀ (fanIn, rows) · delta (rows, fanOut); db = column sums of delta
            outputs[l].withUnsafeBufferPointer { a in
                delta.withUnsafeBufferPointer { d in
                    gradient.withUnsafeMutableBufferPointer { g in
                        Double.gemm(.transpose, .noTranspose, m: fanIn, n: fanOut, k: rows, alpha: 1,
                                    a: a.baseAddress!, lda: fanIn, b: d.baseAddress!, ldb: fanOut,
                                    beta: 0, c: g.baseAddress! + network.weightRange(ofLayer: l).lowerBound, ldc: fanOut)
                    }
                }
            }
            let biasStart = network.biasRange(ofLayer: l).lowerBound
            for r in 0..<rows { for j in 0..<fanOut { gradient[biasStart + j] += delta[r * fanOut + j] } }
            guard l > 0 else { break }
            // delta_prev (rows, fanIn) = delta (rows, fanOut) · Wᵀ (fanOut, fanIn), times f′ of the layer below
            var previous = [Double](repeating: 0, count: rows * fanIn)
            network.parameters.withUnsafeBufferPointer { p in
                delta.withUnsafeBufferPointer { d in
                    previous.withUnsafeMutableBufferPointer { c in
                        Double.gemm(.noTranspose, .transpose, m: rows, n: fanIn, k: fanOut, alpha: 1,
                                    a: d.baseAddress!, lda: fanOut,
                                    b: p.baseAddress! + network.weightRange(ofLayer: l).lowerBound, ldb: fanOut,
                                    beta: 0, c: c.baseAddress!, ldc: fanIn)
                    }
                }
            }
            let below = network.activation(ofLayer: l - 1), z = preActivations[l - 1]
            for i in previous.indices { previous[i] *= ProbeActivation.derivative(below, z[i]) }
            delta = previous
        }
    }

    private static func softmaxRows(_ values: inout [Double], rows: Int, columns: Int) {
        for r in 0..<rows {
            let row = (r * columns)..<((r + 1) * columns)
            let top = values[row].max() ?? 0
            var sum = 0.0
            for i in row { values[i] = exp(values[i] - top); sum += values[i] }
            for i in row { values[i] /= sum }
        }
    }
}
