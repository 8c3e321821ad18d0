import Foundation
@testable import MLPCore
import MLPTestSupport
import Testing

// A streamed fit's training metrics: `evaluateStreamed` over the cache, a block of rows at a time, against
// `evaluate` over the same rows read in memory with the model's encoding.

@Suite("Metrics over a cache")
struct StreamedEvaluateTests {
    enum Task: String, CaseIterable, CustomTestStringConvertible {
        case classes, labels, values
        var testDescription: String { rawValue }
    }

    /// 5,000 rows (two blocks and a part): a category, a numeric column with missing cells (mean-imputed), and three
    /// classes, two 0/1 label columns, or two numeric targets.
    static func csv(_ task: Task) -> String {
        var g = SeededGenerator(seed: 17)
        var text = task == .classes ? "a,colour,b,y\n" : "a,colour,b,t1,t2\n"
        for i in 0..<5000 {
            let a = Double.random(in: -2...2, using: &g), b = Double.random(in: 0...3, using: &g)
            let colour = ["red", "green", "blue"][Int.random(in: 0..<3, using: &g)]
            let bText = i % 11 == 5 ? "" : String(b)
            let score = a + b / 3 + (colour == "red" ? 0.5 : 0) + Double.random(in: -0.4...0.4, using: &g)
            switch task {
            case .classes: text += "\(a),\(colour),\(bText),\(score < 0 ? "low" : score < 1.2 ? "mid" : "high")\n"
            case .labels: text += "\(a),\(colour),\(bText),\(score > 0.5 ? 1 : 0),\(a > 0 ? 1 : 0)\n"
            case .values: text += "\(a),\(colour),\(bText),\(score),\(a * b)\n"
            }
        }
        return text
    }

    @Test("the streamed fit's metrics over its cache equal the metrics over the CSV read in memory, bit for bit",
          arguments: Task.allCases)
    func evaluateStreamedEqualsEvaluate(task: Task) throws {
        let dir = try TestDirectory.make("evaluate")
        let csv = dir + "/d.csv", cache = dir + "/d.mlpdata"
        try Self.csv(task).write(toFile: csv, atomically: true, encoding: .utf8)
        let targets = task == .classes ? ["y"] : ["t1", "t2"]
        let options = CSVReadOptions(targets: targets, targetKind: task == .values ? .numeric : .labels,
                                     oneHot: ["colour"], impute: .mean)
        try MLPDataConverter.convert(csvPath: csv, to: cache, options: options, chunkBytes: 20_000)
        var p = MLPParameters()
        p.hiddenLayerSizes = [6]
        p.maxIter = 3
        p.randomState = 1
        let estimator: PipelineEstimator = task == .values ? .regressor(MLPRegressor(parameters: p))
                                                           : .classifier(MLPClassifier(parameters: p))
        let file = try MLPDataFile(path: cache)
        let pipeline = try MLPPipeline.fitStreamed(file, estimator: estimator, scaling: .standard)
        let streamed = try pipeline.evaluateStreamed(file)
        let memory = try pipeline.evaluate(try CSVReader.read(path: csv, options: options, encoding: pipeline.encoding))
        switch (streamed, memory) {
        case (.classification(let a, _), .classification(let b, _)):
            #expect(a == b)
            #expect(a.samples == 5000 && a.logLoss?.bitPattern == b.logLoss?.bitPattern)
        case (.multilabel(let a), .multilabel(let b)):
            #expect(a == b)
            #expect(a.samples == 5000)
        case (.regression(let a), .regression(let b)):
            #expect(a == b)
            #expect(a.samples == 5000 && a.r2.bitPattern == b.r2.bitPattern)
        default:
            Issue.record("the evaluations are of different kinds: \(streamed), \(memory)")
        }
        // A cache of other targets is refused, not scored by position.
        let other: Task = task == .values ? .classes : .values
        let otherCSV = dir + "/o.csv", otherCache = dir + "/o.mlpdata"
        try Self.csv(other).write(toFile: otherCSV, atomically: true, encoding: .utf8)
        try MLPDataConverter.convert(csvPath: otherCSV, to: otherCache, options: CSVReadOptions(
            targets: other == .classes ? ["y"] : ["t1", "t2"], targetKind: other == .values ? .numeric : .labels,
            oneHot: ["colour"], impute: .mean))
        #expect(throws: MLPDataError.self) { try pipeline.evaluateStreamed(try MLPDataFile(path: otherCache)) }
        // The training score computed in its own pass is the same score.
        let score = try pipeline.scoreStreamed(file)
        switch streamed {
        case .classification(let r, _): #expect(abs(r.accuracy - score) < 1e-15)
        case .multilabel(let r): #expect(abs(r.subsetAccuracy - score) < 1e-15)
        case .regression(let r): #expect(abs(r.r2 - score) < 1e-12)
        }
    }
}
