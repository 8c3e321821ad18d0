import ArgumentParser
import Foundation
import MLP
import MLPModelFile

/// `mlp predict MODEL DATA.csv [--proba] [--output FILE]`: one prediction per row, as CSV.
struct PredictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Predict labels (or class probabilities, or values) for each row of a CSV file.",
        discussion: """
        Columns are matched to the model's features by name (by position with --no-header); other columns, \
        including a target column, are ignored. Output is CSV with a header: the target's name and one label \
        or value per row, or with --proba one column per class, named by the class.
        """)

    @Argument(help: ArgumentHelp("A model file written by 'mlp train'.", valueName: "model"))
    var model: String

    @OptionGroup var data: DataOptions

    @Flag(help: "Print class probabilities (one column per class) instead of labels. Classifiers only.")
    var proba = false

    @Option(name: [.short, .long], help: ArgumentHelp("Write the CSV here instead of standard output.", valueName: "file"))
    var output: String?

    func validate() throws {
        if !data.oneHot.isEmpty || data.impute != nil {
            throw ValidationError("--one-hot and --impute are set at training time; the model file holds the encoding")
        }
    }

    func run() throws {
        try Output.checkWritable(output, option: "--output", inputs: [self.model, data.data])
        let model = try loadModel(self.model)
        let pipeline = try cli { try model.pipeline() }
        if proba && !pipeline.isClassifier {
            throw CLIError(.usage, "--proba needs a classifier; \(self.model) holds an MLPRegressor (no predict_proba)")
        }
        let table = try data.read(targetKind: .labels, targetIsOptional: true, defaultTarget: pipeline.targetName,
                                  encoding: pipeline.encoding)
        let name = pipeline.targetName ?? "prediction"
        var text = ""
        text.reserveCapacity(table.rowCount * 16)
        if pipeline.isClassifier && !proba {
            let labels = try cli { try pipeline.predict(table) }
            text += Output.csvField(name) + "\n"
            for label in labels { text += Output.csvField(label.description) + "\n" }
        } else {
            let values = try cli { try proba ? pipeline.predictProbabilities(table) : pipeline.predictValues(table) }
            let k = values.columns
            let header = proba ? pipeline.classes.map(\.description) : k == 1 ? [name] : (0..<k).map { "\(name)_\($0)" }
            text += header.map(Output.csvField).joined(separator: ",") + "\n"
            for r in 0..<values.rows {
                text += values.row(r).map(Output.number).joined(separator: ",") + "\n"
            }
        }
        try Output.write(text, to: output)
    }
}
