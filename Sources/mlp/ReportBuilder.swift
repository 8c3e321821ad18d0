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
    /// The report page; the decision boundary shows `boundarySet`'s rows (default the first set's).
    static func page(title: String, model: MLPModel, pipeline: MLPPipeline, modelPath: String, header: RunHeader,
                     sets: [EvaluatedSet], boundarySet: EvaluatedSet? = nil) throws -> String {
        let m = model.metadata
        var summary: [(String, String)] = [
            ("data", "\(header.data): \(header.rows) rows × \(m.featureNames.count) features"
                + (header.split.map { ", held-out split \($0)" } ?? "")),
            ("model", "\(m.estimator.rawValue) \(m.layerSizes.map(String.init).joined(separator: " → ")) (\(m.dtype)), "
                + "file \(modelPath)"),
            ("activation", "\(m.activation), output \(m.outActivation), loss \(m.loss)"),
            ("scaling", m.scaler.rawValue + (model.targetScaler != nil ? "; target standardized" : "")),
        ]
        if let targets = sets.first?.table.targetNames, targets.count > 1 {
            let kind = m.estimator == .classifier ? "labels" : "targets"
            summary.insert(("targets", "\(targets.count) \(kind): \(Output.quotedList(targets))"), at: 1)
        }
        if let stop = header.stop { summary.append(("stop reason", stop)) }
        summary.append(("n_iter", String(m.nIter)))
        if let converged = header.converged { summary.append(("converged", converged ? "yes" : "no")) }
        if let loss = header.finalLoss { summary.append(("final loss", Output.fixed(loss, 6))) }
        if let seconds = header.seconds { summary.append(("fit time", Output.seconds(seconds))) }
        summary.append(("warnings", header.warnings.isEmpty ? "none" : header.warnings.joined(separator: "; ")))
        // Each parameter as scikit-learn's repr writes it, from the one schema.
        let specs = ParameterSchema.specs(for: m.estimator).sorted { $0.sklearnName < $1.sklearnName }
        let defaults = MLPParameters()
        let changed = specs.filter { $0.value(in: m.parameters) != $0.value(in: defaults) }
        let unchanged = specs.filter { $0.value(in: m.parameters) == $0.value(in: defaults) }
        func listed(_ specs: [ParameterSpec]) -> String {
            specs.map { "\($0.sklearnName)=\($0.value(in: m.parameters).pythonRepr)" }.joined(separator: ", ")
        }
        summary.append(("parameters changed from the defaults", changed.isEmpty ? "none" : listed(changed)))
        summary.append(("other parameters (defaults)", listed(unchanged)))

        let reportSets = try sets.map { try reportSet($0, pipeline: pipeline) }
        let (boundary, note) = try decisionBoundary(m, pipeline: pipeline, set: boundarySet ?? sets[0])
        let lossCurve = m.parameters.solver == .lbfgs ? [] : m.lossCurve ?? []
        var bestEpoch: Int?
        if let scores = m.validationScores, let best = scores.max() {
            bestEpoch = scores.firstIndex(of: best).map { $0 + 1 }
        } else if let best = lossCurve.min() {
            bestEpoch = lossCurve.firstIndex(of: best).map { $0 + 1 }
        }
        return HTMLReport.render(ReportData(
            title: title, summary: summary, highlightedSummaryKeys: ["parameters changed from the defaults"],
            lossCurve: lossCurve, validationLossCurve: m.validationLossCurve, validationScores: m.validationScores,
            bestEpoch: bestEpoch, sets: reportSets, decisionBoundary: boundary, decisionBoundaryNote: note))
    }

    /// The set's metrics with the per-row probabilities or predictions its plots need.
    private static func reportSet(_ set: EvaluatedSet, pipeline: MLPPipeline) throws -> ReportSet {
        let x = Matrix(rows: set.table.rowCount, columns: set.table.featureCount, storage: set.table.features)
        switch set.evaluation {
        case .classification(let report, let truth):
            let p = try cli { try pipeline.predictProbabilities(features: x) }
            return ReportSet(name: set.name, classification: report, trueClasses: truth, probabilities: p.storage)
        case .regression(let report):
            let values = try cli { try pipeline.predictValues(features: x) }
            return ReportSet(name: set.name, regression: report, actual: set.table.targetValues, predicted: values.storage,
                             targetNames: report.perOutput == nil ? [] : set.table.targetNames)
        case .multilabel(let report):
            let truth = try cli { try MultilabelTargets.indicators(of: set.table) }
            let predicted = try cli { try pipeline.predictMultilabel(set.table) }
            let p = try cli { try pipeline.predictProbabilities(features: x) }
            return ReportSet(name: set.name, multilabel: report, actual: truth, predicted: predicted.storage,
                             probabilities: p.storage)
        }
    }

    /// The decision regions of a classifier on its two features, or on the plane of the two leading principal
    /// components of the standardized features (through their mean) when it has more.
    private static func decisionBoundary(_ m: ModelMetadata, pipeline: MLPPipeline, set: EvaluatedSet) throws
        -> (DecisionBoundary?, String?) {
        guard let classes = m.classes, let truth = set.evaluation.trueClassIndices, set.table.featureCount >= 2 else {
            return (nil, nil)
        }
        let names = classes.map(\.description)
        let d = set.table.featureCount
        if d == 2 {
            let b = try DecisionBoundary.compute(features: set.table.features, classes: truth, classNames: names,
                                                 featureNames: set.table.featureNames) { grid in
                try cli { try pipeline.predictClassIndices(features: Matrix(rows: grid.count / 2, columns: 2, storage: grid)) }
            }
            return (b, nil)
        }
        let pca = PrincipalComponents(features: set.table.features, featureCount: d)
        var projected: [Double] = []
        for r in 0..<set.table.rowCount {
            let (a, b) = pca.project(set.table.row(r))
            projected += [a, b]
        }
        let share = pca.explainedVarianceRatio.map { String(format: "%.0f%%", 100 * $0) }
        let boundary = try DecisionBoundary.compute(
            features: projected, classes: truth, classNames: names,
            featureNames: ["principal component 1 (\(share[0]) of variance)", "principal component 2 (\(share[1]))"],
            resolution: 80) { grid in
            var features: [Double] = []
            features.reserveCapacity(grid.count / 2 * d)
            for i in stride(from: 0, to: grid.count, by: 2) { features += pca.point(grid[i], grid[i + 1]) }
            return try cli { try pipeline.predictClassIndices(features: Matrix(rows: grid.count / 2, columns: d, storage: features)) }
        }
        let note = "The model has \(d) features: the regions are its predictions on the plane of the two leading "
            + "principal components of the standardized \(set.name) features, through their mean; points are the "
            + "\(set.name) rows projected onto it. Rows far from that plane may be classified differently from "
            + "the region they fall in."
        return (boundary, note)
    }
}
