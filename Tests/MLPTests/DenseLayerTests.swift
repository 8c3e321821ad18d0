import MLPTestSupport
import Testing
@testable import MLPCore

/// A dense layer's forward and backward functions against the naive loops of their formulas, for an activation
/// that fuses into the GEMM epilogue (relu), one that takes a separate pass (tanh) and identity, with dropout.
@Suite struct DenseLayerTests {
    let rows = 5, nIn = 7, nOut = 6

    func values(_ count: Int, seed: UInt32) -> [Double] {
        var random = NumPyRandomState(seed: seed)
        return random.uniform(low: -1, high: 1, count: count)
    }

    func naiveProduct(_ a: [Double], _ b: [Double], m: Int, k: Int, n: Int, transposeB: Bool) -> [Double] {
        var c = [Double](repeating: 0, count: m * n)
        for i in 0..<m {
            for j in 0..<n {
                for p in 0..<k { c[i * n + j] += a[i * k + p] * (transposeB ? b[j * k + p] : b[p * n + j]) }
            }
        }
        return c
    }

    func apply(_ activation: Activation, _ x: Double) -> Double {
        switch activation {
        case .relu: max(x, 0)
        case .tanh: Double.tanh(x)
        default: x
        }
    }

    func derivative(_ activation: Activation, output z: Double) -> Double {
        switch activation {
        case .relu: z == 0 ? 0 : 1
        case .tanh: 1 - z * z
        default: 1
        }
    }

    // x: (rows, nIn)  w: (nIn, nOut)  b: (nOut)  out: (rows, nOut)
    @Test(arguments: [Activation.relu, .tanh, .identity], [false, true])
    func forwardIsTheActivationOfXWPlusB(_ activation: Activation, dropout: Bool) {
        let x = values(rows * nIn, seed: 1), w = values(nIn * nOut, seed: 2), b = values(nOut, seed: 3)
        let mask = (0..<(rows * nOut)).map { $0 % 3 == 0 ? 0.0 : 2.0 }
        var out = [Double](repeating: .nan, count: rows * nOut), masked = out
        out.withUnsafeMutableBufferPointer { o in
            masked.withUnsafeMutableBufferPointer { m in
                mask.withUnsafeBufferPointer { k in
                    DenseLayer.forward(x: x, w: w, b: b, out: o.baseAddress!, preActivation: nil, rows: rows, nIn: nIn,
                                       nOut: nOut, activation: activation,
                                       dropout: dropout ? (k.baseAddress!, m.baseAddress!) : nil,
                                       split: GemmSplit(parts: 1, wholeWork: rows * nIn * nOut))
                }
            }
        }
        let z = naiveProduct(x, w, m: rows, k: nIn, n: nOut, transposeB: false)
        let expected = z.indices.map { apply(activation, z[$0] + b[$0 % nOut]) }
        assertClose(out, expected, relative: 1e-14, absolute: 1e-15, "\(activation) forward")
        if dropout { assertClose(masked, zip(out, mask).map { $0 * $1 }, relative: 0, "\(activation) dropout") }
    }

    // dout: (rows, nOut)  w: (nIn, nOut)  z, dx: (rows, nIn)
    @Test(arguments: [Activation.relu, .tanh, .identity], [false, true])
    func backwardIsDoutWTransposedTimesTheDerivative(_ activation: Activation, dropout: Bool) {
        let dout = values(rows * nOut, seed: 4), w = values(nIn * nOut, seed: 5)
        let z = values(rows * nIn, seed: 6).enumerated().map { i, v in activation == .relu && i % 4 == 1 ? 0 : apply(activation, v) }
        let mask = (0..<(rows * nIn)).map { $0 % 3 == 0 ? 0.0 : 2.0 }
        var dx = [Double](repeating: .nan, count: rows * nIn)
        dx.withUnsafeMutableBufferPointer { d in
            mask.withUnsafeBufferPointer { k in
                DenseLayer.backward(dout: dout, w: w, dx: d.baseAddress!, z: z, pre: nil,
                                    mask: dropout ? k.baseAddress! : nil, rows: rows, nIn: nIn, nOut: nOut,
                                    activation: activation, split: GemmSplit(parts: 1, wholeWork: rows * nIn * nOut))
            }
        }
        let product = naiveProduct(dout, w, m: rows, k: nOut, n: nIn, transposeB: true)
        let expected = product.indices.map { i in product[i] * (dropout ? mask[i] : 1) * derivative(activation, output: z[i]) }
        assertClose(dx, expected, relative: 1e-14, absolute: 1e-15, "\(activation) backward")
    }
}
