/// The scheduler of forward and backward passes over batches of up to `maxRows` rows: it splits each pass into
/// parts that run on the worker pool, and runs `DenseLayer`'s functions on each part's rows (or parameters).
/// Training allocates nothing per batch: every intermediate lives in `buffers`.
///
/// A training step is two parallel phases (`run`):
///   rows:        each part gathers its batch rows, runs the forward pass, the loss and the deltas over them;
///                side parts sum the weight norm in chunks (the L2 term needs the weights before the update)
///   parameters:  each part finishes its blocks of ∂/∂W and ∂/∂b and updates them; side parts gather the next
///                batch's rows (the prefetch) in time they would otherwise spend waiting
/// Every element is computed by one part in a fixed order, so results do not depend on the thread count.
public final class Backpropagation<T: KernelFloat>: ParallelWork {
    /// Units per layer, input first, as `Network.layerSizes`.
    public let layerSizes: [Int]
    /// The largest batch a pass may take.
    public let maxRows: Int
    private var buffers: BatchBuffers<T>
    // Inverted dropout (beyond scikit-learn, its issue 6175), on hidden layers while training only:
    //   forward:  h̃_l = h_l ⊙ m_l,  m_l ∈ {0, 1/(1−p)} per element, kept with probability 1 − p
    //   backward: δ_l = (δ_{l+1} · W_lᵀ) ⊙ m_l ⊙ f'(h_l);  ∂/∂W_l uses h̃_l
    // Masks come from their own RandomState, so scikit-learn's stream (init, split, shuffles) is untouched.
    /// p, the probability of dropping a hidden unit while training (0: no dropout).
    public private(set) var dropoutRate = 0.0
    private var dropoutRandom = NumPyRandomState(seed: 0)
    /// Keep the last masks instead of drawing new ones (finite-difference checks of the dropout gradient).
    var reusesMasks = false
    /// The data-parallel run this workspace's training passes split their rows with (`DistributedTraining`),
    /// read when it is made; nil: this process computes every row.
    private let rowExchange: (any BatchRowExchange)? = DistributedTraining.rowExchange
    /// With a `rowExchange`: `trainingStep`'s x holds only the rows of this process's share of each batch (the
    /// other rows of `rowIndices` are not read), and X's batch rows are completed by the exchange after the row
    /// phase, as the layer inputs are: one more allgather of B·n_0 per batch, so a process reads only its rows.
    var inputRowsAreLocal = false

    /// Allocates every buffer of a forward and backward pass over batches of up to `maxRows` rows.
    /// - Parameters:
    ///   - layerSizes: units per layer, input first.
    ///   - maxRows: the largest batch a pass may take, at least 1.
    ///   - hiddenActivation: the hidden layers' activation (decides which pre-activations are kept).
    ///   - outputActivation: the output layer's activation.
    public init(layerSizes: [Int], maxRows: Int, hiddenActivation: Activation, outputActivation: Activation) {
        precondition(maxRows > 0, "maxRows must be positive")
        self.layerSizes = layerSizes
        self.maxRows = maxRows
        buffers = BatchBuffers(layerSizes: layerSizes, maxRows: maxRows, hiddenActivation: hiddenActivation,
                               outputActivation: outputActivation)
        (weightOffsets, biasOffsets) = Network<T>.parameterOffsets(layerSizes: layerSizes)
        normChunks = .allocate(capacity: Network<T>.normChunkCount(weightCount: weightOffsets.last!))
    }

    /// What weight layer `layer` reads: X, the hidden output, or its dropped-out copy while training.
    private func layerInput(_ layer: Int, input: UnsafePointer<T>, training: Bool) -> UnsafePointer<T> {
        if layer == 0 { return input }
        if training, dropoutRate > 0, let masked = buffers.maskedActivations[layer] { return UnsafePointer(masked) }
        return UnsafePointer(buffers.activations[layer])
    }

