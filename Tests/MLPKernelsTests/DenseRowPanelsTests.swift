import MLPTestSupport
import Testing
@testable import MLPKernels

// Weight panels for single-row prediction: for every panel width (including ones that leave a narrow, zero-padded
// last panel and ones wider than the layer), every layer shape around the kernel's vector blocks, with and without
// ReLU, the packed pass gives the same bits as the dense-row kernel on the unpacked (nIn, nOut) matrix.
@Suite struct DenseRowPanelsTests {
    static func check<T: KernelFloat>(_ type: T.Type, nIn: Int, nOut: Int, width: Int, relu: Bool) {
        var rng = SeededGenerator(seed: UInt64(nIn * 1000 + nOut * 10 + width))
        let x = (0..<nIn).map { _ in T(Double.random(in: -2...2, using: &rng)) }
        let w = (0..<(nIn * nOut)).map { _ in T(Double.random(in: -1...1, using: &rng)) }
        let bias = (0..<nOut).map { _ in T(Double.random(in: -1...1, using: &rng)) }
        let padded = DenseRowPanels.paddedColumns(nOut, width: width)
        var packed = [T](repeating: .nan, count: DenseRowPanels.packedCount(nIn: nIn, nOut: nOut, width: width))
        var expected = [T](repeating: .nan, count: nOut), got = [T](repeating: .nan, count: padded)
        w.withUnsafeBufferPointer { w in
            packed.withUnsafeMutableBufferPointer {
                DenseRowPanels.pack(w.baseAddress!, bias: bias, into: $0.baseAddress!, nIn: nIn, nOut: nOut, width: width)
            }
            expected.withUnsafeMutableBufferPointer {
                DenseRow.forward(x, weights: w.baseAddress!, bias: bias, into: $0.baseAddress!, nIn: nIn, nOut: nOut,
                                 relu: relu)
            }
        }
        packed.withUnsafeBufferPointer { packed in
            got.withUnsafeMutableBufferPointer {
                DenseRowPanels.forward(x, packed: packed.baseAddress!, into: $0.baseAddress!, nIn: nIn, nOut: nOut,
                                       width: width, relu: relu)
            }
        }
        let label = "\(T.self) \(nIn)x\(nOut) width \(width) relu \(relu)"
        #expect(packed.allSatisfy { !$0.isNaN }, "\(label): pack left values unwritten")
        #expect(padded >= nOut && padded < nOut + Swift.max(1, width / 8), "\(label): \(padded) padded columns")
        #expect(got.prefix(nOut).map { Double($0).bitPattern } == expected.map { Double($0).bitPattern }, "\(label)")
        // Zero weights and a bias of 1 in the padding columns: their scratch outputs are 1.
        #expect(got.dropFirst(nOut).allSatisfy { $0 == 1 }, "\(label): padding columns")
    }

    @Test(arguments: [1, 2, 3, 7, 8, 16, 20, 31, 32, 64, 128, 300])
    func panelsGiveTheBitsOfTheWholeMatrix(width: Int) {
        for (nIn, nOut) in [(1, 1), (3, 10), (100, 256), (256, 128), (128, 10), (13, 70), (9, 129), (2, 33)] {
            for relu in [false, true] {
                Self.check(Double.self, nIn: nIn, nOut: nOut, width: width, relu: relu)
                Self.check(Float.self, nIn: nIn, nOut: nOut, width: width, relu: relu)
            }
        }
    }

