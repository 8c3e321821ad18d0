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
        let model = try loadModel(self.model)
        if proba && model.metadata.estimator == .regressor {
            throw CLIError(.usage, "--proba needs a classifier; \(self.model) holds an MLPRegressor (no predict_proba)")
        }
        let table = try data.read(targetKind: .labels, targetIsOptional: true, defaultTarget: model.metadata.targetName,
                                  encoding: model.metadata.encoding)
        try checkFeatures(table, model)
        let prediction = try Predictor(model: model).predict(table.features, rows: table.rowCount)
        var text = ""
        text.reserveCapacity(table.rowCount * 16)
        if let classes = model.metadata.classes {
            if proba {
                text += classes.map(Output.csvField).joined(separator: ",") + "\n"
                let p = prediction.probabilities!
                let k = classes.count
                for r in 0..<table.rowCount {
                    text += (0..<k).map { Output.number(p[r * k + $0]) }.joined(separator: ",") + "\n"
                }
            } else {
                text += Output.csvField(model.metadata.targetName ?? "prediction") + "\n"
                let fields = classes.map(Output.csvField)
                for i in prediction.classIndices! { text += fields[i] + "\n" }
            }
        } else {
            let k = model.outputCount
            let name = model.metadata.targetName ?? "prediction"
            text += (k == 1 ? [name] : (0..<k).map { "\(name)_\($0)" }).map(Output.csvField).joined(separator: ",") + "\n"
            let v = prediction.values!
            for r in 0..<table.rowCount {
                text += (0..<k).map { Output.number(v[r * k + $0]) }.joined(separator: ",") + "\n"
            }
        }
        try Output.write(text, to: output)
    }
}

/// The table must give the model exactly its features (the reader matched them by name or position).
func checkFeatures(_ table: DataTable, _ model: MLPModel) throws {
    guard table.featureCount == model.featureCount else {
        throw CLIError(.data, "\(table.source): X has \(table.featureCount) features, but the model expects \(model.featureCount)")
    }
}
