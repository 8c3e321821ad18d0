import Foundation
import MLPTestSupport
import Testing
@testable import MLPCore

/// Data-parallel streamed training without MPI: K simulated processes (threads) each fit from the same `.mlpdata`
/// cache, reading and encoding only their share of every batch's rows; X's batch rows go through the exchange.
/// Every process must finish with the model one process streams alone, bit for bit, having read about 1/K of the
/// rows.
@Suite struct StreamedShareTests {
    struct Setting: Sendable, CustomTestStringConvertible {
        var solver: Solver = .adam
        var batch = 64
        var bufferBytes = 64 << 20
        var dropout = 0.0
        var earlyStopping = false
        var float = false
        var classWeight: ClassWeight? = nil
        var testDescription: String {
            "\(solver) batch \(batch) buffer \(bufferBytes) dropout \(dropout) early \(earlyStopping) float \(float)"
                + (classWeight.map { " class weight \($0)" } ?? "")
        }
    }

    /// A cache of `rows` rows: two numeric columns, a one-hot column and three classes.
    static func makeCache(rows: Int, in dir: String) throws -> String {
        var g = SeededGenerator(seed: 21)
        var text = "a,b,color,y\n"
        let colors = ["red", "green", "blue"], classes = ["p", "q", "r"]
        for _ in 0..<rows {
            let a = Double.random(in: -2...2, using: &g), b = Double.random(in: -1...5, using: &g)
            let color = colors[Int.random(in: 0..<3, using: &g)]
            let score = a + 0.3 * b + (color == "red" ? 1 : 0) + Double.random(in: -0.5...0.5, using: &g)
            text += "\(a),\(b),\(color),\(classes[min(2, max(0, Int((score + 2) / 5 * 3)))])\n"
        }
        let csv = dir + "/d.csv", cache = dir + "/d.mlpdata"
        try text.write(toFile: csv, atomically: true, encoding: .utf8)
        try MLPDataConverter.convert(csvPath: csv, to: cache, options: CSVReadOptions(oneHot: ["color"]))
        return cache
    }

    /// One streamed fit from `cache`: parameters, loss curve, validation scores and epochs, as bits.
    static func fit(_ setting: Setting, cache: String) throws -> RowExchangeTests.Outcome {
        var p = MLPParameters()
        p.hiddenLayerSizes = [12, 6]
        p.solver = setting.solver
        p.batchSize = setting.batch
        p.maxIter = setting.earlyStopping ? 30 : 4
        p.randomState = 7
        p.dropout = setting.dropout
        p.earlyStopping = setting.earlyStopping
        p.nIterNoChange = 2
        p.classWeight = setting.classWeight
        let estimator: PipelineEstimator = setting.float ? .floatClassifier(MLPClassifier(parameters: p))
            : .classifier(MLPClassifier(parameters: p))
        let pipeline = try MLPPipeline.fitStreamed(try MLPDataFile(path: cache), estimator: estimator,
                                                   options: StreamingOptions(bufferBytes: setting.bufferBytes))
        let parameters: [Double] = switch pipeline.estimator {
        case .classifier(let e): e.network!.parameters
        case .floatClassifier(let e): e.network!.parameters.map(Double.init)
        default: []
        }
        let perceptron = pipeline.estimator.perceptron
        return RowExchangeTests.Outcome(parameters: parameters.map(\.bitPattern),
                                        losses: (perceptron.lossCurve ?? []).map(\.bitPattern),
                                        validationScores: (perceptron.validationScores ?? []).map(\.bitPattern),
                                        iterations: perceptron.nIter)
    }

