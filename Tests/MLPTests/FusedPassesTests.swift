import Testing
@testable import MLPCore

/// The vectorized training passes compute exactly the scalar formulas they replace: bit for bit, at every width
/// (vector bodies and every tail), with a row stride, and when an update is applied block by block.
@Suite struct FusedPassesTests {
    /// Deterministic values in [-2, 2) with some exact zeros (ReLU's derivative branches on them).
    func values<T: KernelFloat>(_ count: Int, seed: UInt32) -> [T] {
        var random = NumPyRandomState(seed: seed)
        return random.uniform(low: -2, high: 2, count: count).enumerated().map { $0.offset % 7 == 3 ? 0 : T($0.element) }
    }

    func optimizer<T: KernelFloat>(_ name: String, _: T.Type, count: Int) -> any StochasticOptimizer<T> {
        switch name {
        case "adam": Adam<T>(parameterCount: count, learningRate: 0.01)
        case "sgd": MomentumSGD<T>(parameterCount: count, learningRate: 0.1, momentum: 0.9, nesterov: false)
        case "nesterov": MomentumSGD<T>(parameterCount: count, learningRate: 0.1, momentum: 0.9, nesterov: true)
        default: GradientDescent<T>(learningRate: 0.1)
        }
    }

    func columnSumsMatch<T: KernelFloat>(_: T.Type) {
        for columns in 1...70 {
            let rows = 1 + columns % 9, ld = columns + 3
            let m: [T] = values(rows * ld, seed: UInt32(columns))
            var expected = [T](repeating: 0, count: columns)
            for j in 0..<columns {
                for r in 0..<rows { expected[j] += m[r * ld + j] }
                expected[j] /= 3
            }
            var actual = [T](repeating: .nan, count: columns)
            m.withUnsafeBufferPointer { mp in
                actual.withUnsafeMutableBufferPointer { out in
                    FusedPasses.columnSums(mp.baseAddress!, rows: rows, columns: columns, ld: ld, normalizer: 3,
                                           into: out.baseAddress!)
                }
            }
            #expect(actual.map { Double($0).bitPattern } == expected.map { Double($0).bitPattern },
                    "\(T.self) column sums, \(columns) columns")
        }
    }

    @Test func columnSumsAddRowsInOrder() {
        columnSumsMatch(Float.self)
        columnSumsMatch(Double.self)
    }

    @Test func gatherRowsCopiesTheIndexedRows() {
        for width in [1, 3, 8, 10, 17, 64, 70] {
            let source: [Double] = values(9 * width, seed: UInt32(width)), rows = [4, 0, 8, 4, 7]
            var copy = [Double](repeating: .nan, count: rows.count * width)
            var copy32 = [Float](repeating: .nan, count: rows.count * width)
            let source32 = source.map { Float($0) }
            copy.withUnsafeMutableBufferPointer { FusedPasses.gatherRows($0.baseAddress!, from: source, width: width, rows: rows, count: rows.count) }
            copy32.withUnsafeMutableBufferPointer { FusedPasses.gatherRows($0.baseAddress!, from: source32, width: width, rows: rows, count: rows.count) }
            let expected = rows.flatMap { source[($0 * width)..<(($0 + 1) * width)] }
            #expect(copy == expected, "width \(width)")
            #expect(copy32 == expected.map { Float($0) }, "Float, width \(width)")
        }
    }

    @Test func softmaxRowsMatchTheScalarFormula() {
        for columns in 1...40 {
            var x: [Double] = values(3 * columns, seed: 100 + UInt32(columns)).map { $0 * 20 }
            var expected = x
            for r in 0..<3 {
                let row = r * columns
                var largest = -Double.infinity
                for j in 0..<columns { largest = max(largest, x[row + j]) }
                for j in 0..<columns { expected[row + j] = x[row + j] - largest }
                expected.withUnsafeMutableBufferPointer { Double.vectorExp($0.baseAddress! + row, $0.baseAddress! + row, count: columns) }
                var sum = 0.0
                for j in 0..<columns { sum += expected[row + j] }
                for j in 0..<columns { expected[row + j] /= sum }
            }
            x.withUnsafeMutableBufferPointer { Activation.softmax.apply($0.baseAddress!, rows: 3, columns: columns) }
            #expect(x.map(\.bitPattern) == expected.map(\.bitPattern), "softmax, \(columns) columns")
        }
    }

    /// Adam and momentum applied over ragged blocks (as the training step's threads do) equal one whole update.
    @Test(arguments: ["adam", "sgd", "nesterov", "gd"])
    func blockwiseUpdateEqualsWholeUpdate(_ name: String) {
        let count = 1000
        var whole = optimizer(name, Double.self, count: count), blocks = optimizer(name, Double.self, count: count)
        var p1: [Double] = values(count, seed: 1), p2 = p1
        for step in 0..<3 {
            let g: [Double] = values(count, seed: 10 + UInt32(step))
            whole.update(&p1, gradient: g)
            let cuts = [0, 1, 17, 18, 400, 777, count]
            p2.withUnsafeMutableBufferPointer { p in
                g.withUnsafeBufferPointer { gp in
                    blocks.withUpdateStep { update in
                        for (a, b) in zip(cuts, cuts.dropFirst()).reversed() {
                            update.apply(to: a..<b, parameters: p.baseAddress!, gradient: gp.baseAddress!)
                        }
                    }
                }
            }
        }
        #expect(p1.map(\.bitPattern) == p2.map(\.bitPattern))
        #expect(p1 != values(count, seed: 1))
    }

    /// The fused sweep (finish the weight gradient, then step) equals the two passes it replaces, bit for bit.
    @Test(arguments: ["adam", "sgd", "nesterov", "gd"])
    func fusedWeightGradientAndStepEqualTheTwoPasses(_ name: String) {
        let count = 333
        var separate = optimizer(name, Float.self, count: count), fused = optimizer(name, Float.self, count: count)
        var p1: [Float] = values(count, seed: 2), p2 = p1
        for step in 0..<3 {
            var g1: [Float] = values(count, seed: 20 + UInt32(step)), g2 = g1
            p1.withUnsafeMutableBufferPointer { p in
                g1.withUnsafeMutableBufferPointer { g in
                    FusedPasses.finishWeightGradient(g.baseAddress!, weights: p.baseAddress!, count: count,
                                                     alpha: 0.25, normalizer: 7)
                }
            }
            separate.update(&p1, gradient: g1)
            p2.withUnsafeMutableBufferPointer { p in
                g2.withUnsafeMutableBufferPointer { g in
                    fused.withUpdateStep { update in
                        update.applyFinishingWeightGradient(to: 0..<count, parameters: p.baseAddress!,
                                                            gradient: g.baseAddress!, alpha: 0.25, normalizer: 7)
                    }
                }
            }
            #expect(g1.map(\.bitPattern) == g2.map(\.bitPattern), "finished gradient, step \(step)")
        }
        #expect(p1.map(\.bitPattern) == p2.map(\.bitPattern))
    }

    /// The vectorized derivative passes give the scalar formulas bit for bit, at every width (vector bodies and
    /// tails), and `Activation.multiplyDerivative` takes them.
    func derivativesMatch<T: KernelFloat>(_: T.Type) {
        let cases: [(OutputDerivative, Activation, (T, T) -> T)] = [
            (.relu, .relu, { d, z in z == 0 ? 0 : d }),
            (.logistic, .logistic, { d, z in d * (z * (1 - z)) }),
            (.tanh, .tanh, { d, z in d * (1 - z * z) }),
        ]
        for (derivative, activation, formula) in cases {
            for count in 1...40 {
                let z: [T] = values(count, seed: 300 + UInt32(count)), delta: [T] = values(count, seed: 400 + UInt32(count))
                let expected = zip(delta, z).map { formula($0, $1) }
                var kernel = delta, viaActivation = delta
                kernel.withUnsafeMutableBufferPointer {
                    FusedPasses.multiplyDerivative(derivative, $0.baseAddress!, output: z, count: count)
                }
                viaActivation.withUnsafeMutableBufferPointer {
                    activation.multiplyDerivative($0.baseAddress!, output: z, input: nil, count: count)
                }
                #expect(kernel.map { Double($0).bitPattern } == expected.map { Double($0).bitPattern },
                        "\(T.self) \(derivative), count \(count)")
                #expect(viaActivation.map { Double($0).bitPattern } == expected.map { Double($0).bitPattern },
                        "\(T.self) \(activation), count \(count)")
            }
        }
    }

    @Test func derivativePassesMatchTheScalarFormulas() {
        derivativesMatch(Float.self)
        derivativesMatch(Double.self)
    }
}
