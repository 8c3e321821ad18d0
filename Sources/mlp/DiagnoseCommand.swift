import ArgumentParser
import Foundation
import MLP
import MLPDiagnosis

/// `mlp diagnose DATA.csv --target COLUMN [train flags]`: why training is slow or failing, each cause proven by a
/// measured ablation, and the `mlp train` command that fixes it.
struct DiagnoseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diagnose",
        abstract: "Diagnose slow or failing training: measured symptoms, causes proven by ablation, a fix.",
        discussion: """
        Takes `mlp train`'s data, encoding and estimator flags. Each candidate fix is trained over several random \
        states and folds with the same epoch budget and scored on held-out rows; a finding is a problem only when its \
        fix wins run for run (a paired rank test) by more than the score's standard error. --json prints the stable \
        object documented in docs/diagnose.md. Progress goes to stderr.
        """)

    @OptionGroup var data: DataOptions
    @OptionGroup var encoding: EncodingOptions
    @OptionGroup(title: "Estimator (scikit-learn parameters)") var estimator: EstimatorOptions

    @Flag(help: "Diagnose an MLPRegressor (numeric target) instead of an MLPClassifier.")
    var regression = false
    @Option(help: ArgumentHelp("Feature scaling of the configuration: standard, minmax or none.", valueName: "kind"))
    var scale: ScalerKind = .standard
    @Option(name: .customLong("scale-target"),
            help: ArgumentHelp("Regression: target scaling of the configuration, standard or none (as mlp train).",
                               valueName: "kind"))
    var scaleTarget: TargetScalerKind?
    @Option(name: .customLong("time-budget"), help: ArgumentHelp("Seconds to aim for; ablations that would not fit are skipped.", valueName: "seconds"))
    var timeBudget = 25.0
    @Option(name: .customLong("random-states"), help: ArgumentHelp("Random states per configuration (medians and spreads are over them).", valueName: "n"))
    var randomStates = 5
    @Flag(help: "Print one JSON object on standard output instead of the table.")
    var json = false
    @Flag(name: [.short, .long], help: "No progress on standard error.")
    var quiet = false
    @Option(help: ArgumentHelp("Also write an HTML report: every configuration's loss curve, per-layer gradient norms, "
                               + "activation histograms, the learning-rate range test.", valueName: "file"))
    var report: String?
    @Option(name: .customLong("sample-rows"),
            help: ArgumentHelp("Diagnose a random sample of this many rows (drawn with --random-state, else 0). A CSV "
                               + "file too large to read whole, read once into a temporary cache, and a .mlpdata "
                               + "cache are sampled to 50,000 rows (fewer if --max-memory needs it).", valueName: "n"))
    var sampleRows: Int?
    @OptionGroup var resources: ResourceOptions

    func validate() throws {
        _ = try estimator.parameters(regression: regression)
        guard timeBudget > 0, timeBudget.isFinite else { throw ValidationError("--time-budget must be a positive number of seconds") }
        let range = DiagnosisInput.randomStateRange
        guard range.contains(randomStates) else {
            throw ValidationError("--random-states must be between \(range.lowerBound) and \(range.upperBound)")
        }
        if let report, report.isEmpty || report.hasSuffix("/") { throw ValidationError("--report needs a file name") }
        if let sampleRows, sampleRows < 1 { throw ValidationError("--sample-rows must be a positive number of rows") }
        if scaleTarget != nil && !regression {
            throw ValidationError("--scale-target applies to regressors only; add --regression")
        }
        if scaleTarget == .standard && estimator.loss == .poisson {
            throw ValidationError("--loss poisson and --scale-target standard cannot be used together: a standardized "
                                  + "target has negative values, which the Poisson loss refuses")
        }
    }

    func run() throws {
        let parameters = try estimator.parameters(regression: regression)
        // Before the diagnosis's seconds of training, not after them.
        try Output.checkWritable(report, option: "--report", inputs: [data.data])
        let rows = try readRows(parameters: parameters)
        let table = rows.table
        guard table.targetName != nil else { throw CLIError(.usage, "give the target column with --target") }
        try resources.checkTraining(table: table, parameters: parameters, regression: regression, dtype: "float64")
        // A constant target, one class or too few rows for the folds: the library refuses them, naming our flags.
        let target = try Self.target(of: table, regression: regression)
        let scaling: InputScaling = switch scale {
        case .none: .none
        case .standard: .standard
        case .minmax: .minmax
        }
        var input = DiagnosisInput(features: Matrix(rows: table.rowCount, columns: table.featureCount, storage: table.features),
                                   target: target, parameters: parameters, scaling: scaling)
        input.timeBudget = timeBudget
        input.randomStateCount = randomStates
        input.scaleTarget = scaleTarget == .standard
        let diagnosis: DiagnosisReport
        do {
            diagnosis = try Diagnosis.run(input) { line in
                if !quiet { FileHandle.standardError.write(Data("diagnose: \(line)\n".utf8)) }
            }
        } catch let error as DiagnosisError {
            // An error about one row names its line in the file, as the reader's errors do; the library counts rows.
            if let row = error.row, row < table.lines.count {
                // An error about one of several columns names the column itself.
                let column = error.column != nil ? "" : table.targetName.map { ", column '\($0)'" } ?? ""
                throw CLIError(.data, "\(table.source), " + error.description(naming: .flags) { _ in
                    "line \(table.lines[row])\(column)"
                })
            }
            var message = error.description(naming: .flags)
            if table.rowCount < rows.total {
                message = message.withHint("the diagnosis read a random sample of \(table.rowCount) of the \(rows.total) "
                                           + "rows (--sample-rows)")
            }
            // The estimator's own words name a parameter; the option that sets it follows, as in mlp train.
            if case .cannotTrain = error { throw CLIError(.data, "\(table.source): " + TargetCheck.withOption(message)) }
            throw CLIError(.data, "\(table.source): " + message)
        } catch {
            throw CLIError.wrap(error)
        }
        if let report {
            let page = DiagnosisReportPage.html(diagnosis, source: table.source, targets: table.targetNames,
                                                command: recommendedCommand(diagnosis, source: table.source,
                                                                            targets: table.targetNames), rows: rows)
            try Output.write(page, to: report)
        }
        if json {
            try Output.printJSON(DiagnosisJSON(diagnosis, targets: table.targetNames, rows: table.rowCount, dataRows: rows.total))
        } else {
            print(Output.terminalSafe(render(diagnosis, source: table.source, targets: table.targetNames, rows: rows)))
        }
    }

    /// What the network learns from the table: class indices or values of one column; several value columns
    /// (a multi-output regressor); several 0/1 columns (a multilabel indicator matrix, each cell checked where it was
    /// read, so a 2 or a "yes" is named by its line and column, as `mlp train` names it).
    static func target(of table: DataTable, regression: Bool) throws -> DiagnosisTarget {
        let outputs = table.targetCount
        switch (regression, outputs > 1) {
        case (true, false): return .values(table.targetValues)
        case (true, true):
            return .valueColumns(Matrix(rows: table.rowCount, columns: outputs, storage: table.targetValues),
                                 names: table.targetNames)
        case (false, true):
            let indicators = try cli { try MultilabelTargets.indicators(of: table) }
            return .labelIndicators(Matrix(rows: table.rowCount, columns: outputs, storage: indicators),
                                    labels: table.targetNames)
        case (false, false):
            let labels = try cli { try ClassLabels(targetOf: table) }
            return .classes(indices: labels.indices, classNames: labels.classes)
        }
    }

    /// The table, the sentences and the command to paste.
    private func render(_ report: DiagnosisReport, source: String, targets: [String], rows: DiagnosedRows) -> String {
        var lines = targets.count > 1
            ? ["targets: \(Output.quotedList(targets)) (\(regression ? "multi-output regression" : "multilabel"))"] : []
        if rows.table.rowCount < rows.total {
            lines.append("rows: a random sample of \(rows.table.rowCount) of the \(rows.total) rows")
        }
        if !lines.isEmpty { lines.append("") }
        lines.append("finding                  severity  fix                                  effect (\(report.metric))")
        for f in report.findings {
            let effect = f.effect.map { "\(Output.fixed($0.before, 3)) → \(Output.fixed($0.after, 3))" } ?? "—"
            lines.append(pad(f.id.rawValue, 25) + pad(f.severity.rawValue, 10) + pad(f.fix.joined(separator: " "), 37) + effect)
            let evidence = f.evidence.sorted { $0.key < $1.key }.map { "\($0.key)=\(short($0.value))" }
            let columns = f.targetColumns.isEmpty ? [] : ["target_columns=" + f.targetColumns.joined(separator: ",")]
            lines.append("    " + (columns + evidence).joined(separator: " "))
        }
        lines.append("")
        lines += report.sentences()
        lines.append("")
        lines.append("recommended: " + recommendedCommand(report, source: source, targets: targets))
        lines.append(String(format: "diagnosed in %.1f s", report.seconds))
        return lines.joined(separator: "\n")
    }

    /// The `mlp train` command line of the recommendation, ready to paste.
    private func recommendedCommand(_ report: DiagnosisReport, source: String, targets: [String]) -> String {
        let dataArgument = data.dataset.map { "--dataset \($0.rawValue)" } ?? shellQuoted(data.data ?? source)
        // One --target per column: a name holding a comma stays one column.
        return (["mlp train", dataArgument] + targets.flatMap { ["--target", shellQuoted($0)] }
            + (data.readingFlags + encoding.flags + report.recommendation.flags).map(shellQuoted)).joined(separator: " ")
    }

    private func pad(_ s: String, _ width: Int) -> String {
        s.count >= width ? s + " " : s + String(repeating: " ", count: width - s.count)
    }

    private func short(_ v: Double) -> String {
        abs(v) >= 1e4 || (abs(v) < 1e-3 && v != 0) ? String(format: "%.3g", v) : String(format: "%.4g", v)
    }

    /// `s` as one shell word: bare when safe, else in single quotes; a name holding a control character or a line
    /// break in bash's `$'…'` quoting, so that the command stays on one line and pastes back to the same name.
    private func shellQuoted(_ s: String) -> String {
        if s.allSatisfy({ $0.isLetter || $0.isNumber || "-_.,/:=+".contains($0) }) && !s.isEmpty { return s }
        guard s.unicodeScalars.contains(where: Output.isEscapedOnOneLine) else {
            return "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'"
        }
        var quoted = "$'"
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\\": quoted += "\\\\"
            case "'": quoted += "\\'"
            case "\n": quoted += "\\n"
            case "\r": quoted += "\\r"
            case "\t": quoted += "\\t"
            case _ where Output.isEscapedOnOneLine(scalar):
                quoted += scalar.value < 0x80 ? String(format: "\\x%02X", scalar.value) : String(format: "\\u%04X", scalar.value)
            default: quoted.unicodeScalars.append(scalar)
            }
        }
        return quoted + "'"
    }
}

