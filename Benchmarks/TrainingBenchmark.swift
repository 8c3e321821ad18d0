// Training benchmarks: the seed network (µs per iteration), digits (ms per epoch) and the large
// make_classification problem (s per epoch, peak memory, allocations per batch).
import CAllocationCounter
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MLPCore
import MLPDatasets
import MLPSeed

/// One measured row, printed as text or JSON.
struct TrainingResult {
    let benchmark: String
    let dtype: String
    let threads: Int
    let epochs: Int
    let batches: Int
    let secondsPerEpoch: Double
    let microsecondsPerIteration: Double?
    let finalLoss: Double
    let peakRSSMegabytes: Double
    let dataMegabytes: Double
    /// Heap allocations per minibatch once training is under way (from the difference of two run lengths).
    let allocationsPerBatch: Double?
    /// Resident set before the data was loaded (the Swift runtime and Foundation) and before training started.
    var startRSSMegabytes: Double? = nil
    var loadedRSSMegabytes: Double? = nil

    var json: String { JSONWriter.object(self) }
}

/// A size line of /proc/self/status ("VmRSS:", "VmHWM:") in megabytes; nil off Linux.
func processStatusMegabytes(_ key: String) -> Double? {
    #if os(Linux)
    if let bytes = readFile("/proc/self/status"), case let status = String(decoding: bytes, as: UTF8.self),
       let line = status.split(separator: "\n").first(where: { $0.hasPrefix(key) }),
       let kilobytes = Double(line.split(separator: " ").dropFirst().first ?? "") {
        return kilobytes / 1024
    }
    #endif
    return nil
}

/// Current resident set of this process (VmRSS on Linux), or nil elsewhere.
func currentRSSMegabytes() -> Double? { processStatusMegabytes("VmRSS:") }

/// Peak resident set of this process: VmHWM on Linux (ru_maxrss there includes a parent's peak, inherited over
/// fork), ru_maxrss elsewhere.
func peakRSSMegabytes() -> Double {
    if let peak = processStatusMegabytes("VmHWM:") { return peak }
    var usage = rusage()
    #if os(Linux)
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024
    #else
    getrusage(RUSAGE_SELF, &usage)
    return Double(usage.ru_maxrss) / 1_048_576
    #endif
}

func report(_ result: TrainingResult, json: Bool) {
    if json {
        print(result.json)
        return
    }
    var line = "\(result.benchmark) \(result.dtype) threads=\(result.threads): "
    if let us = result.microsecondsPerIteration {
        line += String(printf: "%.3f µs per iteration", us)
    } else {
        let perEpoch = result.secondsPerEpoch < 0.1
            ? String(printf: "%.3f ms", result.secondsPerEpoch * 1e3) : String(printf: "%.4f s", result.secondsPerEpoch)
        line += perEpoch + String(printf: " per epoch (%ld epochs, %ld batches each), loss %.6f",
                       result.epochs, result.batches, result.finalLoss)
    }
    line += String(printf: ", peak RSS %.1f MB (data %.1f MB", result.peakRSSMegabytes, result.dataMegabytes)
    if let start = result.startRSSMegabytes, let loaded = result.loadedRSSMegabytes {
        line += String(printf: "; %.1f MB at start, %.1f MB loaded", start, loaded)
    }
    line += ")"
    if let a = result.allocationsPerBatch { line += String(printf: ", %.3f allocations per batch", a) }
    print(line)
}

// MARK: - The seed network

/// µs per iteration of `mlp seed` (posted variant): the numpy-exact engine, its vectorized variant, the library path.
func runSeedBenchmark(_ arguments: [String]) throws {
    let json = arguments.contains("--json")
    for engine in [SeedExperiment.Engine.numpy, .fast, .library] {
        var experiment = SeedExperiment()
        experiment.engine = engine
        var best = Double.infinity, iterations = 0, error = 0.0
        for _ in 0..<5 {
            let result = experiment.run()
            best = min(best, result.microsecondsPerIteration)
            iterations = result.iterationsRun
            error = result.finalError
        }
        report(TrainingResult(benchmark: "seed-\(engine.rawValue)", dtype: "float64", threads: 1, epochs: iterations,
                              batches: 1, secondsPerEpoch: best / 1e6, microsecondsPerIteration: best,
                              finalLoss: error, peakRSSMegabytes: peakRSSMegabytes(), dataMegabytes: 0,
                              allocationsPerBatch: nil), json: json)
    }
}

