import Foundation
import MLP
import MLPDatasets
import MLPModelFile
import MLPTestSupport
import Testing

// Helpers for tests that run the built `mlp` binary (it sits next to the test bundle under .build/<config>/).

struct RunResult {
    var code: Int32
    var stdout: String
    var stderr: String
}

enum CLI {
    static let binary: URL = {
        let exe = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        var candidates = [exe.deletingLastPathComponent().appendingPathComponent("mlp")]
        for bundle in Bundle.allBundles {
            candidates.append(bundle.bundleURL.deletingLastPathComponent().appendingPathComponent("mlp"))
        }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[0]
    }()

    /// Runs `mlp args...` in `directory`, feeding `stdin`, with `environment` added to this process's.
    @discardableResult
    static func run(_ args: [String], in directory: String? = nil, stdin: String? = nil,
                    environment: [String: String] = [:]) throws -> RunResult {
        let process = Process()
        process.executableURL = binary
        process.arguments = args
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        // Output goes to temporary files, so a large output can never block the child on a full pipe.
        let base = URL(fileURLWithPath: TestDirectory.root).appendingPathComponent("run-\(UUID().uuidString)")
        let outURL = base.appendingPathExtension("out"), errURL = base.appendingPathExtension("err")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        defer {
            try? FileManager.default.removeItem(at: outURL)
            try? FileManager.default.removeItem(at: errURL)
        }
        let input = Pipe()
        process.standardOutput = try FileHandle(forWritingTo: outURL)
        process.standardError = try FileHandle(forWritingTo: errURL)
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        process.waitUntilExit()
        let outData = try Data(contentsOf: outURL), errData = try Data(contentsOf: errURL)
        return RunResult(code: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                         stderr: String(decoding: errData, as: UTF8.self))
    }

    static func temporaryDirectory() throws -> String {
        try TestDirectory.make("cli")
    }

    static func write(_ text: String, to path: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }

    /// Writes `csv` as data.csv in a new temporary directory, runs `mlp COMMAND data.csv ARGS… --json` there, expects
    /// exit 0 and decodes what it printed; returns the directory too, for the commands that follow.
    static func runJSON<T: Decodable>(_ command: String, csv: String, _ args: [String], as _: T.Type,
                                      sourceLocation: SourceLocation = #_sourceLocation) throws -> (json: T, dir: String) {
        let dir = try temporaryDirectory()
        try write(csv, to: dir + "/data.csv")
        let r = try run([command, "data.csv"] + args + ["--json"], in: dir)
        #expect(r.code == 0, "\(r.stderr)", sourceLocation: sourceLocation)
        return (try JSONDecoder().decode(T.self, from: Data(r.stdout.utf8)), dir)
    }
}

/// An error must be one or two lines starting "mlp: error:", never a trap or a stack trace.
func expectCleanError(_ r: RunResult, code: Int32, contains needle: String,
                      sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(r.code == code, "exit code \(r.code), stderr: \(r.stderr)", sourceLocation: sourceLocation)
    #expect(r.stderr.hasPrefix("mlp: error: "), "stderr: \(r.stderr)", sourceLocation: sourceLocation)
    let lines = r.stderr.split(separator: "\n", omittingEmptySubsequences: true)
    #expect(lines.count >= 1 && lines.count <= 2, "stderr has \(lines.count) lines: \(r.stderr)", sourceLocation: sourceLocation)
    #expect(r.stderr.contains(needle), "stderr lacks '\(needle)': \(r.stderr)", sourceLocation: sourceLocation)
    for bad in ["Fatal error", "Stack dump", "Crash", "Segmentation", "Illegal instruction"] {
        #expect(!r.stderr.contains(bad), sourceLocation: sourceLocation)
    }
}

/// The scikit-learn models of Fixtures/sklearn_models.json (Scripts/make_cli_fixtures.py).
struct SklearnFixture: Decodable {
    var estimator: String
    var layer_sizes: [Int]
    var activation: String
    var out_activation: String
    var loss: String
    var coefs: [[Double]]
    var intercepts: [[Double]]
    var scaler: String
    var scaler_a: [Double]?
    var scaler_b: [Double]?
    var feature_names: [String]
    var target: String
    var loss_curve: [Double]
    var n_iter: Int
    var classes: [String]?
    var predict: [String]?
    var proba: [Double]?
    var accuracy: Double?
    var log_loss: Double?
    var predict_values: [Double]?
    var r2: Double?
    var mae: Double?
    var rmse: Double?

    static let all: [String: SklearnFixture] = {
        try! FixtureFiles.decode("sklearn_models.json", in: "MLPCLITests")
    }()

    func model(dtype: String = "float64") throws -> MLPModel {
        let kind = ScalerKind(rawValue: scaler)!
        let fittedScaler: FeatureScaler = switch kind {
        case .none: .none
        case .standard: .standard(StandardScaler(mean: scaler_a!, scale: scaler_b!))
        case .minmax: .minmax(MinMaxScaler(scale: scaler_a!, offset: scaler_b!))
        }
        let values: ([Double]) -> NamedArray.Values = { dtype == "float32" ? .float32($0.map { Float($0) }) : .float64($0) }
        let metadata = ModelMetadata(
            estimator: estimator == "MLPClassifier" ? .classifier : .regressor, dtype: dtype, layerSizes: layer_sizes,
            activation: activation, outActivation: out_activation, loss: loss, featureNames: feature_names,
            classes: classes.map { $0.map(ClassLabel.init(parsing:)) }, targetName: target,
            encoding: FeatureEncoding(inputColumns: feature_names), scaler: kind, lossCurve: loss_curve, nIter: n_iter)
        return try MLPModel(metadata: metadata, coefs: coefs.map(values), intercepts: intercepts.map(values),
                            scaler: fittedScaler)
    }
}

/// Copies a bundled data set's CSV to `directory` and returns its path.
func datasetCopy(_ name: String, in directory: String) throws -> String {
    let path = directory + "/\(name).csv"
    try BundledDataset(rawValue: name)!.csv.write(toFile: path, atomically: false, encoding: .utf8)
    return path
}
