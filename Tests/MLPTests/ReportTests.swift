import Foundation
import Testing
@testable import MLPCore
import MLPDatasets
@testable import MLPReport

// The report is checked on its HTML text: element counts, no network, escaping.

/// The distance from `p` to the segment from `a` to `b` (each `[x, y]`).
private func distance(_ p: (Double, Double), _ a: [Double], _ b: [Double]) -> Double {
    let dx = b[0] - a[0], dy = b[1] - a[1]
    let t = max(0, min(1, ((p.0 - a[0]) * dx + (p.1 - a[1]) * dy) / max(dx * dx + dy * dy, 1e-12)))
    return hypot(p.0 - (a[0] + t * dx), p.1 - (a[1] + t * dy))
}

/// A polyline's points, each `[x, y]`.
private func points(_ svg: String) -> [[Double]] {
    svg.components(separatedBy: "points=\"")[1].components(separatedBy: "\"")[0]
        .split(separator: " ").map { pair in pair.split(separator: ",").map { Double($0)! } }
}

/// The largest distance in pixels from a point (xs[i], ys[i]) to the polyline `drawn` that runs along it.
private func farthestLeftOut(_ xs: [Double], _ ys: [Double], _ frame: PlotFrame, _ drawn: [[Double]]) -> Double {
    var segment = 0, worst = 0.0
    for (x, y) in zip(xs, ys) {
        let p = (frame.px(x), frame.py(y))
        // The segment nearest the point, searched forwards from the last one (both run along the curve).
        while segment + 1 < drawn.count - 1
                && distance(p, drawn[segment + 1], drawn[segment + 2]) <= distance(p, drawn[segment], drawn[segment + 1]) {
            segment += 1
        }
        worst = max(worst, distance(p, drawn[segment], drawn[segment + 1]))
    }
    return worst
}

private func occurrences(_ needle: String, in haystack: String) -> Int {
    haystack.components(separatedBy: needle).count - 1
}

@Suite struct ReportTests {
    func sampleData() throws -> ReportData {
        let seed = try BundledDataset.seed.read()
        let labels = try ClassLabels(seed.targetLabels)
        // A fixed linear rule stands in for a trained model.
        let boundary = DecisionBoundary.compute(features: seed.features, classes: labels.indices,
                                                classNames: labels.classes, featureNames: seed.featureNames,
                                                resolution: 40) { grid in
            stride(from: 0, to: grid.count, by: 2).map { grid[$0 + 1] > 5.2 ? 1 : 0 }
        }
        let predicted = (0..<seed.rowCount).map { seed.features[2 * $0 + 1] > 5.2 ? 1 : 0 }
        let classification = try ClassificationReport(classes: labels.classes, yTrue: labels.indices, yPred: predicted,
                                                  probabilities: nil)
        return ReportData(title: "seed <test> & report", summary: [("model", "MLPClassifier")],
                          lossCurve: [0.9, 0.7, 0.5, 0.45, 0.44], validationScores: [0.5, 0.6, 0.7, 0.7, 0.8],
                          classification: classification, decisionBoundary: boundary)
    }

    @Test func drawsEveryElement() throws {
        let html = HTMLReport.render(try sampleData())
        #expect(occurrences("<circle class=\"point\"", in: html) == 10)
        #expect(occurrences("<svg ", in: html) == 3)
        let loss = html.components(separatedBy: "<polyline class=\"loss\"")[1].components(separatedBy: "points=\"")[1]
            .components(separatedBy: "\"")[0]
        #expect(loss.split(separator: " ").count == 5)
        #expect(occurrences("<polyline class=\"validation\"", in: html) == 1)
        // 40 grid rows, each at least one run, and the rule splits each row into at most 1 run (horizontal bands).
        #expect(occurrences("<rect class=\"region\"", in: html) == 40)
        #expect(occurrences("<td class=\"cell\"", in: html) == 4)
        #expect(html.contains("seed &lt;test&gt; &amp; report"))
    }

    @Test func selfContained() throws {
        let html = HTMLReport.render(try sampleData())
        #expect(!html.contains("<script"))
        #expect(!html.contains("<link"))
        let urls = html.components(separatedBy: "http").count - 1
        #expect(urls == occurrences("xmlns=\"http://www.w3.org/2000/svg\"", in: html))
    }

