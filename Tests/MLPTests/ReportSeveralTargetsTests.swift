import Testing
@testable import MLPCore
@testable import MLPReport

// The report of a model of several targets, checked on its HTML text: each target's or label's figures come from
// its own column, the tables hold each one's scores, and the figures stop at `chartedTargetLimit`.

/// Column `j` of a row-major matrix of `k` columns.
private func column(_ values: [Double], _ j: Int, of k: Int) -> [Double] {
    stride(from: j, to: values.count, by: k).map { values[$0] }
}

/// The text from `start` to the next `<h3` (or the end).
private func section(of html: String, from start: String) throws -> String {
    let after = try #require(html.components(separatedBy: start).dropFirst().first, "no '\(start)'")
    return after.components(separatedBy: "<h3").first ?? after
}

/// A regression set of `k` targets named t0, t1, … over 5 rows; target j's values are scaled by 10^j.
private func regressionSet(targets k: Int) throws -> ReportSet {
    var actual: [Double] = [], predicted: [Double] = []
    for row in 0..<5 {
        for j in 0..<k {
            let scale = [1.0, 10, 100, 1000][j % 4] * (j % 2 == 0 ? 1 : -1)
            actual.append(Double(row + 1) * scale)
            predicted.append((Double(row + 1) + [0.1, -0.3, 0.2, 0, 0.4][row] * Double(j + 1)) * scale)
        }
    }
    let report = try RegressionReport(yTrue: actual, yPred: predicted, outputs: k)
    return ReportSet(name: "training", regression: report, actual: actual, predicted: predicted,
                     targetNames: (0..<k).map { "t\($0)" })
}

// Three labels over six rows; their scores, worked out by hand:
//   x: tp 2, fp 0, fn 1, tn 3 (precision 1, recall 2/3, F1 0.8, support 3)
//   y: tp 3, fp 3, fn 0, tn 0 (precision 0.5, recall 1, F1 2/3, support 3)
//   z: tp 2, fp 0, fn 0, tn 4 (all 1, support 2)
private let labelTruth: [[Double]] = [[1, 0, 0], [1, 1, 0], [0, 1, 0], [0, 1, 1], [1, 0, 0], [0, 0, 1]]
private let labelPredicted: [[Double]] = [[1, 1, 0], [0, 1, 0], [0, 1, 0], [0, 1, 1], [1, 1, 0], [0, 1, 1]]

private func multilabelSet() throws -> ReportSet {
    let truth = labelTruth.flatMap { $0 }, predicted = labelPredicted.flatMap { $0 }
    // Probabilities on the predicted side of 0.5, distinct per row so that the curves have several thresholds.
    let probabilities = predicted.enumerated().map { i, p in p == 1 ? 0.6 + 0.02 * Double(i) : 0.05 + 0.02 * Double(i) }
    let report = try MultilabelReport(labels: ["x", "y", "z"], yTrue: truth, yPred: predicted)
    return ReportSet(name: "test", multilabel: report, actual: truth, predicted: predicted, probabilities: probabilities)
}

