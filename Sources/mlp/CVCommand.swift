import ArgumentParser
import Foundation
import MLP

/// `mlp cv DATA.csv --target COLUMN --folds K`: scikit-learn's
/// `cross_val_score(make_pipeline(StandardScaler(), MLPClassifier(...)), X, y, cv=K)`.
struct CVCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cv",
        abstract: "Cross-validate: the score of each fold and their mean ± standard deviation.",
        discussion: """
        The folds are scikit-learn's for cv=K: StratifiedKFold for a classifier, KFold for a regressor, without \
        shuffling. Each fold fits a fresh estimator with the same parameters on its training rows, scaled by a \
        scaler fitted on those rows, and scores the held-out rows (accuracy or R²), as cross_val_score does with \
        make_pipeline(StandardScaler(), MLPClassifier(...)). With --one-hot or --impute the encoding is also learnt \
        per training fold, as a ColumnTransformer inside the pipeline would be; a category seen only in a test \
        fold is then an error, as OneHotEncoder's is. No model file is written.
        """)

    @OptionGroup var data: DataOptions
    @OptionGroup var encoding: EncodingOptions
    @OptionGroup var training: TrainingOptions
    @OptionGroup(title: "Estimator (scikit-learn parameters)") var estimator: EstimatorOptions

    @Option(help: ArgumentHelp("The number of folds (cross_val_score's cv), at least 2.", valueName: "K"))
    var folds = 5
    @OptionGroup var outputOptions: OutputOptions
    @OptionGroup var resources: ResourceOptions

    func validate() throws {
        _ = try estimator.parameters(regression: training.regression)
        try training.validate(with: estimator)
        if folds < 2 { throw ValidationError("--folds must be at least 2; got \(folds)") }
        if estimator.warmStart { throw ValidationError("--warm-start does not apply to cv: every fold starts afresh") }
    }

    func run() throws {
        let parameters = try estimator.parameters(regression: training.regression)
        let regression = training.regression
        let targetKind: TargetKind = regression ? .numeric : .labels
        try resources.checkReading(csv: data.data, request: "mlp cv")
        let table = try data.read(targetKind: targetKind, targetIsOptional: false, defaultTargets: [], encoding: nil,
                                  learning: encoding, maxMemoryBytes: resources.maxMemoryBytes)
        guard table.targetName != nil else { throw CLIError(.usage, "give the target column with --target") }
        try resources.checkTraining(table: table, parameters: parameters, regression: regression, dtype: training.dtype)
        let progress = ProgressReporter(quiet: outputOptions.quiet || outputOptions.json, verbose: false)
        if !regression, let note = TargetCheck.continuousTargetNote(table) { progress.warn(note) }

        let result: FoldScores
        do {
            // The matrix forms of crossValScore scale X only; per-fold pipelines relearn the encoding and the target
            // scaler, and take several target columns.
            if encoding.learnsFromRows || training.targetScaling != .none || table.targetCount > 1 {
                result = try perFoldPipelines(table: table, parameters: parameters)
            } else {
                result = try crossValidate(table: table, parameters: parameters)
            }
        } catch let error as CrossValidationError {
            throw CLIError(.data, "\(table.source): " + error.description.withHint("change --folds"))
        } catch let error as MLPError {
            // A finite value that a fold's scaler made infinite: named by its line and column.
            if let named = error.namingOverflow(in: table, scaler: .trainingFold(training.scale),
                                                float32: training.dtype == "float32") as? DataError {
                throw CLIError.wrap(named)
            }
            throw CLIError(.data, "\(table.source): \(TargetCheck.withOption(error.description))")
        }
        for warning in result.warnings { progress.warn(warning) }

        if outputOptions.json {
            try Output.printJSON(CVJSON(scores: result.scores, mean: result.mean, std: result.std, folds: folds,
                                        scoring: regression ? "r2" : "accuracy"))
        } else if !outputOptions.quiet {
            let name = regression ? "R²" : "accuracy"
            var lines = result.scores.enumerated().map { "fold \($0.offset + 1)  \(name) \(Output.fixed($0.element))" }
            lines.append("mean \(name) \(Output.fixed(result.mean)) ± \(Output.fixed(result.std)) (std over \(folds) folds)")
            print(lines.joined(separator: "\n"))
        }
    }

    /// The library's crossValScore on the encoded table: the encoding learns nothing from the rows.
    private func crossValidate(table: DataTable, parameters: MLPParameters) throws -> FoldScores {
        let scaler = CrossValidationScaler(rawValue: training.scale.rawValue) ?? .standard
        let x = Matrix(rows: table.rowCount, columns: table.featureCount, storage: table.features)
        let scores: CrossValidationScores
        if training.regression {
            try table.checkTargets(for: parameters.loss)
            scores = training.dtype == "float32"
                ? try crossValScore(regressor: parameters, loss: parameters.loss, x.converted(to: Float.self),
                                    table.targetValues.map { Float($0) }, cv: folds, scaler: scaler)
                : try crossValScore(regressor: parameters, loss: parameters.loss, x, table.targetValues, cv: folds,
                                    scaler: scaler)
        } else {
            let labels = try classLabels(table)
            scores = training.dtype == "float32"
                ? try crossValScore(classifier: parameters, x.converted(to: Float.self), labels, cv: folds, scaler: scaler)
                : try crossValScore(classifier: parameters, x, labels, cv: folds, scaler: scaler)
        }
        return FoldScores(scores)
    }

    /// The same folds, each through a fresh MLPPipeline whose encoding and scalers learn from the training fold.
    private func perFoldPipelines(table: DataTable, parameters: MLPParameters) throws -> FoldScores {
        let relearn: (([Int]) throws -> DataTable)? = encoding.learnsFromRows
            ? { rows in
                try data.read(targetKind: training.regression ? .numeric : .labels, targetIsOptional: false,
                              defaultTargets: [], encoding: nil, learning: encoding, encodingRows: rows,
                              maxMemoryBytes: resources.maxMemoryBytes)
            }
            : nil
        // An MLPError goes to run(), which names the data as for the other path.
        let scores = try crossValScore(pipeline: { training.newPipeline(parameters) }, table, cv: folds, encodedFor: relearn)
        return FoldScores(scores)
    }

    /// The target's labels, numbers when every label is one (so classes sort as numpy sorts them).
    private func classLabels(_ table: DataTable) throws -> [ClassLabel] {
        let labels = try cli { try ClassLabels(targetOf: table) }
        let classes = labels.classLabels
        return labels.indices.map { classes[$0] }
    }
}

/// Per-fold scores with numpy's mean and (population) standard deviation, as the library computes them.
struct FoldScores {
    var scores: [Double]
    var mean: Double
    var std: Double
    var warnings: [String]

    /// The library's scores; the splitter's warnings first, then each fold's estimator warnings.
    init(_ measured: CrossValidationScores) {
        scores = measured.scores
        mean = measured.mean
        std = measured.standardDeviation
        warnings = measured.splitWarnings.map(\.description) + measured.fitWarnings.enumerated().flatMap { fold, list in
            list.map { "fold \(fold + 1): \(TrainMonitor.oneLine($0))" }
        }
    }
}

/// `mlp cv --json`: stable keys, documented in docs/cli.md.
struct CVJSON: Encodable {
    var scores: [Double]
    var mean: Double
    var std: Double
    var folds: Int
    var scoring: String
}