/// `mlp diagnose --json`: stable keys, documented in docs/diagnose.md. Non-finite numbers are null.
struct DiagnosisJSON: Encodable {
    struct EffectJSON: Encodable {
        var metric: String
        @NullWhenNil var before: Double?
        @NullWhenNil var after: Double?
    }
    struct FindingJSON: Encodable {
        var id: String
        var severity: String
        var evidence: [String: Double]
        var fix: [String]
        /// null for a symptom no ablation measured.
        @NullWhenNil var effect: EffectJSON?
        /// The target columns it concerns (several targets; empty otherwise).
        var target_columns: [String]
    }
    struct SummaryJSON: Encodable {
        @NullWhenNil var score: Double?
        @NullWhenNil var train_score: Double?
        @NullWhenNil var loss: Double?
        @NullWhenNil var held_out_loss: Double?
        @NullWhenNil var spread: Double?
        @NullWhenNil var epochs: Double?
    }
    struct EpochCapJSON: Encodable {
        var epochs: Int
        var max_iter: Int
        var seconds_per_epoch: Double
        var budget_for_max_iter: Double
    }
    struct RecommendationJSON: Encodable {
        var flags: [String]
        var before: SummaryJSON
        var after: SummaryJSON
        var combines: [String]
    }
    /// The target columns diagnosed, in the order of the network's outputs.
    var targets: [String]
    /// The rows diagnosed, and the rows in the data (more when the diagnosis read a random sample of them).
    var rows: Int
    var data_rows: Int
    var findings: [FindingJSON]
    var recommendation: RecommendationJSON
    var metric: String
    /// The metric's chance level (1/k balanced accuracy, R² 0) and whether any configuration tried scored above it.
    var chance: Double
    var above_chance: Bool
    var skipped: [String]
    /// Measured symptoms whose every fix was skipped, and about the --time-budget that would try what was skipped
    /// (null when nothing was).
    var untried_symptoms: [String]
    @NullWhenNil var budget_to_try_skipped: Double?
    /// null unless every configuration was trained for fewer epochs than max_iter to fit the time budget.
    @NullWhenNil var epoch_cap: EpochCapJSON?
    var seconds: Double