@Suite struct ReportSeveralTargetsTests {
    /// Each target's heading is followed by the one-target figures of its own column.
    @Test func eachTargetDrawsItsOwnColumn() throws {
        let set = try regressionSet(targets: 3)
        let each = try #require(set.regression?.perOutput)
        let html = HTMLReport.setSection(set)
        for j in 0..<3 {
            let figures = HTMLReport.regressionFigures(actual: column(set.actual, j, of: 3),
                                                       predicted: column(set.predicted, j, of: 3))
            #expect(html.contains("Target 't\(j)': R² \(HTMLReport.fmt(each[j].r2))</h3>\n" + figures),
                    "target \(j)'s figures are not drawn from its column")
        }
        #expect(html.contains("Training set: regression, 3 targets (5 rows)"))
    }

    /// The table holds each target's R², MAE and RMSE (as a one-target report of that column scores them) and their
    /// uniform averages.
    @Test func regressionTableHoldsEachTargetAndTheAverages() throws {
        let set = try regressionSet(targets: 3)
        let html = HTMLReport.setSection(set)
        func row(_ name: String, _ r2: Double, _ mae: Double, _ rmse: Double) -> String {
            "<tr><td class=\"name\">\(name)</td><td>\(HTMLReport.fmt(r2))</td><td>\(HTMLReport.sig(mae))</td>"
                + "<td>\(HTMLReport.sig(rmse))</td></tr>"
        }
        var scores: [RegressionReport] = []
        for j in 0..<3 {
            let alone = try RegressionReport(yTrue: column(set.actual, j, of: 3), yPred: column(set.predicted, j, of: 3))
            scores.append(alone)
            #expect(html.contains(row("t\(j)", alone.r2, alone.meanAbsoluteError, alone.rootMeanSquaredError)),
                    "row of t\(j)")
        }
        // scikit-learn's multioutput='uniform_average': the mean of the targets' scores.
        func mean(_ score: KeyPath<RegressionReport, Double>) -> Double { scores.map { $0[keyPath: score] }.reduce(0, +) / 3 }
        #expect(html.contains(row("uniform average", mean(\.r2), mean(\.meanAbsoluteError), mean(\.rootMeanSquaredError))))
    }

    /// The per-label table holds each label's precision, recall, F1 and support, in that order.
    @Test func labelTableHoldsEachLabelsScores() throws {
        let html = HTMLReport.setSection(try multilabelSet())
        let fmt = HTMLReport.fmt
        for (label, precision, recall, f1, support) in [("x", 1.0, 2.0 / 3, 0.8, 3), ("y", 0.5, 1, 2.0 / 3, 3),
                                                        ("z", 1, 1, 1, 2)] {
            #expect(html.contains("<tr><td class=\"name\">\(label)</td><td>\(fmt(precision))</td><td>\(fmt(recall))</td>"
                                  + "<td>\(fmt(f1))</td><td>\(support)</td></tr>"), "row of \(label)")
        }
        #expect(html.contains("Subset accuracy <b>\(fmt(2.0 / 6))</b>"))
        #expect(html.contains("Hamming loss <b>\(fmt(4.0 / 18))</b>"))
    }

    /// Each label's confusion matrix counts its own column (rows: absent, present; columns: predicted so).
    @Test func eachLabelsConfusionIsItsOwn() throws {
        let html = HTMLReport.setSection(try multilabelSet())
        let expected = ["x": ["1.00/3", "0.00/0", "0.33/1", "0.67/2"], "y": ["0.00/0", "1.00/3", "0.00/0", "1.00/3"],
                        "z": ["1.00/4", "0.00/0", "0.00/0", "1.00/2"]]
        for (label, cells) in expected {
            let text = try section(of: html, from: "<h3 class=\"label\">Label '\(label)'</h3>")
            let found = text.matches(of: #/([0-9.]+)<br><small>([0-9]+)</small>/#).map { "\($0.1)/\($0.2)" }
            #expect(found == cells, "label \(label)")
            #expect(text.contains("<polyline class=\"roc\""), "label \(label) has its ROC curve")
            #expect(text.contains("Calibration (\(label))"))
        }
    }

    /// With more targets than `chartedTargetLimit`, the figures stop there and a line says how many are left out;
    /// the table keeps them all.
    @Test func figuresStopAtTheLimit() throws {
        let limit = HTMLReport.chartedTargetLimit
        let html = HTMLReport.setSection(try regressionSet(targets: limit + 3))
        #expect(html.components(separatedBy: "<h3 class=\"target\"").count - 1 == limit)
        #expect(html.contains("Figures of the first \(limit) of \(limit + 3) targets; the other 3 are scored in the table"))
        #expect(html.contains("<td class=\"name\">t\(limit + 2)</td>"))
        #expect(!HTMLReport.setSection(try regressionSet(targets: 2)).contains("left-out"))
    }
}
