import Foundation
import MLP
import MLPModelFile
import MLPReport

/// Assembles the HTML report's plain data from a model, a table and its evaluation.
enum ReportBuilder {
    static func page(title: String, model: MLPModel, modelPath: String, table: DataTable, evaluation: Evaluation,
                     extraSummary: [(String, String)] = []) throws -> String {
        let m = model.metadata
        var summary: [(String, String)] = [
            ("model", "\(m.estimator.rawValue) \(m.layerSizes.map(String.init).joined(separator: " → ")) (\(m.dtype))"),
            ("file", modelPath),
            ("data", "\(table.source): \(table.rowCount) rows × \(table.featureCount) features"),
            ("activation", "\(m.activation), output \(m.outActivation), loss \(m.loss)"),
            ("scaling", m.scaler.rawValue),
        ]
        if !m.parameters.isEmpty {
            summary.append(("parameters", m.parameters.keys.sorted().map { "\($0)=\(m.parameters[$0]!)" }.joined(separator: ", ")))
        }
        summary += extraSummary
        var boundary: DecisionBoundary?
        if let classes = m.classes, table.featureCount == 2, let truth = evaluation.classIndices {
            let predictor = Predictor(model: model)
            boundary = try DecisionBoundary.compute(features: table.features, classes: truth, classNames: classes,
                                                featureNames: table.featureNames) { grid in
                try predictor.predict(grid, rows: grid.count / 2).classIndices!
            }
        }
        return HTMLReport.render(ReportData(
            title: title, summary: summary, lossCurve: m.lossCurve, validationScores: m.validationScores,
            classification: evaluation.classification, regression: evaluation.regression, decisionBoundary: boundary))
    }
}