    /// Turns on inverted dropout of hidden-layer outputs during `lossAndGradient` (never in `forward`).
    /// - Parameters:
    ///   - rate: p, in [0, 1).
    ///   - seed: the seed of the masks' own random stream.
    public func enableDropout(rate: Double, seed: UInt32) {
        precondition(rate >= 0 && rate < 1, "dropout rate must be in [0, 1)")
        dropoutRate = rate
        dropoutRandom = NumPyRandomState(seed: seed)
        buffers.allocateDropout(layerSizes: layerSizes, maxRows: maxRows)
    }

    deinit {
        buffers.deallocate()
        normChunks.deallocate()
        for rows in [gathered, prefetched] {
            guard let rows else { continue }
            rows.input.deallocate()
            rows.target.deallocate()
            rows.weights.deallocate()
        }
    }

    /// The outputs of the last forward pass, (rows, nOutputs): still valid after `lossAndGradient`.
    public var lastOutputs: UnsafePointer<T> { UnsafePointer(buffers.activations[layerSizes.count - 1]) }

    /// The outputs a_l = f(z_l) of layer `layer` (1 through the output layer) in the last pass, (rows, n_l): what a
    /// probe of unit activity reads after `lossAndGradient`, valid until the next pass.
    package func outputs(ofLayer layer: Int) -> UnsafePointer<T> {
        precondition(layer >= 1 && layer < layerSizes.count, "layer \(layer) has no outputs of its own")
        return UnsafePointer(buffers.activations[layer])
    }

    /// The arguments of the pass under way, read by every part (`runPart`). Its pointers are borrowed from the
    /// caller of `forward`, `lossAndGradient` or `trainingStep` and valid only until that call returns; `pass` is
    /// nil outside those calls.
    private struct Pass {
        enum Phase { case forward, rows, parameters }
        var phase: Phase
        let hiddenActivation: Activation
        let outputActivation: Activation
        /// The network's flat parameters (`Network.parameters`' layout); written only by the parameter phase.
        let parameters: UnsafeMutablePointer<T>
        /// The batch's X, or the whole X when `rowIndices` picks the rows.
        let input: UnsafePointer<T>
        let rows: Int
        var target: UnsafePointer<T>? = nil
        var targetLayout = TargetLayout.rows
        var sampleWeights: UnsafePointer<T>? = nil
        /// Batch row r is row rowIndices[r] of input, target and sampleWeights: gathered by the rows phase.
        var rowIndices: UnsafePointer<Int>? = nil
        var loss = Loss.squaredError
        var alpha: T = 0
        var normalizer: T = 1
        /// The flat gradient, `parameters`' length; each part writes only its own blocks.
        var gradient: UnsafeMutablePointer<T>? = nil
        /// Applied to each block of parameters as soon as its gradient is finished.
        var update: ParameterUpdate<T>? = nil
        /// The row phase finds this batch's rows already gathered (by the previous step).
        var rowsArePrefetched = false
        /// The rows this process computes in the row phase when a `rowExchange` splits the batch; nil: all.
        var localRows: Range<Int>? = nil
        /// The next step's batch, gathered into `prefetched` by side parts of the parameter phase.
        var nextRowIndices: UnsafePointer<Int>? = nil
        var nextRows = 0
        /// Parts that split the phase's main work (rows, or gradient blocks). Parts past these are side work,
        /// claimed by whichever thread is free first: the weight norm in the row phase, the next batch's gather in
        /// the parameter phase.
        var splitParts = 1
    }
    private var pass: Pass?
    private let weightOffsets: [Int]
    private let biasOffsets: [Int]
    /// `Network.normChunk` of every chunk of the weights, filled by `trainingStep`'s row pass. Owned: allocated by
    /// `init`, freed by `deinit`.
    private let normChunks: UnsafeMutableBufferPointer<T>
    /// Gathered batch rows (X, targets, sample weights) for `trainingStep`, allocated on its first call. Owned,
    /// freed by `deinit`: (maxRows, n_0), (maxRows, target width), (maxRows).
    private var gathered: GatheredRows?
    private typealias GatheredRows = (input: UnsafeMutablePointer<T>, target: UnsafeMutablePointer<T>,
                                      weights: UnsafeMutablePointer<T>)
    /// The next batch's rows, gathered by threads that finish their share of the parameter phase early (its
    /// waiting time), and what they were gathered from: x, targets, the indices and their count. `prefetched` is
    /// owned as `gathered`; `prefetchedBatch`'s pointers are only compared with the next step's, never read.
    private var prefetched: GatheredRows?
    private var prefetchedBatch: (x: UnsafePointer<T>, targets: UnsafePointer<T>, weights: UnsafePointer<T>?,
                                  indices: UnsafePointer<Int>, rows: Int)?

