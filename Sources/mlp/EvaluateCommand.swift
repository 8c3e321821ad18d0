import ArgumentParser
import Foundation
import MLP
import MLPModelFile

/// `mlp evaluate MODEL DATA.csv --target COLUMN`: metrics of a model on labelled data.
struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Score a model on labelled data: accuracy, log-loss, confusion matrix, precision/recall/F1; or R², MAE, RMSE.",
        discussion: "The target column defaults to the one the model was trained on. A file or standard input is read a "
            + "chunk of rows at a time, so its size is not limited by memory; with --report it is read whole. A "
            + ".mlpdata cache (mlp convert) of the model's columns is scored a block of rows at a time.")

    @Argument(help: .modelFile)
    var model: String

    @OptionGroup var data: DataOptions
    @OptionGroup var trainingOnly: TrainingOnlyOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var resources: ResourceOptions

    @Option(help: ArgumentHelp("Also write an HTML report (loss curve, confusion matrix, decision boundary).", valueName: "file"))
    var report: String?

    @Option(name: .customLong("chunk-bytes"), help: .hidden)
    var chunkBytes = CSVTableStream.defaultChunkBytes

    func run() throws {
        try Output.checkWritable(report, option: "--report", inputs: [self.model, data.data])
        let model = try loadModel(self.model)
        let pipeline = try cli { try model.pipeline() }
        guard !data.targets.isEmpty || !pipeline.targetNames.isEmpty else {
            throw CLIError(.usage, "give the target column with --target")
        }
        let targetKind: TargetKind = pipeline.isClassifier ? .labels : .numeric
        let evaluation: PipelineEvaluation
        var table: DataTable?
        // The columns scored label the per-target lines: --target may name others than the model's.
        let scoredTargets: [String]
        if let cache = data.data, cache.hasSuffix(".mlpdata") {
            // A cache of rows `mlp convert` encoded: its columns and targets are its own, read a block at a time.
            if report != nil { throw CLIError(.usage, "--report reads CSV rows; \(cache) is a cache (mlp convert)") }
            try data.refuseReadingFlags(forCache: cache, command: "evaluate")
            let file = try cli { try MLPDataFile(path: cache) }
            evaluation = try cli { try pipeline.evaluateStreamed(file) }
            scoredTargets = file.schema.targetNames
        } else if report == nil, let encoding = pipeline.encoding,
           let stream = try data.stream(options: data.readOptions(targetKind: targetKind, defaultTargets: pipeline.targetNames),
                                        encoding: encoding, chunkBytes: max(chunkBytes, 1)) {
            // A chunk of rows at a time: the metrics need only counts and sums (a regressor: 16 bytes a row).
            evaluation = try cli { try pipeline.evaluate(stream) }
            scoredTargets = stream.targetNames
        } else {
            // The report draws the rows (decision boundary, confusion matrix): the table is read whole.
            try resources.checkReading(csv: data.data, request: "mlp evaluate")
            table = try data.read(targetKind: targetKind, targetIsOptional: false, defaultTargets: pipeline.targetNames,
                                  encoding: pipeline.encoding, maxMemoryBytes: resources.maxMemoryBytes)
            evaluation = try cli { try pipeline.evaluate(table!) }
            scoredTargets = table!.targetNames
        }
        if let r = evaluation.regression, r.samples < 2, !output.quiet {
            Output.warning("R^2 score is not well-defined with less than two samples.")
        }
        if let report, let table {
            let page = try ReportBuilder.page(
                title: "mlp evaluate: \(self.model) on \(table.source)", model: model, pipeline: pipeline,
                modelPath: self.model, header: RunHeader(data: table.source, rows: table.rowCount),
                sets: [EvaluatedSet(name: "evaluated", table: table, evaluation: evaluation)])
            try Output.write(page, to: report)
        }
        if output.json {
            try Output.printJSON(evaluation.json(targetNames: scoredTargets))
        } else if !output.quiet {
            try Output.print(Output.terminalSafe(evaluation.humanSummary(targetNames: scoredTargets)), terminator: "")
        }
    }
}

/// The printed forms of the library's metrics (`MLPPipeline.evaluate`).
extension PipelineEvaluation {
    /// Accuracy (subset accuracy for several labels) or R²: what `mlp train` reports as the training score.
    var score: Double {
        switch self {
        case .classification(let report, _): report.accuracy
        case .regression(let report): report.r2
        case .multilabel(let report): report.subsetAccuracy
        }
    }

    var classification: ClassificationReport? {
        if case .classification(let report, _) = self { return report }
        return nil
    }

    var regression: RegressionReport? {
        if case .regression(let report) = self { return report }
        return nil
    }

    var trueClassIndices: [Int]? {
        if case .classification(_, let truth) = self { return truth }
        return nil
    }

