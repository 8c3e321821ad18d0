import MLPKernels

/// One row through a fitted network, each layer read from weight panels (`DenseRowPanels`), with the large layers
/// split by panels over the pool's threads (`DenseRowLayers`): the single-row path of ``MLPPredictor``.
///
/// Why split one row: a single row does one FMA per weight, so it is bound by the weights' trip to the core. Split
/// over two cores, each streams half of every large layer from its own L2 (thread t always takes part t of a layer:
/// the pool's phased jobs), and the phase hand-offs cost a cache line each way. Whether that pays depends on the
/// machine and the moment (two vCPUs can share one core's L2), so the pool measures it: it runs a row's layers on the
/// calling thread alone whenever that was measured faster for jobs of this size (docs/performance.md, "Prediction:
/// `MLPPredictor`"). Each column's FMA chain is the same whichever thread runs it, so the bits do not depend on the
/// split. A layer reads only the weight rows of its non-zero inputs where a quarter or more are zero (after a ReLU
/// layer, about half are), with the same bits (`DenseRowPanels.forward`'s `skipZeroInputs`).
final class SingleRowPass<T: KernelFloat> {
    /// Layers run together in one call of `DenseRowLayers.forward`: up to and including the next layer whose
    /// activation (logistic, tanh, softmax) runs after the pass.
    private struct Job {
        let layers: Range<Int>
        /// The layers' multiply-adds: the pool's estimate of the job's work.
        let multiplyAdds: Int
        /// The last layer's activation when it runs after the pass, and that layer's outputs.
        let activationAfter: Activation?, columns: Int
    }

    /// The smallest layer, in bytes of panels, that is split over threads: half of it streams from L2 in about the
    /// time of a phase hand-off.
    static var smallestSplitLayer: Int { 64 * 1024 }

    private let layers: UnsafeMutableBufferPointer<DenseRowLayers.Layer>
    private let jobs: UnsafeMutableBufferPointer<Job>
    private let width: Int
    private let panels: UnsafeMutablePointer<T>
    /// Layer l writes buffer l % 2; each holds the widest layer's padded columns.
    private let buffers: (UnsafeMutablePointer<T>, UnsafeMutablePointer<T>)

    /// Packs every layer of `network` into panels of `width` columns.
    /// - Parameters:
    ///   - network: the fitted network.
    ///   - parameters: the network's parameters (`network.parameters`), in its layout.
    ///   - width: columns per panel (`DenseRowPanels.width(for:isa:)`), at least 1.
    ///   - splitLayersFrom: the smallest layer, in bytes of panels, to split; nil: `smallestSplitLayer` (tests and
    ///     benchmarks give another).
    init(network: Network<T>, parameters: UnsafePointer<T>, width: Int, splitLayersFrom: Int? = nil) {
        self.width = width
        let smallestSplit = splitLayersFrom ?? Self.smallestSplitLayer
        var layers: [DenseRowLayers.Layer] = [], jobs: [Job] = [], packedCount = 0, widest = 1
        var jobStart = 0, multiplyAdds = 0
        for l in 0..<network.layerCount {
            let nIn = network.layerSizes[l], nOut = network.layerSizes[l + 1]
            let activation = network.activation(ofLayer: l)
            let count = DenseRowPanels.packedCount(nIn: nIn, nOut: nOut, width: width)
            // ReLU and identity run inside the pass; any other activation ends a job and runs after it.
            let weights = network.weightRange(ofLayer: l)
            layers.append(DenseRowLayers.Layer(nIn: nIn, nOut: nOut, width: width, panels: packedCount,
                                               relu: activation == .relu,
                                               splits: count * MemoryLayout<T>.stride >= smallestSplit,
                                               skipsZeroInputs: weights.allSatisfy { parameters[$0].isFinite }))
            packedCount += count
            widest = Swift.max(widest, layers[l].paddedColumns)
            multiplyAdds += nIn * nOut
            let after = activation != .relu && activation != .identity
            if after || l == network.layerCount - 1 {
                jobs.append(Job(layers: jobStart..<(l + 1), multiplyAdds: multiplyAdds,
                                activationAfter: after ? activation : nil, columns: nOut))
                jobStart = l + 1
                multiplyAdds = 0
            }
        }
        self.layers = .allocate(capacity: layers.count)
        _ = self.layers.initialize(from: layers)
        self.jobs = .allocate(capacity: jobs.count)
        _ = self.jobs.initialize(from: jobs)
        // Cache-line aligned: every panel row is whole vectors, so no vector load of the stream straddles two lines.
        panels = UnsafeMutableRawPointer.allocate(byteCount: Swift.max(1, packedCount) * MemoryLayout<T>.stride,
                                                  alignment: 64).bindMemory(to: T.self, capacity: packedCount)
        for (l, layer) in layers.enumerated() {
            DenseRowPanels.pack(parameters + network.weightRange(ofLayer: l).lowerBound,
                                bias: parameters + network.biasRange(ofLayer: l).lowerBound, into: panels + layer.panels,
                                nIn: network.layerSizes[l], nOut: network.layerSizes[l + 1], width: width)
        }
        // Each buffer starts on its own cache line: the threads write disjoint panels of one layer's output.
        buffers = (UnsafeMutableRawPointer.allocate(byteCount: widest * MemoryLayout<T>.stride, alignment: 64)
                       .bindMemory(to: T.self, capacity: widest),
                   UnsafeMutableRawPointer.allocate(byteCount: widest * MemoryLayout<T>.stride, alignment: 64)
                       .bindMemory(to: T.self, capacity: widest))
    }

    deinit {
        layers.deallocate()
        jobs.deallocate()
        panels.deallocate()
        buffers.0.deallocate()
        buffers.1.deallocate()
    }

    /// The network's outputs for one row (before a classifier's labels), the same bits as the row inside a batch.
    /// - Parameter x: the row, the network's inputs.
    /// - Returns: the last layer's buffer; valid until the next call.
    func forward(_ x: UnsafePointer<T>) -> UnsafePointer<T> {
        let threads = KernelConfiguration.threadCount
        for job in jobs {
            DenseRowLayers.forward(UnsafeBufferPointer(layers), range: job.layers, packed: panels, width: width, row: x,
                                   buffers: buffers, threads: threads, size: job.multiplyAdds)
            if let activation = job.activationAfter {
                activation.apply(output(ofLayer: job.layers.upperBound - 1), rows: 1, columns: job.columns)
            }
        }
        return UnsafePointer(output(ofLayer: layers.count - 1))
    }

    private func output(ofLayer l: Int) -> UnsafeMutablePointer<T> {
        l % 2 == 0 ? buffers.0 : buffers.1
    }
}
