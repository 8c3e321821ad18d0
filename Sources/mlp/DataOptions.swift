import ArgumentParser
import MLP
import MLPDatasets
import MLPModelFile

extension BundledDataset: ExpressibleByArgument {}
extension ImputeStrategy: ExpressibleByArgument {}
extension ScalerKind: ExpressibleByArgument {}

/// Where the data comes from and how it is read: shared by train, predict and evaluate.
struct DataOptions: ParsableArguments {
    @Argument(help: ArgumentHelp("The CSV file ('-' for standard input).", valueName: "data.csv"))
    var data: String?

    @Option(help: ArgumentHelp("A bundled data set instead of a file: seed, iris or digits.", valueName: "name"))
    var dataset: BundledDataset?

    @Option(help: ArgumentHelp("The target column (train: default the last column; predict: ignored if present).",
                               valueName: "column"))
    var target: String?

    @Flag(name: .customLong("no-header"), help: "The first row is data; columns are named 0, 1, 2, ...")
    var noHeader = false

    @Option(name: .customLong("one-hot"), parsing: .singleValue,
            help: ArgumentHelp("One-hot encode a non-numeric feature column (repeatable, or comma-separated).",
                               valueName: "column"))
    var oneHot: [String] = []

    @Option(help: ArgumentHelp("Replace missing feature values (empty, NA, NaN) by the column's mean or median.",
                               valueName: "mean|median"))
    var impute: ImputeStrategy?

    func validate() throws {
        if data != nil && dataset != nil {
            throw ValidationError("give either a CSV file or --dataset, not both")
        }
        if data == nil && dataset == nil {
            throw ValidationError("missing data: give a CSV file or --dataset seed|iris|digits")
        }
        if dataset != nil && noHeader { throw ValidationError("--no-header does not apply to --dataset") }
        if let data, data.isEmpty { throw ValidationError("the data file name is empty") }
        if oneHotColumns.contains("") { throw ValidationError("--one-hot needs a column name") }
    }

    var oneHotColumns: [String] {
        oneHot.flatMap { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
    }

    /// A name for messages: the path or "dataset iris".
    var sourceName: String { dataset.map { "dataset \($0.rawValue)" } ?? data ?? "" }

    /// Reads the table; `encoding` is the model's when predicting or evaluating.
    func read(targetKind: TargetKind, targetIsOptional: Bool, defaultTarget: String?,
              encoding: FeatureEncoding?) throws -> DataTable {
        let options = CSVReadOptions(hasHeader: !noHeader, target: target ?? defaultTarget, targetKind: targetKind,
                                     targetIsOptional: targetIsOptional, oneHot: oneHotColumns, impute: impute)
        return try cli {
            if let dataset { return try dataset.read(options: options, encoding: encoding) }
            let path = data == "-" ? "/dev/stdin" : data!
            var table = try CSVReader.read(path: path, options: options, encoding: encoding)
            table.source = data!
            return table
        }
    }
}

/// --json, --quiet, --verbose.
struct OutputOptions: ParsableArguments {
    @Flag(help: "Print one JSON object on standard output instead of the human summary.")
    var json = false
    @Flag(name: [.short, .long], help: "Print nothing but errors (and the JSON object with --json).")
    var quiet = false
    @Flag(name: [.short, .long], help: "Print scikit-learn's \"Iteration N, loss = L\" lines.")
    var verbose = false

    func validate() throws {
        if quiet && verbose { throw ValidationError("--quiet and --verbose cannot be used together") }
    }
}
