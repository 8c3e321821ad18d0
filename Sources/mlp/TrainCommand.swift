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
        unless one-hot encoded; missing values are an error unless imputed. With --test-size the rows scikit-learn's \
        train_test_split would hold out are scored apart (stratified for a classifier); encoders and scalers are \
        fitted on the training rows only.
        """)

    @OptionGroup var data: DataOptions
    @OptionGroup var encoding: EncodingOptions
    @OptionGroup var training: TrainingOptions
    @OptionGroup(title: "Estimator (scikit-learn parameters)") var estimator: EstimatorOptions

    @Option(name: .customLong("test-size"),
            parsing: .unconditional,
            help: ArgumentHelp("Hold out this fraction of the rows (0.25), or this many rows (100), as a test set, as "
                               + "train_test_split(test_size=F, stratify=y for a classifier) does.", valueName: "F|N"))
    var testSize: TestSize?
    @Option(name: .customLong("split-random-state"),
            help: ArgumentHelp("random_state of the test split (default: --random-state; random without one).",
                               valueName: "N"))
    var splitRandomState: Int?
    @Option(name: [.short, .customLong("output")], help: ArgumentHelp("Where to write the model (default model.mlp).",
                                                                      valueName: "model"))
    var outputPath: String?
    /// The model's path: --output, else model.mlp in the current folder (said on standard error with --json).
    var output: String { outputPath ?? "model.mlp" }
    @Option(help: ArgumentHelp("Also write an HTML report: header, loss curves, metrics per set, ROC/PR/calibration, "
                               + "decision boundary.", valueName: "file"))
    var report: String?
    @OptionGroup var outputOptions: OutputOptions
    @OptionGroup var verbosity: VerboseOption
    @Flag(help: "Data-parallel training under mpirun (Open MPI): the same model as one process; see docs/distributed.md.")
    var distributed = false
    @OptionGroup var resources: ResourceOptions
    @OptionGroup(title: "Out of core (docs/out-of-core.md)") var streaming: StreamingFlags

    func validate() throws {
        _ = try estimator.parameters(regression: training.regression)
        try training.validate(with: estimator)
        if output.isEmpty || output.hasSuffix("/") { throw ValidationError("--output needs a file name") }
        if report == output { throw ValidationError("--report and --output name the same file") }
        if let problem = testSize?.problem { throw ValidationError(problem) }
        if splitRandomState != nil && testSize == nil { throw ValidationError("--split-random-state needs --test-size") }
        if outputOptions.quiet && verbosity.verbose { throw ValidationError("--quiet and --verbose cannot be used together") }
    }

    func run() throws {
        if distributed { return try runDistributed() }
        // The library prints nothing: --verbose lines come from the progress reporter.
        let parameters = try estimator.parameters(regression: training.regression)
        if let source = try streamSource(parameters) { return try runStreamed(source, parameters: parameters) }
        try trainInMemory(parameters, job: nil)
    }

    /// `mlp train` on a table read into memory; with a `job`, as one rank of a data-parallel run: the steps that
    /// may fail on some ranks only are agreed, and only rank 0 writes and prints.
    func trainInMemory(_ parameters: MLPParameters, job: DistributedJob?) throws {
        let primary = job?.isPrimary ?? true
        let progress = ProgressReporter(quiet: outputOptions.quiet || !primary, verbose: verbosity.verbose,
                                        iterationWord: parameters.solver == .lbfgs ? "iteration" : "epoch")
        let regression = training.regression
        // Every rank splits alike: rank 0's random seed when none is given (a collective, so outside the steps).
        let splitSeed = try testSize.map { _ in
            try job.shared(splitRandomState ?? parameters.randomState ?? Int.random(in: 0..<(1 << 31)))
        }
        let (pipeline, table, split) = try job.step { () throws -> (MLPPipeline, DataTable, HeldOutSplit?) in
            // Every output is checked before any work; a warm start rewrites its own model on purpose.
            if primary {
                try Output.checkWritable(output, option: "--output", inputs: [data.data], binary: true)
                try Output.checkModelFileName(output)
                try Output.checkWritable(report, option: "--report", inputs: [data.data, output])
            }

            let pipeline: MLPPipeline
            if parameters.warmStart && FileManager.default.fileExists(atPath: output) {
                pipeline = try cli { try loadModel(output).pipeline() }
                if pipeline.isClassifier == regression {
                    throw CLIError(.usage, "--warm-start: \(output) holds an \(pipeline.isClassifier ? "MLPClassifier" : "MLPRegressor"); "
                                   + (regression ? "drop --regression" : "add --regression"))
                }
            } else {
                pipeline = training.newPipeline(parameters)
            }
            let learning = pipeline.encoding == nil ? encoding : nil
            let targetKind: TargetKind = regression ? .numeric : .labels
            var table = try data.read(targetKind: targetKind, targetIsOptional: false, defaultTargets: pipeline.targetNames,
                                      encoding: pipeline.encoding, learning: learning,
                                      maxMemoryBytes: resources.maxMemoryBytes)
            guard table.targetName != nil else { throw CLIError(.usage, "give the target column with --target") }
            if !regression, let note = TargetCheck.continuousTargetNote(table) { progress.warn(note) }
            if regression, training.scaleTarget == nil, pipeline.encoding == nil || !parameters.warmStart,
               let note = TargetCheck.unscaledTargetNote(table) {
                progress.warn(TrainMonitor.line(.unscaledTarget, note, fix: []))
            }

            if pipeline.isFitted {
                // After reading, so that data the model cannot take at all (other columns) is named first.
                try WarmStartCheck.refuseChanges(of: pipeline, in: output, to: parameters, scaling: training.scale, dtype: training.dtype)
                try WarmStartCheck.refuseOtherClasses(of: pipeline, table: table)
                pipeline.parameters = parameters
            }
            try resources.checkTraining(table: table, parameters: parameters, regression: regression, dtype: training.dtype)
            if training.dtype == "float32" { try Float32Range.check(table) }

            var split: HeldOutSplit?
            if let testSize, let seed = splitSeed {
                let made = try HeldOutSplit(table: table, testSize: testSize, stratify: !regression, randomState: seed)
                if learning?.learnsFromRows == true {
                    // Categories and imputation statistics from the training rows only, as a fitted pipeline learns them.
                    table = try data.read(targetKind: targetKind, targetIsOptional: false, defaultTargets: pipeline.targetNames,
                                          encoding: nil, learning: learning, encodingRows: made.train,
                                          maxMemoryBytes: resources.maxMemoryBytes)
                }
                split = made
            }
            return (pipeline, table, split)
        }
        let trainTable = split.map { table.rows(at: $0.train) } ?? table
        let testTable = split.map { table.rows(at: $0.test) }

        let start = DispatchTime.now().uptimeNanoseconds
        func elapsed() -> Double { Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }
        var epochSeconds: [Double] = []
        pipeline.onEpoch = { report in
            epochSeconds.append(elapsed())
            progress.epoch(EpochEvent(epoch: report.epoch, maxEpochs: report.maxIter, loss: report.loss,
                                      validationScore: report.validationScore, elapsed: elapsed()))
            return Signals.stopRequested ? .interrupted : .continue
        }
        // Training errors (divergence, a too-small validation split) come from the same numbers on every rank.
        try job.step { () throws -> Void in
            do {
                defer { progress.finish() }
                // A stop between epochs is one rank's; a data-parallel run cannot stop early on its own.
                try job.training {
                    try Signals.duringTraining(stoppable: job == nil && parameters.solver != .lbfgs) { try pipeline.fit(trainTable) }
                }
            } catch let error as MLPError {
                if let failure = try divergence(of: pipeline.estimator, error: error, parameters: parameters,
                                                primary: primary) { throw failure }
                // The command checked every parameter before reading data, so what the estimator still refuses
                // depends on the data (e.g. an early-stopping split of too few rows): exit 1, naming the data.
                throw CLIError(.data, "\(table.source): \(TargetCheck.withOption(error.description))")
            } catch {
                throw CLIError.wrap(error)
            }
            if let failure = try divergence(of: pipeline.estimator, parameters: parameters, primary: primary) { throw failure }
        }
        let fitSeconds = elapsed()
        try job?.checkSameModel(pipeline)
        // Rank 0 writes and prints; its failure is every rank's.
        try job.step { () throws -> Void in
            guard primary else { return }
            // The model and the report are written together at the end, or neither.
            let files = StagedFiles()
            let fit = try finish(pipeline, parameters: parameters, progress: progress, files: files)
            let (model, m, lossCurve, warnings, converged, stop, interrupted) = (fit.model, fit.model.metadata, fit.lossCurve,
                                                                                fit.warnings, fit.converged, fit.stop,
                                                                                fit.interrupted)
            if outputOptions.json && outputPath == nil {
                progress.note("the model goes to \(output) in the current folder (--output to choose)")
            }

            let trainEvaluation = try cli { try pipeline.evaluate(trainTable) }
            try refuseUndefinedScore(trainEvaluation.score, rows: trainTable.rowCount)
            let testEvaluation = try testTable.map { t in try cli { try pipeline.evaluate(t) } }
            let earlyStopping = pipeline.estimator.perceptron.earlyStoppingRows
            let validationTable = earlyStopping.map { trainTable.rows(at: $0.validationRows) }
            let validationEvaluation = try validationTable.map { t in try cli { try pipeline.evaluate(t) } }
            let finalLoss = parameters.solver == .lbfgs ? m.finalLoss : lossCurve.last ?? m.finalLoss
            var page: String?
            if report != nil {
                var sets = [EvaluatedSet(name: "training", table: trainTable, evaluation: trainEvaluation)]
                if let earlyStopping, let validationTable, let validationEvaluation {
                    let fitRows = trainTable.rows(at: earlyStopping.trainingRows)
                    sets = [EvaluatedSet(name: "training", table: fitRows, evaluation: try cli { try pipeline.evaluate(fitRows) }),
                            EvaluatedSet(name: "validation", table: validationTable, evaluation: validationEvaluation)]
                }
                if let testTable, let testEvaluation {
                    sets.append(EvaluatedSet(name: "test", table: testTable, evaluation: testEvaluation))
                }
                let header = RunHeader(data: table.source, rows: table.rowCount, stop: stop.text, converged: converged,
                                       warnings: warnings.map(\.message), seconds: fitSeconds, finalLoss: finalLoss,
                                       split: split.map { "test_size=\(testSize!), random_state=\($0.randomState)" })
                page = try ReportBuilder.page(title: "mlp train: \(table.source)", model: model, pipeline: pipeline,
                                              modelPath: output, header: header, sets: sets,
                                              boundarySet: EvaluatedSet(name: "training", table: trainTable,
                                                                        evaluation: trainEvaluation))
            }
            // The summary is staged with the files: it is printed once they are written (StagedFiles.commit).
            if outputOptions.json {
                try files.stage(Output.json(TrainJSON(
                    n_iter: m.nIter, loss: finalLoss, loss_curve: lossCurve, validation_scores: m.validationScores,
                    validation_loss_curve: m.validationLossCurve, best_validation_score: m.bestValidationScore,
                    train_score: trainEvaluation.score, train_metrics: trainEvaluation.json(targetNames: table.targetNames),
                    validation_metrics: validationEvaluation?.json(targetNames: table.targetNames),
                    test_score: testEvaluation?.score, test_metrics: testEvaluation?.json(targetNames: table.targetNames),
                    test_size: testSize, split_random_state: split?.randomState, train_rows: trainTable.rowCount,
                    test_rows: testTable?.rowCount, seconds: fitSeconds, epoch_seconds: epochSeconds, converged: converged,
                    stop_reason: stop.text, model: output)), to: nil)
            } else if !outputOptions.quiet {
                let scoreName = Self.scoreName(regression: regression, targets: table.targetCount)
                var lines = ["trained \(m.estimator.rawValue) \(m.layerSizes.map(String.init).joined(separator: " → ")) on "
                             + "\(trainTable.rowCount) rows in \(Output.seconds(fitSeconds)), \(m.nIter) \(stop.unit)s"]
                if let finalLoss { lines.append("final loss \(Output.fixed(finalLoss, 6))") }
                let trainNote = parameters.earlyStopping ? " (on the training rows, the early-stopping validation rows included)" : ""
                lines.append("training \(scoreName) \(Output.fixed(trainEvaluation.score))\(trainNote)")
                if let best = m.bestValidationScore {
                    lines.append("validation \(scoreName) \(Output.fixed(best)) (best epoch, early stopping's "
                                 + "\(Output.fixed(parameters.validationFraction, 2)) of the training rows)")
                }
                if let validationEvaluation, let validationTable {
                    lines.append("validation \(scoreName) \(Output.fixed(validationEvaluation.score)) with the final weights "
                                 + "on those \(validationTable.rowCount) rows")
                }
                if let testEvaluation, let split {
                    lines.append("test \(scoreName) \(Output.fixed(testEvaluation.score)) on \(split.test.count) held-out rows "
                                 + "(split random state \(split.randomState))")
                    if let r = testEvaluation.regression {
                        lines.append("test MAE \(Output.significant(r.meanAbsoluteError)), RMSE \(Output.significant(r.rootMeanSquaredError))")
                    }
                }
                lines.append("model written to \(output)" + (report.map { ", report to \($0)" } ?? ""))
                try files.stage(lines.joined(separator: "\n") + "\n", to: nil)
            }
            if let page { try files.stage(page, to: report) }
            try files.commit()
            if interrupted {
                Output.diagnostic(Output.terminalLine("mlp: interrupted after epoch \(m.nIter): the model so far was written to "
                                                      + output + (report.map { ", the report to \($0)" } ?? "")) + "\n")
                throw ExitCode(130)
            }
        }
    }
}

/// What a finished fit left: the model (staged), its loss curve, warnings and why it stopped.
struct FinishedFit {
    var model: MLPModel
    var lossCurve: [Double]
    var warnings: [MLPWarning]
    var converged: Bool
    var stop: StopReason
    var interrupted: Bool
}

extension TrainCommand {
    /// Makes the model of a fit and stages it in `files`; refuses a non-finite loss curve, prints the warnings and
    /// the stop reason.
    func finish(_ pipeline: MLPPipeline, parameters: MLPParameters, progress: ProgressReporter,
                files: StagedFiles) throws -> FinishedFit {
        var model = try cli { try MLPModel(pipeline: pipeline) }
        let interrupted = Signals.stopRequested
        if interrupted { model.metadata.interruptedAtEpoch = model.metadata.nIter }
        let m = model.metadata
        // L-BFGS records no per-epoch curve; a curve left from an earlier adam/sgd fit is not this run's.
        let lossCurve = parameters.solver == .lbfgs ? [] : m.lossCurve ?? []
        if let bad = lossCurve.firstIndex(where: { !$0.isFinite }) {
            throw CLIError(.training, "non-finite loss at epoch \(bad + 1); no model written. Scale the data "
                           + "(--scale standard) or lower --learning-rate-init")
        }
        try files.stage(try cli { try model.modelFile().encoded() }, to: output)
        let warnings = pipeline.estimator.perceptron.warnings
        for line in TrainMonitor.lines(warnings, parameters: parameters, scaling: training.scale) { progress.warn(line) }
        // A run stopped by Ctrl-C ended before its stopping rule could say anything: it did not converge.
        let converged = !interrupted && !warnings.contains { $0.kind == .convergence || $0.kind == .divergence }
        var stop = StopReason(metadata: m, converged: converged)
        if let reason = pipeline.estimator.stopReason { stop.text = reason }
        progress.note("stopped after \(m.nIter) \(stop.unit)s: \(stop.text)")
        return FinishedFit(model: model, lossCurve: lossCurve, warnings: warnings, converged: converged, stop: stop,
                           interrupted: interrupted)
    }

    /// Refuses (exit 1, nothing written) a model whose training score is NaN over two rows or more, which only
    /// outputs that are not finite make it: a regressor's predictions restored to a target near 1e308 can overflow
    /// although the fit in standard units went well. A model that cannot predict its own training rows is no success.
    func refuseUndefinedScore(_ score: Double?, rows: Int) throws {
        guard let score, score.isNaN, rows >= 2 else { return }
        let fixes = (training.scale == .none ? ["scale the features (--scale standard)"] : [])
            + (training.regression ? ["bring the target nearer to unit scale (divide it by a power of ten)"] : [])
        throw CLIError(.training, "the model's predictions on the training rows are not all finite, so its training "
                       + "score is undefined; no model was written"
                       + (fixes.isEmpty ? "" : ". Fix: " + fixes.joined(separator: "; ")))
    }

    /// The failure of a fit that blew up, or nil when it did not; in memory and streamed alike. A blow-up is the
    /// fit's `MLPError.diverged` (`error`) or, with early stopping, its `.divergence` warning (it kept the
    /// best-validation weights, but a run that blew up is not a model to ship). The primary process prints the stop
    /// reason (with --json the curve so far); the failure (exit 1) comes before anything is written.
    func divergence(of estimator: PipelineEstimator, error: MLPError? = nil, parameters: MLPParameters,
                    primary: Bool) throws -> (any Error)? {
        let warning = estimator.perceptron.warnings.first { $0.kind == .divergence }
        var thrown: MLPError?
        if let error, case .diverged = error { thrown = error }
        guard let detail = estimator.stopReason ?? warning?.message ?? thrown?.description,
              thrown != nil || warning != nil else { return nil }
        guard primary else { return ExitCode(1) }
        let fix = TrainMonitor.fix(.explodingGradient, parameters: parameters, scaling: training.scale)
        if outputOptions.json {
            let perceptron = estimator.perceptron
            try Output.printJSON(DivergedTrainJSON(
                n_iter: perceptron.nIter, loss_curve: (perceptron.lossCurve ?? []).map { $0.isFinite ? $0 : nil },
                stop_reason: detail, fix: fix))
        }
        return CLIError(.training, TrainMonitor.line(.explodingGradient, detail + " No model was written.", fix: fix))
    }
}

/// `mlp train --json`: stable keys, documented in docs/cli.md.
struct TrainJSON: Encodable {
    var n_iter: Int
    var loss: Double?
    var loss_curve: [Double]
    var validation_scores: [Double]?
    var validation_loss_curve: [Double]?
    var best_validation_score: Double?
    /// Absent for a streamed fit, which does not pass over the rows again.
    var train_score: Double?
    var train_metrics: AnyEncodable?
    var validation_metrics: AnyEncodable?
    var test_score: Double?
    var test_metrics: AnyEncodable?
    var test_size: TestSize?
    var split_random_state: Int?
    var train_rows: Int
    var test_rows: Int?
    var seconds: Double
    /// Seconds from the start of the fit to the end of each epoch (sgd, adam).
    var epoch_seconds: [Double] = []
    var converged: Bool
    var stop_reason: String
    /// The cache a streamed fit kept (--cache or an .mlpdata input).
    var cache: String? = nil
    var model: String
}
