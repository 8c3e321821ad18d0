import ArgumentParser
import Foundation
import MLP

/// `mlp convert DATA.csv OUT.mlpdata`: the first pass of out-of-core training, on its own.
struct ConvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Convert a CSV file into an .mlpdata cache for streamed (out-of-core) training.",
        discussion: """
        One pass over the CSV text in bounded memory: the rows are written in binary (Float64, category codes, NaN \
        for a missing value) with the columns, categories, classes and streamed column statistics. \
        `mlp train OUT.mlpdata` then trains from it without reading text again; see docs/out-of-core.md.
        """)

    @OptionGroup var data: DataOptions
    @Argument(help: ArgumentHelp("The cache file to write.", valueName: "out.mlpdata"))
    var output: String
    @OptionGroup var encoding: EncodingOptions
    @Flag(help: "The target is numeric, for mlp train --regression (default: class labels).")
    var regression = false
    @OptionGroup var outputOptions: OutputOptions

    func validate() throws {
        guard data.data != nil, data.dataset == nil else { throw ValidationError("mlp convert reads a CSV file, not --dataset") }
        if output.isEmpty || output.hasSuffix("/") { throw ValidationError("the cache file needs a name") }
        if encoding.impute == .median {
            throw ValidationError("--impute median cannot be computed in one streamed pass; use --impute mean")
        }
    }

    func run() throws {
        let csv = data.data!
        try Output.checkWritable(output, option: "the cache file", inputs: [csv], binary: true)
        let options = try data.readOptions(targetKind: regression ? .numeric : .labels, learning: encoding)
        let start = DispatchTime.now().uptimeNanoseconds
        let schema = try Self.firstPass(csv, to: output, options: options)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        if outputOptions.json {
            try Output.printJSON(ConvertJSON(rows: schema.rowCount, columns: schema.columns.map(\.name),
                                             target: schema.targetName, targets: schema.targetNames,
                                             classes: regression || schema.isMultilabel ? nil : schema.classes,
                                             seconds: seconds, cache: output))
        } else if !outputOptions.quiet {
            let names = Output.quotedList(schema.targetNames)
            let target = regression ? "numeric target\(schema.targetCount > 1 ? "s" : "") \(names)"
                : schema.isMultilabel ? "multilabel targets \(names), 0 or 1 each"
                : "target '\(schema.targetName)' with \(schema.classes.count) classes"
            try Output.print(Output.terminalLine("converted \(schema.rowCount) rows × \(schema.columns.count) feature columns "
                                                 + "(\(target)) in \(Output.seconds(seconds)) to \(output)"))
        }
    }
}

extension ConvertCommand {
    /// The first pass of `mlp convert` and `mlp train --stream`, from a CSV file, standard input ("-") or a `.gz`
    /// file, each read once. A first Ctrl-C stops it between chunks, as it
    /// stops training between epochs, but leaves nothing: no partial cache, exit 130.
    static func firstPass(_ csv: String, to cache: String, options: CSVReadOptions) throws -> MLPDataSchema {
        do {
            let partial = MLPDataConverter.partialPath(for: cache)
            AtomicFile.removeOnSignal(partial)
            defer { AtomicFile.forgetOnSignal(partial) }
            return try Signals.duringTraining(stoppable: true, stopping: .firstPass) {
                if csv.hasSuffix(".gz") {  // decompressed as it is read
                    return try MLPDataConverter.convert(source: GzipFile(path: csv), name: csv, to: cache,
                                                        options: options) { Signals.stopRequested }
                }
                return try MLPDataConverter.convert(csvPath: csv == "-" ? "/dev/stdin" : csv, to: cache,
                                                    options: options) { Signals.stopRequested }
            }
        } catch MLPDataError.cancelled(_) {
            Output.diagnostic("mlp: interrupted: \(cache) was not written\n")
            throw ExitCode(130)
        } catch {
            throw CLIError.wrap(error)
        }
    }
}

/// `mlp convert --json`.
struct ConvertJSON: Encodable {
    var rows: Int
    var columns: [String]
    /// The first target column (the only one, but for several).
    var target: String
    /// Every target column, in the order of the outputs.
    var targets: [String]
    var classes: [String]?
    var seconds: Double
    var cache: String
}
