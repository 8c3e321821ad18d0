import ArgumentParser
import Foundation
import MLP
import MLPModelFile

/// --stream, --cache and --shuffle-buffer: out-of-core training (docs/out-of-core.md).
struct StreamingFlags: ParsableArguments {
    @Flag(help: ArgumentHelp("Train out of core: one pass writes an .mlpdata cache, the epochs stream it through a "
                             + "bounded shuffle buffer (adam and sgd). Automatic above a memory threshold; "
                             + "DATA.mlpdata always streams."))
    var stream = false
    @Option(help: ArgumentHelp("With --stream: keep the cache of the first pass at this path (default: a temporary "
                               + "file, removed afterwards).", valueName: "file.mlpdata"))
    var cache: String?
    @Option(name: .customLong("shuffle-buffer"),
            help: ArgumentHelp("The streamed rows held and shuffled at a time (default 64M).", valueName: "size"))
    var shuffleBuffer: String?

    func validate() throws {
        if let shuffleBuffer, MemoryEstimate.parseBytes(shuffleBuffer) == nil {
            throw ValidationError("--shuffle-buffer needs a positive size such as 64M or 1G, got '\(shuffleBuffer)'")
        }
        if let cache, cache.isEmpty || !cache.hasSuffix(".mlpdata") {
            throw ValidationError("--cache needs a file name ending in .mlpdata")
        }
    }

    /// The options of the stream.
    var options: StreamingOptions {
        StreamingOptions(bufferBytes: shuffleBuffer.flatMap(MemoryEstimate.parseBytes).map { Int($0) } ?? 64 << 20)
    }
}

extension TrainCommand {
    /// Where a streamed fit reads from.
    enum StreamSource {
        case csv(String)
        case cache(String)
    }

    /// The stream to train from: a .mlpdata file, --stream, or a CSV file above the automatic threshold (announced
    /// on standard error); nil for in-memory training. Throws when streaming was asked for with options it lacks.
    func streamSource(_ parameters: MLPParameters) throws -> StreamSource? {
        let path = data.data
        let explicit = streaming.stream || path?.hasSuffix(".mlpdata") == true
        if !explicit {
            guard streaming.cache == nil else { throw CLIError(.usage, "--cache needs --stream") }
            guard let path, data.dataset == nil, streamRefusal(parameters) == nil,
                  let reason = InputTextSize.readWholeRefusal(csv: path, limit: resources.maxMemoryBytes)
            else { return nil }
            // Said under -q too: the run then behaves as --stream (Scripts/mpi_check.sh counts it once per job).
            Output.diagnostic("mlp: \(path) \(reason); training out of core (--stream, docs/out-of-core.md)\n")
            return .csv(path)
        }
        if let refusal = streamRefusal(parameters) { throw CLIError(.usage, "streamed training: \(refusal)") }
        guard let path else { throw CLIError(.usage, "streamed training reads a CSV or .mlpdata file, not --dataset") }
        if path.hasSuffix(".mlpdata") {
            try data.refuseReadingFlags(forCache: path, learning: encoding, command: "train")
            if streaming.cache != nil { throw CLIError(.usage, "--cache applies to a CSV input; \(path) is a cache") }
            return .cache(path)
        }
        return .csv(path)
    }

    /// Why these options cannot stream, or nil.
    private func streamRefusal(_ p: MLPParameters) -> String? {
        if report != nil { return "--report is not supported (it needs the rows in memory)" }
        if testSize != nil { return "--test-size is not supported; split the file beforehand" }
        if p.solver == .lbfgs { return "--solver lbfgs is not supported; use adam or sgd" }
        if p.warmStart { return "--warm-start is not supported" }
        if encoding.impute == .median { return "--impute median cannot be computed in one pass; use --impute mean" }
        return nil
    }

