#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// General-purpose figures for pages other than the training report (`mlp diagnose --report`): overlaid line
// series, a histogram, and a page in the report's style around them. Same frame, palette and class names.

/// One named line of a chart.
public struct PlotSeries: Sendable {
    /// The legend's name.
    public var name: String
    /// The x values.
    public var xs: [Double]
    /// The y values (non-finite ones are left out of the line).
    public var ys: [Double]

    /// - Parameters:
    ///   - name: The legend's name.
    ///   - xs: The x values.
    ///   - ys: The y values, as many as `xs`.
    public init(name: String, xs: [Double], ys: [Double]) {
        self.name = name
        self.xs = xs
        self.ys = ys
    }
}

/// Figures as inline SVG, and a page that holds them.
public enum Charts {
    /// Overlaid lines in one frame, with a legend. Log axes plot log10 of the values (non-positive ones are
    /// left out) and say so in the axis title.
    /// - Parameters:
    ///   - series: The lines, drawn in the palette's order.
    ///   - title: The figure's caption.
    ///   - xLabel: The x axis title.
    ///   - yLabel: The y axis title.
    ///   - logX: Plot log10(x).
    ///   - logY: Plot log10(y).
    /// - Returns: A `<figure>` with the SVG and the legend; an empty string when no series has a finite point.
    public static func lines(_ series: [PlotSeries], title: String, xLabel: String, yLabel: String,
                             logX: Bool = false, logY: Bool = false) -> String {
        func transform(_ v: Double, _ log: Bool) -> Double { log ? (v > 0 ? log10(v) : .nan) : v }
        let plotted = series.map { s in
            (s.name, s.xs.map { transform($0, logX) }, s.ys.map { transform($0, logY) })
        }
        let points = plotted.flatMap { zip($0.1, $0.2).filter { $0.0.isFinite && $0.1.isFinite } }
        guard let xMin = points.map(\.0).min(), let xMax = points.map(\.0).max(),
              let yMin = points.map(\.1).min(), let yMax = points.map(\.1).max() else { return "" }
        let frame = PlotFrame(x: xMin...xMax, y: yMin...yMax)
        var svg = frame.open(label: title)
            + frame.axes(xLabel: logX ? "log10 \(xLabel)" : xLabel, yLabel: logY ? "log10 \(yLabel)" : yLabel)
        for (i, line) in plotted.enumerated() {
            let kept = zip(line.1, line.2).filter { $0.0.isFinite }
            svg += frame.polyline(xs: kept.map(\.0), ys: kept.map(\.1), cssClass: "series", color: color(i))
        }
        svg += "</svg>\n"
        let legend = HTMLReport.legend(plotted.enumerated().map { ($0.element.0, color($0.offset)) })
        return "<figure><figcaption>\(escapeHTML(title))</figcaption>\n\(svg)\(legend)</figure>\n"
    }

    /// A histogram of counts in equal-width bins.
    /// - Parameters:
    ///   - counts: The count of each bin.
    ///   - lower: The lower edge of the first bin.
    ///   - upper: The upper edge of the last bin.
    ///   - title: The figure's caption.
    ///   - xLabel: The x axis title.
    /// - Returns: A `<figure>` with the SVG (one `rect.bar` per non-empty bin); empty when there are no bins.
    public static func histogram(counts: [Int], lower: Double, upper: Double, title: String, xLabel: String) -> String {
        guard !counts.isEmpty, upper > lower else { return "" }
        let total = max(counts.reduce(0, +), 1)
        let shares = counts.map { Double($0) / Double(total) }
        let frame = PlotFrame(x: lower...upper, y: 0...max(shares.max() ?? 1, 1e-9), width: 360, height: 240)
        var svg = frame.open(label: title) + frame.axes(xLabel: xLabel, yLabel: "share of values")
        let width = (upper - lower) / Double(counts.count)
        for (i, share) in shares.enumerated() where share > 0 {
            let x0 = frame.px(lower + Double(i) * width), x1 = frame.px(lower + Double(i + 1) * width)
            let y = frame.py(share), base = frame.py(0)
            svg += "<rect class=\"bar\" x=\"\(f(x0))\" y=\"\(f(y))\" width=\"\(f(max(x1 - x0 - 1, 1)))\" "
                + "height=\"\(f(base - y))\" fill=\"\(color(0))\"/>\n"
        }
        svg += "</svg>\n"
        return "<figure><figcaption>\(escapeHTML(title))</figcaption>\n\(svg)</figure>\n"
    }

    /// A page in the training report's style: the title, a summary table, then `body` (HTML, e.g. figures).
    /// - Parameters:
    ///   - title: The page title.
    ///   - summary: Key–value rows shown under the title.
    ///   - body: The HTML to place after the summary.
    /// - Returns: The complete HTML document (inline CSS and SVG, no scripts).
    public static func page(title: String, summary: [(String, String)], body: String) -> String {
        let frame = HTMLReport.render(ReportData(title: title, summary: summary))
        let end = "</body></html>\n"
        guard frame.hasSuffix(end) else { return frame + body }
        return String(frame.dropLast(end.count)) + body + end
    }

    /// Text escaped for HTML.
    /// - Parameter text: Any text.
    /// - Returns: The text with `&`, `<`, `>`, quotes escaped.
    public static func escaped(_ text: String) -> String { escapeHTML(text) }
}
