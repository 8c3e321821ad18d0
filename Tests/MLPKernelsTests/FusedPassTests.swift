import CMLPKernels
import Foundation
import Testing
@testable import MLPKernels

// The fused passes (bias + activation, softmax, Adam, SGD) against scalar Swift written from the same equations,
// for every instruction set this CPU runs, at every tail length.

func isaCode(_ isa: InstructionSet) -> Int32 { Int32(isa.rawValue) }

func biasActivation<T: KernelFloat>(_ activation: KernelActivation, _ c: UnsafeMutablePointer<T>, rows: Int, columns: Int,
                                    ldc: Int, bias: UnsafePointer<T>?, isa: InstructionSet) {
    if let c = c as? UnsafeMutablePointer<Float> {
        mlp_bias_activation_f32(activation.rawValue, c, rows, columns, ldc, bias.map { UnsafeRawPointer($0).assumingMemoryBound(to: Float.self) }, isaCode(isa))
    } else {
        mlp_bias_activation_f64(activation.rawValue, UnsafeMutableRawPointer(c).assumingMemoryBound(to: Double.self), rows, columns, ldc,
                                bias.map { UnsafeRawPointer($0).assumingMemoryBound(to: Double.self) }, isaCode(isa))
    }
}

func referenceActivation<T: KernelFloat>(_ activation: KernelActivation, _ x: T) -> T {
    switch activation {
    case .identity: x
    case .logistic: 1 / (1 + T.exp(-x))
    case .tanh: T.tanh(x)
    case .relu: x < 0 ? 0 : x
    }
}

func checkBiasActivation<T: KernelFloat>(_ type: T.Type, isa: InstructionSet) {
    var rng = SeededGenerator(seed: 7)
    for activation in KernelActivation.allCases {
        for columns in 1...40 {
            let rows = 3, ldc = columns + 2
            let c0 = [T].random(count: rows * ldc, using: &rng).map { $0 * 6 }
            let bias = [T].random(count: columns, using: &rng)
            for useBias in [true, false] {
                var expected = c0
                for i in 0..<rows { for j in 0..<columns {
                    expected[i * ldc + j] = referenceActivation(activation, c0[i * ldc + j] + (useBias ? bias[j] : 0))
                } }
                var actual = c0
                actual.withUnsafeMutableBufferPointer { c in bias.withUnsafeBufferPointer { b in
                    biasActivation(activation, c.baseAddress!, rows: rows, columns: columns, ldc: ldc,
                                   bias: useBias ? b.baseAddress! : nil, isa: isa)
                } }
                assertClose(actual, expected, tolerance: { 4 * expected[$0].ulp },
                            "\(T.self) \(activation) \(isa) columns \(columns) bias \(useBias)")
            }
        }
    }
}

func softmax<T: KernelFloat>(_ x: UnsafeMutablePointer<T>, rows: Int, columns: Int, ld: Int, isa: InstructionSet) {
    if let x = x as? UnsafeMutablePointer<Float> { mlp_softmax_rows_f32(x, rows, columns, ld, isaCode(isa)) }
    else { mlp_softmax_rows_f64(UnsafeMutableRawPointer(x).assumingMemoryBound(to: Double.self), rows, columns, ld, isaCode(isa)) }
}

func checkSoftmax<T: KernelFloat>(_ type: T.Type, isa: InstructionSet) {
    var rng = SeededGenerator(seed: 11)
    for columns in 1...40 {
        let rows = 4, ld = columns + 1
        var x0 = [T].random(count: rows * ld, using: &rng).map { $0 * 30 }
        x0[0] = 500  // a large logit: the max subtraction keeps exp finite
        var expected = x0
        for i in 0..<rows {
            let row = (0..<columns).map { x0[i * ld + $0] }
            let m = row.max()!
            let e = row.map { T.exp($0 - m) }
            let s = e.reduce(0, +)
            for j in 0..<columns { expected[i * ld + j] = e[j] / s }
        }
        var actual = x0
        actual.withUnsafeMutableBufferPointer { softmax($0.baseAddress!, rows: rows, columns: columns, ld: ld, isa: isa) }
        assertClose(actual, expected, tolerance: { 8 * T.ulpOfOne * Swift.max(expected[$0], T.leastNormalMagnitude) + 4 * expected[$0].ulp },
                    "\(T.self) softmax \(isa) columns \(columns)")
    }
}

