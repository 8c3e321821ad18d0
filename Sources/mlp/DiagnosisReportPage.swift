import MLP
import MLPDiagnosis
import MLPReport

/// `mlp diagnose --report FILE.html`: the findings, every ablation's loss curve overlaid, the per-layer gradient
/// norms over the epochs, the hidden layers' activation histograms and the learning-rate range test.
enum DiagnosisReportPage {
    static func html(_ report: DiagnosisReport, source: String, targets: [String], command: String,
                     rows: DiagnosedRows) -> String {
        let metricName = report.metric == "r2" ? "R²" : "balanced accuracy"
        let sampled = rows.table.rowCount < rows.total
        let summary: [(String, String)] = [
            ("data", source),
            ("rows", sampled ? "a random sample of \(rows.table.rowCount) of the \(rows.total) rows" : "\(rows.total)"),
            (targets.count == 1 ? "target" : "targets", Output.quotedList(targets)),
            ("findings", report.findings.isEmpty ? "none"
                : report.findings.map { "\($0.id.rawValue) (\($0.severity.rawValue))" }.joined(separator: ", ")),
            ("recommended", command),
            ("\(metricName)", "\(Output.significant(report.recommendation.before.score)) → "
                + "\(Output.significant(report.recommendation.after.score)) (median over the random states)"),
            ("time", Output.seconds(report.seconds)),
        ]
        var body = findingsTable(report)
        body += "<ul>" + report.sentences().map { "<li>\(Charts.escaped($0))</li>" }.joined() + "</ul>\n"
        body += "<h2>Loss curves of every configuration tried</h2>\n"
        let curves = report.lossCurves.filter { !$0.curve.isEmpty }
        let finite = curves.flatMap(\.curve).filter { $0.isFinite && $0 > 0 }
        let wideRange = (finite.max() ?? 1) / (finite.min() ?? 1) > 100
        body += Charts.lines(curves.map { PlotSeries(name: $0.name, xs: epochs($0.curve.count), ys: $0.curve) },
                             title: "training loss per epoch (L2 penalty included; first random state)", xLabel: "epoch",
                             yLabel: "loss", logY: wideRange)
        body += "<div class=\"row\">\n"
        let layers = report.gradientNorms.map(\.count).max() ?? 0
        if layers > 0 {
            let series = (0..<layers).map { l in
                PlotSeries(name: "layer \(l + 1)", xs: report.gradientEpochs.count == report.gradientNorms.count
                               ? report.gradientEpochs.map(Double.init) : epochs(report.gradientNorms.count),
                           ys: report.gradientNorms.map { l < $0.count ? $0[l] : .nan })
            }
            body += Charts.lines(series, title: "per-layer RMS weight gradient (your configuration)", xLabel: "epoch",
                                 yLabel: "gradient RMS", logY: true)
        }
        if !report.rangeTest.rates.isEmpty {
            body += Charts.lines([PlotSeries(name: "smoothed loss", xs: report.rangeTest.rates, ys: report.rangeTest.losses)],
                                 title: "learning-rate range test (the median of three runs)", xLabel: "learning rate", yLabel: "loss", logX: true)
        }
        body += "</div>\n<h2>Activation histograms (your configuration, after its last probed epoch)</h2>\n<div class=\"row\">\n"
        for h in report.activationHistograms {
            body += Charts.histogram(counts: h.counts, lower: h.lower, upper: h.upper,
                                     title: "hidden layer \(h.layer)", xLabel: "unit output")
        }
        body += "</div>\n"
        return Charts.page(title: "mlp diagnose: \(source)", summary: summary, body: body)
    }

    private static func epochs(_ count: Int) -> [Double] { (0..<count).map { Double($0 + 1) } }

    private static func findingsTable(_ report: DiagnosisReport) -> String {
        var s = "<h2>Findings</h2>\n<table class=\"findings\"><tr><th class=\"name\">finding</th><th class=\"name\">severity</th>"
            + "<th class=\"name\">fix</th><th>effect (\(Charts.escaped(report.metric)))</th><th class=\"name\">evidence</th></tr>\n"
        for f in report.findings {
            let effect = f.effect.map { "\(Output.significant($0.before)) → \(Output.significant($0.after))" } ?? "—"
            let columns = f.targetColumns.isEmpty ? [] : ["target_columns=" + f.targetColumns.joined(separator: ",")]
            let evidence = columns + f.evidence.sorted { $0.key < $1.key }.map { "\($0.key)=\(Output.significant($0.value))" }
            s += "<tr><td class=\"name\">\(f.id.rawValue)</td><td class=\"name\">\(f.severity.rawValue)</td>"
                + "<td class=\"name\">\(Charts.escaped(f.fix.joined(separator: " ")))</td><td>\(effect)</td>"
                + "<td class=\"name\">\(Charts.escaped(evidence.joined(separator: " ")))</td></tr>\n"
        }
        return s + "</table>\n"
    }
}