    /// Threads a pass over `rows` rows is split across: one when the batch is too small to pay for a hand-off
    /// (the question's 10 x 2-3-1 network), else every pool thread.
    private func partCount(rows: Int) -> Int {
        rows * weightOffsets.last! < Self.parallelMultiplyAdds ? 1 : Swift.min(KernelConfiguration.threadCount, rows)
    }
    /// Forward multiply-adds per batch below which a pass is not split: 2¹⁷ is about 4 µs of one thread's work
    /// forward and backward, against about 1 µs for each of the two hand-offs.
    static var parallelMultiplyAdds: Int { 1 << 17 }

    /// The forward pass, without dropout (scikit-learn's `_forward_pass_fast`).
    /// - Parameters:
    ///   - network: the weights W_l: (n_l, n_{l+1}) and biases b_l: (n_{l+1}); its `layerSizes` must be this
    ///     workspace's.
    ///   - input: X, (rows, n_0) row-major.
    ///   - rows: the batch size, at most `maxRows`.
    /// - Returns: the outputs, (rows, nOutputs) row-major, valid until the next pass.
    @_specialize(where T == Double)
    @_specialize(where T == Float)
    public func forward(_ network: Network<T>, input: UnsafePointer<T>, rows: Int) -> UnsafePointer<T> {
        precondition(rows <= maxRows && network.layerSizes == layerSizes, "workspace does not fit this batch")
        network.parameters.withUnsafeBufferPointer { parameters in
            let parts = partCount(rows: rows)
            pass = Pass(phase: .forward, hiddenActivation: network.hiddenActivation,
                        outputActivation: network.outputActivation,
                        parameters: UnsafeMutablePointer(mutating: parameters.baseAddress!), input: input, rows: rows,
                        splitParts: parts)
            runPhase(parts: parts)
        }
        pass = nil
        return UnsafePointer(buffers.activations[layerSizes.count - 1])
    }

    /// Forward and backward pass over one batch, in scikit-learn's formulas:
    ///   δ_last = ∂loss/∂z_last · s_i           (= ŷ − y for canonical pairs)
    ///   δ_{l}  = (δ_{l+1} · W_lᵀ) ⊙ f'(a_l)
    ///   ∂/∂W_l = (a_lᵀ δ_{l+1} + α W_l) / normalizer,   ∂/∂b_l = Σ_rows δ_{l+1} / normalizer
    /// Writes the gradient into `gradient` (the layout of `network.parameters`) and returns the data loss summed
    /// over rows (weighted) and outputs, NOT divided by `normalizer` and without the penalty.
    ///
    /// Two parallel regions: the rows (forward, loss, deltas: every row is independent), then the parameters
    /// (each thread owns a block of rows of every weight gradient and of bias columns). Every element is computed
    /// by one thread in a fixed order, so the result does not depend on the thread count.
    ///
    /// - Parameters:
    ///   - network: the weights and biases; its `layerSizes` must be this workspace's.
    ///   - input: the batch's X, (rows, n_0) row-major.
    ///   - target: (rows, n_L), or (rows) class indices when `targetLayout` is `.classIndices`.
    ///   - targetLayout: how `target` is laid out.
    ///   - rows: the batch size, at most `maxRows`.
    ///   - sampleWeights: s_i, (rows), or nil for weight 1.
    ///   - loss: the loss whose gradient is taken.
    ///   - alpha: α, the L2 penalty (scikit-learn's `alpha`).
    ///   - normalizer: what the gradient is divided by: 1 for a summed gradient, the sample count or the sum of
    ///     sample weights for scikit-learn's mean.
    ///   - gradient: receives the gradient, (network.parameters.count).
    /// - Returns: the weighted data loss summed over rows and outputs.
    @_specialize(where T == Double)
    @_specialize(where T == Float)
    public func lossAndGradient(
        _ network: Network<T>, input: UnsafePointer<T>, target: UnsafePointer<T>, targetLayout: TargetLayout = .rows,
        rows: Int, sampleWeights: UnsafePointer<T>?, loss: Loss, alpha: T, normalizer: T,
        gradient: UnsafeMutablePointer<T>
    ) -> T {
        precondition(rows <= maxRows && network.layerSizes == layerSizes, "workspace does not fit this batch")
        return network.parameters.withUnsafeBufferPointer { parameters in
            run(Pass(phase: .rows, hiddenActivation: network.hiddenActivation,
                     outputActivation: network.outputActivation,
                     parameters: UnsafeMutablePointer(mutating: parameters.baseAddress!), input: input, rows: rows,
                     target: target, targetLayout: targetLayout, sampleWeights: sampleWeights, loss: loss,
                     alpha: alpha, normalizer: normalizer, gradient: gradient))
        }
    }

