import Foundation
import MLPTestSupport
import Testing
@testable import MLPKernels

// The vectorized exp / logistic / tanh against Foundation (libm), for every instruction set this CPU runs:
// a dense sweep over the whole useful range plus the edges (±0, subnormals, overflow and underflow
// thresholds, ±greatest finite, ±inf, NaN), at every tail length, in place and out of place.

/// Inputs: a dense grid over [-limit, limit], small magnitudes down to subnormals, and special values.
func mathInputs<T: KernelFloat>(_ type: T.Type, limit: T) -> [T] {
    var x: [T] = []
    let steps = 20000
    for i in 0...steps { x.append(-limit + 2 * limit * T(i) / T(steps)) }
    var tiny: T = 1
    while tiny > 0 { x.append(tiny); x.append(-tiny); tiny /= 7 }
    let specials: [T] = [0, -0.0, T.leastNonzeroMagnitude, T.leastNormalMagnitude, T.greatestFiniteMagnitude,
                         T.infinity, T.nan, T(0.625), T(0.625).nextDown, T.ulpOfOne / 2, T(1e-3)]
    for s in specials { x.append(s); x.append(-s) }
    // Thresholds where exp overflows, turns subnormal and underflows to 0, and where tanh rounds to ±1.
    let edges: [T] = T.self == Float.self ? [88.72283, 88.72284, -87.33654, -87.33655, -103.2789, -103.9721, -104, 9.01, 44, 89]
                                          : [709.782712893384, 709.7827128933841, -708.3964185322641, -745.1332191019411,
                                             -745.1332191019412, -746, 19.07, 355, 710]
    for e in edges { x.append(e); x.append(e.nextUp); x.append(e.nextDown); x.append(-e) }
    return x
}

/// Error in units of the expected value's ulp (the ulp of the least normal for subnormal results).
func ulpError<T: KernelFloat>(_ actual: T, _ expected: T) -> T {
    if actual.isNaN || expected.isNaN { return actual.isNaN && expected.isNaN ? 0 : .infinity }
    if actual == expected { return 0 }
    if expected.isInfinite || actual.isInfinite { return .infinity }
    return (actual - expected).magnitude / expected.ulp
}

struct MathCase: CustomStringConvertible, Sendable {
    let function: ElementwiseFunction
    let isa: InstructionSet
    var description: String { "\(function) \(isa)" }
}

let mathCases = supportedInstructionSets.flatMap { isa in ElementwiseFunction.allCases.map { MathCase(function: $0, isa: isa) } }

func reference<T: KernelFloat>(_ function: ElementwiseFunction, _ x: T) -> T {
    switch function {
    case .exp: T.exp(x)
    case .logistic: 1 / (1 + T.exp(-x))
    case .tanh: T.tanh(x)
    }
}

func checkMath<T: KernelFloat>(_ type: T.Type, _ c: MathCase, maxUlps: T) {
    let x = mathInputs(T.self, limit: T.self == Float.self ? 120 : 800)
    let expected = x.map { reference(c.function, $0) }
    var y = [T](repeating: 0, count: x.count)
    x.withUnsafeBufferPointer { x in y.withUnsafeMutableBufferPointer { y in
        vectorMath(c.function, x.baseAddress!, y.baseAddress!, count: x.count, instructionSet: c.isa)
    } }
    let ulps = zip(y, expected).map { ulpError($0, $1) }
    let worst = ulps.indices.max { ulps[$0] < ulps[$1] }!
    #expect(ulps[worst] <= maxUlps,
            "\(T.self) \(c): \(ulps[worst]) ulp at x = \(x[worst]): expected \(expected[worst]), actual \(y[worst])")
    assertClose(y, expected, tolerance: { maxUlps * expected[$0].ulp }, "\(T.self) \(c)")
    // In place, and every tail length: same results as the long run.
    for count in 0...40 {
        var inPlace = Array(x[100..<(100 + count)])
        inPlace.withUnsafeMutableBufferPointer { b in
            if count > 0 { vectorMath(c.function, b.baseAddress!, b.baseAddress!, count: count, instructionSet: c.isa) }
        }
        #expect(inPlace.elementsEqualBitwise(Array(y[100..<(100 + count)])), "\(T.self) \(c) in place, count \(count)")
    }
}

@Suite struct VectorMathTests {
    @Test(arguments: mathCases)
    func floatMatchesFoundation(_ c: MathCase) { checkMath(Float.self, c, maxUlps: 4) }

    @Test(arguments: mathCases)
    func doubleMatchesFoundation(_ c: MathCase) { checkMath(Double.self, c, maxUlps: 4) }

    @Test func publicEntryPoints() {
        let x: [Float] = [0, 1, -1, .infinity, -.infinity]
        var y = x
        y.withUnsafeMutableBufferPointer { Float.vectorTanh($0.baseAddress!, $0.baseAddress!, count: $0.count) }
        #expect(y[0] == 0 && y[3] == 1 && y[4] == -1 && (y[1] + y[2]) == 0)
        let xd: [Double] = [0, 1000, -1000]
        var yd = xd
        yd.withUnsafeMutableBufferPointer { Double.vectorLogistic($0.baseAddress!, $0.baseAddress!, count: $0.count) }
        #expect(yd == [0.5, 1, 0])
        yd = xd
        yd.withUnsafeMutableBufferPointer { Double.vectorExp($0.baseAddress!, $0.baseAddress!, count: $0.count) }
        #expect(yd == [1, .infinity, 0])
    }
}
