// `mlp-bench predict`: predict_proba of the large problem's network (100 -> 256 -> 128 -> 10, ReLU, softmax) through
// the reusable predictor: rows/s for batches of 1, 32, 1024 and 100 000 rows, single-row latency, and heap
// allocations per repeated call. `--weights FILE` reads the parameters (float64, scikit-learn's `_pack` order: every
// coefs_ matrix row-major, then every intercepts_ vector) and `--serve --inputs FILE` the rows (float64, row-major), so
// Scripts/compare.py runs the same model on the same rows on every side; without them both are seeded random numbers.
// Single rows cycle through 1,000 rows (`singleRowCycle`).
import CAllocationCounter
import MLPCore

let predictLayers = [100, 256, 128, 10]  // `--hidden 512,256` replaces the two hidden layers
let predictBatches = [1, 32, 1024, 100_000]

struct PredictResult {
    let dtype: String
    let batch: Int
    let seconds: Double
    var rowsPerSecond: Double { Double(batch) / seconds }
    var json: String {
        var w = JSONWriter()
        w.add("dtype", dtype)
        w.add("batch", batch)
        w.add("seconds", seconds)
        w.add("rows_per_second", rowsPerSecond)
        return w.text
    }
}

/// The network with the parameters of `path` (float64 values), or seeded random ones.
func predictNetwork<T: KernelFloat>(_ type: T.Type, layers: [Int] = predictLayers,
                                   weightsPath: String?) throws -> Network<T> {
    var network = Network<T>(layerSizes: layers, hiddenActivation: .relu, outputActivation: .softmax)
    if let weightsPath {
        guard let bytes = readFile(weightsPath), bytes.count == network.parameters.count * 8 else {
            throw BenchmarkError(description: "--weights \(weightsPath): expected \(network.parameters.count) float64 values")
        }
        bytes.withUnsafeBytes { raw in
            for i in network.parameters.indices {
                network.parameters[i] = T(Double(bitPattern: raw.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self)))
            }
        }
    } else {
        var state: UInt64 = 42
        for i in network.parameters.indices {  // xorshift, uniform in ±0.1
            state ^= state << 13; state ^= state >> 7; state ^= state << 17
            network.parameters[i] = T(Double(state >> 11) / Double(1 << 53) * 0.2 - 0.1)
        }
    }
    return network
}

/// Rows a single-row measurement cycles through: a row's time depends on how many of its hidden units are zero (the
/// single-row pass skips their weights), so one row repeated would measure that row alone.
let singleRowCycle = 1000

/// Seconds per predict_proba call of `batch` rows from the start of `x`; one row at a time (the single-row entry),
/// the first `singleRowCycle` rows of `x` in turn.
func timePredict<T: KernelFloat>(_ predictor: MLPPredictor<T>, x: [T], batch: Int, output: inout [T]) -> Double {
    let features = predictor.network.inputCount
    return x.withUnsafeBufferPointer { x in
        output.withUnsafeMutableBufferPointer { out in
            let probabilities = UnsafeMutableBufferPointer(rebasing: out[0..<(batch * predictor.probabilityColumns)])
            if batch == 1 {
                let cycle = max(1, min(singleRowCycle, x.count / features))
                var next = 0
                return measure {
                    let row = UnsafeBufferPointer(rebasing: x[(next * features)..<((next + 1) * features)])
                    try? predictor.predictProbabilities(row, into: probabilities)
                    next = next + 1 == cycle ? 0 : next + 1
                }
            }
            let rows = UnsafeBufferPointer(rebasing: x[0..<(batch * features)])
            return measure { try? predictor.predictProbabilities(rows, rows: batch, into: probabilities) }
        }
    }
}

/// `rows` rows of inputs: those of `path` (float64 values, row-major, as many rows as it holds, at least `rows`), or
/// seeded uniform numbers in ±2.
func predictInputs<T: KernelFloat>(_ type: T.Type, rows: Int, path: String? = nil) throws -> [T] {
    let count = rows * predictLayers[0]
    if let path {
        guard let bytes = readFile(path), bytes.count % (predictLayers[0] * 8) == 0, bytes.count >= count * 8 else {
            throw BenchmarkError(description: "--inputs \(path): expected at least \(rows) rows of "
                                              + "\(predictLayers[0]) float64 values")
        }
        return bytes.withUnsafeBytes { raw in
            (0..<count).map { T(Double(bitPattern: raw.loadUnaligned(fromByteOffset: $0 * 8, as: UInt64.self))) }
        }
    }
    var state: UInt64 = 7
    return (0..<count).map { _ in
        state ^= state << 13; state ^= state >> 7; state ^= state << 17
        return T(Double(state >> 11) / Double(1 << 53) * 4 - 2)
    }
}

/// Heap allocations per single-row call once the predictor is warm (-1 where the counter is unavailable).
func allocationsPerRow<T: KernelFloat>(_ predictor: MLPPredictor<T>, x: [T], output: inout [T]) -> Double {
    let row = Array(x[0..<predictor.network.inputCount])
    var probabilities = [T](repeating: 0, count: predictor.probabilityColumns)
    try? predictor.predictProbabilities(row, into: &probabilities)
    let before = mlp_allocation_count()
    guard before >= 0 else { return -1 }
    for _ in 0..<1000 { try? predictor.predictProbabilities(row, into: &probabilities) }
    return Double(mlp_allocation_count() - before) / 1000
}