    @Test func regressionAndNoBoundary() throws {
        let html = HTMLReport.render(ReportData(title: "r", lossCurve: [1],
                                                regression: try RegressionReport(yTrue: [1, 2, 3], yPred: [1, 2, 4])))
        #expect(html.contains("R²"))
        #expect(!html.contains("class=\"point\""))
    }

    @Test("a curve of 50,000 points keeps its ends and strays at most half a pixel from every point it leaves out")
    func longCurveIsThinnedWithinHalfAPixel() throws {
        let n = 50_000
        // A ROC curve over 50,000 rows: a staircase, each threshold one step right (a negative) or up (a positive).
        var random = NumPyRandomState(seed: 3)
        var xs = [0.0], ys = [0.0]
        for _ in 1..<n {
            let up = random.uniform() < 0.5 + 0.45 * (1 - ys.last! + xs.last!) / 2
            xs.append(xs.last! + (up ? 0 : 1)); ys.append(ys.last! + (up ? 1 : 0))
        }
        xs = xs.map { $0 / xs.last! }
        ys = ys.map { $0 / ys.last! }
        let frame = PlotFrame(x: 0...1, y: 0...1, width: 360, height: 340)
        let svg = frame.polyline(xs: xs, ys: ys, cssClass: "pr", color: "#000")
        let drawn = points(svg)
        #expect(drawn.count < 2_000, "\(drawn.count) points drawn")
        #expect(drawn.first == [Double(f(frame.px(xs[0])))!, Double(f(frame.py(ys[0])))!])
        #expect(drawn.last == [Double(f(frame.px(xs[n - 1])))!, Double(f(frame.py(ys[n - 1])))!])
        // Each input point lies within half a pixel (plus the two-decimal rounding) of the drawn polyline.
        #expect(farthestLeftOut(xs, ys, frame, drawn) <= 0.51)
        // A saw whose teeth are 0.9 px high and 0.3 px apart keeps every tooth.
        let sawXs = (0..<600).map { Double($0) * 0.3 / 280 }, sawYs = (0..<600).map { $0 % 2 == 0 ? 0.5 : 0.5 + 0.9 / 280 }
        let saw = points(frame.polyline(xs: sawXs, ys: sawYs, cssClass: "pr", color: "#000"))
        #expect(farthestLeftOut(sawXs, sawYs, frame, saw) <= 0.51)
        // Points a pixel or more apart are all kept.
        let coarse = frame.polyline(xs: [0, 0.5, 1], ys: [0, 1, 0], cssClass: "loss", color: "#000")
        #expect(coarse.components(separatedBy: "points=\"")[1].components(separatedBy: "\"")[0].split(separator: " ").count == 3)
    }

    @Test("scatter plots draw 1,000 evenly spaced rows of a large set, say so, and draw every row of a small one")
    func largeScatterPlotsDrawASample() throws {
        let many = (0..<25_000).map { Double($0 % 97) }
        let figures = HTMLReport.regressionFigures(actual: many, predicted: many.map { $0 + 0.5 })
        #expect(occurrences("<circle class=\"obs\"", in: figures) == 2 * scatterPointLimit)
        #expect(figures.contains("1000 of 25000 rows drawn"))
        #expect(drawnRows(25_000) == (0..<1000).map { $0 * 25 })
        let few = HTMLReport.regressionFigures(actual: [1, 2, 3], predicted: [1, 2, 4])
        #expect(occurrences("<circle class=\"obs\"", in: few) == 6)
        #expect(!few.contains("rows drawn"))
        var boundary = try sampleData().decisionBoundary!
        boundary.pointsX = Array(repeating: boundary.pointsX, count: 300).flatMap { $0 }
        boundary.pointsY = Array(repeating: boundary.pointsY, count: 300).flatMap { $0 }
        boundary.pointClasses = Array(repeating: boundary.pointClasses, count: 300).flatMap { $0 }
        let section = HTMLReport.boundarySection(boundary)
        #expect(occurrences("<circle class=\"point\"", in: section) == scatterPointLimit)
        #expect(section.contains("1000 of 3000 rows drawn"))
    }

    @Test func niceTicksAreRound() {
        #expect(niceTicks(0...1) == [0, 0.2, 0.4, 0.6000000000000001, 0.8, 1])
        #expect(niceTicks(3.1...9.7) == [4, 6, 8])
    }
}
