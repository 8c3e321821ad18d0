import Testing
@testable import MLPCore

/// `trainingStep` with the next batch announced (its rows gathered during this step's parameter phase) gives the
/// bits of steps without it, and a step whose batch is not the announced one gathers its own rows.
@Suite(.serialized) struct TrainingStepTests {
    struct Problem {
        static let features = 9, classes = 4, rows = 240
        var x: [Double], targets: [Double], weights: [Double]
        init() {
            var random = NumPyRandomState(seed: 21)
            x = random.uniform(low: -1, high: 1, count: Self.rows * Self.features)
            targets = (0..<Self.rows).map { Double($0 % Self.classes) }
            weights = (0..<Self.rows).map { 0.5 + Double($0 % 5) / 4 }
        }
    }

    /// Runs `batches` (index lists) in order; each step announces the next batch of `announced`. 80 rows of a
    /// 9-256-4 network are above the split threshold, so 2 and 3 threads split the steps and gather ahead.
    static func train(_ batches: [[Int]], announced: [[Int]]?, threads: Int) -> (parameters: [Double], losses: [Double]) {
        let saved = KernelConfiguration.threadCount
        defer { KernelConfiguration.threadCount = saved }
        KernelConfiguration.threadCount = threads
        let problem = Problem()
        var network = Network<Double>(layerSizes: [Problem.features, 256, Problem.classes], hiddenActivation: .relu,
                                      outputActivation: .softmax)
        var random = NumPyRandomState(seed: 3)
        Initializer.glorotUniform.initialize(&network, using: &random)
        let workspace = Backpropagation<Double>(layerSizes: network.layerSizes, maxRows: 80, hiddenActivation: .relu,
                                                outputActivation: .softmax)
        var adam = Adam<Double>(parameterCount: network.parameters.count)
        var gradient = [Double](repeating: 0, count: network.parameters.count)
        var losses: [Double] = []
        for (step, batch) in batches.enumerated() {
            let next = announced.flatMap { step + 1 < $0.count ? $0[step + 1] : nil }
            let loss = problem.x.withUnsafeBufferPointer { x in
                problem.targets.withUnsafeBufferPointer { y in
                    problem.weights.withUnsafeBufferPointer { w in
                        batch.withUnsafeBufferPointer { indices in
                            (next ?? [0]).withUnsafeBufferPointer { nextIndices in
                                gradient.withUnsafeMutableBufferPointer { g in
                                    adam.withUpdateStep { update in
                                        workspace.trainingStep(
                                            &network, x: x.baseAddress!, targets: y.baseAddress!,
                                            targetLayout: .classIndices, sampleWeights: w.baseAddress!,
                                            rowIndices: indices.baseAddress!, rows: batch.count,
                                            nextRowIndices: next == nil ? nil : nextIndices.baseAddress!,
                                            nextRows: next?.count ?? 0, loss: .logLoss, alpha: 1e-3,
                                            normalizer: Double(batch.count), gradient: g.baseAddress!, update: update)
                                    }
                                }
                            }
                        }
                    }
                }
            }
            losses += [loss.dataLoss, loss.squaredWeightNorm]
        }
        return (network.parameters, losses)
    }

    static let batches: [[Int]] = (0..<6).map { b in (0..<(b == 5 ? 37 : 80)).map { (b * 41 + $0 * 7) % 240 } }

    @Test(arguments: [1, 2, 3])
    func announcedBatchesGiveTheSameBits(threads: Int) {
        let plain = Self.train(Self.batches, announced: nil, threads: threads)
        let announced = Self.train(Self.batches, announced: Self.batches, threads: threads)
        #expect(plain.parameters.map(\.bitPattern) == announced.parameters.map(\.bitPattern))
        #expect(plain.losses.map(\.bitPattern) == announced.losses.map(\.bitPattern))
        let oneThread = Self.train(Self.batches, announced: nil, threads: 1)
        #expect(oneThread.parameters.map(\.bitPattern) == announced.parameters.map(\.bitPattern))
    }

    /// Each step announces a batch, and the next step runs another one: its own rows must be gathered.
    @Test func anUnannouncedBatchIsGathered() {
        let decoys = Self.batches.map { $0.reversed().map { ($0 + 1) % 240 } }
        let plain = Self.train(Self.batches, announced: nil, threads: 2)
        let misled = Self.train(Self.batches, announced: decoys, threads: 2)
        #expect(plain.parameters.map(\.bitPattern) == misled.parameters.map(\.bitPattern))
        #expect(plain.losses.map(\.bitPattern) == misled.losses.map(\.bitPattern))
    }
}