    /// One minibatch step of the stochastic solvers: `lossAndGradient` over rows `rowIndices[0..<rows]` of `x`,
    /// `targets` and `sampleWeights`, then `update`. The rows are gathered inside the parallel row pass, and each
    /// block of parameters is updated by the thread that finished its gradient. Returns the data loss and the
    /// weights' `squaredWeightNorm` before the update (for the L2 term of the loss), both summed in the row pass.
    ///
    /// `nextRowIndices` and `nextRows`, when given, are the next step's batch (the same x, targets and sample
    /// weights, and those index values unchanged until then): threads that finish their share of the parameter
    /// phase early gather it while they would otherwise wait.
    ///
    /// - Parameters:
    ///   - network: the network to update in place; its `layerSizes` must be this workspace's.
    ///   - x: every sample, (n, n_0) row-major.
    ///   - targets: (n, n_L), or (n) class indices when `targetLayout` is `.classIndices`.
    ///   - targetLayout: how `targets` is laid out.
    ///   - sampleWeights: (n), or nil for weight 1.
    ///   - rowIndices: the batch's rows of `x`, (rows).
    ///   - rows: the batch size, at most `maxRows`.
    ///   - nextRowIndices: the next step's batch, (nextRows), or nil for no prefetch.
    ///   - nextRows: the next batch's size, at most `maxRows`.
    ///   - loss: the loss whose gradient is taken.
    ///   - alpha: α, the L2 penalty (scikit-learn's `alpha`).
    ///   - normalizer: what the gradient is divided by: 1 for a summed gradient, the sample count or the sum of
    ///     sample weights for scikit-learn's mean.
    ///   - gradient: receives the gradient, (network.parameters.count).
    ///   - update: the optimizer's step, from `StochasticOptimizer.withUpdateStep`.
    /// - Returns: the weighted data loss summed over the batch's rows and outputs, and the squared weight norm
    ///   before the update.
    @_specialize(where T == Double)
    @_specialize(where T == Float)
    public func trainingStep(
        _ network: inout Network<T>, x: UnsafePointer<T>, targets: UnsafePointer<T>,
        targetLayout: TargetLayout = .rows, sampleWeights: UnsafePointer<T>?, rowIndices: UnsafePointer<Int>,
        rows: Int, nextRowIndices: UnsafePointer<Int>? = nil, nextRows: Int = 0, loss: Loss, alpha: T,
        normalizer: T, gradient: UnsafeMutablePointer<T>, update: ParameterUpdate<T>
    ) -> (dataLoss: T, squaredWeightNorm: T) {
        precondition(rows <= maxRows && nextRows <= maxRows && network.layerSizes == layerSizes,
                     "workspace does not fit this batch")
        if gathered == nil { gathered = allocateGatheredRows() }
        let batch = (x: x, targets: targets, weights: sampleWeights, indices: rowIndices, rows: rows)
        let rowsArePrefetched = prefetchedBatch.map { $0 == batch } ?? false
        if rowsArePrefetched { swap(&gathered, &prefetched) }
        prefetchedBatch = nil
        let prefetches = nextRowIndices != nil && partCount(rows: rows) > 1
        if prefetches, prefetched == nil { prefetched = allocateGatheredRows() }
        let hidden = network.hiddenActivation, output = network.outputActivation
        let dataLoss = network.parameters.withUnsafeMutableBufferPointer { parameters in
            run(Pass(phase: .rows, hiddenActivation: hidden, outputActivation: output,
                     parameters: parameters.baseAddress!, input: x, rows: rows, target: targets,
                     targetLayout: targetLayout, sampleWeights: sampleWeights, rowIndices: rowIndices, loss: loss,
                     alpha: alpha, normalizer: normalizer, gradient: gradient, update: update,
                     rowsArePrefetched: rowsArePrefetched, nextRowIndices: prefetches ? nextRowIndices : nil,
                     nextRows: nextRows))
        }
        if prefetches, let nextRowIndices { prefetchedBatch = (x, targets, sampleWeights, nextRowIndices, nextRows) }
        var squaredNorm: T = 0
        for chunk in 0..<normChunks.count { squaredNorm += normChunks[chunk] }
        return (dataLoss, squaredNorm)
    }

