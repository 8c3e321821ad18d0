import ArgumentParser
import Foundation
import MLP
import MLPModelFile

/// `mlp inspect MODEL`: what the model is, in a few lines.
struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect", abstract: "Describe a model file in a few lines.")

    @Argument(help: ArgumentHelp("A model file written by 'mlp train'.", valueName: "model"))
    var model: String

    @Flag(help: "Print the model's metadata as one JSON object.")
    var json = false

    func run() throws {
        let model = try loadModel(self.model)
        let m = model.metadata
        if json {
            try Output.printJSON(m)
            return
        }
        let parameters = model.coefs.map(\.count).reduce(0, +) + model.intercepts.map(\.count).reduce(0, +)
        func list(_ items: [String]) -> String {
            items.count <= 12 ? items.joined(separator: ", ") : items.prefix(10).joined(separator: ", ") + ", … (\(items.count))"
        }
        var lines = [
            "\(m.estimator.rawValue), \(m.dtype): \(m.layerSizes.map(String.init).joined(separator: " → ")) "
                + "(\(parameters) weights), activation \(m.activation), output \(m.outActivation), loss \(m.loss)",
            "features (\(m.featureNames.count)): \(list(m.featureNames))",
        ]
        if let classes = m.classes { lines.append("classes (\(classes.count)): \(list(classes.map(\.description)))") }
        if let t = m.targetName { lines.append("target: \(t)") }
        var prep = "scaling: \(m.scaler.rawValue)"
        if !m.encoding.oneHot.isEmpty {
            prep += "; one-hot: " + m.encoding.oneHot.map { "\($0.column) (\($0.categories.count) categories)" }.joined(separator: ", ")
        }
        if let impute = m.encoding.impute { prep += "; impute: \(impute.rawValue)" }
        lines.append(prep)
        var trained = "trained: \(m.nIter) iterations"
        if let last = m.lossCurve?.last { trained += ", final loss \(String(format: "%.6g", last))" }
        if let best = m.validationScores?.max() { trained += ", best validation score \(String(format: "%.4f", best))" }
        let p = m.parameters
        trained += ", solver=\(p.solver.rawValue), alpha=\(p.alpha), learning_rate_init=\(p.learningRateInit)"
            + ", batch_size=\(p.batchSize.map(String.init) ?? "auto"), random_state=\(p.randomState.map(String.init) ?? "None")"
        lines.append(trained)
        lines.append("written by swift-mlp \(m.libraryVersion), model format \(ModelFile.majorVersion).\(ModelFile.minorVersion)")
        // Labels, names and categories come from the file: escaped, so they cannot drive the terminal.
        try Output.print(Output.terminalSafe(lines.joined(separator: "\n")))
    }
}