// MARK: - Classifier training

/// Fits `epochs` epochs of Adam (batch 200) and returns seconds per epoch, the final loss and allocations made.
func timeClassifier<T: KernelFloat>(_ x: Matrix<T>, _ y: [ClassLabel], hidden: [Int], activation: Activation,
                                    epochs: Int) throws -> (seconds: Double, loss: Double, allocations: Int64) {
    let classifier = MLPClassifier<T>(hiddenLayerSizes: hidden, activation: activation, solver: .adam,
                                      batchSize: 200, maxIter: epochs, randomState: 0, tol: 0,
                                      nIterNoChange: .infinity)
    let allocationsBefore = mlp_allocation_count()
    let start = now()
    try classifier.fit(x, y)
    let seconds = now() - start
    return (seconds / Double(classifier.nIter), classifier.finalLoss, mlp_allocation_count() - allocationsBefore)
}

/// Allocations per batch in steady state: the difference between a long and a short run, per extra batch.
func allocationsPerBatch<T: KernelFloat>(_ x: Matrix<T>, _ y: [ClassLabel], hidden: [Int], activation: Activation,
                                         batchesPerEpoch: Int) throws -> Double? {
    guard mlp_allocation_count() >= 0 else { return nil }
    let short = try timeClassifier(x, y, hidden: hidden, activation: activation, epochs: 1).allocations
    let long = try timeClassifier(x, y, hidden: hidden, activation: activation, epochs: 3).allocations
    return Double(long - short) / Double(2 * batchesPerEpoch)
}

func dtypeOption(_ arguments: [String]) throws -> String {
    let dtype = option("--dtype", in: arguments) ?? "float64"
    guard dtype == "float64" || dtype == "float32" else { throw BenchmarkError(description: "--dtype float64|float32") }
    return dtype
}

/// digits: 1797 × 64, hidden 100, relu, Adam, batch 200; ms per epoch over `--epochs` (default 200).
func runDigitsBenchmark(_ arguments: [String]) throws {
    let json = arguments.contains("--json")
    let epochs = try integerOption("--epochs", in: arguments) ?? 200
    let dtype = try dtypeOption(arguments)
    let table = try BundledDataset.digits.read(options: CSVReadOptions(target: "digit"))
    let labels = table.targetLabels.map { ClassLabel(parsing: $0) }
    let x = Matrix<Double>(rows: table.rowCount, columns: table.featureNames.count, storage: table.features.map { $0 / 16 })
    let batches = (x.rows + 199) / 200
    func run<T: KernelFloat>(_ x: Matrix<T>) throws {
        let timing = try timeClassifier(x, labels, hidden: [100], activation: .relu, epochs: epochs)
        let allocations = try allocationsPerBatch(x, labels, hidden: [100], activation: .relu, batchesPerEpoch: batches)
        report(TrainingResult(benchmark: "digits", dtype: dtype, threads: KernelConfiguration.threadCount,
                              epochs: epochs, batches: batches, secondsPerEpoch: timing.seconds,
                              microsecondsPerIteration: nil, finalLoss: timing.loss,
                              peakRSSMegabytes: peakRSSMegabytes(),
                              dataMegabytes: Double(x.storage.count * MemoryLayout<T>.size) / 1_048_576,
                              allocationsPerBatch: allocations), json: json)
    }
    if dtype == "float32" { try run(x.converted(to: Float.self)) } else { try run(x) }
}

