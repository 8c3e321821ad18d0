import MLPCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// Minimal SVG drawing for the report: a plot frame with nice axis ticks, polylines and circles.
// Every element the report draws carries a class name, so tests can count them in the HTML text.

struct PlotFrame {
    let width: Double, height: Double
    let left = 64.0, right = 16.0, top = 16.0, bottom = 44.0
    let x: ClosedRange<Double>
    let y: ClosedRange<Double>

    init(x: ClosedRange<Double>, y: ClosedRange<Double>, width: Double = 560, height: Double = 340) {
        self.width = width
        self.height = height
        self.x = x.lowerBound == x.upperBound ? (x.lowerBound - 1)...(x.upperBound + 1) : x
        self.y = y.lowerBound == y.upperBound ? (y.lowerBound - 1)...(y.upperBound + 1) : y
    }

    func px(_ v: Double) -> Double { left + (v - x.lowerBound) / (x.upperBound - x.lowerBound) * (width - left - right) }
    func py(_ v: Double) -> Double { height - bottom - (v - y.lowerBound) / (y.upperBound - y.lowerBound) * (height - top - bottom) }

    func open(label: String) -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"plot\" role=\"img\" aria-label=\"\(escapeHTML(label))\" "
            + "width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\">\n"
    }

    /// Axes with tick labels and axis titles.
    func axes(xLabel: String, yLabel: String) -> String {
        var s = "<g class=\"axes\" font-size=\"11\" fill=\"#333\">\n"
        let x0 = left, x1 = width - right, y0 = height - bottom, y1 = top
        s += "<rect x=\"\(f(x0))\" y=\"\(f(y1))\" width=\"\(f(x1 - x0))\" height=\"\(f(y0 - y1))\" fill=\"none\" stroke=\"#999\"/>\n"
        for t in niceTicks(x) {
            s += "<line x1=\"\(f(px(t)))\" y1=\"\(f(y0))\" x2=\"\(f(px(t)))\" y2=\"\(f(y0 + 4))\" stroke=\"#999\"/>"
            s += "<text x=\"\(f(px(t)))\" y=\"\(f(y0 + 16))\" text-anchor=\"middle\">\(tickLabel(t))</text>\n"
        }
        for t in niceTicks(y) {
            s += "<line x1=\"\(f(x0 - 4))\" y1=\"\(f(py(t)))\" x2=\"\(f(x0))\" y2=\"\(f(py(t)))\" stroke=\"#999\"/>"
            s += "<text x=\"\(f(x0 - 6))\" y=\"\(f(py(t) + 4))\" text-anchor=\"end\">\(tickLabel(t))</text>\n"
        }
        s += "<text x=\"\(f((x0 + x1) / 2))\" y=\"\(f(height - 6))\" text-anchor=\"middle\">\(escapeHTML(xLabel))</text>\n"
        s += "<text transform=\"translate(14 \(f((y0 + y1) / 2))) rotate(-90)\" text-anchor=\"middle\">\(escapeHTML(yLabel))</text>\n"
        return s + "</g>\n"
    }

    /// A polyline through (x[i], y[i]); non-finite values are skipped. A point within half a pixel of the last one
    /// drawn is left out, so the line strays from the data by at most that (a ROC curve over 50,000 rows held 2 MB
    /// of points no screen can tell apart).
    func polyline(xs: [Double], ys: [Double], cssClass: String, color: String, dashed: Bool = false) -> String {
        let pixels = zip(xs, ys).filter { $0.1.isFinite }.map { (x: px($0.0), y: py($0.1)) }
        var points: [String] = []
        var last: (x: Double, y: Double)?
        for (i, p) in pixels.enumerated() {
            if let last, i < pixels.count - 1, (p.x - last.x) * (p.x - last.x) + (p.y - last.y) * (p.y - last.y) < 0.25 {
                continue
            }
            points.append("\(f(p.x)),\(f(p.y))")
            last = p
        }
        let dash = dashed ? " stroke-dasharray=\"5 4\"" : ""
        return "<polyline class=\"\(cssClass)\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\"\(dash) points=\"\(points.joined(separator: " "))\"/>\n"
    }
}

/// The most markers a scatter plot draws: more only weigh the page (50,000 rows made 3.5 MB) and hide each other.
let scatterPointLimit = 1_000

/// The rows a scatter plot of `count` rows draws: all of them up to `scatterPointLimit`, else that many evenly spaced
/// in row order (every class and every part of the file keeps its share).
func drawnRows(_ count: Int) -> [Int] {
    count <= scatterPointLimit ? Array(0..<count) : (0..<scatterPointLimit).map { $0 * count / scatterPointLimit }
}

/// A figure's note when it draws a sample of the rows; empty when it draws them all.
func drawnRowsNote(_ count: Int) -> String {
    count <= scatterPointLimit ? ""
        : "<p class=\"note\">\(scatterPointLimit) of \(count) rows drawn, evenly spaced in row order; the scores use every row.</p>"
}

/// About five round tick values covering the range.
func niceTicks(_ range: ClosedRange<Double>) -> [Double] {
    let span = range.upperBound - range.lowerBound
    guard span > 0, span.isFinite else { return [range.lowerBound] }
    let raw = span / 5
    let magnitude = pow(10, floor(log10(raw)))
    let step = [1.0, 2, 2.5, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? 10 * magnitude
    var ticks: [Double] = []
    var t = ceil(range.lowerBound / step) * step
    while t <= range.upperBound + step * 1e-9 && ticks.count < 20 {
        ticks.append(abs(t) < step * 1e-9 ? 0 : t)
        t += step
    }
    return ticks
}

func tickLabel(_ v: Double) -> String {
    if v == v.rounded() && abs(v) < 1e6 { return String(Int(v)) }
    return String(printf: abs(v) < 1e-3 || abs(v) >= 1e6 ? "%.2g" : "%.4g", v)
}

/// Two decimals are plenty for pixel coordinates.
func f(_ v: Double) -> String { String(printf: "%.2f", v) }

func escapeHTML(_ s: String) -> String {
    var out = ""
    for c in s {
        switch c {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        case "'": out += "&#39;"
        default: out.append(c)
        }
    }
    return out
}

/// The Okabe-Ito palette, distinguishable with the common colour-vision deficiencies (black last; then repeats).
let palette = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]
func color(_ i: Int) -> String { palette[i % palette.count] }
