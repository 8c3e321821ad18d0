import MLPCore

// `mlp train … --report report.html`: one self-contained HTML page (inline SVG and CSS, no scripts, no network).
// It takes plain data, so it does not depend on any estimator type.

/// The decision regions of a 2-feature classifier on a grid, plus the training points.
public struct DecisionBoundary: Sendable {
    /// The name of the first feature (horizontal axis).
    public var xName: String
    /// The name of the second feature (vertical axis).
    public var yName: String
    /// The horizontal extent of the grid, in feature units.
    public var xRange: ClosedRange<Double>
    /// The vertical extent of the grid, in feature units.
    public var yRange: ClosedRange<Double>
    /// The number of grid cells per row.
    public var gridWidth: Int
    /// The number of grid rows.
    public var gridHeight: Int
    /// Predicted class per grid cell, row-major, row 0 at the lowest y.
    public var gridClasses: [Int]
    /// The training points' first feature (in the original, unscaled feature units).
    public var pointsX: [Double]
    /// The training points' second feature, one per entry of `pointsX`.
    public var pointsY: [Double]
    /// The true class index of each training point.
    public var pointClasses: [Int]
    /// The class names, indexed by class index (for the legend).
    public var classNames: [String]

    /// Creates a decision boundary from a grid that is already computed (see `compute` to build one).
    /// - Parameters:
    ///   - xName: the first feature's name.
    ///   - yName: the second feature's name.
    ///   - xRange: the grid's horizontal extent.
    ///   - yRange: the grid's vertical extent.
    ///   - gridWidth: cells per row.
    ///   - gridHeight: rows.
    ///   - gridClasses: gridWidth × gridHeight predicted class indices, row-major, row 0 at the lowest y.
    ///   - pointsX: the training points' first feature.
    ///   - pointsY: the training points' second feature.
    ///   - pointClasses: the training points' true class indices.
    ///   - classNames: the class names, indexed by class index.
    public init(xName: String, yName: String, xRange: ClosedRange<Double>, yRange: ClosedRange<Double>,
                gridWidth: Int, gridHeight: Int, gridClasses: [Int], pointsX: [Double], pointsY: [Double],
                pointClasses: [Int], classNames: [String]) {
        self.xName = xName
        self.yName = yName
        self.xRange = xRange
        self.yRange = yRange
        self.gridWidth = gridWidth
        self.gridHeight = gridHeight
        self.gridClasses = gridClasses
        self.pointsX = pointsX
        self.pointsY = pointsY
        self.pointClasses = pointClasses
        self.classNames = classNames
    }

    /// Builds the grid by calling `predict` once on all cell centres (row-major (cells, 2) → class indices).
    /// The range is the data's range padded by 5% on each side (at least 0.5).
    /// - Parameters:
    ///   - features: the training points, row-major (n, 2).
    ///   - classes: the true class index of each point.
    ///   - classNames: the class names, indexed by class index.
    ///   - featureNames: the two feature names (missing ones become "x1", "x2").
    ///   - resolution: cells per side of the square grid.
    ///   - predict: the classifier: cell centres row-major (cells, 2) in, one class index per cell out.
    /// - Returns: the grid and the points.
    /// - Throws: whatever `predict` throws.
    public static func compute(features: [Double], classes: [Int], classNames: [String], featureNames: [String],
                               resolution: Int = 120,
                               predict: ([Double]) throws -> [Int]) rethrows -> DecisionBoundary {
        let xs = stride(from: 0, to: features.count, by: 2).map { features[$0] }
        let ys = stride(from: 1, to: features.count, by: 2).map { features[$0] }
        func padded(_ v: [Double]) -> ClosedRange<Double> {
            let lo = v.min() ?? 0, hi = v.max() ?? 1
            let pad = max((hi - lo) * 0.05, 0.5)
            return (lo - pad)...(hi + pad)
        }
        let xr = padded(xs), yr = padded(ys)
        var grid: [Double] = []
        grid.reserveCapacity(resolution * resolution * 2)
        for r in 0..<resolution {
            let y = yr.lowerBound + (Double(r) + 0.5) / Double(resolution) * (yr.upperBound - yr.lowerBound)
            for c in 0..<resolution {
                grid.append(xr.lowerBound + (Double(c) + 0.5) / Double(resolution) * (xr.upperBound - xr.lowerBound))
                grid.append(y)
            }
        }
        let predicted = try predict(grid)
        return DecisionBoundary(xName: featureNames.first ?? "x1", yName: featureNames.dropFirst().first ?? "x2",
                                xRange: xr, yRange: yr, gridWidth: resolution, gridHeight: resolution,
                                gridClasses: predicted, pointsX: xs, pointsY: ys, pointClasses: classes,
                                classNames: classNames)
    }
}

