import MLPTestSupport
import Testing
@testable import MLPKernels

// Weight panels for single-row prediction: for every panel width (including ones that leave a narrow last panel and
// ones wider than the layer), every layer shape around the kernel's vector blocks, with and without ReLU, the packed
// pass gives the same bits as the dense-row kernel on the unpacked (nIn, nOut) matrix.
@Suite struct DenseRowPanelsTests {
    static func check<T: KernelFloat>(_ type: T.Type, nIn: Int, nOut: Int, width: Int, relu: Bool) {
        var rng = SeededGenerator(seed: UInt64(nIn * 1000 + nOut * 10 + width))
        let x = (0..<nIn).map { _ in T(Double.random(in: -2...2, using: &rng)) }
        let w = (0..<(nIn * nOut)).map { _ in T(Double.random(in: -1...1, using: &rng)) }
        let bias = (0..<nOut).map { _ in T(Double.random(in: -1...1, using: &rng)) }
        var packed = [T](repeating: .nan, count: nIn * nOut)
        var expected = [T](repeating: .nan, count: nOut), got = [T](repeating: .nan, count: nOut)
        w.withUnsafeBufferPointer { w in
            packed.withUnsafeMutableBufferPointer {
                DenseRowPanels.pack(w.baseAddress!, into: $0.baseAddress!, nIn: nIn, nOut: nOut, width: width)
            }
            expected.withUnsafeMutableBufferPointer {
                DenseRow.forward(x, weights: w.baseAddress!, bias: bias, into: $0.baseAddress!, nIn: nIn, nOut: nOut,
                                 relu: relu)
            }
        }
        packed.withUnsafeBufferPointer { packed in
            got.withUnsafeMutableBufferPointer {
                DenseRowPanels.forward(x, packed: packed.baseAddress!, bias: bias, into: $0.baseAddress!, nIn: nIn,
                                       nOut: nOut, width: width, relu: relu)
            }
        }
        #expect(packed.allSatisfy { !$0.isNaN }, "\(T.self) \(nIn)x\(nOut) width \(width): pack left values unwritten")
        #expect(got.map { Double($0).bitPattern } == expected.map { Double($0).bitPattern },
                "\(T.self) \(nIn)x\(nOut) width \(width) relu \(relu)")
    }

    @Test(arguments: [1, 2, 3, 7, 8, 16, 31, 32, 64, 128, 300])
    func panelsGiveTheBitsOfTheWholeMatrix(width: Int) {
        for (nIn, nOut) in [(1, 1), (3, 10), (100, 256), (256, 128), (128, 10), (13, 70), (9, 129), (2, 33)] {
            for relu in [false, true] {
                Self.check(Double.self, nIn: nIn, nOut: nOut, width: width, relu: relu)
                Self.check(Float.self, nIn: nIn, nOut: nOut, width: width, relu: relu)
            }
        }
    }

    @Test func widthIsEightVectorsOfTheInstructionSet() {
        #expect(DenseRowPanels.width(for: Double.self, isa: .avx512) == 64)
        #expect(DenseRowPanels.width(for: Float.self, isa: .avx512) == 128)
        #expect(DenseRowPanels.width(for: Double.self, isa: .avx2) == 32)
        #expect(DenseRowPanels.width(for: Float.self, isa: .generic) == 32)
    }
}
