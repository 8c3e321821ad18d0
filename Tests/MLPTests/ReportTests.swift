import Foundation
import Testing
@testable import MLPCore
import MLPDatasets
@testable import MLPReport

// The report is checked on its HTML text: element counts, no network, escaping.

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

    @Test func niceTicksAreRound() {
        #expect(niceTicks(0...1) == [0, 0.2, 0.4, 0.6000000000000001, 0.8, 1])
        #expect(niceTicks(3.1...9.7) == [4, 6, 8])
    }
}