/// Everything the HTML report shows, as plain data; sections whose data is missing are left out.
public struct ReportData: Sendable {
    /// The page title and heading.
    public var title: String
    /// Key/value lines shown at the top (model, data, training parameters, timing).
    public var summary: [(String, String)]
    /// Training loss per epoch (scikit-learn's `loss_curve_`); empty to leave out the loss plot and the validation
    /// plot.
    public var lossCurve: [Double]
    /// Per-epoch validation scores (early stopping), if any.
    public var validationScores: [Double]?
    /// Classification scores, confusion matrix and per-class table, if any.
    public var classification: ClassificationReport?
    /// Regression scores, if any.
    public var regression: RegressionReport?
    /// The decision-boundary plot of a 2-feature classifier, if any.
    public var decisionBoundary: DecisionBoundary?
    /// A line under the decision boundary (e.g. that its axes are principal components).
    public var decisionBoundaryNote: String?
    /// Validation loss per epoch (early stopping), drawn with the training loss; the best epoch is marked.
    public var validationLossCurve: [Double]?
    /// The 1-based epoch whose weights were kept or that scored best, marked on the curves.
    public var bestEpoch: Int?
    /// Summary keys to highlight (e.g. the parameters that differ from scikit-learn's defaults).
    public var highlightedSummaryKeys: Set<String> = []
    /// The scored sets (training, validation, test), each with its metrics and plots; when empty, the single
    /// `classification` or `regression` is shown instead.
    public var sets: [ReportSet] = []

    /// Creates the report's data; everything but the title is optional.
    /// - Parameters:
    ///   - title: the page title.
    ///   - summary: key/value lines for the top of the page.
    ///   - lossCurve: training loss per epoch.
    ///   - validationScores: validation score per epoch (early stopping).
    ///   - classification: classification scores.
    ///   - regression: regression scores.
    ///   - decisionBoundary: the decision-boundary plot.
    public init(title: String, summary: [(String, String)] = [], lossCurve: [Double] = [],
                validationScores: [Double]? = nil, classification: ClassificationReport? = nil,
                regression: RegressionReport? = nil, decisionBoundary: DecisionBoundary? = nil) {
        self.title = title
        self.summary = summary
        self.lossCurve = lossCurve
        self.validationScores = validationScores
        self.classification = classification
        self.regression = regression
        self.decisionBoundary = decisionBoundary
    }

    /// Creates a report of a run: header lines, loss curves, scored sets and a decision boundary.
    /// - Parameters:
    ///   - title: the page title.
    ///   - summary: key/value lines for the header.
    ///   - highlightedSummaryKeys: summary keys to highlight.
    ///   - lossCurve: training loss per epoch.
    ///   - validationLossCurve: validation loss per epoch (early stopping).
    ///   - validationScores: validation score per epoch (early stopping).
    ///   - bestEpoch: the 1-based epoch to mark.
    ///   - sets: the scored sets.
    ///   - decisionBoundary: the decision-boundary plot.
    ///   - decisionBoundaryNote: a line under that plot.
    public init(title: String, summary: [(String, String)], highlightedSummaryKeys: Set<String>, lossCurve: [Double],
                validationLossCurve: [Double]?, validationScores: [Double]?, bestEpoch: Int?, sets: [ReportSet],
                decisionBoundary: DecisionBoundary?, decisionBoundaryNote: String?) {
        self.init(title: title, summary: summary, lossCurve: lossCurve, validationScores: validationScores,
                  decisionBoundary: decisionBoundary)
        self.highlightedSummaryKeys = highlightedSummaryKeys
        self.validationLossCurve = validationLossCurve
        self.bestEpoch = bestEpoch
        self.sets = sets
        self.decisionBoundaryNote = decisionBoundaryNote
    }
}

