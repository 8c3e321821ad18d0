import Foundation
import MLP
import MLPModelFile

// The rows `mlp diagnose` reads: every row of a file that fits in memory, or a random sample (--sample-rows; a
// .mlpdata cache; a CSV file too large to read whole, read once into a temporary cache from which only the sampled
// rows are read). A diagnosis trains on at most 2,000 rows a fold and scores a held-out fold, so 50,000 rows
// diagnose a file of any size as well as all of them.

/// The table a diagnosis reads, and how many rows the data holds.
struct DiagnosedRows {
    var table: DataTable
    /// The rows in the data: more than the table's when it is a sample.
    var total: Int
}

extension DiagnoseCommand {
    /// The sample a file too large to read whole is diagnosed on.
    static let automaticSampleRows = 50_000
    /// The smallest sample drawn to fit the memory limit: below it the limit's error is more use than a diagnosis.
    static let smallestSample = 100

    /// The table to diagnose: a random sample when --sample-rows asks for fewer rows than the data holds; when the
    /// data is a .mlpdata cache or a CSV file too large to read whole, of `automaticSampleRows`; and when the memory
    /// limit leaves room for fewer rows than that, or than a table read whole holds (announced on standard error).
    /// - Parameter parameters: The configuration diagnosed, whose memory needs size an automatic sample.
    func readRows(parameters: MLPParameters) throws -> DiagnosedRows {
        let targetKind: TargetKind = regression ? .numeric : .labels
        let seed = estimator.randomState ?? 0
        if let path = data.data, path.hasSuffix(".mlpdata") {
            return try sampleCache(path, seed: seed, parameters: parameters)
        }
        if let path = data.data, data.dataset == nil,
           let reason = InputTextSize.readWholeRefusal(csv: path, limit: resources.maxMemoryBytes) {
            if !quiet {
                Output.diagnostic("mlp: \(path) \(reason); diagnosing a random sample of its rows, read through a "
                                  + "temporary cache (--sample-rows)\n")
            }
            return try sampleThroughCache(path, targetKind: targetKind, seed: seed, parameters: parameters)
        }
        // One-hot categories and imputation statistics from every row: each configuration sees the same features.
        try resources.checkReading(csv: data.data, request: "mlp diagnose")
        let table = try data.read(targetKind: targetKind, targetIsOptional: false, defaultTargets: [], encoding: nil,
                                  learning: encoding, maxMemoryBytes: resources.maxMemoryBytes)
        var rows = sampleRows ?? table.rowCount
        // A sample too small to diagnose is not drawn: the memory check then names what does not fit.
        if sampleRows == nil, table.targetName != nil,
           let fitting = resources.rowsFitting(table.rowCount, features: table.featureCount,
                                               outputs: try resources.outputs(of: table, regression: regression),
                                               parameters: parameters, dtype: "float64"),
           fitting >= Self.smallestSample {
            rows = fitting
            if rows < table.rowCount, !quiet {
                Output.diagnostic("mlp: the diagnosis of all \(table.rowCount) rows would need more memory than "
                                  + "\(resources.maxMemoryBytes == nil ? "is available" : "--max-memory allows"); "
                                  + "diagnosing a random sample of \(rows) rows (--sample-rows)\n")
            }
        }
        guard rows < table.rowCount else { return DiagnosedRows(table: table, total: table.rowCount) }
        return DiagnosedRows(table: table.rows(at: RowSample.indices(rows, of: table.rowCount, randomState: seed)),
                             total: table.rowCount)
    }

    /// The rows of a cache that `mlp convert` wrote: its encoding and targets are the cache's.
    private func sampleCache(_ path: String, seed: Int, parameters: MLPParameters) throws -> DiagnosedRows {
        try data.refuseReadingFlags(forCache: path, learning: encoding, command: "diagnose")
        let file = try cli { try MLPDataFile(path: path) }
        if (file.schema.targetKind == .numeric) != regression {
            throw CLIError(.usage, "\(path) holds " + (regression ? "class labels; drop --regression"
                                                                 : "a numeric target; add --regression"))
        }
        return try sample(file, source: path, seed: seed, parameters: parameters)
    }

    /// A CSV file's first pass into a temporary cache (categories and statistics of every row), then its sample.
    private func sampleThroughCache(_ csv: String, targetKind: TargetKind, seed: Int,
                                    parameters: MLPParameters) throws -> DiagnosedRows {
        if encoding.impute == .median {
            throw CLIError(.usage, "\(csv) is read in one pass, where --impute median cannot be computed; use --impute mean")
        }
        let cache = FileManager.default.temporaryDirectory.appendingPathComponent("mlp-diagnose-\(getpid()).mlpdata").path
        AtomicFile.removeOnSignal(cache)
        defer {
            try? FileManager.default.removeItem(atPath: cache)
            AtomicFile.forgetOnSignal(cache)
        }
        _ = try ConvertCommand.firstPass(csv, to: cache, options: data.readOptions(targetKind: targetKind, learning: encoding))
        return try sample(try cli { try MLPDataFile(path: cache) }, source: csv, seed: seed, parameters: parameters)
    }

    /// --sample-rows rows of a cache, or without it `automaticSampleRows`, fewer where the memory limit would refuse
    /// the diagnosis of that many.
    private func sample(_ file: MLPDataFile, source: String, seed: Int, parameters: MLPParameters) throws -> DiagnosedRows {
        let schema = file.schema
        let outputs = ResourceOptions.outputs(targets: schema.targetCount, classes: schema.classes.count,
                                              regression: regression)
        let wanted = min(Self.automaticSampleRows, file.rowCount)
        let fitting = resources.rowsFitting(wanted, features: StreamedEncoding(schema: schema).featureCount,
                                            outputs: outputs, parameters: parameters, dtype: "float64")
        let rows = sampleRows ?? fitting.flatMap { $0 >= Self.smallestSample ? $0 : nil } ?? wanted
        let table = try cli { try file.sampledTable(rows: rows, randomState: seed, source: source) }
        return DiagnosedRows(table: table, total: file.rowCount)
    }
}
