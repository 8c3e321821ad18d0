import MLPCore

// Per scored set: the metrics, a row-normalized confusion matrix as a heat map, ROC and precision-recall curves
// with their areas and a reliability curve (classifiers); predicted against actual and residuals (regressors).
// Several targets (SeveralTargetSections.swift) draw the same figures per target or label.

extension HTMLReport {
    static func setSection(_ set: ReportSet) -> String {
        if let c = set.classification { return classificationSetSection(set, c) }
        if let m = set.multilabel { return multilabelSetSection(set, m) }
        if let r = set.regression, let each = r.perOutput { return multiOutputSetSection(set, r, each) }
        if let r = set.regression { return regressionSetSection(set, r) }
        return ""
    }

    private static func classificationSetSection(_ set: ReportSet, _ c: ClassificationReport) -> String {
        var s = "<section class=\"set\"><h2>\(escapeHTML(set.name.capitalizedFirst)) set: classification "
            + "(\(c.samples) rows)</h2>\n<p>Accuracy <b>\(fmt(c.accuracy))</b>"
        if let l = c.logLoss { s += ", log-loss <b>\(fmt(l))</b>" }
        s += ", macro F1 <b>\(fmt(c.macroAverage.f1))</b></p>\n"
        return s + classificationFigures(c, trueClasses: set.trueClasses, probabilities: set.probabilities) + "</section>\n"
    }

    /// The confusion matrix, and with probabilities the ROC, precision-recall and calibration curves.
    /// - Parameters:
    ///   - c: the scores.
    ///   - trueClasses: the true class index per row.
    ///   - probabilities: (rows, classes) row-major, or empty for the confusion matrix alone.
    static func classificationFigures(_ c: ClassificationReport, trueClasses: [Int], probabilities: [Double]) -> String {
        var s = normalizedConfusion(c)
        let k = c.classes.count
        guard probabilities.count == trueClasses.count * k, k >= 2 else { return s }
        // Binary: the positive (second) class; more classes: one-vs-rest, one curve per class.
        let curveClasses = k == 2 ? [1] : Array(0..<k)
        var roc: [(String, [Double], [Double])] = [], pr: [(String, [Double], [Double])] = []
        var areas: [String] = []
        for j in curveClasses {
            let scores = trueClasses.indices.map { probabilities[$0 * k + j] }
            let positive = trueClasses.map { $0 == j }
            let name = k == 2 ? c.classes[j] : "\(c.classes[j]) vs rest"
            var area = escapeHTML(name)
            if let r = CurveMetrics.roc(scores: scores, positive: positive) {
                roc.append(("\(name) (AUC \(fmt(r.auc)))", r.fpr, r.tpr))
                area += ": ROC AUC \(fmt(r.auc))"
            }
            if let p = CurveMetrics.precisionRecall(scores: scores, positive: positive) {
                pr.append(("\(name) (AP \(fmt(p.averagePrecision)))", p.recall, p.precision))
                area += ", average precision \(fmt(p.averagePrecision))"
            }
            areas.append(area)
        }
        s += "<p class=\"areas\">" + areas.joined(separator: "; ") + "</p>\n<div class=\"row\">"
        s += curvePlot(title: "ROC curve", cssClass: "roc", xLabel: "false positive rate", yLabel: "true positive rate",
                       curves: roc, diagonal: true)
        s += curvePlot(title: "Precision-recall curve", cssClass: "pr", xLabel: "recall", yLabel: "precision",
                       curves: pr, diagonal: false)
        // Reliability of the positive class (binary) or of the predicted class's probability (top label).
        let confidence: [Double], correct: [Bool]
        if k == 2 {
            confidence = trueClasses.indices.map { probabilities[$0 * 2 + 1] }
            correct = trueClasses.map { $0 == 1 }
        } else {
            let rows = trueClasses.indices.map { Array(probabilities[($0 * k)..<($0 * k + k)]) }
            confidence = rows.map { $0.max() ?? 0 }
            correct = zip(rows, trueClasses).map { row, truth in row.firstIndex(of: row.max()!) == truth }
        }
        let bins = CurveMetrics.calibration(probabilities: confidence, positive: correct)
        s += curvePlot(title: k == 2 ? "Calibration (\(c.classes[1]))" : "Calibration (top-label confidence)",
                       cssClass: "calibration", xLabel: "mean predicted probability",
                       yLabel: k == 2 ? "fraction positive" : "fraction correct",
                       curves: [("model", bins.map(\.predicted), bins.map(\.observed))], diagonal: true, markers: true)
        return s + "</div>\n"
    }

    /// Rows normalized to sum to 1 (each row's recall), shaded on a single-hue scale; counts in small print.
    private static func normalizedConfusion(_ c: ClassificationReport) -> String {
        var s = "<table class=\"confusion\" aria-label=\"confusion matrix normalized by true class\">"
            + "<caption>Confusion matrix, normalized over each true class (rows)</caption>"
            + "<tr><th class=\"name\">true \\ predicted</th>"
        for name in c.classes { s += "<th>\(escapeHTML(name))</th>" }
        s += "</tr>\n"
        for (i, row) in c.confusionMatrix.enumerated() {
            let total = max(1, row.reduce(0, +))
            s += "<tr><th class=\"name\">\(escapeHTML(c.classes[i]))</th>"
            for v in row {
                let share = Double(v) / Double(total)
                let text = share > 0.55 ? "#fff" : "#000"
                s += "<td class=\"cell\" style=\"background: \(heat(share)); color: \(text)\">\(String(printf: "%.2f", share))"
                    + "<br><small>\(v)</small></td>"
            }
            s += "</tr>\n"
        }
        return s + "</table>\n"
    }