    private func allocateGatheredRows() -> GatheredRows {
        (.allocate(capacity: maxRows * layerSizes[0]), .allocate(capacity: maxRows * layerSizes.last!),
         .allocate(capacity: maxRows))
    }

    /// Runs the row and parameter phases of `pass` and returns the data loss (row losses summed in order).
    /// Each phase may have one side part per thread after its main parts (the weight norm; the next batch's
    /// gather): parts are claimed in order, so those go to whichever threads finish their main parts first, in
    /// time they would otherwise spend waiting.
    private func run(_ pass: Pass) -> T {
        let parts = partCount(rows: pass.rows)
        drawDropoutMasks(rows: pass.rows)
        self.pass = pass
        self.pass!.splitParts = parts
        if let rowExchange { self.pass!.localRows = rowExchange.rowShare(pass.rows, process: rowExchange.processIndex) }
        runPhase(parts: parts, sideParts: pass.update != nil && parts > 1 ? parts : 0)
        if let rowExchange { shareRowResults(rowExchange, rows: pass.rows) }
        self.pass!.phase = .parameters
        runPhase(parts: parts, sideParts: pass.nextRowIndices != nil ? parts : 0)
        if let rowExchange { shareParameterResults(rowExchange, updated: pass.update != nil) }
        self.pass = nil
        var dataLoss: T = 0
        for r in 0..<pass.rows { dataLoss += buffers.rowLosses[r] }
        return dataLoss
    }

    /// Completes, from every process's share, what the parameter phase reads: each weight layer's input, each
    /// layer's delta and the row losses.
    private func shareRowResults(_ exchange: any BatchRowExchange, rows: Int) {
        let last = layerSizes.count - 1
        if inputRowsAreLocal, pass!.rowIndices != nil { exchange.shareRows(gathered!.input, width: layerSizes[0], rows: rows) }
        for layer in 1..<last {
            let input = layerInput(layer, input: pass!.input, training: true)
            exchange.shareRows(UnsafeMutablePointer(mutating: input), width: layerSizes[layer], rows: rows)
        }
        for layer in 1...last { exchange.shareRows(buffers.deltas[layer], width: layerSizes[layer], rows: rows) }
        exchange.shareRows(buffers.rowLosses, width: 1, rows: rows)
    }

