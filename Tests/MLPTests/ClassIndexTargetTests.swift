import Testing
@testable import MLPCore

/// Multiclass targets are stored as one class index per row, not n × n_classes one-hot rows. Training on either
/// layout must give the same model bit for bit: loss, output delta, gather, early-stopping split, score, L-BFGS.
@Suite struct ClassIndexTargetTests {
    static let classes = 4

    static func problem() -> (x: Matrix<Double>, classIndex: [Int], weights: [Double]) {
        var random = NumPyRandomState(seed: 11)
        let rows = 157, columns = 6
        let x = Matrix<Double>(rows: rows, columns: columns, storage: random.uniform(low: -2, high: 2, count: rows * columns))
        // Classes depend on the features, so training moves the weights in a meaningful direction.
        let classIndex = (0..<rows).map { r in (0..<columns).map { x.storage[r * columns + $0] }.reduce(0, +) > 0 ? r % 2 : 2 + r % 2 }
        return (x, classIndex, (0..<rows).map { Double(1 + $0 % 3) })
    }

    func fit<T: KernelFloat>(_: T.Type, layout: TargetLayout, _ configure: (inout MLPParameters) -> Void)
        throws -> (parameters: [T], losses: [Double], scores: [Double]?)
    {
        let (x, classIndex, weights) = Self.problem()
        let targets: [T] = layout == .classIndices
            ? classIndex.map { T($0) }
            : classIndex.flatMap { c in (0..<Self.classes).map { T($0 == c ? 1 : 0) } }
        var p = MLPParameters()
        p.hiddenLayerSizes = [9]
        p.maxIter = 6
        p.randomState = 5
        p.batchSize = 40
        configure(&p)
        let engine = PerceptronEngine<T>(estimatorName: "MLPClassifier", kind: .classifier(.multiclass))
        try engine.fit(p, x: x.converted(to: T.self), targets: targets, targetLayout: layout, outputs: Self.classes,
                       sampleWeight: weights.map { T($0) }, incremental: false, firstPass: true,
                       outputActivation: .softmax, loss: .logLoss, stratifyLabels: nil, onEpoch: nil)
        return (engine.network!.parameters, engine.lossCurve ?? [engine.loss], engine.validationScores)
    }

    @Test(arguments: [Solver.adam, .sgd, .lbfgs], [false, true])
    func classIndicesTrainLikeOneHotRows(solver: Solver, earlyStopping: Bool) throws {
        guard !(earlyStopping && solver == .lbfgs) else { return }
        let configure = { (p: inout MLPParameters) in
            p.solver = solver
            p.earlyStopping = earlyStopping
            p.nIterNoChange = 100
        }
        let rows = try fit(Double.self, layout: .rows, configure)
        let indices = try fit(Double.self, layout: .classIndices, configure)
        #expect(rows.parameters.map(\.bitPattern) == indices.parameters.map(\.bitPattern))
        #expect(rows.losses.map(\.bitPattern) == indices.losses.map(\.bitPattern))
        #expect(rows.scores == indices.scores)
        if earlyStopping { #expect(indices.scores?.count == 6) }
        let rows32 = try fit(Float.self, layout: .rows, configure)
        let indices32 = try fit(Float.self, layout: .classIndices, configure)
        #expect(rows32.parameters.map(\.bitPattern) == indices32.parameters.map(\.bitPattern))
        #expect(rows32.losses.map(\.bitPattern) == indices32.losses.map(\.bitPattern))
    }

    /// Loss and delta of one batch, including a NaN output, which makes the row's loss NaN in both layouts.
    @Test func lossAndDeltaMatchOneHotRows() {
        let outputs = 3
        let predicted: [Double] = [0.2, 0.5, 0.3, 1e-20, 0.999_999_9, 1e-7, .nan, 0.5, 0.5]
        let classIndex = [1, 0, 2]
        let oneHot = classIndex.flatMap { c in (0..<outputs).map { Double($0 == c ? 1 : 0) } }
        let weights: [Double] = [1, 2.5, 0.5]
        func run(_ target: [Double], _ layout: TargetLayout) -> (total: Double, rows: [Double], delta: [Double]) {
            var delta = [Double](repeating: 0, count: 9), rows = [Double](repeating: 0, count: 3)
            let total = Loss.logLoss.valueAndOutputDelta(
                predicted: predicted, target: target, targetLayout: layout, weights: weights, rows: 3, outputs: outputs,
                activation: .softmax, preActivation: nil, delta: &delta, rowLosses: &rows)
            return (total, rows, delta)
        }
        let dense = run(oneHot, .rows), indexed = run(classIndex.map(Double.init), .classIndices)
        #expect(dense.rows[0].bitPattern == indexed.rows[0].bitPattern && dense.rows[1].bitPattern == indexed.rows[1].bitPattern)
        #expect(dense.rows[2].isNaN && indexed.rows[2].isNaN && dense.total.isNaN && indexed.total.isNaN)
        #expect(dense.delta.prefix(6).map(\.bitPattern) == indexed.delta.prefix(6).map(\.bitPattern))
        #expect(indexed.rows[1] == 2.5 * -Double.log(Double.ulpOfOne))  // p clipped to ε
    }
}