    @Test(arguments: [
        Setting(),                                              // every row in the buffer: loaded per epoch, by share
        Setting(solver: .sgd, batch: 50, bufferBytes: 8192, dropout: 0.2),  // block shuffle, 9 buffer fills
        Setting(batch: 40, bufferBytes: 16384, earlyStopping: true),        // held-out rows, broadcast score
        Setting(batch: 3, bufferBytes: 4096, float: true),      // batches of 3: with 4 processes one holds none
        // Class weights: each process counts 1/K of the classes (balanced) and completes each batch's normalizer.
        Setting(solver: .sgd, batch: 50, bufferBytes: 8192, classWeight: .balanced),
        Setting(batch: 40, bufferBytes: 16384, earlyStopping: true, classWeight: .perClass(["p": 3, "q": 0.5])),
    ])
    func everyProcessCountGivesTheOneProcessModel(_ setting: Setting) throws {
        let dir = try TestDirectory.make("share")
        let cache = try Self.makeCache(rows: 900, in: dir)
        let alone = try Self.fit(setting, cache: cache)
        #expect(alone.iterations > 1)
        let counts = ReadCounts()
        for processes in [1, 2, 3, 4] {
            let outcomes = RowExchangeTests.runProcesses(processes) { exchange in
                let outcome = try Self.fit(setting, cache: cache)
                counts.set(processes, exchange.processIndex, exchange.rowsRead)
                return outcome
            }
            for (rank, outcome) in outcomes.enumerated() {
                #expect(try outcome.get() == alone, "\(processes) processes, rank \(rank)")
            }
            // The processes read each trained row once per epoch between them, each about 1/K of them.
            let reads = counts.reads(processes), total = reads.reduce(0, +)
            #expect(total > 0 && total == counts.reads(1)[0], "\(processes) processes: \(reads)")
            // A process's share of a batch is at most one row over the even share.
            #expect(reads.allSatisfy { $0 <= total / processes + total / setting.batch + 1 }, "\(reads)")
        }
    }
}

extension StreamedShareTests {
    /// The training score of a streamed fit, taken by 2–4 processes each over 1/K of the cache's rows and added up
    /// through the exchange: a classifier's accuracy is the one-process score exactly, a regressor's R² to rounding.
    @Test(arguments: [false, true])
    func sharedScoreIsTheOneProcessScore(regression: Bool) throws {
        let dir = try TestDirectory.make("score")
        let labels = try Self.makeCache(rows: 900, in: dir), cache = regression ? dir + "/r.mlpdata" : labels
        if regression {
            try MLPDataConverter.convert(csvPath: dir + "/d.csv", to: cache, options: CSVReadOptions(
                target: "a", targetKind: .numeric, oneHot: ["color", "y"]))  // the class says much of a
        }
        @Sendable func score() throws -> Double {
            var p = MLPParameters()
            p.hiddenLayerSizes = [8]
            p.maxIter = 40
            p.randomState = 1
            p.learningRateInit = 0.01
            let estimator: PipelineEstimator = regression ? .regressor(MLPRegressor(parameters: p))
                : .classifier(MLPClassifier(parameters: p))
            let file = try MLPDataFile(path: cache)
            return try MLPPipeline.fitStreamed(file, estimator: estimator).scoreStreamed(file)
        }
        let alone = try score()
        #expect(alone > 0.5 && alone < 1)
        for processes in [2, 3, 4] {
            let outcomes = RowExchangeTests.runProcesses(processes) { _ in
                RowExchangeTests.Outcome(parameters: [try score().bitPattern], losses: [], validationScores: [],
                                         iterations: 0)
            }
            for (rank, outcome) in outcomes.enumerated() {
                let shared = Double(bitPattern: try outcome.get().parameters[0])
                if regression { #expect(abs(shared - alone) < 1e-12, "\(processes) processes, rank \(rank)") }
                else { #expect(shared == alone, "\(processes) processes, rank \(rank)") }
            }
        }
    }
}

/// Rows read per simulated process, per process count; written by the processes' threads.
private final class ReadCounts: @unchecked Sendable {
    private let lock = NSLock()
    private var counts: [Int: [Int: Int]] = [:]

    func set(_ processes: Int, _ rank: Int, _ rows: Int) { lock.withLock { counts[processes, default: [:]][rank] = rows } }

    func reads(_ processes: Int) -> [Int] { lock.withLock { (0..<processes).map { counts[processes]?[$0] ?? 0 } } }
}
