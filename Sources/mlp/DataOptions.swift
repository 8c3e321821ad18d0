import ArgumentParser
import Foundation
import MLP
import MLPDatasets
import MLPModelFile

extension BundledDataset: ExpressibleByArgument {}
extension ImputeStrategy: ExpressibleByArgument {}
extension ScalerKind: ExpressibleByArgument {}
extension TargetScalerKind: ExpressibleByArgument {}

/// Where the data comes from and how it is read: shared by train, cv, predict and evaluate.
struct DataOptions: ParsableArguments {
    @Argument(help: ArgumentHelp("The CSV file ('-' for standard input; a .gz file is decompressed).",
                                 valueName: "data.csv"))
    var data: String?

    @Option(help: ArgumentHelp("A bundled data set instead of a file: seed, iris or digits.", valueName: "name"))
    var dataset: BundledDataset?

    // A list: several target columns fit a multi-output regressor. A value that names a column as a whole is that
    // column (its name may hold a comma); another is split at its commas (the reader resolves both).
    @Option(name: .customLong("target"), parsing: .singleValue,
            help: ArgumentHelp("The target column (train: default the last column; predict: ignored if present). "
                               + "Several, for a multi-output regressor: repeatable, or comma-separated.",
                               valueName: "column"))
    var targets: [String] = []

    @Flag(name: .customLong("no-header"), help: "The first row is data; columns are named 0, 1, 2, ...")
    var noHeader = false

    @Option(help: ArgumentHelp("The field delimiter: ',', ';', tab, '|' or auto (default: detected from the first line).",
                               valueName: "char"))
    var delimiter = "auto"

    @Option(parsing: .singleValue,
            help: ArgumentHelp("Leave a column out of the features (repeatable, or comma-separated).", valueName: "column"))
    var drop: [String] = []

    @Option(help: ArgumentHelp("A column kept out of the features and written first by predict (e.g. an id).",
                               valueName: "column"))
    var id: String?

    func validate() throws {
        if targets.contains("") { throw ValidationError("--target needs a column name") }
        if data != nil && dataset != nil {
            throw ValidationError("give either a CSV file or --dataset, not both")
        }
        if data == nil && dataset == nil {
            throw ValidationError("missing data: give a CSV file or --dataset seed|iris|digits")
        }
        if dataset != nil && noHeader { throw ValidationError("--no-header does not apply to --dataset") }
        if let data, data.isEmpty { throw ValidationError("the data file name is empty") }
        if dropColumns.contains("") { throw ValidationError("--drop needs a column name") }
        _ = try delimiterByte()
    }

    var dropColumns: [String] { commaSeparated(drop) }

    /// The reading flags as given, to repeat in a suggested command (not the data, the data set or the target).
    var readingFlags: [String] {
        (noHeader ? ["--no-header"] : []) + (delimiter == "auto" ? [] : ["--delimiter", delimiter])
            + (dropColumns.isEmpty ? [] : ["--drop", dropColumns.joined(separator: ",")]) + (id.map { ["--id", $0] } ?? [])
    }

    /// `--delimiter` as a byte; nil detects it.
    func delimiterByte() throws -> UInt8? {
        switch delimiter {
        case "auto": return nil
        case "tab", "\\t", "\t": return 0x09
        default:
            guard delimiter.utf8.count == 1, let byte = delimiter.utf8.first, byte != 0x22, byte != 0x0A, byte != 0x0D,
                  byte < 0x80 else {
                throw ValidationError("--delimiter must be one ASCII character such as ',', ';', '|', or tab or auto; "
                                      + "got '\(delimiter)'")
            }
            return byte
        }
    }

    /// The data read a chunk at a time with a fitted encoding: a file, standard input, or a .gz file decompressed as
    /// it is read; nil for a bundled data set, which is read whole.
    func stream(options: CSVReadOptions, encoding: FeatureEncoding,
                chunkBytes: Int = CSVTableStream.defaultChunkBytes) throws -> CSVTableStream? {
        guard let path = data, dataset == nil else { return nil }
        if path.hasSuffix(".gz") {
            return CSVTableStream(source: try GzipFile(path: path), name: path, options: options, encoding: encoding,
                                  chunkBytes: chunkBytes)
        }
        return try cli { try CSVTableStream(path: path == "-" ? "/dev/stdin" : path, options: options,
                                            encoding: encoding, chunkBytes: chunkBytes) }
    }

    /// A name for messages: the path or "dataset iris".
    var sourceName: String { dataset.map { "dataset \($0.rawValue)" } ?? data ?? "" }