/// Renders `ReportData` as one self-contained HTML page (`mlp train --report`).
public enum HTMLReport {
    /// Renders the report: title, summary table, loss and validation plots, scores, and decision boundary, each
    /// section only when its data is present.
    /// - Parameter data: what to show.
    /// - Returns: the complete HTML document (inline CSS and SVG, no scripts).
    public static func render(_ data: ReportData) -> String {
        var html = """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(escapeHTML(data.title))</title>
        <style>
        body { font-family: system-ui, sans-serif; margin: 24px; color: #222; max-width: 1200px; }
        h1 { font-size: 22px; } h2 { font-size: 17px; margin-top: 28px; } h3 { font-size: 14px; margin: 18px 0 4px; }
        table { border-collapse: collapse; font-size: 13px; }
        td, th { border: 1px solid #ccc; padding: 4px 8px; text-align: right; }
        th { background: #f4f4f4; } td.name, th.name { text-align: left; }
        .summary td { text-align: left; border: none; padding: 2px 12px 2px 0; }
        .legend span { display: inline-block; margin-right: 14px; font-size: 13px; }
        .swatch { display: inline-block; width: 10px; height: 10px; margin-right: 4px; }
        .summary mark { background: #fff3b0; }
        .row { display: flex; flex-wrap: wrap; gap: 18px; } figure { margin: 8px 0; }
        figcaption { font-size: 13px; font-weight: 600; margin-bottom: 4px; }
        table.confusion td.cell { min-width: 44px; } caption { font-size: 13px; text-align: left; padding: 4px 0; }
        </style></head><body>
        <h1>\(escapeHTML(data.title))</h1>

        """
        if !data.summary.isEmpty {
            html += "<table class=\"summary\">\n"
            for (k, v) in data.summary {
                let value = data.highlightedSummaryKeys.contains(k) ? "<mark>\(escapeHTML(v))</mark>" : escapeHTML(v)
                html += "<tr><td><b>\(escapeHTML(k))</b></td><td>\(value)</td></tr>\n"
            }
            html += "</table>\n"
        }
        if !data.lossCurve.isEmpty { html += lossSection(data) }
        if data.sets.isEmpty {
            if let c = data.classification { html += classificationSection(c) }
            if let r = data.regression { html += regressionSection(r) }
        }
        for set in data.sets { html += setSection(set) }
        if let b = data.decisionBoundary {
            html += boundarySection(b)
            if let note = data.decisionBoundaryNote { html += "<p class=\"note\">\(escapeHTML(note))</p>\n" }
        }
        return html + "</body></html>\n"
    }

    static func lossSection(_ data: ReportData) -> String {
        let loss = data.lossCurve
        let epochs = (1...loss.count).map(Double.init)
        let validationLoss = data.validationLossCurve ?? []
        let finite = (loss + validationLoss).filter(\.isFinite)
        let lo = min(0, finite.min() ?? 0), hi = finite.max() ?? 1
        let frame = PlotFrame(x: 1...Double(max(loss.count, 2)), y: lo...hi)
        var s = "<h2>Loss curves</h2>\n" + frame.open(label: "loss curves") + frame.axes(xLabel: "epoch", yLabel: "loss")
        s += frame.polyline(xs: epochs, ys: loss, cssClass: "loss", color: color(0))
        var entries = [("training loss", color(0))]
        if !validationLoss.isEmpty {
            s += frame.polyline(xs: (1...validationLoss.count).map(Double.init), ys: validationLoss,
                                cssClass: "validation-loss", color: color(1))
            entries.append(("validation loss", color(1)))
        }
        if let best = data.bestEpoch, best >= 1, best <= loss.count {
            let x = frame.px(Double(best))
            s += "<line class=\"best-epoch\" x1=\"\(f(x))\" y1=\"\(f(frame.top))\" x2=\"\(f(x))\" "
                + "y2=\"\(f(frame.height - frame.bottom))\" stroke=\"#000\" stroke-dasharray=\"3 3\"/>"
            let y = best <= validationLoss.count ? validationLoss[best - 1] : loss[best - 1]
            s += "<circle class=\"best\" cx=\"\(f(x))\" cy=\"\(f(frame.py(y)))\" r=\"5\" fill=\"none\" stroke=\"#000\" stroke-width=\"2\"/>"
            entries.append(("best epoch \(best)", "#000"))
        }
        s += "</svg>\n" + legend(entries) + "\n"
        if let scores = data.validationScores, !scores.isEmpty {
            let vf = PlotFrame(x: 1...Double(max(scores.count, 2)),
                               y: min(0, scores.filter(\.isFinite).min() ?? 0)...max(1, scores.filter(\.isFinite).max() ?? 1))
            s += "<h2>Validation score</h2>\n" + vf.open(label: "validation curve")
                + vf.axes(xLabel: "epoch", yLabel: "validation score")
            s += vf.polyline(xs: (1...scores.count).map(Double.init), ys: scores, cssClass: "validation", color: color(1))
            s += "</svg>\n"
        }
        return s
    }