    /// Completes, from every process's blocks, what the parameter phase wrote: the updated parameters when the
    /// pass updates them, else the gradient.
    private func shareParameterResults(_ exchange: any BatchRowExchange, updated: Bool) {
        let target = updated ? pass!.parameters : pass!.gradient!
        for layer in 0..<(layerSizes.count - 1) {
            let nIn = layerSizes[layer], nOut = layerSizes[layer + 1]
            exchange.shareRows(target + weightOffsets[layer], width: nOut, rows: nIn)
            exchange.shareRows(target + biasOffsets[layer], width: 1, rows: nOut)
        }
    }

    /// The rows of a weight gradient (or bias columns) part `part` of `parts` owns: its share of all `count`, or
    /// of this process's block (`BatchRowExchange.rowShare` of `count`) when a `rowExchange` splits the batch.
    private func ownedRange(_ p: Pass, _ count: Int, part: Int, parts: Int) -> Range<Int> {
        guard p.localRows != nil, let rowExchange else { return partRange(count, part: part, parts: parts) }
        let block = rowExchange.rowShare(count, process: rowExchange.processIndex)
        let share = partRange(block.count, part: part, parts: parts)
        return (block.lowerBound + share.lowerBound)..<(block.lowerBound + share.upperBound)
    }

    /// The rows of a batch of `rows` rows whose X this process holds: its share when `inputRowsAreLocal`, else all.
    private func localInputRows(_ rows: Int) -> Range<Int> {
        guard inputRowsAreLocal, let rowExchange else { return 0..<rows }
        return rowExchange.rowShare(rows, process: rowExchange.processIndex)
    }

    /// Rows part `part` of `parts` runs the forward and backward passes over: its share of the batch, or of this
    /// process's rows when a `rowExchange` splits the batch.
    private func computedRows(_ p: Pass, part: Int, parts: Int) -> Range<Int> {
        guard let local = p.localRows else { return partRange(p.rows, part: part, parts: parts) }
        let share = partRange(local.count, part: part, parts: parts)
        return (local.lowerBound + share.lowerBound)..<(local.lowerBound + share.upperBound)
    }

    /// The GEMM split of a pass's product: a process's share (of the rows, or of the gradient) is a block of the
    /// whole product even on one thread, so it takes the block path, whose summation follows the whole product's
    /// size.
    private func blockSplit(_ p: Pass, parts: Int, nIn: Int, nOut: Int) -> GemmSplit {
        GemmSplit(parts: p.localRows == nil ? parts : Swift.max(parts, 2), wholeWork: p.rows * nIn * nOut)
    }

    /// Runs the current phase of `pass`: inline when unsplit (a direct, specialized call), else on the pool.
    @inline(__always)
    private func runPhase(parts: Int, sideParts: Int = 0) {
        if parts == 1 && sideParts == 0 {
            runPart(0, of: 1)
        } else {
            runParts(parts + sideParts, threads: parts, size: pass!.rows * weightOffsets.last!, self)
        }
    }

    /// Phases `forward` and `rows` split the batch's rows between parts; `parameters` splits the gradient.
    @_specialize(where T == Double)
    @_specialize(where T == Float)
    package func runPart(_ part: Int, of allParts: Int) {
        let p = pass!, parts = p.splitParts
        if part >= parts {
            runSidePart(p, part - parts, of: allParts - parts)
            return
        }
        switch p.phase {
        case .forward, .rows:
            let rows = computedRows(p, part: part, parts: parts)
            var input = p.input, target = p.target, weights = p.sampleWeights
            if let indices = p.rowIndices, let gathered {
                if !p.rowsArePrefetched {
                    gatherRows(p, indices: indices, rows, into: gathered)
                    if let local = p.localRows, !inputRowsAreLocal {
                        // The parameter phase reads every row of X: this part's share of the other processes'.
                        gatherRows(p, indices: indices, partRange(local.lowerBound, part: part, parts: parts),
                                   into: gathered)
                        let after = partRange(p.rows - local.upperBound, part: part, parts: parts)
                        gatherRows(p, indices: indices, (local.upperBound + after.lowerBound)..<(local.upperBound + after.upperBound),
                                   into: gathered)
                    }
                }
                input = UnsafePointer(gathered.input)
                target = UnsafePointer(gathered.target)
                weights = weights == nil ? nil : UnsafePointer(gathered.weights)
            }
            forwardRows(p, input: input, rows, parts: parts, training: p.phase == .rows)
            if p.phase == .rows { backwardRows(p, target: target!, sampleWeights: weights, rows, parts: parts) }
            // Unsplit, the weight norm has no side part: the one part computes it.
            if p.update != nil && parts == 1 { computeNormChunks(p, 0..<normChunks.count) }
        case .parameters:
            let input = p.rowIndices != nil ? UnsafePointer(gathered!.input) : p.input
            parameterGradients(p, input: input, part: part, parts: parts)
        }
    }