    /// Reads the table; `defaultTargets` are the target columns without --target (a model's), `encoding` is the
    /// model's when predicting or evaluating, `encodingRows` the rows a new encoding is learnt from (a training split),
    /// `learning` the one-hot and imputation options of training, `maxMemoryBytes` the command's --max-memory (the
    /// one-hot table is checked against it, else the memory available).
    func read(targetKind: TargetKind, targetIsOptional: Bool, defaultTargets: [String], encoding: FeatureEncoding?,
              learning: EncodingOptions? = nil, encodingRows: [Int]? = nil,
              maxMemoryBytes: Double? = nil) throws -> DataTable {
        var options = try readOptions(targetKind: targetKind, targetIsOptional: targetIsOptional,
                                      defaultTargets: defaultTargets, learning: learning, encodingRows: encodingRows)
        options.limits.maxMemoryBytes = maxMemoryBytes
        return try cli {
            if let dataset { return try dataset.read(options: options, encoding: encoding) }
            let path = data!
            let compressed = path.hasSuffix(".gz")
            if path == "-" || compressed {
                let bytes = path == "-" ? try WholeInput.standardInput() : try Gunzip.decompress(file: path)
                if path == "-", bytes.starts(with: [0x1F, 0x8B]) {
                    throw CLIError(.data, "standard input is gzip-compressed; name the .gz file instead of '-', "
                                   + "or decompress it first (gunzip -c FILE.gz | mlp …)")
                }
                return try bytes.withUnsafeBufferPointer {
                    try CSVReader.read(bytes: $0, source: path, options: options, encoding: encoding)
                }
            }
            var table = try CSVReader.read(path: path, options: options, encoding: encoding)
            table.source = path
            return table
        }
    }

    /// Refuses reading flags for a `.mlpdata` input: `mlp convert` fixed its target, columns and encoding.
    /// - Parameters:
    ///   - path: The cache.
    ///   - learning: The command's --one-hot and --impute, if it takes them.
    ///   - command: The subcommand, for the message ("train").
    func refuseReadingFlags(forCache path: String, learning: EncodingOptions? = nil, command: String) throws {
        if learning?.learnsFromRows == true || !targets.isEmpty || noHeader || !dropColumns.isEmpty || id != nil {
            throw CLIError(.usage, "\(path) was encoded by mlp convert: give --target, --one-hot, --impute, --drop, --id "
                           + "and --no-header to mlp convert, not to \(command)")
        }
    }

    /// The reading options these flags ask for (also those of `mlp convert`'s streamed pass).
    func readOptions(targetKind: TargetKind, targetIsOptional: Bool = false, defaultTargets: [String] = [],
                     learning: EncodingOptions? = nil, encodingRows: [Int]? = nil) throws -> CSVReadOptions {
        CSVReadOptions(hasHeader: !noHeader, targets: targets.isEmpty ? defaultTargets : targets, targetKind: targetKind,
                       targetIsOptional: targetIsOptional, oneHot: learning?.oneHotColumns ?? [],
                       impute: learning?.impute, delimiter: try delimiterByte(), drop: dropColumns,
                       idColumn: id, encodingRows: encodingRows)
    }
}

/// --one-hot and --impute: how training learns the encoding of CSV columns (train, cv and diagnose; a model file
/// holds its encoding, so predict and evaluate do not take them).
struct EncodingOptions: ParsableArguments {
    @Option(name: .customLong("one-hot"), parsing: .singleValue,
            help: ArgumentHelp("One-hot encode a non-numeric feature column (repeatable, or comma-separated).",
                               valueName: "column"))
    var oneHot: [String] = []

    @Option(help: ArgumentHelp("Replace missing feature values (empty, NA, NaN) by the column's mean or median.",
                               valueName: "mean|median"))
    var impute: ImputeStrategy?

    func validate() throws {
        if oneHotColumns.contains("") { throw ValidationError("--one-hot needs a column name") }
    }

    var oneHotColumns: [String] { commaSeparated(oneHot) }

    /// True when the encoding learns something from the rows (categories, imputation statistics).
    var learnsFromRows: Bool { !oneHotColumns.isEmpty || impute != nil }

    /// The flags as given, to repeat in a suggested command.
    var flags: [String] {
        (oneHotColumns.isEmpty ? [] : ["--one-hot", oneHotColumns.joined(separator: ",")])
            + (impute.map { ["--impute", $0.rawValue] } ?? [])
    }
}

private func commaSeparated(_ values: [String]) -> [String] {
    values.flatMap { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
}

/// --json and --quiet: what a command prints.
struct OutputOptions: ParsableArguments {
    @Flag(help: "Print one JSON object on standard output instead of the human summary.")
    var json = false
    @Flag(name: [.short, .long], help: "Print nothing but errors (and the JSON object with --json).")
    var quiet = false
}

/// --verbose: scikit-learn's per-iteration lines, for the commands that train.
struct VerboseOption: ParsableArguments {
    @Flag(name: [.short, .long], help: "Print scikit-learn's \"Iteration N, loss = L\" lines.")
    var verbose = false
}