    /// `mlp train` out of core: the first pass (unless given a cache), the streamed fit, the model. With a `job`,
    /// as one rank of a data-parallel run: with --cache rank 0 makes the cache (a file system all ranks share),
    /// else each rank its own temporary one; every rank reads only its shares of the rows; rank 0 writes and prints.
    func runStreamed(_ source: StreamSource, parameters: MLPParameters, job: DistributedJob? = nil) throws {
        let primary = job?.isPrimary ?? true
        let progress = ProgressReporter(quiet: outputOptions.quiet || !primary, verbose: verbosity.verbose)
        let regression = training.regression
        var temporary: String?
        defer {
            if let temporary {
                try? FileManager.default.removeItem(atPath: temporary)
                AtomicFile.forgetOnSignal(temporary)
            }
        }
        let start = DispatchTime.now().uptimeNanoseconds
        func elapsed() -> Double { Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }
        // A temporary cache is the CSV's first pass: errors name the CSV.
        func named(_ cachePath: String) -> String {
            if case .csv(let csv) = source, temporary != nil { return csv }
            return cachePath
        }
        let cachePath = try job.step { () throws -> String in
            if primary {
                try Output.checkWritable(output, option: "--output", inputs: [data.data, streaming.cache], binary: true)
                try Output.checkModelFileName(output)
            }
            try checkStreamedMemory(features: 1, outputs: 1, rows: nil, parameters: parameters)
            let csv: String
            switch source {
            case .cache(let path): return path
            case .csv(let path): csv = path
            }
            if let cache = streaming.cache {
                try Output.checkWritable(cache, option: "--cache", inputs: [csv, output], binary: true)
                return cache
            }
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("mlp-stream-\(getpid()).mlpdata").path
            temporary = path
            AtomicFile.removeOnSignal(path)
            return path
        }
        if case .csv(let csv) = source {
            // One shared cache is made by rank 0 while the others wait; a temporary one by every rank.
            try job.step { () throws -> Void in
                guard primary || temporary != nil else { return }
                let options = try data.readOptions(targetKind: regression ? .numeric : .labels, learning: encoding)
                _ = try ConvertCommand.firstPass(csv, to: cachePath, options: options)
                progress.note("first pass: \(csv) → \(cachePath) in \(Output.seconds(elapsed()))")
            }
        }
        let file = try job.step { () throws -> MLPDataFile in
            let file = try cli { try MLPDataFile(path: cachePath) }
            let classes = file.schema.classes.count, targets = file.schema.targetCount
            // A buffer row holds each target's value, or one class index.
            try checkStreamedMemory(features: StreamedEncoding(schema: file.schema).featureCount,
                                    outputs: ResourceOptions.outputs(targets: targets, classes: classes, regression: regression),
                                    targetValues: targets, rows: file.rowCount, parameters: parameters)
            return file
        }
        let fitStart = elapsed()
        var epochSeconds: [Double] = []
        // Fitted in place, so that after a blow-up it holds the curve and the stop reason, as in memory.
        let estimator = training.newEstimator(parameters)
        let pipeline = try job.step { () throws -> MLPPipeline in
            let pipeline: MLPPipeline
            do {
                defer { progress.finish() }
                // A stop between epochs is one rank's; a data-parallel run cannot stop early on its own.
                pipeline = try job.training {
                    try Signals.duringTraining(stoppable: job == nil) {
                        try MLPPipeline.fitStreamed(
                            file, estimator: estimator, scaling: training.scale,
                            targetScaling: training.targetScaling, options: streaming.options) { report in
                            epochSeconds.append(elapsed() - fitStart)
                            progress.epoch(EpochEvent(epoch: report.epoch, maxEpochs: report.maxIter, loss: report.loss,
                                                      validationScore: report.validationScore, elapsed: elapsed() - fitStart))
                            return Signals.stopRequested ? .interrupted : .continue
                        }
                    }
                }
            } catch let error as MLPError {
                if let failure = try divergence(of: estimator, error: error, parameters: parameters,
                                                primary: primary) { throw failure }
                throw CLIError(.data, "\(named(cachePath)): \(error.description)")
            } catch var error as DataError {
                if error.file == cachePath { error.file = named(cachePath) }
                throw CLIError.wrap(error)
            } catch {
                throw CLIError.wrap(error)
            }
            // The blow-up rules of an in-memory fit: checked before the scoring pass, and nothing is written.
            if let failure = try divergence(of: estimator, parameters: parameters, primary: primary) { throw failure }
            return pipeline
        }
        let fitSeconds = elapsed() - fitStart
        try job?.checkSameModel(pipeline)
        // The training score: one more pass over the cache (each rank its 1/K of the rows), as the in-memory path
        // scores its training table; not after an interrupt, which wants the model written now.
        let trainScore = job == nil && Signals.stopRequested ? nil : try job.step { () throws -> Double in
            if primary { progress.note("scoring the \(file.rowCount) training rows") }
            return try job.training { try cli { try pipeline.scoreStreamed(file) } }
        }
        // Rank 0 writes and prints; its failure is every rank's.
        try job.step { () throws -> Void in
            guard primary else { return }
            try concludeStreamed(pipeline, parameters: parameters, progress: progress, file: file, trainScore: trainScore,
                                 kept: temporary == nil ? cachePath : nil, fitSeconds: fitSeconds, epochSeconds: epochSeconds)
        }
    }