func checkOptimizers<T: KernelFloat>(_ type: T.Type, isa: InstructionSet) {
    var rng = SeededGenerator(seed: 3)
    for count in 0...70 {
        let p0 = [T].random(count: count, using: &rng), g = [T].random(count: count, using: &rng)
        let m0 = [T].random(count: count, using: &rng).map { $0 * T(0.1) }
        let v0 = [T].random(count: count, using: &rng).map { $0 * $0 * T(0.01) }
        let lr = T(0.001) * (1 - T(0.999) * T(0.999)).squareRoot() / (1 - T(0.9) * T(0.9))
        let (beta1, beta2, epsilon) = (T(0.9), T(0.999), T(1e-8))
        // Adam, written from the equations in scikit-learn's order.
        var (pe, me, ve) = (p0, m0, v0)
        for i in 0..<count {
            me[i] = beta1 * me[i] + (1 - beta1) * g[i]
            ve[i] = beta2 * ve[i] + (1 - beta2) * (g[i] * g[i])
            pe[i] = pe[i] + ((-lr) * me[i]) / (ve[i].squareRoot() + epsilon)
        }
        var (p, m, v) = (p0, m0, v0)
        p.withUnsafeMutableBufferPointer { p in m.withUnsafeMutableBufferPointer { m in v.withUnsafeMutableBufferPointer { v in
            g.withUnsafeBufferPointer { g in
                guard count > 0 else { return }
                if T.self == Float.self {
                    mlp_adam_f32(UnsafeMutableRawPointer(p.baseAddress!).assumingMemoryBound(to: Float.self),
                                 UnsafeRawPointer(g.baseAddress!).assumingMemoryBound(to: Float.self),
                                 UnsafeMutableRawPointer(m.baseAddress!).assumingMemoryBound(to: Float.self),
                                 UnsafeMutableRawPointer(v.baseAddress!).assumingMemoryBound(to: Float.self), count,
                                 Float(lr), Float(beta1), Float(beta2), Float(epsilon), isaCode(isa))
                } else {
                    mlp_adam_f64(UnsafeMutableRawPointer(p.baseAddress!).assumingMemoryBound(to: Double.self),
                                 UnsafeRawPointer(g.baseAddress!).assumingMemoryBound(to: Double.self),
                                 UnsafeMutableRawPointer(m.baseAddress!).assumingMemoryBound(to: Double.self),
                                 UnsafeMutableRawPointer(v.baseAddress!).assumingMemoryBound(to: Double.self), count,
                                 Double(lr), Double(beta1), Double(beta2), Double(epsilon), isaCode(isa))
                }
            }
        } } }
        #expect(p == pe && m == me && v == ve, "\(T.self) adam \(isa) count \(count): not bit-identical to the equations")

        // SGD with momentum, plain and Nesterov.
        for nesterov in [false, true] {
            let (rate, momentum) = (T(0.01), T(0.9))
            var (pe, ve) = (p0, m0)
            for i in 0..<count {
                ve[i] = momentum * ve[i] - rate * g[i]
                pe[i] = pe[i] + (nesterov ? momentum * ve[i] - rate * g[i] : ve[i])
            }
            var (p, vel) = (p0, m0)
            p.withUnsafeMutableBufferPointer { p in vel.withUnsafeMutableBufferPointer { vel in g.withUnsafeBufferPointer { g in
                guard count > 0 else { return }
                if T.self == Float.self {
                    mlp_sgd_f32(UnsafeMutableRawPointer(p.baseAddress!).assumingMemoryBound(to: Float.self),
                                UnsafeRawPointer(g.baseAddress!).assumingMemoryBound(to: Float.self),
                                UnsafeMutableRawPointer(vel.baseAddress!).assumingMemoryBound(to: Float.self), count,
                                Float(rate), Float(momentum), nesterov ? 1 : 0, isaCode(isa))
                } else {
                    mlp_sgd_f64(UnsafeMutableRawPointer(p.baseAddress!).assumingMemoryBound(to: Double.self),
                                UnsafeRawPointer(g.baseAddress!).assumingMemoryBound(to: Double.self),
                                UnsafeMutableRawPointer(vel.baseAddress!).assumingMemoryBound(to: Double.self), count,
                                Double(rate), Double(momentum), nesterov ? 1 : 0, isaCode(isa))
                }
            } } }
            #expect(p == pe && vel == ve, "\(T.self) sgd nesterov=\(nesterov) \(isa) count \(count): not bit-identical")
        }
    }
}

@Suite struct FusedPassTests {
    @Test(arguments: supportedInstructionSets)
    func biasAndActivation(isa: InstructionSet) {
        checkBiasActivation(Float.self, isa: isa)
        checkBiasActivation(Double.self, isa: isa)
    }

    @Test(arguments: supportedInstructionSets)
    func softmaxRows(isa: InstructionSet) {
        checkSoftmax(Float.self, isa: isa)
        checkSoftmax(Double.self, isa: isa)
    }

    @Test(arguments: supportedInstructionSets)
    func optimizersMatchTheirEquations(isa: InstructionSet) {
        checkOptimizers(Float.self, isa: isa)
        checkOptimizers(Double.self, isa: isa)
    }

    @Test func publicEntryPoints() {
        var c: [Double] = [-1, 0.5, 2, -3]
        let bias: [Double] = [0.5, -1]
        c.withUnsafeMutableBufferPointer { c in bias.withUnsafeBufferPointer { b in
            Double.addBiasAndActivate(.relu, c.baseAddress!, rows: 2, columns: 2, ldc: 2, bias: b.baseAddress!)
        } }
        #expect(c == [0, 0, 2.5, 0])
        var x: [Float] = [1, 1, 1, 1]
        x.withUnsafeMutableBufferPointer { Float.softmaxRows($0.baseAddress!, rows: 1, columns: 4, ld: 4) }
        #expect(x == [0.25, 0.25, 0.25, 0.25])
    }
}