    /// Side part `part` of `parts`: its share of the weight norm (row phase) or of the next batch's gather.
    private func runSidePart(_ p: Pass, _ part: Int, of parts: Int) {
        switch p.phase {
        case .rows:
            computeNormChunks(p, partRange(normChunks.count, part: part, parts: parts))
        case .parameters:
            if let next = p.nextRowIndices, let prefetched {
                let rows = localInputRows(p.nextRows), share = partRange(rows.count, part: part, parts: parts)
                gatherRows(p, indices: next, (rows.lowerBound + share.lowerBound)..<(rows.lowerBound + share.upperBound),
                           into: prefetched)
            }
        case .forward:
            break
        }
    }

    /// `Network.normChunk` of chunks `chunks`: the L2 term needs the weights before this step's update, which the
    /// parameter phase makes.
    private func computeNormChunks(_ p: Pass, _ chunks: Range<Int>) {
        for chunk in chunks {
            normChunks[chunk] = Network<T>.normChunk(chunk, of: p.parameters, weightCount: weightOffsets.last!)
        }
    }

    /// Copies rows `indices[r]` of the pass's X, targets and weights to batch rows r for r in `rows`.
    private func gatherRows(_ p: Pass, indices: UnsafePointer<Int>, _ rows: Range<Int>, into gathered: GatheredRows) {
        let features = layerSizes[0], targetWidth = p.targetLayout.width(outputs: layerSizes[layerSizes.count - 1])
        let r0 = rows.lowerBound
        FusedPasses.gatherRows(gathered.input + r0 * features, from: p.input, width: features, rows: indices + r0,
                               count: rows.count)
        FusedPasses.gatherRows(gathered.target + r0 * targetWidth, from: p.target!, width: targetWidth, rows: indices + r0,
                               count: rows.count)
        if let w = p.sampleWeights { for r in rows { gathered.weights[r] = w[indices[r]] } }
    }

    /// Draws the dropout masks of every hidden layer for `rows` rows, layer by layer (the order the stream is
    /// consumed in does not depend on how the rows are split between threads).
    private func drawDropoutMasks(rows: Int) {
        guard dropoutRate > 0, !reusesMasks else { return }
        let keepScale = T(1 / (1 - dropoutRate))
        for layer in 1..<(layerSizes.count - 1) {
            guard let mask = buffers.masks[layer] else { continue }
            for i in 0..<(rows * layerSizes[layer]) { mask[i] = dropoutRandom.randomSample() >= dropoutRate ? keepScale : 0 }
        }
    }

    /// The forward pass over rows `part` of the batch, layer after layer.
    @_specialize(where T == Double)
    @_specialize(where T == Float)
    private func forwardRows(_ p: Pass, input: UnsafePointer<T>, _ part: Range<Int>, parts: Int, training: Bool) {
        let r0 = part.lowerBound, n = part.count
        guard n > 0 else { return }
        let layers = layerSizes.count - 1
        for layer in 0..<layers {
            let nIn = layerSizes[layer], nOut = layerSizes[layer + 1]
            var dropout: (mask: UnsafePointer<T>, masked: UnsafeMutablePointer<T>)?
            if training, dropoutRate > 0, let mask = buffers.masks[layer + 1], let masked = buffers.maskedActivations[layer + 1] {
                dropout = (UnsafePointer(mask + r0 * nOut), masked + r0 * nOut)
            }
            DenseLayer.forward(
                x: layerInput(layer, input: input, training: training) + r0 * nIn,
                w: p.parameters + weightOffsets[layer], b: p.parameters + biasOffsets[layer],
                out: buffers.activations[layer + 1] + r0 * nOut, preActivation: buffers.preActivations[layer + 1].map { $0 + r0 * nOut },
                rows: n, nIn: nIn, nOut: nOut, activation: layer == layers - 1 ? p.outputActivation : p.hiddenActivation,
                dropout: dropout, split: blockSplit(p, parts: parts, nIn: nIn, nOut: nOut))
        }
    }

