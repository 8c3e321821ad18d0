import MLPCore

// A scored set of a model of several target columns: the scores of every target (or label) in one table, then the
// one-target figures for each, drawn from its own column. Figures stop after `chartedTargetLimit` targets so that a
// model of hundreds of outputs still makes a page a browser opens; the table keeps every target.

extension HTMLReport {
    /// The most targets or labels whose figures a set draws.
    static let chartedTargetLimit = 8

    /// A multi-output regressor's set: R², MAE and RMSE per target and their uniform averages (what `mlp evaluate`
    /// prints), then each target's predicted-against-actual and residual plots.
    static func multiOutputSetSection(_ set: ReportSet, _ r: RegressionReport, _ each: [RegressionReport]) -> String {
        let k = each.count
        let names = targetNames(set, count: k)
        var s = "<section class=\"set\"><h2>\(escapeHTML(set.name.capitalizedFirst)) set: regression, \(k) targets "
            + "(\(r.samples) rows)</h2>\n<table class=\"regression per-target\"><tr><th class=\"name\">target</th>"
            + "<th>R²</th><th>MAE</th><th>RMSE</th></tr>\n"
        func row(_ name: String, _ t: RegressionReport) -> String {
            "<tr><td class=\"name\">\(escapeHTML(name))</td><td>\(fmt(t.r2))</td><td>\(sig(t.meanAbsoluteError))</td>"
                + "<td>\(sig(t.rootMeanSquaredError))</td></tr>\n"
        }
        for (name, t) in zip(names, each) { s += row(name, t) }
        s += row("uniform average", r) + "</table>\n"
        let charted = min(k, chartedTargetLimit)
        for j in 0..<charted {
            s += "<h3 class=\"target\">Target '\(escapeHTML(names[j]))': R² \(fmt(each[j].r2))</h3>\n"
                + regressionFigures(actual: column(set.actual, j, of: k), predicted: column(set.predicted, j, of: k))
        }
        return s + leftOutNote(charted: charted, of: k, noun: "targets") + "</section>\n"
    }

    /// A multilabel classifier's set: subset accuracy, Hamming loss, precision, recall, F1 and support per label,
    /// then each label's confusion matrix and ROC, precision-recall and calibration curves, as a binary classifier's.
    static func multilabelSetSection(_ set: ReportSet, _ m: MultilabelReport) -> String {
        let k = m.labels.count
        let macroF1 = m.perLabel.map(\.f1).reduce(0, +) / Double(max(k, 1))
        var s = "<section class=\"set\"><h2>\(escapeHTML(set.name.capitalizedFirst)) set: multilabel classification, "
            + "\(k) labels (\(m.samples) rows)</h2>\n<p>Subset accuracy <b>\(fmt(m.subsetAccuracy))</b> (every label of "
            + "a row right), Hamming loss <b>\(fmt(m.hammingLoss))</b>, macro F1 <b>\(fmt(macroF1))</b></p>\n"
            + "<table class=\"per-label\"><tr><th class=\"name\">label</th><th>precision</th><th>recall</th><th>F1</th>"
            + "<th>support</th></tr>\n"
        for (label, scores) in zip(m.labels, m.perLabel) {
            s += "<tr><td class=\"name\">\(escapeHTML(label))</td><td>\(fmt(scores.precision))</td>"
                + "<td>\(fmt(scores.recall))</td><td>\(fmt(scores.f1))</td><td>\(scores.support)</td></tr>\n"
        }
        s += "</table>\n"
        let charted = min(k, chartedTargetLimit)
        for j in 0..<charted {
            s += "<h3 class=\"label\">Label '\(escapeHTML(m.labels[j]))'</h3>\n" + labelFigures(set, label: j, of: m)
        }
        return s + leftOutNote(charted: charted, of: k, noun: "labels") + "</section>\n"
    }

    /// One label's column as a binary problem: class 1 is the label, class 0 its absence.
    private static func labelFigures(_ set: ReportSet, label j: Int, of m: MultilabelReport) -> String {
        let k = m.labels.count
        let truth = column(set.actual, j, of: k).map { $0 == 1 ? 1 : 0 }
        let predicted = column(set.predicted, j, of: k).map { $0 == 1 ? 1 : 0 }
        let probability = column(set.probabilities, j, of: k)
        let pairs = probability.count == truth.count ? probability.flatMap { [1 - $0, $0] } : []
        // Only rows that do not match (a ReportSet built by hand) fail here; the label is then left without figures.
        guard let binary = try? ClassificationReport(classes: ["not \(m.labels[j])", m.labels[j]], yTrue: truth,
                                                     yPred: predicted, probabilities: nil) else { return "" }
        return classificationFigures(binary, trueClasses: truth, probabilities: pairs)
    }

    /// The set's target names, or "target 1", "target 2", … when it does not name its `count` targets.
    private static func targetNames(_ set: ReportSet, count: Int) -> [String] {
        set.targetNames.count == count ? set.targetNames : (1...count).map { "target \($0)" }
    }

    /// Column `j` of a row-major matrix of `k` columns.
    private static func column(_ values: [Double], _ j: Int, of k: Int) -> [Double] {
        stride(from: j, to: values.count, by: k).map { values[$0] }
    }

    /// A line saying how many targets' figures were left out, or nothing when all were drawn.
    private static func leftOutNote(charted: Int, of total: Int, noun: String) -> String {
        guard total > charted else { return "" }
        return "<p class=\"note left-out\">Figures of the first \(charted) of \(total) \(noun); the other "
            + "\(total - charted) are scored in the table above.</p>\n"
    }
}
