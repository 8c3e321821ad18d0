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

    @Argument(help: ArgumentHelp("A model file written by 'mlp train'.", valueName: "model"))
    var model: String

    @OptionGroup var data: DataOptions
    @OptionGroup var trainingOnly: TrainingOnlyOptions

    @Flag(help: "Also write one probability column per class after the label. Classifiers only.")
    var proba = false

    @Option(name: [.short, .long], help: ArgumentHelp("Write the CSV here instead of standard output.", valueName: "file"))
    var output: String?

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
        var header: [String] = data.id.map { [$0] } ?? []
        var columns: [[String]] = data.id == nil ? [] : [table.ids]
        func appendProbabilities() throws {
            let p = try cli { try pipeline.predictProbabilities(table) }
            for (k, label) in pipeline.classes.enumerated() {
                header.append(label.description)
                columns.append((0..<p.rows).map { Output.number(p[$0, k]) })
            }
        }
        if pipeline.estimator.targetType == .multilabelIndicator {
            // One 0/1 column per label, then with --proba one probability column per label.
            let indicators = try cli { try pipeline.predictMultilabel(table) }
            for (k, label) in pipeline.classes.enumerated() {
                header.append("\(name)_\(label.description)")
                columns.append((0..<indicators.rows).map { Output.number(indicators[$0, k]) })
            }
            if proba { try appendProbabilities() }
        } else if pipeline.isClassifier {
            let labels = try cli { try pipeline.predict(table) }
            header.append(name)
            columns.append(labels.map(\.description))
            if proba { try appendProbabilities() }
        } else {
            let values = try cli { try pipeline.predictValues(table) }
            for k in 0..<values.columns {
                header.append(values.columns == 1 ? name : "\(name)_\(k)")
                columns.append((0..<values.rows).map { Output.number(values[$0, k]) })
            }
        }
        var text = header.map(Output.csvField).joined(separator: ",") + "\n"
        text.reserveCapacity(table.rowCount * 16 * columns.count)
        for r in 0..<table.rowCount {
            text += columns.map { Output.csvField($0[r]) }.joined(separator: ",") + "\n"
        }
        try Output.write(text, to: output)
    }
}