    private static func regressionSetSection(_ set: ReportSet, _ r: RegressionReport) -> String {
        var s = "<section class=\"set\"><h2>\(escapeHTML(set.name.capitalizedFirst)) set: regression (\(r.samples) rows)</h2>\n"
        s += "<table class=\"regression\"><tr><th>R²</th><th>MAE</th><th>RMSE</th></tr><tr><td>\(fmt(r.r2))</td>"
            + "<td>\(sig(r.meanAbsoluteError))</td><td>\(sig(r.rootMeanSquaredError))</td></tr></table>\n"
        return s + regressionFigures(actual: set.actual, predicted: set.predicted) + "</section>\n"
    }

    /// Predicted against actual (with the identity line) and residuals against predicted, for one target.
    /// - Parameters:
    ///   - actual: the true value per row.
    ///   - predicted: the prediction per row.
    static func regressionFigures(actual: [Double], predicted: [Double]) -> String {
        var s = "<div class=\"row\">"
        guard !actual.isEmpty, actual.count == predicted.count else { return s + "</div>\n" }
        let all = (actual + predicted).filter(\.isFinite)
        let range = (all.min() ?? 0)...(all.max() ?? 1)
        var frame = PlotFrame(x: range, y: range, width: 400, height: 340)
        s += "<figure><figcaption>Predicted against actual</figcaption>" + frame.open(label: "predicted against actual")
            + frame.axes(xLabel: "actual", yLabel: "predicted")
            + frame.polyline(xs: [range.lowerBound, range.upperBound], ys: [range.lowerBound, range.upperBound],
                             cssClass: "identity", color: "#888", dashed: true)
        let drawn = drawnRows(actual.count)
        for i in drawn where predicted[i].isFinite {
            s += "<circle class=\"obs\" cx=\"\(f(frame.px(actual[i])))\" cy=\"\(f(frame.py(predicted[i])))\" r=\"3\" fill=\"\(color(0))\" fill-opacity=\"0.6\"/>"
        }
        s += "</svg></figure>\n"
        let residuals = zip(actual, predicted).map { $0 - $1 }
        let bound = max(residuals.map(abs).filter(\.isFinite).max() ?? 1, 1e-12)
        let predictedRange = (predicted.min() ?? 0)...(predicted.max() ?? 1)
        frame = PlotFrame(x: predictedRange, y: -bound...bound, width: 400, height: 340)
        s += "<figure><figcaption>Residuals (actual − predicted)</figcaption>" + frame.open(label: "residuals")
            + frame.axes(xLabel: "predicted", yLabel: "residual")
            + frame.polyline(xs: [predictedRange.lowerBound, predictedRange.upperBound], ys: [0, 0], cssClass: "zero",
                             color: "#888", dashed: true)
        for i in drawn where residuals[i].isFinite {
            s += "<circle class=\"obs\" cx=\"\(f(frame.px(predicted[i])))\" cy=\"\(f(frame.py(residuals[i])))\" r=\"3\" fill=\"\(color(1))\" fill-opacity=\"0.6\"/>"
        }
        return s + "</svg></figure></div>\n" + drawnRowsNote(actual.count)
    }

    /// A square plot of curves on [0, 1]², with a legend; `diagonal` draws the chance (or perfect calibration) line.
    private static func curvePlot(title: String, cssClass: String, xLabel: String, yLabel: String,
                                  curves: [(String, [Double], [Double])], diagonal: Bool, markers: Bool = false) -> String {
        let frame = PlotFrame(x: 0...1, y: 0...1, width: 360, height: 340)
        var s = "<figure><figcaption>\(escapeHTML(title))</figcaption>" + frame.open(label: title)
            + frame.axes(xLabel: xLabel, yLabel: yLabel)
        if diagonal { s += frame.polyline(xs: [0, 1], ys: [0, 1], cssClass: "chance", color: "#888", dashed: true) }
        for (i, curve) in curves.enumerated() {
            s += frame.polyline(xs: curve.1, ys: curve.2, cssClass: cssClass, color: color(i))
            if markers {
                for (x, y) in zip(curve.1, curve.2) {
                    s += "<circle class=\"bin\" cx=\"\(f(frame.px(x)))\" cy=\"\(f(frame.py(y)))\" r=\"3.5\" fill=\"\(color(i))\"/>"
                }
            }
        }
        s += "</svg>" + legend(curves.enumerated().map { ($0.element.0, color($0.offset)) }) + "</figure>\n"
        return s
    }

    static func legend(_ entries: [(String, String)]) -> String {
        "<div class=\"legend\">" + entries.map { name, c in
            "<span><i class=\"swatch\" style=\"background: \(c)\"></i>\(escapeHTML(name))</span>"
        }.joined() + "</div>"
    }

    /// A single-hue (blue) sequential scale from white, readable with any colour vision.
    static func heat(_ share: Double) -> String {
        let t = min(1, max(0, share))
        let r = Int(247 - t * (247 - 8)), g = Int(251 - t * (251 - 69)), b = Int(255 - t * (255 - 148))
        return "rgb(\(r),\(g),\(b))"
    }

    /// Four significant digits, for quantities in the target's units.
    static func sig(_ v: Double) -> String { String(printf: "%.4g", v) }
}

extension String {
    var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}
