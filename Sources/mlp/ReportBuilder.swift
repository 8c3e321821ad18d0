import Foundation
import MLP
import MLPModelFile
import MLPReport

/// One set of rows the report scores (training, validation, test).
struct EvaluatedSet {
    var name: String
    var table: DataTable
    var evaluation: PipelineEvaluation
}

/// What the report's header says about the run beyond the model file.
struct RunHeader {
    var data: String
    var rows: Int
    var stop: String?
    var converged: Bool?
    var warnings: [String] = []
    var seconds: Double?
    var finalLoss: Double?
    var split: String?
}

/// Assembles the HTML report's plain data from a model, its pipeline and the scored sets.
enum ReportBuilder {
    static func page(title: String, model: MLPModel, pipeline: MLPPipeline, modelPath: String, header: RunHeader,
                     sets: [EvaluatedSet]) throws -> String {
        let m = model.metadata
        var summary: [(String, String)] = [
            ("data", "\(header.data): \(header.rows) rows × \(m.featureNames.count) features"
                + (header.split.map { ", held-out split \($0)" } ?? "")),
            ("model", "\(m.estimator.rawValue) \(m.layerSizes.map(String.init).joined(separator: " → ")) (\(m.dtype)), "
                + "file \(modelPath)"),
            ("activation", "\(m.activation), output \(m.outActivation), loss \(m.loss)"),
            ("scaling", m.scaler.rawValue + (model.targetScaler != nil ? "; target standardized" : "")),
        ]
        if let stop = header.stop { summary.append(("stop reason", stop)) }
        summary.append(("n_iter", String(m.nIter)))
        if let converged = header.converged { summary.append(("converged", converged ? "yes" : "no")) }
        if let loss = header.finalLoss { summary.append(("final loss", Output.fixed(loss, 6))) }
        if let seconds = header.seconds { summary.append(("fit time", Output.seconds(seconds))) }
        summary.append(("warnings", header.warnings.isEmpty ? "none" : header.warnings.joined(separator: "; ")))
        let parameters = try cli { try parametersByName(m.parameters) }
        let defaults = try cli { try parametersByName(MLPParameters()) }
        let changed = parameters.keys.sorted().filter { parameters[$0] != defaults[$0] }
        summary.append(("parameters (non-default)", changed.isEmpty ? "all defaults"
                        : changed.map { "\($0)=\(parameters[$0]!)" }.joined(separator: ", ")))
        summary.append(("parameters (default)", parameters.keys.sorted().filter { !changed.contains($0) }
                            .map { "\($0)=\(parameters[$0]!)" }.joined(separator: ", ")))

        let shown = sets.last!
        var boundary: DecisionBoundary?
        if let classes = m.classes, shown.table.featureCount == 2, let truth = shown.evaluation.trueClassIndices {
            boundary = try DecisionBoundary.compute(features: shown.table.features, classes: truth,
                                                    classNames: classes.map(\.description),
                                                    featureNames: shown.table.featureNames) { grid in
                try cli { try pipeline.predictClassIndices(features: Matrix(rows: grid.count / 2, columns: 2, storage: grid)) }
            }
        }
        return HTMLReport.render(ReportData(
            title: title, summary: summary, lossCurve: m.lossCurve ?? [], validationScores: m.validationScores,
            classification: shown.evaluation.classification, regression: shown.evaluation.regression,
            decisionBoundary: boundary))
    }

    /// The parameters as their JSON form names them (scikit-learn's names).
    private static func parametersByName(_ parameters: MLPParameters) throws -> [String: JSONValue] {
        try JSONDecoder().decode([String: JSONValue].self, from: JSONEncoder().encode(parameters))
    }
}
