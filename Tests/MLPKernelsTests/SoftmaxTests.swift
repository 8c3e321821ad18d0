import CMLPKernels
import Foundation
import MLPTestSupport
import Testing
@testable import MLPKernels

// Row-wise softmax against scikit-learn's formula written in Swift, for every instruction set, every tail length.

func isaCode(_ isa: InstructionSet) -> Int32 { Int32(isa.rawValue) }

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

@Suite struct SoftmaxTests {
    @Test(arguments: supportedInstructionSets)
    func softmaxRows(isa: InstructionSet) {
        checkSoftmax(Float.self, isa: isa)
        checkSoftmax(Double.self, isa: isa)
    }

    /// Whole blocks of rows go one row per lane (narrow rows); that must give the bits of one row at a time.
    @Test(arguments: supportedInstructionSets)
    func blocksOfRowsMatchOneRowAtATime(isa: InstructionSet) {
        func run<T: KernelFloat>(_: T.Type) {
            var rng = SeededGenerator(seed: 5)
            for columns in [1, 2, 7, 10, 16, 17, 31, 32, 33] {
                let rows = 37, ld = columns + 3
                var x = [T].random(count: rows * ld, using: &rng).map { $0 * 40 }
                x[ld + columns / 2] = .infinity  // a row with +inf: NaN outputs, as the row loop gives
                x[2 * ld] = .nan
                x[3 * ld] = -.infinity
                var blocks = x, single = x
                blocks.withUnsafeMutableBufferPointer { softmax($0.baseAddress!, rows: rows, columns: columns, ld: ld, isa: isa) }
                single.withUnsafeMutableBufferPointer { buffer in
                    for r in 0..<rows { softmax(buffer.baseAddress! + r * ld, rows: 1, columns: columns, ld: ld, isa: isa) }
                }
                let bits = { (x: T) in "\(x.sign) \(x.exponentBitPattern) \(x.significandBitPattern)" }
                #expect(blocks.map(bits) == single.map(bits), "\(T.self) \(isa) columns \(columns)")
            }
        }
        run(Float.self)
        run(Double.self)
    }

    @Test func publicEntryPoint() {
        var x: [Float] = [1, 1, 1, 1]
        x.withUnsafeMutableBufferPointer { Float.softmaxRows($0.baseAddress!, rows: 1, columns: 4, ld: 4) }
        #expect(x == [0.25, 0.25, 0.25, 0.25])
    }
}