    /// The dense-row kernel on every instruction set against one scalar chain per column over the inputs in order,
    /// then + bias and ReLU (fused multiply-adds, or on x86-64's generic kernels, built without FMA, a multiply and an
    /// add): every count of whole vectors left after the blocks of eight (0...7), with and without a
    /// tail narrower than a vector, for one row, two rows and more.
    @Test(arguments: supportedInstructionSets)
    func denseRowIsOneChainPerColumn(isa: InstructionSet) {
        #if arch(x86_64)
        let fused = isa != .generic
        #else
        let fused = true
        #endif
        func check<T: KernelFloat>(_ type: T.Type) {
            for nIn in [1, 2, 5, 33] {
                for nOut in 1...(9 * 16 + 3) {
                    var rng = SeededGenerator(seed: UInt64(nIn * 1000 + nOut))
                    let x = (0..<nIn).map { _ in T(Double.random(in: -2...2, using: &rng)) }
                    let w = (0..<(nIn * nOut)).map { _ in T(Double.random(in: -1...1, using: &rng)) }
                    let bias = (0..<nOut).map { _ in T(Double.random(in: -1...1, using: &rng)) }
                    for relu in [false, true] {
                        let expected = (0..<nOut).map { j -> T in
                            var sum: T = 0
                            for p in 0..<nIn {
                                if fused { sum.addProduct(x[p], w[p * nOut + j]) } else { sum += x[p] * w[p * nOut + j] }
                            }
                            let r = sum + bias[j]
                            return relu && r < 0 ? 0 : r
                        }
                        var got = [T](repeating: .nan, count: nOut)
                        got.withUnsafeMutableBufferPointer {
                            DenseRow.forward(x, weights: w, bias: bias, into: $0.baseAddress!, nIn: nIn, nOut: nOut,
                                             relu: relu, instructionSet: isa)
                        }
                        #expect(got.map { Double($0).bitPattern } == expected.map { Double($0).bitPattern },
                                "\(isa) \(T.self) \(nIn)x\(nOut) relu \(relu)")
                    }
                }
            }
        }
        check(Double.self)
        check(Float.self)
    }

    /// One scalar chain per column over all the inputs in order, then + bias and ReLU: fused multiply-adds, or on
    /// x86-64's generic kernels (built without FMA) a multiply and an add.
    static func referenceRow<T: KernelFloat>(_ x: [T], _ w: [T], _ bias: [T], nOut: Int, relu: Bool,
                                             isa: InstructionSet) -> [T] {
        #if arch(x86_64)
        let fused = isa != .generic
        #else
        let fused = true
        #endif
        return (0..<nOut).map { j -> T in
            var sum: T = 0
            for p in x.indices {
                if fused { sum.addProduct(x[p], w[p * nOut + j]) } else { sum += x[p] * w[p * nOut + j] }
            }
            let r = sum + bias[j]
            return relu && r < 0 ? 0 : r
        }
    }

    /// The panels of (nIn, nOut) weights through `DenseRowPanels.forward` on `isa`, skipping zero inputs or not.
    static func panelsForward<T: KernelFloat>(_ x: [T], _ w: [T], _ bias: [T], nOut: Int, width: Int, relu: Bool,
                                              skipZeroInputs: Bool, isa: InstructionSet) -> [T] {
        let nIn = x.count
        var packed = [T](repeating: .nan, count: DenseRowPanels.packedCount(nIn: nIn, nOut: nOut, width: width))
        var got = [T](repeating: .nan, count: DenseRowPanels.paddedColumns(nOut, width: width))
        w.withUnsafeBufferPointer { w in
            packed.withUnsafeMutableBufferPointer {
                DenseRowPanels.pack(w.baseAddress!, bias: bias, into: $0.baseAddress!, nIn: nIn, nOut: nOut,
                                    width: width)
            }
        }
        packed.withUnsafeBufferPointer { packed in
            got.withUnsafeMutableBufferPointer {
                DenseRowPanels.forward(x, packed: packed.baseAddress!, into: $0.baseAddress!, nIn: nIn, nOut: nOut,
                                       width: width, relu: relu, skipZeroInputs: skipZeroInputs, instructionSet: isa)
            }
        }
        return Array(got.prefix(nOut))
    }

    /// Skipping zero inputs keeps every bit, zero signs included: for each instruction set, the predictor's panel
    /// width and narrower ones, shapes around the vector blocks, inputs from none to all zero (+0 and -0 mixed, so
    /// the quarter that turns skipping on is crossed both ways), with and without ReLU, against the full chains.
    @Test(arguments: supportedInstructionSets)
    func skippingZeroInputsKeepsTheBits(isa: InstructionSet) {
        func check<T: KernelFloat>(_ type: T.Type) {
            let widths = [DenseRowPanels.width(for: T.self, isa: isa), 16, 8, 3]
            for width in widths {
                for (nIn, nOut) in [(1, 8), (4, 64), (9, 70), (100, 256), (256, 128), (128, 10), (33, 129)] {
                    for zeros in [0.0, 0.2, 0.3, 0.5, 0.9, 1.0] {
                        var rng = SeededGenerator(seed: UInt64(nIn * 7919 + nOut * 31 + width + Int(zeros * 10)))
                        let x = (0..<nIn).map { _ -> T in
                            guard Double.random(in: 0..<1, using: &rng) >= zeros else {
                                return Bool.random(using: &rng) ? 0 : -0.0
                            }
                            return T(Double.random(in: -2...2, using: &rng))
                        }
                        let w = (0..<(nIn * nOut)).map { _ in T(Double.random(in: -1...1, using: &rng)) }
                        // Some zero biases: with every input zero those columns sum to a zero, which skipping reruns.
                        let bias = (0..<nOut).map { j -> T in
                            j % 5 != 0 ? T(Double.random(in: -1...1, using: &rng)) : j % 2 == 0 ? 0 : -0.0
                        }
                        for relu in [false, true] {
                            let expected = Self.referenceRow(x, w, bias, nOut: nOut, relu: relu, isa: isa)
                            let got = Self.panelsForward(x, w, bias, nOut: nOut, width: width, relu: relu,
                                                         skipZeroInputs: true, isa: isa)
                            #expect(got.map { Double($0).bitPattern } == expected.map { Double($0).bitPattern },
                                    "\(isa) \(T.self) \(nIn)x\(nOut) width \(width) zeros \(zeros) relu \(relu)")
                        }
                    }
                }
            }
        }
        check(Double.self)
        check(Float.self)
    }

    /// A chain whose sum is a zero may hold either sign, and a skipped zero product can flip it: here the first
    /// product underflows to -0 and the zero inputs after it turn the full chain's sum to +0, so a pass over the
    /// non-zero inputs alone would give -0 (+ a -0 bias). The pass reads every input for such a block instead.
    @Test(arguments: supportedInstructionSets)
    func aZeroSumReadsEveryInput(isa: InstructionSet) {
        func check<T: KernelFloat>(_ type: T.Type, tiny: T) {
            let width = DenseRowPanels.width(for: T.self, isa: isa), nIn = 4, nOut = width
            let x: [T] = [tiny, 0, 0, 0]
            var w = [T](repeating: 1, count: nIn * nOut)
            for j in 0..<nOut { w[j] = -tiny }
            let bias = [T](repeating: -0.0, count: nOut)
            for relu in [false, true] {
                let expected = Self.referenceRow(x, w, bias, nOut: nOut, relu: relu, isa: isa)
                let got = Self.panelsForward(x, w, bias, nOut: nOut, width: width, relu: relu, skipZeroInputs: true,
                                             isa: isa)
                #expect(got.map { Double($0).bitPattern } == expected.map { Double($0).bitPattern },
                        "\(isa) \(T.self) relu \(relu)")
                #expect(expected.allSatisfy { $0 == 0 }, "\(isa) \(T.self): the sums are zeros")
            }
        }
        check(Double.self, tiny: 1e-200)
        check(Float.self, tiny: 1e-30)
    }

    /// 256 bytes of columns on AVX-512 and AVX2: the large problem's 128-unit layer is two float32 panels, so a split
    /// row's two threads each take one.
    @Test func widthIs256BytesOfColumns() {
        #expect(DenseRowPanels.width(for: Double.self, isa: .avx512) == 32)
        #expect(DenseRowPanels.width(for: Float.self, isa: .avx512) == 64)
        #expect(DenseRowPanels.width(for: Double.self, isa: .avx2) == 32)
        #expect(DenseRowPanels.width(for: Float.self, isa: .avx2) == 64)
        #expect(DenseRowPanels.width(for: Float.self, isa: .generic) == 32)
        for isa in [InstructionSet.avx512, .avx2] {
            #expect(DenseRowPanels.panelCount(128, width: DenseRowPanels.width(for: Float.self, isa: isa)) == 2)
        }
    }
}