/// The large problem: make_classification(n_samples=100000, n_features=100, n_informative=50, n_classes=10,
/// random_state=0), hidden (256, 128), relu, Adam, batch 200. `--x FILE --y FILE` read the data that
/// Scripts/compare.py writes (float64 row-major, int32 labels); without them a synthetic set of that shape is used.
func runLargeBenchmark(_ arguments: [String]) throws {
    let json = arguments.contains("--json")
    let epochs = try integerOption("--epochs", in: arguments) ?? 5
    let dtype = try dtypeOption(arguments)
    let features = try integerOption("--features", in: arguments) ?? 100
    func run<T: KernelFloat>(_: T.Type) throws {
        let startRSS = currentRSSMegabytes()
        let (x, labels): (Matrix<T>, [ClassLabel])
        if let xPath = option("--x", in: arguments), let yPath = option("--y", in: arguments) {
            (x, labels) = try readLargeProblem(xPath: xPath, yPath: yPath, features: features, as: T.self)
        } else {
            (x, labels) = syntheticProblem(rows: 100_000, features: features, classes: 10, as: T.self)
        }
        let batches = (x.rows + 199) / 200
        let loadedRSS = currentRSSMegabytes()
        let timing = try timeClassifier(x, labels, hidden: [256, 128], activation: .relu, epochs: epochs)
        let rss = peakRSSMegabytes()
        let allocations = arguments.contains("--allocations")
            ? try allocationsPerBatch(x, labels, hidden: [256, 128], activation: .relu, batchesPerEpoch: batches) : nil
        report(TrainingResult(benchmark: "large", dtype: dtype, threads: KernelConfiguration.threadCount,
                              epochs: epochs, batches: batches, secondsPerEpoch: timing.seconds,
                              microsecondsPerIteration: nil, finalLoss: timing.loss, peakRSSMegabytes: rss,
                              dataMegabytes: Double(x.storage.count * MemoryLayout<T>.size) / 1_048_576,
                              allocationsPerBatch: allocations, startRSSMegabytes: startRSS,
                              loadedRSSMegabytes: loadedRSS), json: json)
    }
    if dtype == "float32" { try run(Float.self) } else { try run(Double.self) }
}

/// Reads float64 rows straight into a matrix of `T`, 64 KiB at a time, so Float32 never holds a Float64 copy.
func readLargeProblem<T: KernelFloat>(xPath: String, yPath: String, features: Int, as _: T.Type)
    throws -> (Matrix<T>, [ClassLabel])
{
    guard let yData = readFile(yPath), let xFile = fopen(xPath, "rb")
    else { throw BenchmarkError(description: "cannot read \(xPath) or \(yPath)") }
    defer { fclose(xFile) }
    let rows = yData.count / 4
    var x = Matrix<T>(rows: rows, columns: features)
    var chunk = [UInt64](repeating: 0, count: 8192)
    var filled = 0
    while filled < rows * features {
        let read = fread(&chunk, 8, min(chunk.count, rows * features - filled), xFile)
        guard read > 0 else { throw BenchmarkError(description: "\(xPath) holds fewer than \(rows)×\(features) values") }
        for i in 0..<read { x.storage[filled + i] = T(Double(bitPattern: UInt64(littleEndian: chunk[i]))) }
        filled += read
    }
    let labels = yData.withUnsafeBytes { raw in
        (0..<rows).map { ClassLabel(Int(Int32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * $0, as: Int32.self)))) }
    }
    return (x, labels)
}

/// Gaussian-free synthetic classes: each class a shifted uniform cloud, deterministic.
func syntheticProblem<T: KernelFloat>(rows: Int, features: Int, classes: Int, as _: T.Type) -> (Matrix<T>, [ClassLabel]) {
    var random = NumPyRandomState(seed: 0)
    let centres = random.uniform(low: -1, high: 1, count: classes * features)
    var x = Matrix<T>(rows: rows, columns: features)
    var labels: [ClassLabel] = []
    labels.reserveCapacity(rows)
    for r in 0..<rows {
        let c = random.randint(classes)
        labels.append(ClassLabel(c))
        for j in 0..<features { x.storage[r * features + j] = T(centres[c * features + j] + random.uniform(low: -2, high: 2)) }
    }
    return (x, labels)
}
