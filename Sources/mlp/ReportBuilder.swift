import Foundation
import MLP
import MLPModelFile
import MLPReport

/// Assembles the HTML report's plain data from a model, its pipeline, a table and the pipeline's evaluation.
enum ReportBuilder {
    static func page(title: String, model: MLPModel, pipeline: MLPPipeline, modelPath: String, table: DataTable,
                     evaluation: PipelineEvaluation, extraSummary: [(String, String)] = []) throws -> String {
        let m = model.metadata
        var summary: [(String, String)] = [
            ("model", "\(m.estimator.rawValue) \(m.layerSizes.map(String.init).joined(separator: " → ")) (\(m.dtype))"),
            ("file", modelPath),
            ("data", "\(table.source): \(table.rowCount) rows × \(table.featureCount) features"),
            ("activation", "\(m.activation), output \(m.outActivation), loss \(m.loss)"),
            ("scaling", m.scaler.rawValue),
        ]
        let parameters = try cli { try parametersByName(m.parameters) }
        summary.append(("parameters", parameters.keys.sorted().map { "\($0)=\(parameters[$0]!)" }.joined(separator: ", ")))
        summary += extraSummary
        var boundary: DecisionBoundary?
        if let classes = m.classes, table.featureCount == 2, let truth = evaluation.trueClassIndices {
            boundary = try DecisionBoundary.compute(features: table.features, classes: truth,
                                                    classNames: classes.map(\.description),
                                                    featureNames: table.featureNames) { grid in
                try cli { try pipeline.predictClassIndices(features: Matrix(rows: grid.count / 2, columns: 2, storage: grid)) }
            }
        }
        return HTMLReport.render(ReportData(
            title: title, summary: summary, lossCurve: m.lossCurve ?? [], validationScores: m.validationScores,
            classification: evaluation.classification, regression: evaluation.regression, decisionBoundary: boundary))
    }

    /// The parameters as their JSON form names them (scikit-learn's names).
    private static func parametersByName(_ parameters: MLPParameters) throws -> [String: JSONValue] {
        try JSONDecoder().decode([String: JSONValue].self, from: JSONEncoder().encode(parameters))
    }
}
