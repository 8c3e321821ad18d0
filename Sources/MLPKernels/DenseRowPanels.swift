import CMLPKernels

/// A dense layer's weights and bias regrouped for single-row prediction: column panels, each a contiguous
/// (nIn, columns) row-major block followed by its bias, so that one pass of `DenseRow` streams the layer front to back.
///
/// Why: a single row reads every weight once and does one FMA per weight, so it is bound by the weights' trip from L2
/// (Float64 100→256→128→10: 477 KB). Through the (nIn, nOut) matrix each panel of columns is nIn short runs a row apart,
/// which the prefetchers follow poorly; a packed panel is one sequential stream. The last panel is padded with zero
/// columns to an eighth of a panel (whole vectors on AVX2, half vectors on AVX-512), and the kernel runs the whole
/// vectors and a tail side by side, so a 10-class layer runs as two interleaved FMA chains instead of a vector chain
/// followed by a tail chain. Each real column keeps its FMA chain over the inputs in order, so the panels give the same bits as
/// the whole matrix (and as the row inside a GEMM batch).
package enum DenseRowPanels {
    /// Columns per panel for `T` on `isa`: 256 bytes of columns on AVX-512 and AVX2 (four or eight vectors), eight
    /// vectors on the generic path. As many FMA chains keep up with the weights' stream from L2 (one vector per FMA;
    /// four ymm chains ran 2% slower than eight on a Zen 4), and 256-byte panels let a split row give each thread
    /// whole panels of every large layer (float32: a 128-unit layer is two panels; 512 bytes made it one on AVX-512).
    /// - Parameters:
    ///   - type: the element type.
    ///   - isa: the instruction set the kernel runs with.
    package static func width<T: KernelFloat>(for type: T.Type, isa: InstructionSet) -> Int {
        let (vectorBytes, vectors) = switch isa {
        case .avx512: (64, 4)
        case .avx2: (32, 8)
        case .generic: (16, 8)
        }
        return vectors * vectorBytes / MemoryLayout<T>.size
    }

    /// The columns the panels hold: `nOut` rounded up to an eighth of a panel (`width / 8` values: whole vectors on
    /// AVX2, half vectors on AVX-512; one value when `width` is not a multiple of 8) in the last panel. `forward`
    /// writes this many values.
    /// - Parameters:
    ///   - nOut: the layer's outputs.
    ///   - width: columns per full panel.
    package static func paddedColumns(_ nOut: Int, width: Int) -> Int {
        let vector = width % 8 == 0 ? width / 8 : 1, rest = nOut % width
        return nOut - rest + (rest + vector - 1) / vector * vector
    }

    /// The values `pack` writes: (nIn + 1) per padded column (its weights and its bias).
    /// - Parameters:
    ///   - nIn: the layer's inputs.
    ///   - nOut: the layer's outputs.
    ///   - width: columns per full panel.
    package static func packedCount(nIn: Int, nOut: Int, width: Int) -> Int {
        (nIn + 1) * paddedColumns(nOut, width: width)
    }

    /// Copies `w` and `bias` into panels of `width` columns, each followed by its bias; the last panel's padding
    /// columns have zero weights and a bias of 1, so their scratch outputs are 1, never the zero on which the kernel
    /// reruns a block of columns whose zero inputs it skipped (`dense_panels` in row_kernel.h).
    /// - Parameters:
    ///   - w: (nIn, nOut) row-major.
    ///   - bias: nOut values.
    ///   - packed: receives `packedCount(nIn:nOut:width:)` values.
    ///   - nIn: rows of `w` (the layer's inputs).
    ///   - nOut: columns of `w` (the layer's outputs).
    ///   - width: columns per full panel.
    package static func pack<T: KernelFloat>(_ w: UnsafePointer<T>, bias: UnsafePointer<T>,
                                             into packed: UnsafeMutablePointer<T>, nIn: Int, nOut: Int, width: Int) {
        var destination = packed
        let padded = paddedColumns(nOut, width: width)
        for start in stride(from: 0, to: padded, by: width) {
            let columns = Swift.min(width, padded - start), real = Swift.min(columns, nOut - start)
            for p in 0...nIn {  // the weight rows, then the bias as one more row
                destination.update(from: p < nIn ? w + p * nOut + start : bias + start, count: real)
                (destination + real).update(repeating: p < nIn ? 0 : 1, count: columns - real)
                destination += columns
            }
        }
    }

    /// The panels a layer of `nOut` columns is stored in.
    /// - Parameters:
    ///   - nOut: the layer's outputs.
    ///   - width: columns per full panel.
    package static func panelCount(_ nOut: Int, width: Int) -> Int {
        (paddedColumns(nOut, width: width) + width - 1) / width
    }

    /// out[j] = act(Σ_p x[p] w[p, j] + bias[j]) with the layer as `pack` left it, for the columns of `panels` (all of
    /// them when nil); the same bits as `DenseRow.forward` on the unpacked matrix. Disjoint ranges write disjoint
    /// columns, so threads can share one row's layer; the padding columns after nOut are scratch.
    /// - Parameters:
    ///   - x: the row, nIn values.
    ///   - packed: the panels written by `pack` with the same `nIn`, `nOut` and `width`.
    ///   - out: the whole layer's output (`paddedColumns(nOut, width:)` values); only the panels' columns are written.
    ///   - nIn: the layer's inputs.
    ///   - nOut: the layer's outputs.
    ///   - width: the panel width given to `pack`.
    ///   - relu: ReLU after the bias, else identity.
    ///   - panels: the panel indices to compute, within `0..<panelCount(nOut, width:)`; nil: every panel.
    ///   - skipZeroInputs: where at least a quarter of `x` is zero, read only the weight rows of the other inputs (the
    ///     same bits); only for weights that are all finite, since a skipped 0 × ∞ would have made NaN.
    ///   - instructionSet: the kernels to run (tests check each); nil, the configured ones.
    @_specialize(exported: true, where T == Float)
    @_specialize(exported: true, where T == Double)
    package static func forward<T: KernelFloat>(_ x: UnsafePointer<T>, packed: UnsafePointer<T>,
                                                into out: UnsafeMutablePointer<T>, nIn: Int, nOut: Int, width: Int,
                                                relu: Bool, panels: Range<Int>? = nil, skipZeroInputs: Bool = false,
                                                instructionSet: InstructionSet? = nil) {
        let padded = paddedColumns(nOut, width: width), panels = panels ?? 0..<panelCount(nOut, width: width)
        let isa = Int32(instructionSet?.rawValue ?? -1), skip: Int32 = skipZeroInputs ? 1 : 0
        if T.self == Float.self {
            mlp_dense_panels_f32(isa, UnsafeRawPointer(x).assumingMemoryBound(to: Float.self),
                                 UnsafeRawPointer(packed).assumingMemoryBound(to: Float.self),
                                 UnsafeMutableRawPointer(out).assumingMemoryBound(to: Float.self), nIn, padded, width,
                                 panels.lowerBound, panels.upperBound, relu ? 1 : 0, skip)
            return
        }
        if T.self == Double.self {
            mlp_dense_panels_f64(isa, UnsafeRawPointer(x).assumingMemoryBound(to: Double.self),
                                 UnsafeRawPointer(packed).assumingMemoryBound(to: Double.self),
                                 UnsafeMutableRawPointer(out).assumingMemoryBound(to: Double.self), nIn, padded, width,
                                 panels.lowerBound, panels.upperBound, relu ? 1 : 0, skip)
            return
        }
        var panel = packed + panels.lowerBound * (nIn + 1) * width
        for start in stride(from: panels.lowerBound * width, to: Swift.min(padded, panels.upperBound * width), by: width) {
            let columns = Swift.min(width, padded - start)
            DenseRow.forward(x, weights: panel, bias: panel + nIn * columns, into: out + start, nIn: nIn,
                             nOut: columns, relu: relu)
            panel += (nIn + 1) * columns
        }
    }
}
