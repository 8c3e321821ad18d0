/// A dense layer's weights regrouped for single-row prediction: column panels, each a contiguous (nIn, width)
/// row-major block, so that one pass of `DenseRow` streams the weights front to back.
///
/// Why: a single row reads every weight once and does one FMA per weight, so it is bound by the weights' trip from L2
/// (Float64 100→256→128→10: 477 KB). Through the (nIn, nOut) matrix each panel of columns is nIn short runs a row apart,
/// which the prefetchers follow poorly; a packed panel is one sequential stream. Each column keeps its FMA chain over the
/// inputs in order, so a panel gives the same bits as the whole matrix (and as the row inside a GEMM batch).
package enum DenseRowPanels {
    /// Columns per panel for `T` on `isa`: the dense-row kernel's widest block (eight vectors).
    /// - Parameters:
    ///   - type: the element type.
    ///   - isa: the instruction set the kernel runs with.
    package static func width<T: KernelFloat>(for type: T.Type, isa: InstructionSet) -> Int {
        let vectorBytes = switch isa {
        case .avx512: 64
        case .avx2: 32
        case .generic: 16
        }
        return 8 * vectorBytes / MemoryLayout<T>.size
    }

    /// Copies `w` into panels of `width` columns (the last one narrower when `width` does not divide `nOut`).
    /// - Parameters:
    ///   - w: (nIn, nOut) row-major.
    ///   - packed: receives the nIn·nOut values: panel after panel, each (nIn, its width) row-major.
    ///   - nIn: rows of `w` (the layer's inputs).
    ///   - nOut: columns of `w` (the layer's outputs).
    ///   - width: columns per panel (at least 1).
    package static func pack<T>(_ w: UnsafePointer<T>, into packed: UnsafeMutablePointer<T>, nIn: Int, nOut: Int,
                                width: Int) {
        var destination = packed
        for start in stride(from: 0, to: nOut, by: width) {
            let columns = Swift.min(width, nOut - start)
            for p in 0..<nIn {
                destination.update(from: w + p * nOut + start, count: columns)
                destination += columns
            }
        }
    }

    /// out[j] = act(Σ_p x[p] w[p, j] + bias[j]) with the weights as `pack` left them; the same bits as
    /// `DenseRow.forward` on the unpacked matrix.
    /// - Parameters:
    ///   - x: the row, nIn values.
    ///   - packed: the panels written by `pack` with the same `nIn`, `nOut` and `width`.
    ///   - bias: nOut values.
    ///   - out: receives nOut values.
    ///   - nIn: the layer's inputs.
    ///   - nOut: the layer's outputs.
    ///   - width: the panel width given to `pack`.
    ///   - relu: ReLU after the bias, else identity.
    @_specialize(exported: true, where T == Float)
    @_specialize(exported: true, where T == Double)
    package static func forward<T: KernelFloat>(_ x: UnsafePointer<T>, packed: UnsafePointer<T>, bias: UnsafePointer<T>,
                                                into out: UnsafeMutablePointer<T>, nIn: Int, nOut: Int, width: Int,
                                                relu: Bool) {
        var panel = packed
        for start in stride(from: 0, to: nOut, by: width) {
            let columns = Swift.min(width, nOut - start)
            DenseRow.forward(x, weights: panel, bias: bias + start, into: out + start, nIn: nIn, nOut: columns,
                             relu: relu)
            panel += nIn * columns
        }
    }
}
