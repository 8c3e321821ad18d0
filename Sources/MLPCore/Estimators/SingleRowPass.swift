import MLPKernels

/// One row through a fitted network, each layer read from weight panels (`DenseRowPanels`), with the large layers
/// split by panels over the pool's threads: the single-row path of ``MLPPredictor``.
///
/// Why split one row: a single row does one FMA per weight, so it is bound by the weights' trip to the core. Split
/// over two cores, each streams half of every large layer from its own L2 (thread t always takes part t of a layer:
/// the pool's phased jobs), and the phase hand-offs cost a cache line each way. Whether that pays depends on the
/// machine and the moment (two vCPUs can share one core's L2), so the pool measures it: it runs a row's layers on the
/// calling thread alone whenever that was measured faster for jobs of this size (docs/performance.md, "Prediction:
/// `MLPPredictor`"). Each column's FMA chain is the same whichever thread runs it, so the bits do not depend on the
/// split.
final class SingleRowPass<T: KernelFloat>: PhasedWork {
    /// One layer's shape, activation and where its panels start.
    private struct Layer {
        let nIn: Int, nOut: Int, panels: Int, panelCount: Int
        let activation: Activation
        /// Whether the layer is split over threads: it is large enough that half of it streams longer than a
        /// hand-off.
        let splits: Bool
        /// The kernel's activation: ReLU or identity run inside the pass; any other is applied after it.
        var relu: Bool { activation == .relu }
        var appliedAfter: Bool { activation != .relu && activation != .identity }
    }

    /// The smallest layer, in bytes of panels, that is split over threads: half of it streams from L2 in about the
    /// time of a phase hand-off.
    static var smallestSplitLayer: Int { 64 * 1024 }

    private let layers: UnsafeMutableBufferPointer<Layer>
    private let width: Int
    private let panels: UnsafeMutablePointer<T>
    /// Layer l writes buffer l % 2; each holds the widest layer's padded columns.
    private let buffers: (UnsafeMutablePointer<T>, UnsafeMutablePointer<T>)
    /// The parts of each phase of the current job (one phase per layer).
    private let phaseParts: UnsafeMutablePointer<Int32>
    /// The current call's row and the first layer of the current job, read by `runPart`.
    private var row: UnsafePointer<T>?
    private var firstLayer = 0

    /// Packs every layer of `network` into panels of `width` columns.
    /// - Parameters:
    ///   - network: the fitted network.
    ///   - parameters: the network's parameters (`network.parameters`), in its layout.
    ///   - width: columns per panel (`DenseRowPanels.width(for:isa:)`), at least 1.
    ///   - splitLayersFrom: the smallest layer, in bytes of panels, to split; nil: `smallestSplitLayer` (tests and
    ///     benchmarks give another).
    init(network: Network<T>, parameters: UnsafePointer<T>, width: Int, splitLayersFrom: Int? = nil) {
        self.width = width
        let counts = (0..<network.layerCount).map {
            DenseRowPanels.packedCount(nIn: network.layerSizes[$0], nOut: network.layerSizes[$0 + 1], width: width)
        }
        let smallestSplit = splitLayersFrom ?? Self.smallestSplitLayer
        var layers: [Layer] = [], packedCount = 0, widest = 1
        for l in 0..<network.layerCount {
            let nIn = network.layerSizes[l], nOut = network.layerSizes[l + 1]
            layers.append(Layer(nIn: nIn, nOut: nOut, panels: packedCount,
                                panelCount: DenseRowPanels.panelCount(nOut, width: width),
                                activation: network.activation(ofLayer: l),
                                splits: counts[l] * MemoryLayout<T>.stride >= smallestSplit))
            packedCount += counts[l]
            widest = Swift.max(widest, DenseRowPanels.paddedColumns(nOut, width: width))
        }
        self.layers = .allocate(capacity: layers.count)
        _ = self.layers.initialize(from: layers)
        // Cache-line aligned: every panel row is whole vectors, so no vector load of the stream straddles two lines.
        panels = UnsafeMutableRawPointer.allocate(byteCount: Swift.max(1, packedCount) * MemoryLayout<T>.stride,
                                                  alignment: 64).bindMemory(to: T.self, capacity: packedCount)
        for (l, layer) in layers.enumerated() {
            DenseRowPanels.pack(parameters + network.weightRange(ofLayer: l).lowerBound,
                                bias: parameters + network.biasRange(ofLayer: l).lowerBound,
                                into: panels + layer.panels, nIn: layer.nIn, nOut: layer.nOut, width: width)
        }
        // Each buffer starts on its own cache line: the threads write disjoint panels of one layer's output.
        buffers = (UnsafeMutableRawPointer.allocate(byteCount: widest * MemoryLayout<T>.stride, alignment: 64)
                       .bindMemory(to: T.self, capacity: widest),
                   UnsafeMutableRawPointer.allocate(byteCount: widest * MemoryLayout<T>.stride, alignment: 64)
                       .bindMemory(to: T.self, capacity: widest))
        phaseParts = .allocate(capacity: Swift.max(1, layers.count))
    }

    deinit {
        layers.deallocate()
        panels.deallocate()
        buffers.0.deallocate()
        buffers.1.deallocate()
        phaseParts.deallocate()
    }

    /// The network's outputs for one row (before a classifier's labels), the same bits as the row inside a batch.
    /// - Parameter x: the row, the network's inputs.
    /// - Returns: the last layer's buffer; valid until the next call.
    func forward(_ x: UnsafePointer<T>) -> UnsafePointer<T> {
        row = x
        let threads = KernelConfiguration.threadCount
        var start = 0
        while start < layers.count {
            // One job: the layers up to and including the next one whose activation is applied after the pass.
            var end = start
            while end < layers.count && !layers[end].appliedAfter { end += 1 }
            end = Swift.min(end + 1, layers.count)
            var split = false, multiplyAdds = 0
            for l in start..<end {
                let parts = layers[l].splits ? Swift.min(threads, layers[l].panelCount) : 1
                phaseParts[l - start] = Int32(parts)
                split = split || parts > 1
                multiplyAdds += layers[l].nIn * layers[l].nOut
            }
            firstLayer = start
            if split {
                runPhases(UnsafeBufferPointer(start: phaseParts, count: end - start), threads: threads,
                          size: multiplyAdds, self)
            } else {
                for l in start..<end { runPart(0, of: 1, inPhase: l - start) }
            }
            let last = layers[end - 1]
            if last.appliedAfter { last.activation.apply(output(ofLayer: end - 1), rows: 1, columns: last.nOut) }
            start = end
        }
        return UnsafePointer(output(ofLayer: layers.count - 1))
    }

    /// Layer `firstLayer + phase`'s panels in part `part` of `parts`. Specialized: the pool calls it through the
    /// protocol, where the generic body would look up `Layer`'s metadata on every part.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func runPart(_ part: Int, of parts: Int, inPhase phase: Int) {
        let l = firstLayer + phase, layer = layers[l]
        let input = l == 0 ? row! : UnsafePointer(output(ofLayer: l - 1))
        DenseRowPanels.forward(input, packed: panels + layer.panels, into: output(ofLayer: l), nIn: layer.nIn,
                               nOut: layer.nOut, width: width, relu: layer.relu,
                               panels: partRange(layer.panelCount, part: part, parts: parts))
    }

    private func output(ofLayer l: Int) -> UnsafeMutablePointer<T> {
        l % 2 == 0 ? buffers.0 : buffers.1
    }
}
