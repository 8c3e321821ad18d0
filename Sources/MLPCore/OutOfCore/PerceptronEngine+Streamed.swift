// `_fit` for sgd and adam on rows streamed from a cache file: the same initialization, optimizer, epoch loop and
// stopping rule as an in-memory fit (runEpochs), with the epoch's minibatches run over the shuffle buffer.

extension PerceptronEngine {
    /// A fresh fit (no warm start, no early stopping) on `rows`.
    func fitStreamed(_ p: MLPParameters, rows: StreamedRows<T>, outputs: Int, targetLayout: TargetLayout,
                     outputActivation: Activation, loss: Loss, onEpoch: ((EpochReport) -> EpochAction)?) throws {
        warnings = []
        stopReason = nil
        self.targetLayout = targetLayout
        var random = makeRandomState(p)
        defer { if p.randomState == nil { unseededRandom = random } }
        initialize(p, layerSizes: [rows.featureCount] + p.hiddenLayerSizes + [outputs], outputActivation: outputActivation,
                   loss: loss, random: &random)
        try startStochastic(p, incremental: false)
        let epoch = rows.makeEpoch(network: network!, batchSize: batchSize(p, samples: rows.count), dropout: p.dropout,
                                   randomState: p.randomState)
        let lossFunction = lossFunction
        try runEpochs(p, rows: rows.count, outputs: outputs, validation: nil, incremental: false, random: &random,
                      onEpoch: onEpoch) { net, optimizer, random in
            try rows.runEpoch(epoch, shuffle: p.shuffle, random: &random) {
                epoch.run(&net, optimizer: &optimizer, loss: lossFunction, targetLayout: targetLayout, alpha: p.alpha,
                          outputs: outputs)
            }
        }
        if !network!.isFinite {
            stopReason = "Training diverged at iteration \(nIter): Solver produced non-finite parameter weights. Stopping."
            throw MLPError.diverged(epoch: nIter, detail: "Solver produced non-finite parameter weights")
        }
    }
}