    /// The output delta and each row's loss, then the hidden deltas back to the first layer, for rows `part`.
    @_specialize(where T == Double)
    @_specialize(where T == Float)
    private func backwardRows(_ p: Pass, target: UnsafePointer<T>, sampleWeights: UnsafePointer<T>?,
                              _ part: Range<Int>, parts: Int) {
        let r0 = part.lowerBound, n = part.count
        guard n > 0 else { return }
        let last = layerSizes.count - 1, nOutputs = layerSizes[last]
        DenseLayer.outputDelta(
            out: buffers.activations[last] + r0 * nOutputs, pre: buffers.preActivations[last].map { UnsafePointer($0 + r0 * nOutputs) },
            target: target + r0 * p.targetLayout.width(outputs: nOutputs), targetLayout: p.targetLayout,
            weights: sampleWeights.map { $0 + r0 }, loss: p.loss, activation: p.outputActivation, rows: n,
            nOut: nOutputs, dout: buffers.deltas[last] + r0 * nOutputs, rowLosses: buffers.rowLosses + r0)
        for layer in stride(from: last - 1, to: 0, by: -1) {
            let nIn = layerSizes[layer], nOut = layerSizes[layer + 1]
            let mask = dropoutRate > 0 ? buffers.masks[layer].map { UnsafePointer($0 + r0 * nIn) } : nil
            DenseLayer.backward(
                dout: buffers.deltas[layer + 1] + r0 * nOut, w: p.parameters + weightOffsets[layer],
                dx: buffers.deltas[layer] + r0 * nIn, z: buffers.activations[layer] + r0 * nIn,
                pre: buffers.preActivations[layer].map { UnsafePointer($0 + r0 * nIn) }, mask: mask, rows: n, nIn: nIn,
                nOut: nOut, activation: p.hiddenActivation, split: blockSplit(p, parts: parts, nIn: nIn, nOut: nOut))
        }
    }

    /// Part `part` of the parameter gradient: rows `partRange(n_l)` of every ∂/∂W_l and columns of every ∂/∂b_l,
    /// each block then updated when the pass carries an update.
    @_specialize(where T == Double)
    @_specialize(where T == Float)
    private func parameterGradients(_ p: Pass, input: UnsafePointer<T>, part: Int, parts: Int) {
        for layer in 0..<(layerSizes.count - 1) {
            let nIn = layerSizes[layer], nOut = layerSizes[layer + 1]
            let delta = UnsafePointer(buffers.deltas[layer + 1])
            DenseLayer.weightGradient(
                x: layerInput(layer, input: input, training: true), dout: delta, parameters: p.parameters,
                gradient: p.gradient!, weightOffset: weightOffsets[layer], inputs: ownedRange(p, nIn, part: part, parts: parts),
                batchRows: p.rows, nIn: nIn, nOut: nOut, alpha: p.alpha, normalizer: p.normalizer, update: p.update,
                split: blockSplit(p, parts: parts, nIn: nIn, nOut: nOut))
            DenseLayer.biasGradient(
                dout: delta, parameters: p.parameters, gradient: p.gradient!, biasOffset: biasOffsets[layer],
                columns: ownedRange(p, nOut, part: part, parts: parts), batchRows: p.rows, nOut: nOut,
                normalizer: p.normalizer, update: p.update)
        }
    }
}
