import ArgumentParser
import Foundation
import MLP
import MLPModelFile

/// `mlp train DATA.csv --target COLUMN`: fit an MLPClassifier (or MLPRegressor) and write a model file.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train an MLP classifier (or regressor) on a CSV file and write a model file.",
        discussion: """
        Every scikit-learn MLPClassifier/MLPRegressor parameter is a kebab-case option with sklearn's default \
        (--hidden-layer-sizes 100,50 --activation relu --solver adam --alpha 1e-4 ...). Features must be numeric \
        unless one-hot encoded; missing values are an error unless imputed.
        """)

    /// The estimator boundary; see TrainingBackend.swift.
    nonisolated(unsafe) static var backend: TrainingBackend = EstimatorBackend()

    @OptionGroup var data: DataOptions
    @OptionGroup(title: "Estimator (scikit-learn parameters)") var estimator: EstimatorOptions

    @Flag(help: "Fit an MLPRegressor (numeric target) instead of an MLPClassifier.")
    var regression = false
    @Option(help: ArgumentHelp("Feature scaling fitted on the training data: standard, minmax or none.", valueName: "kind"))
    var scale: ScalerKind = .standard
    @Option(help: ArgumentHelp("Element type of the network: float64 (as scikit-learn) or float32.", valueName: "type"))
    var dtype: String = "float64"
    @Option(name: [.short, .long], help: ArgumentHelp("Where to write the model.", valueName: "model"))
    var output = "model.mlp"
    @Option(help: ArgumentHelp("Also write an HTML report: loss curve, confusion matrix, decision boundary.", valueName: "file"))
    var report: String?
    @OptionGroup var outputOptions: OutputOptions

    func validate() throws {
        _ = try estimator.parameters(regression: regression)
        guard DType(rawValue: dtype) != nil else {
            throw ValidationError("The 'dtype' parameter must be a str among {'float64', 'float32'}. Got '\(dtype)' instead.")
        }
        if output.isEmpty || output.hasSuffix("/") { throw ValidationError("--output needs a file name") }
        if report == output { throw ValidationError("--report and --output name the same file") }
    }

    func run() throws {
        var parameters = try estimator.parameters(regression: regression)
        parameters.verbose = outputOptions.verbose
        let progress = ProgressReporter(quiet: outputOptions.quiet, verbose: outputOptions.verbose)

        var initialModel: MLPModel?
        if parameters.warmStart && FileManager.default.fileExists(atPath: output) {
            initialModel = try loadModel(output)
        }
        let table = try data.read(targetKind: regression ? .numeric : .labels, targetIsOptional: false,
                                  defaultTarget: initialModel?.metadata.targetName, encoding: initialModel?.metadata.encoding)
        guard table.targetName != nil else { throw CLIError(.usage, "give the target column with --target") }
        var labels: ClassLabels?
        if !regression {
            labels = try cli {
                do { return try ClassLabels(table.targetLabels, column: table.targetName, lines: table.lines) } catch let error as DataError {
                    throw error.at(file: table.source)
                }
            }
            if labels!.classes.count < 2 {
                throw CLIError(.data, "\(table.source): the target column '\(table.targetName ?? "")' has only one class "
                               + "('\(labels!.classes.first ?? "")'); a classifier needs at least two")
            }
        }
        if let initial = initialModel {
            try checkWarmStart(initial, table: table, labels: labels)
        }
        let request = TrainingRequest(
            parameters: parameters, isRegression: regression, dtype: DType(rawValue: dtype)!, scale: scale,
            features: table.features, rowCount: table.rowCount, featureNames: table.featureNames,
            classIndices: labels?.indices, classes: labels?.classes, targets: regression ? table.targetValues : nil,
            targetName: table.targetName, encoding: table.encoding, initialModel: initialModel,
            sourceName: table.source)

        let result: TrainingResult
        do {
            defer { progress.finish() }
            result = try cli { try Self.backend.train(request, progress: progress.epoch) }
        }
        var model = result.model
        // The command owns what describes the data; the backend owns weights and training facts.
        model.metadata.featureNames = table.featureNames
        model.metadata.encoding = table.encoding
        model.metadata.targetName = table.targetName
        model.metadata.classes = labels?.classes
        model.metadata.parameters = try JSONDecoder().decode([String: JSONValue].self, from: JSONEncoder().encode(parameters))
        try cli { try model.validate() }
        if let bad = model.metadata.lossCurve.firstIndex(where: { !$0.isFinite }) {
            throw CLIError(.training, "non-finite loss at epoch \(bad + 1); no model written. Scale the data "
                           + "(--scale standard) or lower --learning-rate-init")
        }
        try cli { try model.write(to: output) }
        for warning in result.warnings { progress.warn(warning) }
        if !result.converged {
            progress.warn("Maximum iterations (\(parameters.maxIter)) reached and the optimization hasn't converged yet.")
        }

        let evaluation = try Evaluation(model: model, table: table)
        let trainScore = evaluation.classification?.accuracy ?? evaluation.regression!.r2
        if let report {
            let page = try ReportBuilder.page(title: "mlp train: \(table.source)", model: model, modelPath: output,
                                          table: table, evaluation: evaluation,
                                          extraSummary: [("fit time", String(format: "%.3f s", result.fitSeconds))])
            try Output.write(page, to: report)
        }
        let m = model.metadata
        if outputOptions.json {
            try Output.printJSON(TrainJSON(
                n_iter: m.nIter, loss: m.lossCurve.last, loss_curve: m.lossCurve, validation_scores: m.validationScores,
                best_validation_score: m.validationScores?.max(), train_score: trainScore, seconds: result.fitSeconds,
                converged: result.converged, model: output))
        } else if !outputOptions.quiet {
            var lines = ["trained \(m.estimator.rawValue) \(m.layerSizes.map(String.init).joined(separator: " → ")) on "
                         + "\(table.rowCount) rows in \(String(format: "%.2f", result.fitSeconds)) s, \(m.nIter) iterations"]
            if let last = m.lossCurve.last { lines.append("final loss \(String(format: "%.6f", last))") }
            lines.append("training \(regression ? "R²" : "accuracy") \(Output.fixed(trainScore))")
            lines.append("model written to \(output)" + (report.map { ", report to \($0)" } ?? ""))
            print(lines.joined(separator: "\n"))
        }
    }

    /// --warm-start continues an existing model: the data must have its features and (a subset of) its classes.
    private func checkWarmStart(_ model: MLPModel, table: DataTable, labels: ClassLabels?) throws {
        let m = model.metadata
        if (m.estimator == .regressor) != regression {
            throw CLIError(.usage, "--warm-start: \(output) holds an \(m.estimator.rawValue); "
                           + (regression ? "drop --regression" : "add --regression"))
        }
        guard m.featureNames == table.featureNames else {
            throw CLIError(.data, "--warm-start: X has \(table.featureCount) features (\(table.featureNames.prefix(5).joined(separator: ", "))), "
                           + "but the model at \(output) expects \(m.featureNames.count) (\(m.featureNames.prefix(5).joined(separator: ", ")))")
        }
        if let labels, let classes = m.classes, let unseen = labels.classes.first(where: { !classes.contains($0) }) {
            throw CLIError(.data, "--warm-start: label '\(unseen)' is not one of the model's classes (\(classes.joined(separator: ", ")))")
        }
    }
}

/// `mlp train --json`: stable keys, documented in docs/cli.md.
struct TrainJSON: Encodable {
    var n_iter: Int
    var loss: Double?
    var loss_curve: [Double]
    var validation_scores: [Double]?
    var best_validation_score: Double?
    var train_score: Double
    var seconds: Double
    var converged: Bool
    var model: String
}
