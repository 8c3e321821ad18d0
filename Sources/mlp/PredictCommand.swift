import ArgumentParser
import Foundation
import MLP
import MLPModelFile

/// `mlp predict MODEL DATA.csv [--id COL] [--proba] [--output FILE]`: one prediction per row, as CSV.
struct PredictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Predict labels (with class probabilities) or values for each row of a CSV file.",
        discussion: """
        Columns are matched to the model's features by name (by position with --no-header); other columns, \
        including a target column, are ignored. Output is CSV with a header: the --id column if given, then the \
        target's name with one label or value per row, then with --proba one probability column per class, named \
        by the class. A file or standard input is read and predicted a chunk of rows at a time, so its size is not \
        limited by memory; with --output the file appears only once every row is written.
        """)

    @Argument(help: .modelFile)
    var model: String

    @OptionGroup var data: DataOptions
    @OptionGroup var trainingOnly: TrainingOnlyOptions
    @OptionGroup var resources: ResourceOptions

    @Flag(help: "Also write one probability column per class after the label. Classifiers only.")
    var proba = false

    @Option(name: [.short, .long], help: ArgumentHelp("Write the CSV here instead of standard output.", valueName: "file"))
    var output: String?

    /// Rows per pass through the network: the GEMM runs at full speed and the activations stay small.
    static let blockRows = 1024

    @Option(name: .customLong("chunk-bytes"), help: .hidden)
    var chunkBytes = CSVTableStream.defaultChunkBytes

    func run() throws {
        try Output.checkWritable(output, option: "--output", inputs: [self.model, data.data])
        if let cache = data.data, cache.hasSuffix(".mlpdata") {
            throw CLIError(.usage, "\(cache) is a cache of training rows (mlp convert); predict reads CSV, and "
                           + "'mlp evaluate MODEL \(cache)' scores a cache")
        }
        let model = try loadModel(self.model)
        let pipeline = try cli { try model.pipeline() }
        if proba && !pipeline.isClassifier {
            throw CLIError(.usage, "--proba needs a classifier; \(self.model) holds an MLPRegressor (no predict_proba)")
        }
        let predictor = try cli { try pipeline.makePredictor(maxRows: Self.blockRows) }
        let sink = try StreamedOutput(path: output)
        var header = true
        if let encoding = pipeline.encoding,
           let stream = try data.stream(options: data.readOptions(targetKind: .labels, targetIsOptional: true,
                                                                  defaultTargets: pipeline.targetNames),
                                        encoding: encoding, chunkBytes: max(chunkBytes, 1)) {
            // A file, a pipe or a .gz file, a chunk of records at a time: memory stays bounded whatever the size.
            while let table = try cli({ try stream.next() }) {
                try write(table, firstRow: stream.rowsBefore, predictor: predictor, pipeline: pipeline,
                          header: &header, to: sink)
            }
        } else {
            try resources.checkReading(csv: data.data, request: "mlp predict")
            let table = try data.read(targetKind: .labels, targetIsOptional: true, defaultTargets: pipeline.targetNames,
                                      encoding: pipeline.encoding, maxMemoryBytes: resources.maxMemoryBytes)
            try write(table, firstRow: 0, predictor: predictor, pipeline: pipeline, header: &header, to: sink)
        }
        try sink.finish()
    }

    /// Writes a table's predictions as CSV, a block of rows at a time (the text held stays small however many classes
    /// --proba writes), after the header when `header` is true (then set to false). `firstRow`: the table's first row
    /// in the file, for messages.
    private func write(_ table: DataTable, firstRow: Int, predictor: PipelinePredictor, pipeline: MLPPipeline,
                       header: inout Bool, to sink: StreamedOutput) throws {
        var text = ""
        var start = 0
        repeat {  // at least once: an empty table gets the library's error
            let rows = start..<min(start + Self.blockRows, table.rowCount)
            let prediction: PipelinePrediction
            do {
                prediction = try predictor.predict(table, rows: rows, probabilities: proba)
            } catch let error as MLPError {
                throw CLIError.wrap(error.rowsShifted(by: firstRow))
            } catch {
                throw CLIError.wrap(error)
            }
            text.removeAll(keepingCapacity: true)
            if header {
                header = false
                text = self.header(prediction, names: pipeline.targetNames, classes: pipeline.classes)
                    .map(Output.csvField).joined(separator: ",") + "\n"
            }
            for r in rows.indices {
                if data.id != nil {
                    text += Output.csvField(table.ids[r])
                    text += ","
                }
                Self.appendFields(prediction, row: r - start, to: &text)
                text += "\n"
            }
            try sink.write(text)
            start = rows.upperBound
        } while start < table.rowCount
    }

    /// The CSV header: the --id column, then the target's name (one column per label; per output, the output's
    /// target name), then with --proba one column per class, named by the class.
    private func header(_ prediction: PipelinePrediction, names: [String], classes: [ClassLabel]) -> [String] {
        let ids = data.id.map { [$0] } ?? []
        let name = names.first ?? "prediction"
        let classNames = classes.map(\.description)
        switch prediction {
        case .labels(_, let probabilities):
            return ids + [name] + (probabilities == nil ? [] : classNames)
        case .multilabel(let indicators, let probabilities):
            // A model of several target columns names each label by its column.
            let labels = names.count == indicators.columns ? names : classNames.map { "\(name)_\($0)" }
            let probabilityNames = names.count == indicators.columns ? names.map { "\($0)_proba" } : classNames
            return ids + labels + (probabilities == nil ? [] : probabilityNames)
        case .values(let values):
            if names.count == values.columns { return ids + names }
            return ids + (values.columns == 1 ? [name] : (0..<values.columns).map { "\(name)_\($0)" })
        }
    }

    /// Appends one row's fields after the id: its label, indicators or values, then its probabilities if asked for.
    /// Numbers skip `Output.csvField`: a Double's shortest text never holds a comma, quote, newline or space.
    private static func appendFields(_ prediction: PipelinePrediction, row r: Int, to text: inout String) {
        func append(_ m: Matrix<Double>?, first: Bool) {
            guard let m else { return }
            for k in 0..<m.columns {
                if !first || k > 0 { text += "," }
                text += Output.number(m[r, k])
            }
        }
        switch prediction {
        case .labels(let labels, let probabilities):
            text += Output.csvField(labels[r].description)
            append(probabilities, first: false)
        case .multilabel(let indicators, let probabilities):
            // 0 or 1, as scikit-learn's predict gives a multilabel indicator matrix of integers.
            text += (0..<indicators.columns).map { indicators[r, $0] == 1 ? "1" : "0" }.joined(separator: ",")
            append(probabilities, first: false)
        case .values(let values):
            append(values, first: true)
        }
    }
}
