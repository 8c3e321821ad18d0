import ArgumentParser
import Foundation
import MLP
import MLPModelFile

/// `mlp inspect MODEL`: what the model is, in a few lines.
struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect", abstract: "Describe a model file in a few lines.")

    @Argument(help: .modelFile)
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
        func list(_ names: [String]) -> String {
            // Names that hold a comma, or are empty or padded, would run together: each is quoted then.
            let ambiguous = names.contains { $0.isEmpty || $0.contains(",") || $0.first == " " || $0.last == " " }
            let items = ambiguous ? names.map { "'\($0)'" } : names
            return items.count <= 12 ? items.joined(separator: ", ")
                : items.prefix(10).joined(separator: ", ") + ", … (\(items.count))"
        }
        var lines = [
            "\(m.estimator.rawValue), \(m.dtype): \(m.layerSizes.map(String.init).joined(separator: " → ")) "
                + "(\(parameters) weights), activation \(m.activation), output \(m.outActivation), loss \(m.loss)",
            "features (\(m.featureNames.count)): \(list(m.featureNames))",
        ]
        if let classes = m.classes { lines.append("classes (\(classes.count)): \(list(classes.map(\.description)))") }
        let targets = m.allTargetNames
        if targets.count > 1 {
            lines.append("targets (\(targets.count), one output each): \(list(targets))")
        } else if let t = targets.first {
            lines.append("target: \(t)")
        }
        var prep = "scaling: \(m.scaler.rawValue)"
        if !m.encoding.oneHot.isEmpty {
            prep += "; one-hot: " + m.encoding.oneHot.map { "\($0.column) (\($0.categories.count) categories)" }.joined(separator: ", ")
        }
        if let impute = m.encoding.impute { prep += "; impute: \(impute.rawValue)" }
        if model.targetScaler != nil { prep += "; target standardized (inverted on predict)" }
        lines.append(prep)
        let p = m.parameters
        let unit = p.solver == .lbfgs ? "iterations" : "epochs"
        var trained = "trained: \(m.nIter) \(unit)"
        if let last = m.finalLoss ?? m.lossCurve?.last { trained += ", final loss \(String(format: "%.6g", last))" }
        if let best = m.bestValidationScore ?? m.validationScores?.max() {
            trained += ", best validation score \(String(format: "%.4f", best))"
        }
        if let epoch = m.interruptedAtEpoch { trained += "; interrupted (Ctrl-C) after epoch \(epoch), not converged" }
        lines.append(trained)
        lines.append("parameters: " + SolverParameters.used(by: p).map { "\($0.0)=\($0.1)" }.joined(separator: ", "))
        lines.append("written by swift-mlp \(m.libraryVersion), model format \(ModelFile.majorVersion).\(model.modelFile().formatMinorVersion)")
        // Labels, names and categories come from the file: escaped, so they can neither drive the terminal nor
        // split a line.
        try Output.print(lines.map(Output.terminalLine).joined(separator: "\n"))
    }
}

/// The parameters a solver reads, in scikit-learn's names: L-BFGS has no learning rate, batches or early
/// stopping; sgd alone has momentum and the learning-rate schedule; adam alone its betas and epsilon.
enum SolverParameters {
    static func used(by p: MLPParameters) -> [(String, String)] {
        var out: [(String, String)] = [
            ("hidden_layer_sizes", "(" + p.hiddenLayerSizes.map(String.init).joined(separator: ", ") + (p.hiddenLayerSizes.count == 1 ? ",)" : ")")),
            ("activation", p.activation.rawValue), ("solver", p.solver.rawValue), ("alpha", "\(p.alpha)"),
            ("max_iter", "\(p.maxIter)"), ("tol", "\(p.tol)"),
            ("random_state", p.randomState.map(String.init) ?? "None"),
        ]
        switch p.solver {
        case .lbfgs:
            out.append(("max_fun", "\(p.maxFun)"))
        case .sgd, .adam:
            out += [("batch_size", p.batchSize.map(String.init) ?? "auto"), ("learning_rate_init", "\(p.learningRateInit)"),
                    ("shuffle", p.shuffle ? "True" : "False"), ("n_iter_no_change", ParameterSchema.spec(named: "n_iter_no_change")?.value(in: p).pythonRepr ?? "?"),
                    ("early_stopping", p.earlyStopping ? "True" : "False")]
            if p.earlyStopping { out.append(("validation_fraction", "\(p.validationFraction)")) }
            if p.solver == .sgd {
                out += [("learning_rate", p.learningRate.rawValue), ("momentum", "\(p.momentum)"),
                        ("nesterovs_momentum", p.nesterovsMomentum ? "True" : "False")]
                if p.learningRate == .invscaling { out.append(("power_t", "\(p.powerT)")) }
            } else {
                out += [("beta_1", "\(p.beta1)"), ("beta_2", "\(p.beta2)"), ("epsilon", "\(p.epsilon)")]
            }
            if p.dropout > 0 { out.append(("dropout", "\(p.dropout)")) }
        }
        return out
    }
}
