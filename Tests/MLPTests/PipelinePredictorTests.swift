import MLPTestSupport
import Testing
@testable import MLPCore

// The pipeline's block predictor against MLPPipeline's whole-table predictions: labels, probabilities and a
// regressor's values, block by block (blocks larger than the workspace, so several chunks per block, and a last
// block of one row), must be the same bits; errors name the table's row and reject bad ranges.
@Suite struct PipelinePredictorTests {
    /// 61 rows, 4 features, a 3-class label and a numeric target.
    static let csv: String = {
        var rng = SeededGenerator(seed: 21)
        var lines = ["a,b,c,d,label,value"]
        for i in 0..<61 {
            let x = (0..<4).map { _ in Double.random(in: -3...3, using: &rng) }
            lines.append(x.map { "\($0)" }.joined(separator: ",") + ",k\(i % 3),\(x[0] * 2 - x[2])")
        }
        return lines.joined(separator: "\n")
    }()

    static func blocks(_ table: DataTable) -> [Range<Int>] {
        stride(from: 0, to: table.rowCount, by: 10).map { $0..<min($0 + 10, table.rowCount) }
    }

    @Test(arguments: [false, true])
    func classifierBlocksMatchPipeline(float32: Bool) throws {
        var p = MLPParameters()
        p.hiddenLayerSizes = [9, 70]
        p.maxIter = 5
        p.randomState = 0
        let estimator: PipelineEstimator = float32 ? .floatClassifier(MLPClassifier(parameters: p))
                                                   : .classifier(MLPClassifier(parameters: p))
        let pipeline = MLPPipeline(estimator: estimator)
        let table = try pipeline.readCSV(text: Self.csv.replacingValueColumn(), target: "label")
        try pipeline.fit(table)
        let labels = try pipeline.predict(table), proba = try pipeline.predictProbabilities(table)
        let predictor = try pipeline.makePredictor(maxRows: 4)
        var gotLabels: [ClassLabel] = [], gotProba: [UInt64] = []
        for rows in Self.blocks(table) {
            guard case .labels(let l, let p?) = try predictor.predict(table, rows: rows, probabilities: true) else {
                Issue.record("expected labels with probabilities")
                return
            }
            gotLabels += l
            gotProba += p.storage.map(\.bitPattern)
        }
        #expect(gotLabels == labels)
        #expect(gotProba == proba.storage.map(\.bitPattern))
        guard case .labels(_, nil) = try predictor.predict(table, rows: 60..<61) else {
            Issue.record("expected labels without probabilities")
            return
        }
    }

    @Test func regressorBlocksMatchPipelineWithTargetScaling() throws {
        var p = MLPParameters()
        p.hiddenLayerSizes = [12]
        p.maxIter = 5
        p.randomState = 0
        let pipeline = MLPPipeline(estimator: .regressor(MLPRegressor(parameters: p)), targetScaling: .standard)
        let table = try pipeline.readCSV(text: Self.csv.replacingLabelColumn(), target: "value")
        try pipeline.fit(table)
        let expected = try pipeline.predictValues(table)
        let predictor = try pipeline.makePredictor(maxRows: 3)
        var got: [UInt64] = []
        for rows in Self.blocks(table) {
            guard case .values(let v) = try predictor.predict(table, rows: rows) else {
                Issue.record("expected values")
                return
            }
            got += v.storage.map(\.bitPattern)
        }
        #expect(got == expected.storage.map(\.bitPattern))
    }

    @Test func badRowsGiveTypedErrorsNamingTheTableRow() throws {
        var p = MLPParameters()
        p.hiddenLayerSizes = [5]
        p.maxIter = 2
        let pipeline = MLPPipeline(estimator: .classifier(MLPClassifier(parameters: p)))
        var table = try pipeline.readCSV(text: Self.csv.replacingValueColumn(), target: "label")
        #expect(throws: MLPError.notFitted("MLPPipeline")) { try pipeline.makePredictor() }
        try pipeline.fit(table)
        let predictor = try pipeline.makePredictor(maxRows: 8)
        #expect(throws: MLPError.self) { try predictor.predict(table, rows: 0..<0) }
        #expect(throws: MLPError.self) { try predictor.predict(table, rows: 55..<70) }
        table.features[33 * 4 + 2] = .nan
        let error = #expect(throws: MLPError.self) { try predictor.predict(table, rows: 30..<40) }
        guard case .nonFiniteInput("X", 33, 2, let value)? = error, value.isNaN else {
            Issue.record("expected NaN at row 33, column 2; got \(String(describing: error))")
            return
        }
        #expect(throws: (any Error).self) { try predictor.predict(try pipeline.readCSV(text: "a,b\n1,2"), rows: 0..<1) }
        #expect(throws: MLPError.self) { try pipeline.makePredictor(maxRows: 0) }
    }
}

private extension String {
    /// The CSV without its last column (the numeric target), for a classifier.
    func replacingValueColumn() -> String {
        split(separator: "\n").map { $0.split(separator: ",").dropLast().joined(separator: ",") }.joined(separator: "\n")
    }

    /// The CSV without its label column, for a regressor.
    func replacingLabelColumn() -> String {
        split(separator: "\n").map { line in
            let fields = line.split(separator: ",")
            return (fields.prefix(4) + fields.suffix(1)).joined(separator: ",")
        }.joined(separator: "\n")
    }
}
