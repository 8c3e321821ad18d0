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
    @OptionGroup var resources: ResourceOptions

    func validate() throws {
        _ = try estimator.parameters(regression: regression)
        guard ["float64", "float32"].contains(dtype) else {
            throw ValidationError("The 'dtype' parameter must be a str among {'float64', 'float32'}. Got '\(dtype)' instead.")
        }
        if output.isEmpty || output.hasSuffix("/") { throw ValidationError("--output needs a file name") }
        if report == output { throw ValidationError("--report and --output name the same file") }
    }

    func run() throws {
        // The library prints nothing: --verbose lines come from the progress reporter.
        let parameters = try estimator.parameters(regression: regression)
        let progress = ProgressReporter(quiet: outputOptions.quiet, verbose: outputOptions.verbose)
        // Every output is checked before any work; a warm start rewrites its own model on purpose.
        try Output.checkWritable(output, option: "--output", inputs: [data.data])
        try Output.checkWritable(report, option: "--report", inputs: [data.data, output])

        let pipeline: MLPPipeline
        if parameters.warmStart && FileManager.default.fileExists(atPath: output) {
            pipeline = try cli { try loadModel(output).pipeline() }
            if pipeline.isClassifier == regression {
                throw CLIError(.usage, "--warm-start: \(output) holds an \(pipeline.isClassifier ? "MLPClassifier" : "MLPRegressor"); "
                               + (regression ? "drop --regression" : "add --regression"))
            }
        } else {
            pipeline = MLPPipeline(estimator: newEstimator(parameters), scaling: scale)
        }
        let table = try data.read(targetKind: regression ? .numeric : .labels, targetIsOptional: false,
                                  defaultTarget: pipeline.targetName, encoding: pipeline.encoding)
        guard table.targetName != nil else { throw CLIError(.usage, "give the target column with --target") }
        if pipeline.isFitted {
            // After reading, so that data the model cannot take at all (other columns) is named first.
            try WarmStartCheck.refuseChanges(of: pipeline, in: output, to: parameters, scaling: scale, dtype: dtype)
            try WarmStartCheck.refuseOtherClasses(of: pipeline, table: table)
            pipeline.parameters = parameters
        }
        try resources.checkTraining(table: table, parameters: parameters, regression: regression, dtype: dtype)
        if dtype == "float32" { try Float32Range.check(table) }

        let start = DispatchTime.now().uptimeNanoseconds
        func elapsed() -> Double { Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }
        pipeline.onEpoch = { report in
            progress.epoch(EpochEvent(epoch: report.epoch, maxEpochs: report.maxIter, loss: report.loss,
                                      validationScore: report.validationScore, elapsed: elapsed()))
            return Signals.stopRequested ? .stop : .continue
        }
        do {
            defer { progress.finish() }
            try Signals.duringTraining(stoppable: parameters.solver != .lbfgs) { try pipeline.fit(table) }
        } catch let error as MLPError {
            switch error {
            // The command checked every parameter before reading data, so what the estimator still refuses
            // depends on the data (e.g. an early-stopping split of too few rows): exit 1, naming the data.
            case .diverged: throw CLIError(.training, error.description + " No model was written.")
            default: throw CLIError(.data, "\(table.source): \(LabelMessages.naming(error.description, table: table))")
            }
        } catch {
            throw CLIError.wrap(error)
        }
        let fitSeconds = elapsed()
        var model = try cli { try MLPModel(pipeline: pipeline) }
        let interrupted = Signals.stopRequested
        if interrupted { model.metadata.interruptedAtEpoch = model.metadata.nIter }
        let m = model.metadata
        let lossCurve = m.lossCurve ?? []
        if let bad = lossCurve.firstIndex(where: { !$0.isFinite }) {
            throw CLIError(.training, "non-finite loss at epoch \(bad + 1); no model written. Scale the data "
                           + "(--scale standard) or lower --learning-rate-init")
        }
        // The model and the report are written together at the end, or neither.
        let files = StagedFiles()
        try files.stage(try cli { try model.modelFile().encoded() }, to: output)
        let warnings = pipeline.estimator.perceptron.warnings
        for warning in warnings where warning.kind != .convergence { progress.warn(warning.message) }
        let converged = !warnings.contains { $0.kind == .convergence }
        if !converged && !interrupted {
            progress.warn("Maximum iterations (\(parameters.maxIter)) reached and the optimization hasn't converged yet.")
        }

        let evaluation = try cli { try pipeline.evaluate(table) }
        let trainScore = evaluation.score
        if let report {
            let page = try ReportBuilder.page(title: "mlp train: \(table.source)", model: model, pipeline: pipeline,
                                              modelPath: output, table: table, evaluation: evaluation,
                                              extraSummary: [("fit time", String(format: "%.3f s", fitSeconds))])
            try files.stage(page, to: report)
        }
        if outputOptions.json {
            try Output.printJSON(TrainJSON(
                n_iter: m.nIter, loss: lossCurve.last, loss_curve: lossCurve, validation_scores: m.validationScores,
                best_validation_score: m.validationScores?.max(), train_score: trainScore, seconds: fitSeconds,
                converged: converged, model: output))
        } else if !outputOptions.quiet {
            var lines = ["trained \(m.estimator.rawValue) \(m.layerSizes.map(String.init).joined(separator: " → ")) on "
                         + "\(table.rowCount) rows in \(String(format: "%.2f", fitSeconds)) s, \(m.nIter) iterations"]
            if let last = lossCurve.last { lines.append("final loss \(String(format: "%.6f", last))") }
            lines.append("training \(regression ? "R²" : "accuracy") \(Output.fixed(trainScore))")
            lines.append("model written to \(output)" + (report.map { ", report to \($0)" } ?? ""))
            try Output.print(lines.joined(separator: "\n"))
        }
        // Last, so that lost standard output also leaves no file behind.
        try files.commit()
        if interrupted {
            Output.diagnostic(Output.terminalSafe("mlp: interrupted after epoch \(m.nIter): the model so far was written to "
                                                  + output + (report.map { ", the report to \($0)" } ?? "")) + "\n")
            throw ExitCode(130)
        }
    }

    /// The estimator --regression and --dtype ask for (the regression loss is one of the parameters).
    private func newEstimator(_ parameters: MLPParameters) -> PipelineEstimator {
        let float32 = dtype == "float32"
        if regression {
            return float32 ? .floatRegressor(MLPRegressor(parameters: parameters))
                : .regressor(MLPRegressor(parameters: parameters))
        }
        return float32 ? .floatClassifier(MLPClassifier(parameters: parameters))
            : .classifier(MLPClassifier(parameters: parameters))
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