    static func classificationSection(_ c: ClassificationReport) -> String {
        var s = "<h2>Classification (\(c.samples) samples)</h2>\n<p>Accuracy <b>\(fmt(c.accuracy))</b>"
        if let l = c.logLoss { s += ", log-loss <b>\(fmt(l))</b>" }
        s += "</p>\n<table class=\"confusion\"><tr><th class=\"name\">true \\ predicted</th>"
        for name in c.classes { s += "<th>\(escapeHTML(name))</th>" }
        s += "</tr>\n"
        let maxCount = max(1, c.confusionMatrix.flatMap { $0 }.max() ?? 1)
        for (i, row) in c.confusionMatrix.enumerated() {
            s += "<tr><th class=\"name\">\(escapeHTML(c.classes[i]))</th>"
            for (j, v) in row.enumerated() {
                let alpha = Double(v) / Double(maxCount) * 0.8
                let tint = i == j ? "44,160,44" : "214,39,40"
                s += "<td class=\"cell\" style=\"background: rgba(\(tint),\(String(printf: "%.2f", alpha)))\">\(v)</td>"
            }
            s += "</tr>\n"
        }
        s += "</table>\n<h2>Per-class metrics</h2>\n<table class=\"per-class\">"
        s += "<tr><th class=\"name\">class</th><th>precision</th><th>recall</th><th>F1</th><th>support</th></tr>\n"
        for (i, m) in c.perClass.enumerated() {
            s += "<tr><td class=\"name\">\(escapeHTML(c.classes[i]))</td><td>\(fmt(m.precision))</td><td>\(fmt(m.recall))</td>"
                + "<td>\(fmt(m.f1))</td><td>\(m.support)</td></tr>\n"
        }
        for (name, a) in [("macro avg", c.macroAverage), ("weighted avg", c.weightedAverage)] {
            s += "<tr><td class=\"name\">\(name)</td><td>\(fmt(a.precision))</td><td>\(fmt(a.recall))</td>"
                + "<td>\(fmt(a.f1))</td><td>\(c.samples)</td></tr>\n"
        }
        return s + "</table>\n"
    }

    static func regressionSection(_ r: RegressionReport) -> String {
        "<h2>Regression (\(r.samples) samples)</h2>\n<table class=\"regression\">"
            + "<tr><th>R²</th><th>MAE</th><th>RMSE</th></tr><tr><td>\(fmt(r.r2))</td>"
            + "<td>\(fmt(r.meanAbsoluteError))</td><td>\(fmt(r.rootMeanSquaredError))</td></tr></table>\n"
    }

    static func boundarySection(_ b: DecisionBoundary) -> String {
        let frame = PlotFrame(x: b.xRange, y: b.yRange)
        var s = "<h2>Decision boundary</h2>\n" + frame.open(label: "decision boundary")
        // Regions: one rectangle per horizontal run of equal class.
        s += "<g class=\"regions\" opacity=\"0.28\" shape-rendering=\"crispEdges\">\n"
        let cw = (b.xRange.upperBound - b.xRange.lowerBound) / Double(b.gridWidth)
        let ch = (b.yRange.upperBound - b.yRange.lowerBound) / Double(b.gridHeight)
        for r in 0..<b.gridHeight {
            var c = 0
            while c < b.gridWidth {
                let k = b.gridClasses[r * b.gridWidth + c]
                var end = c + 1
                while end < b.gridWidth && b.gridClasses[r * b.gridWidth + end] == k { end += 1 }
                let x0 = frame.px(b.xRange.lowerBound + Double(c) * cw), x1 = frame.px(b.xRange.lowerBound + Double(end) * cw)
                let y1 = frame.py(b.yRange.lowerBound + Double(r) * ch), y0 = frame.py(b.yRange.lowerBound + Double(r + 1) * ch)
                s += "<rect class=\"region\" x=\"\(f(x0))\" y=\"\(f(y0))\" width=\"\(f(x1 - x0 + 0.3))\" height=\"\(f(y1 - y0 + 0.3))\" fill=\"\(color(k))\"/>"
                c = end
            }
            s += "\n"
        }
        s += "</g>\n" + frame.axes(xLabel: b.xName, yLabel: b.yName) + "<g class=\"points\" stroke=\"#000\" stroke-width=\"0.8\">\n"
        for i in drawnRows(b.pointsX.count) {
            s += "<circle class=\"point\" cx=\"\(f(frame.px(b.pointsX[i])))\" cy=\"\(f(frame.py(b.pointsY[i])))\" r=\"4\" fill=\"\(color(b.pointClasses[i]))\"/>\n"
        }
        s += "</g></svg>\n<div class=\"legend\">"
        for (i, name) in b.classNames.enumerated() {
            s += "<span><i class=\"swatch\" style=\"background: \(color(i))\"></i>\(escapeHTML(name))</span>"
        }
        return s + "</div>\n" + drawnRowsNote(b.pointsX.count)
    }

    static func fmt(_ v: Double) -> String { String(printf: "%.4f", v) }
}
