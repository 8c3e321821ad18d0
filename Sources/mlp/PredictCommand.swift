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
        by the class.
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

    func run() throws {
        try Output.checkWritable(output, option: "--output", inputs: [self.model, data.data])
        try resources.checkReading(csv: data.data, request: "mlp predict")
        let model = try loadModel(self.model)
        let pipeline = try cli { try model.pipeline() }
        if proba && !pipeline.isClassifier {
            throw CLIError(.usage, "--proba needs a classifier; \(self.model) holds an MLPRegressor (no predict_proba)")
        }
        let table = try data.read(targetKind: .labels, targetIsOptional: true, defaultTarget: pipeline.targetName,
                                  encoding: pipeline.encoding)
        let predictor = try cli { try pipeline.makePredictor(maxRows: Self.blockRows) }
        let name = pipeline.targetName ?? "prediction"
        var text = ""
        var start = 0
        repeat {  // at least once: an empty table gets the library's error
            let rows = start..<min(start + Self.blockRows, table.rowCount)
            let prediction = try cli { try predictor.predict(table, rows: rows, probabilities: proba) }
            if start == 0 {
                text = header(prediction, name: name, classes: pipeline.classes).map(Output.csvField)
                    .joined(separator: ",") + "\n"
                text.reserveCapacity(table.rowCount * 16 * (1 + (proba ? pipeline.classes.count : 0)))
            }
            for r in rows.indices {
                if data.id != nil {
                    text += Output.csvField(table.ids[r])
                    text += ","
                }
                Self.appendFields(prediction, row: r - start, to: &text)
                text += "\n"
            }
            start = rows.upperBound
        } while start < table.rowCount
        try Output.write(text, to: output)
    }

    /// The CSV header: the --id column, then the target's name (one column per label or output where there are
    /// several), then with --proba one column per class, named by the class.
    private func header(_ prediction: PipelinePrediction, name: String, classes: [ClassLabel]) -> [String] {
        let ids = data.id.map { [$0] } ?? []
        let classNames = classes.map(\.description)
        switch prediction {
        case .labels(_, let probabilities):
            return ids + [name] + (probabilities == nil ? [] : classNames)
        case .multilabel(_, let probabilities):
            return ids + classNames.map { "\(name)_\($0)" } + (probabilities == nil ? [] : classNames)
        case .values(let values):
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
            append(indicators, first: true)
            append(probabilities, first: false)
        case .values(let values):
            append(values, first: true)
        }
    }
}