    init(_ report: DiagnosisReport, targets: [String], rows: Int, dataRows: Int) {
        self.targets = targets
        self.rows = rows
        data_rows = dataRows
        func finite(_ v: Double) -> Double? { v.isFinite ? v : nil }
        func summary(_ s: ScoreSummary) -> SummaryJSON {
            SummaryJSON(score: finite(s.score), train_score: finite(s.trainScore), loss: finite(s.loss),
                        held_out_loss: finite(s.heldOutLoss), spread: finite(s.spread), epochs: finite(s.epochs))
        }
        findings = report.findings.map { f in
            FindingJSON(id: f.id.rawValue, severity: f.severity.rawValue, evidence: f.evidence.filter { $0.value.isFinite },
                        fix: f.fix, effect: f.effect.map { EffectJSON(metric: $0.metric, before: finite($0.before), after: finite($0.after)) },
                        target_columns: f.targetColumns)
        }
        recommendation = RecommendationJSON(flags: report.recommendation.flags, before: summary(report.recommendation.before),
                                            after: summary(report.recommendation.after),
                                            combines: report.recommendation.combines.map(\.rawValue))
        metric = report.metric
        chance = report.chance
        above_chance = report.aboveChance
        skipped = report.skipped
        untried_symptoms = report.untriedSymptoms.map(\.rawValue)
        budget_to_try_skipped = report.budgetToTrySkipped.flatMap(finite)
        epoch_cap = report.epochCap.map {
            EpochCapJSON(epochs: $0.epochs, max_iter: $0.maxIter, seconds_per_epoch: $0.secondsPerEpoch,
                         budget_for_max_iter: $0.budgetForMaxIter)
        }
        seconds = report.seconds
    }
}