    /// Stable keys, documented in docs/cli.md.
    struct ClassificationJSON: Encodable {
        struct Scores: Encodable { var precision: Double; var recall: Double; var f1: Double; var support: Int }
        struct Averages: Encodable { var precision: Double; var recall: Double; var f1: Double }
        var task = "classification"
        var samples: Int
        var accuracy: Double
        var log_loss: Double?
        var classes: [String]
        var confusion_matrix: [[Int]]
        var per_class: [String: Scores]
        var macro_avg: Averages
        var weighted_avg: Averages
    }

    struct RegressionJSON: Encodable {
        var task = "regression"
        /// The target column of these scores: set in `per_target`, absent at the top level.
        var target: String?
        var samples: Int
        /// nil (JSON null) when undefined: fewer than two samples.
        /// Undefined (one row) is written as null rather than left out.
        @NullWhenNil var r2: Double?
        var mae: Double
        var rmse: Double
        /// With several targets, each target's scores (the top-level ones are their uniform averages).
        var per_target: [RegressionJSON]?

        init(_ r: RegressionReport, target: String? = nil, targetNames: [String] = []) {
            self.target = target
            samples = r.samples
            r2 = r.r2.isNaN ? nil : r.r2
            mae = r.meanAbsoluteError
            rmse = r.rootMeanSquaredError
            per_target = r.perOutput.map { zip(targetNames, $0).map { RegressionJSON($1, target: $0) } }
        }
    }

    /// Stable keys, documented in docs/cli.md; `targetNames`, the columns scored, label a multi-output regressor's
    /// per-target scores.
    func json(targetNames: [String]) -> AnyEncodable {
        if case .multilabel(let report) = self { return AnyEncodable(MultilabelSummary(report)) }
        if let c = classification {
            var perClass: [String: ClassificationJSON.Scores] = [:]
            for (i, s) in c.perClass.enumerated() {
                perClass[c.classes[i]] = .init(precision: s.precision, recall: s.recall, f1: s.f1, support: s.support)
            }
            return AnyEncodable(ClassificationJSON(
                samples: c.samples, accuracy: c.accuracy, log_loss: c.logLoss, classes: c.classes,
                confusion_matrix: c.confusionMatrix, per_class: perClass,
                macro_avg: .init(precision: c.macroAverage.precision, recall: c.macroAverage.recall, f1: c.macroAverage.f1),
                weighted_avg: .init(precision: c.weightedAverage.precision, recall: c.weightedAverage.recall,
                                    f1: c.weightedAverage.f1)))
        }
        return AnyEncodable(RegressionJSON(regression!, targetNames: targetNames))
    }

    /// What `mlp evaluate` prints; `targetNames`, the columns scored, label a multi-output regressor's per-target
    /// scores.
    func humanSummary(targetNames: [String]) -> String {
        if let r = regression { return RegressionSummary.text(r, targetNames: targetNames) }
        if case .multilabel(let report) = self { return MultilabelSummary.text(report) }
        let c = classification!
        // One line per class whatever its label holds (a line break, an escape sequence): labels escaped first, so
        // the columns are padded to the width shown.
        let classes = c.classes.map(Output.terminalLine)
        var s = "samples   \(c.samples)\naccuracy  \(Output.fixed(c.accuracy))\n"
        if let l = c.logLoss { s += "log-loss  \(Output.fixed(l))\n" }
        let nameWidth = max(12, (classes.map(\.count).max() ?? 0) + 2)
        let cellWidth = max(6, (classes.map(\.count).max() ?? 0) + 1)
        func pad(_ t: String, _ w: Int, left: Bool = false) -> String {
            t.count >= w ? t : left ? t + String(repeating: " ", count: w - t.count) : String(repeating: " ", count: w - t.count) + t
        }
        s += "\nconfusion matrix (rows: true class, columns: predicted class)\n"
        s += pad("", nameWidth, left: true) + classes.map { pad($0, cellWidth) }.joined() + "\n"
        for (i, row) in c.confusionMatrix.enumerated() {
            s += pad(classes[i], nameWidth, left: true) + row.map { pad(String($0), cellWidth) }.joined() + "\n"
        }
        s += "\n" + pad("class", nameWidth, left: true) + pad("precision", 11) + pad("recall", 9) + pad("f1-score", 10)
            + pad("support", 9) + "\n"
        for (i, m) in c.perClass.enumerated() {
            s += pad(classes[i], nameWidth, left: true) + pad(Output.fixed(m.precision), 11) + pad(Output.fixed(m.recall), 9)
                + pad(Output.fixed(m.f1), 10) + pad(String(m.support), 9) + "\n"
        }
        for (name, a) in [("macro avg", c.macroAverage), ("weighted avg", c.weightedAverage)] {
            s += pad(name, nameWidth, left: true) + pad(Output.fixed(a.precision), 11) + pad(Output.fixed(a.recall), 9)
                + pad(Output.fixed(a.f1), 10) + pad(String(c.samples), 9) + "\n"
        }
        return s
    }
}

struct AnyEncodable: Encodable {
    let value: Encodable
    init(_ value: Encodable) { self.value = value }
    func encode(to encoder: Encoder) throws { try value.encode(to: encoder) }
}