func runPredict<T: KernelFloat>(_ type: T.Type, layers: [Int], weightsPath: String?, batches: [Int], json: Bool,
                                unpacked: Bool = false, splitFrom: Int? = nil, inputsPath: String? = nil) throws -> [PredictResult] {
    let network = try predictNetwork(T.self, layers: layers, weightsPath: weightsPath)
    // --unpacked: single rows read the (nIn, nOut) weight matrices as they are, without column panels.
    // --split-from B: single rows split every layer of at least B bytes over the threads (default 64 KiB).
    let width = DenseRowPanels.width(for: T.self, isa: KernelConfiguration.instructionSet)
    let predictor = try MLPPredictor(network: network, maxRows: 1024, panelWidth: unpacked ? nil : width,
                                     splitLayersFrom: splitFrom)
    let x = try predictInputs(T.self, rows: max(batches.max() ?? 1, singleRowCycle), path: inputsPath)
    var output = [T](repeating: 0, count: (batches.max() ?? 1) * predictor.probabilityColumns)
    let dtype = T.self == Float.self ? "float32" : "float64"
    var results: [PredictResult] = []
    for batch in batches {
        let r = PredictResult(dtype: dtype, batch: batch, seconds: timePredict(predictor, x: x, batch: batch, output: &output))
        results.append(r)
        if !json {
            print(dtype + String(printf: "  %7ld  %14.0f rows/s  %10.3f us per call", batch, r.rowsPerSecond, r.seconds * 1e6))
        }
    }
    let allocations = allocationsPerRow(predictor, x: x, output: &output)
    guard !json, let single = results.first(where: { $0.batch == 1 }) else { return results }
    // The same predictor on one thread: what the single-row split over the pool gains, in the same run.
    let threads = KernelConfiguration.threadCount
    KernelConfiguration.threadCount = 1
    let oneThread = timePredict(predictor, x: x, batch: 1, output: &output)
    KernelConfiguration.threadCount = threads
    print(dtype + String(printf: "  single row: %.3f us (one thread %.3f us, %.2fx), %.3f heap allocations per call",
                         single.seconds * 1e6, oneThread * 1e6, oneThread / single.seconds, allocations))
    return results
}

/// `--serve`: answers requests `dtype batch` on stdin with one JSON line `{"seconds": ...}` (Scripts/compare.py), on
/// the rows of `inputsPath` (`--inputs`) where given.
func servePredict(weightsPath: String?, inputsPath: String?) throws {
    let doubles = try MLPPredictor(network: predictNetwork(Double.self, weightsPath: weightsPath))
    let floats = try MLPPredictor(network: predictNetwork(Float.self, weightsPath: weightsPath))
    let largest = predictBatches.max()!
    let xd = try predictInputs(Double.self, rows: largest, path: inputsPath)
    let xf = try predictInputs(Float.self, rows: largest, path: inputsPath)
    var od = [Double](repeating: 0, count: largest * 10), of = [Float](repeating: 0, count: largest * 10)
    while let line = readLine() {
        let f = line.split(separator: " ")
        guard f.count == 2, let batch = Int(f[1]), batch >= 1, batch <= largest else {
            throw BenchmarkError(description: "bad request '\(line)': expected 'dtype batch' (batch 1...\(largest))")
        }
        let seconds = f[0] == "float64" ? timePredict(doubles, x: xd, batch: batch, output: &od)
                                        : timePredict(floats, x: xf, batch: batch, output: &of)
        var w = JSONWriter()
        w.add("seconds", seconds)
        if batch == 1 {
            w.add("allocations_per_row", f[0] == "float64" ? allocationsPerRow(doubles, x: xd, output: &od)
                                                            : allocationsPerRow(floats, x: xf, output: &of))
        }
        print(w.text)
        flushStandardOutput()
    }
}

func runPredictBenchmark(_ arguments: [String]) throws {
    let weightsPath = option("--weights", in: arguments)
    if arguments.contains("--serve") {
        return try servePredict(weightsPath: weightsPath, inputsPath: option("--inputs", in: arguments))
    }
    let json = arguments.contains("--json")
    let dtypes = try dtypeListOption(arguments)
    let hidden = try option("--hidden", in: arguments).map { text in
        try text.split(separator: ",").map {
            guard let size = Int($0), size >= 1 else { throw BenchmarkError(description: "--hidden \(text): expected sizes like 512,256") }
            return size
        }
    }
    let layers = hidden.map { [predictLayers[0]] + $0 + [predictLayers.last!] } ?? predictLayers
    if hidden != nil && weightsPath != nil { throw BenchmarkError(description: "--hidden and --weights cannot be combined") }
    if !json { print("predict_proba, \(layers.map(String.init).joined(separator: "-")) relu/softmax, \(KernelConfiguration.instructionSet), \(KernelConfiguration.threadCount) threads, median of 7") }
    var results: [PredictResult] = []
    let splitFrom = try option("--split-from", in: arguments).map {
        guard let bytes = Int($0), bytes >= 0 else { throw BenchmarkError(description: "--split-from \($0): expected a byte count") }
        return bytes
    }
    let inputsPath = option("--inputs", in: arguments)
    let unpacked = arguments.contains("--unpacked"), batches = arguments.contains("--single-row") ? [1] : predictBatches
    if dtypes.contains("float32") { results += try runPredict(Float.self, layers: layers, weightsPath: weightsPath, batches: batches, json: json, unpacked: unpacked, splitFrom: splitFrom, inputsPath: inputsPath) }
    if dtypes.contains("float64") { results += try runPredict(Double.self, layers: layers, weightsPath: weightsPath, batches: batches, json: json, unpacked: unpacked, splitFrom: splitFrom, inputsPath: inputsPath) }
    if json {
        var writer = JSONWriter()
        writer.add("kernels", "\(KernelConfiguration.instructionSet)")
        writer.add("results", objects: results.map(\.json))
        print(writer.text)
    }
}

