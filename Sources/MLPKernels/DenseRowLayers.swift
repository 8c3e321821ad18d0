import CMLPKernels

/// Several layers of one row through weight panels (`DenseRowPanels`), the large ones split by panels over the pool's
/// threads as one phased job (`mlp_row_layers_f32`/`_f64`): the single-row path of the predictor.
///
/// Why in C: a part goes from the pool straight to the panel kernel. Through Swift (a protocol call per part, the
/// generic panel loop and a dispatch per panel) a float32 row of the large problem's network, split over two cores of
/// a Zen 3, ran 0.3 µs slower (docs/performance.md, "The single row in C").
package enum DenseRowLayers {
    /// One layer of the pass: its panels (as `DenseRowPanels.pack` wrote them, at an offset in the packed weights),
    /// its activation inside the pass and whether it is split over threads.
    package struct Layer {
        fileprivate var layer: mlp_row_layer

        /// - Parameters:
        ///   - nIn: the layer's inputs.
        ///   - nOut: the layer's outputs.
        ///   - width: the panel width given to `DenseRowPanels.pack`.
        ///   - panels: where the layer's first panel starts in the packed weights, in elements.
        ///   - relu: ReLU after the bias, else identity.
        ///   - splits: split by panels over the threads (each thread a contiguous run of panels).
        ///   - skipsZeroInputs: the weights are all finite, so the pass may skip zero inputs
        ///     (`DenseRowPanels.forward`'s `skipZeroInputs`).
        package init(nIn: Int, nOut: Int, width: Int, panels: Int, relu: Bool, splits: Bool, skipsZeroInputs: Bool) {
            layer = mlp_row_layer(n_in: nIn, padded_columns: DenseRowPanels.paddedColumns(nOut, width: width),
                                  panel_count: DenseRowPanels.panelCount(nOut, width: width), panels: panels,
                                  relu: relu ? 1 : 0, splits: splits ? 1 : 0, skip_zero_inputs: skipsZeroInputs ? 1 : 0)
        }

        /// The values the layer writes: its outputs padded to whole vectors.
        package var paddedColumns: Int { layer.padded_columns }
        /// Where the layer's first panel starts in the packed weights, in elements.
        package var panels: Int { layer.panels }
    }

    /// Layers `range` of `layers`: layer l reads `row` (l == 0) or the buffer layer l − 1 wrote, and writes
    /// `buffers.0` (even l) or `buffers.1` (odd l). Run as one phased job of the pool when a split layer has more than
    /// one panel and `threads` > 1, else on the calling thread; the same bits either way.
    /// - Parameters:
    ///   - layers: the pass's layers.
    ///   - range: the layers to run, in order.
    ///   - packed: every layer's panels.
    ///   - width: the panel width given to `DenseRowPanels.pack`.
    ///   - row: the network's inputs.
    ///   - buffers: each holds the widest layer's `paddedColumns`.
    ///   - threads: the threads to use, the caller included.
    ///   - size: the layers' multiply-adds, the pool's estimate of the job's work.
    @_specialize(exported: true, where T == Float)
    @_specialize(exported: true, where T == Double)
    package static func forward<T: KernelFloat>(_ layers: UnsafeBufferPointer<Layer>, range: Range<Int>,
                                                packed: UnsafePointer<T>, width: Int, row: UnsafePointer<T>,
                                                buffers: (UnsafeMutablePointer<T>, UnsafeMutablePointer<T>),
                                                threads: Int, size: Int) {
        guard let base = layers.baseAddress, !range.isEmpty else { return }
        // Layer has a single stored property, an mlp_row_layer, so the buffer is laid out as the C array.
        let cLayers = UnsafeRawPointer(base).assumingMemoryBound(to: mlp_row_layer.self)
        let first = Int32(range.lowerBound), end = Int32(range.upperBound), threads = Int32(clamping: threads)
        if T.self == Float.self {
            mlp_row_layers_f32(-1, cLayers, first, end, UnsafeRawPointer(packed).assumingMemoryBound(to: Float.self),
                               width, UnsafeRawPointer(row).assumingMemoryBound(to: Float.self),
                               UnsafeMutableRawPointer(buffers.0).assumingMemoryBound(to: Float.self),
                               UnsafeMutableRawPointer(buffers.1).assumingMemoryBound(to: Float.self), threads, size)
        } else if T.self == Double.self {
            mlp_row_layers_f64(-1, cLayers, first, end, UnsafeRawPointer(packed).assumingMemoryBound(to: Double.self),
                               width, UnsafeRawPointer(row).assumingMemoryBound(to: Double.self),
                               UnsafeMutableRawPointer(buffers.0).assumingMemoryBound(to: Double.self),
                               UnsafeMutableRawPointer(buffers.1).assumingMemoryBound(to: Double.self), threads, size)
        } else {
            for l in range {
                let layer = layers[l].layer
                DenseRowPanels.forward(l == 0 ? row : UnsafePointer(l % 2 == 1 ? buffers.0 : buffers.1),
                                       packed: packed + layer.panels, into: l % 2 == 0 ? buffers.0 : buffers.1,
                                       nIn: layer.n_in, nOut: layer.padded_columns, width: width,
                                       relu: layer.relu != 0, skipZeroInputs: layer.skip_zero_inputs != 0)
            }
        }
    }
}