    /// Stages the model of a streamed fit, prints its summary (or --json) and writes it.
    private func concludeStreamed(_ pipeline: MLPPipeline, parameters: MLPParameters, progress: ProgressReporter,
                                  file: MLPDataFile, trainScore: Double?, kept: String?, fitSeconds: Double,
                                  epochSeconds: [Double]) throws {
        let rows = file.rowCount, scoreName = Self.scoreName(regression: training.regression, targets: file.schema.targetCount)
        let files = StagedFiles()
        let fit = try finish(pipeline, parameters: parameters, progress: progress, files: files)
        try refuseUndefinedScore(trainScore, rows: rows)
        let m = fit.model.metadata
        // The summary is staged with the model: it is printed once the model is written (StagedFiles.commit).
        if outputOptions.json {
            // One more pass for the per-class (or per-target) metrics, as the in-memory path reports them; not after
            // an interrupt, which wants the model written now.
            let metrics = trainScore == nil ? nil : try cli { try pipeline.evaluateStreamed(file) }
            try files.stage(Output.json(TrainJSON(
                n_iter: m.nIter, loss: fit.lossCurve.last, loss_curve: fit.lossCurve, validation_scores: m.validationScores,
                validation_loss_curve: m.validationLossCurve, best_validation_score: m.bestValidationScore,
                train_score: trainScore, train_metrics: metrics?.json(targetNames: file.schema.targetNames), train_rows: rows,
                seconds: fitSeconds, epoch_seconds: epochSeconds, converged: fit.converged, stop_reason: fit.stop.text,
                cache: kept, model: output)), to: nil)
        } else if !outputOptions.quiet {
            var lines = ["trained \(m.estimator.rawValue) \(m.layerSizes.map(String.init).joined(separator: " → ")) on "
                         + "\(rows) rows streamed from \(kept ?? "a temporary cache") in "
                         + "\(Output.seconds(fitSeconds)), \(m.nIter) \(fit.stop.unit)s"]
            if let last = fit.lossCurve.last { lines.append("final loss \(Output.fixed(last, 6))") }
            if let trainScore {
                let trainNote = parameters.earlyStopping ? " (on every row, the early-stopping validation rows included)" : ""
                lines.append("training \(scoreName) \(Output.fixed(trainScore))\(trainNote)")
            }
            if let best = m.bestValidationScore {
                lines.append("validation \(scoreName) \(Output.fixed(best)) (best epoch, on about "
                             + "\(Output.fixed(parameters.validationFraction, 2)) of the rows held out)")
            }
            lines.append("model written to \(output)")
            try files.stage(lines.joined(separator: "\n") + "\n", to: nil)
        }
        try files.commit()
        if fit.interrupted {
            Output.diagnostic(Output.terminalLine("mlp: interrupted after epoch \(m.nIter): the model so far was written to \(output)") + "\n")
            throw ExitCode(130)
        }
    }

    /// The name of the score `mlp train` prints: accuracy or R², and for several targets subset accuracy or the
    /// mean R².
    /// - Parameters:
    ///   - regression: a regressor's score.
    ///   - targets: the target columns.
    static func scoreName(regression: Bool, targets: Int) -> String {
        regression ? targets > 1 ? "R² (mean over \(targets) targets)" : "R²"
            : targets > 1 ? "subset accuracy (every label of a row right)" : "accuracy"
    }

    /// Refuses (exit 1) a streamed fit whose network, optimizer state, batch workspaces and shuffle buffer need more
    /// than --max-memory or the memory available: the rows themselves stay on disk. Before the first pass the
    /// features and classes are unknown; one of each gives a lower bound that already refuses huge hidden layers.
    /// A buffer row is its features, its `targetValues` and its place in the order (as `StreamedRows` counts it).
    private func checkStreamedMemory(features: Int, outputs: Int, targetValues: Int = 1, rows: Int?,
                                     parameters: MLPParameters) throws {
        let element = training.dtype == "float32" ? 4 : 8
        let batch = parameters.effectiveBatchSize(samples: rows ?? Int.max)
        var estimate = MemoryEstimate.training(layerSizes: [features] + parameters.hiddenLayerSizes + [outputs],
                                               samples: batch, parameters: parameters, elementBytes: element)
        let bufferBytes = min(Double(streaming.options.bufferBytes),
                              Double(rows ?? Int.max)
                                  * Double((features + targetValues) * element + MemoryLayout<Int>.size))
        estimate.parts.append(.init(name: "the shuffle buffer (--shuffle-buffer)", bytes: bufferBytes))
        do {
            try estimate.check(limit: resources.maxMemoryBytes, request: "streamed training")
        } catch let error as MemoryLimitError {
            throw CLIError(.memory, error.description(naming: .flags))
        }
    }
}
