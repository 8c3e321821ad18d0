import Foundation
import Testing

/// `mlp diagnose --report FILE.html` through the built binary: the findings of the JSON, one line per configuration
/// tried, a gradient line per weight layer, a histogram per hidden layer and the range test.
struct DiagnoseReportCLITests {
    static func count(_ needle: String, in text: String) -> Int { text.components(separatedBy: needle).count - 1 }

    @Test func theReportDrawsEveryMeasurementOfTheDiagnosis() throws {
        let dir = try CLI.temporaryDirectory()
        let r = try CLI.run(["diagnose", "--dataset", "iris", "--solver", "sgd", "--learning-rate-init", "0.001",
                             "--activation", "logistic", "--hidden-layer-sizes", "20,20", "--max-iter", "40",
                             "--random-states", "2", "--json", "--quiet", "--report", "d.html"], in: dir)
        #expect(r.code == 0, "\(r.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let ids = try #require(json["findings"] as? [[String: Any]]).compactMap { $0["id"] as? String }
        let html = try String(contentsOfFile: dir + "/d.html", encoding: .utf8)
        for id in ids { #expect(html.contains("<td class=\"name\">\(id)</td>"), "finding \(id) missing") }
        #expect(Self.count("<figcaption>hidden layer ", in: html) == 2)
        #expect(Self.count("class=\"bar\"", in: html) > 2)
        #expect(html.contains("per-layer RMS weight gradient"))
        #expect(html.contains("learning-rate range test"))
        // One line per configuration in the loss figure, 3 weight layers, 1 range-test line.
        let lossFigure = try #require(html.components(separatedBy: "training loss per epoch").last)
        let lossLines = Self.count("class=\"series\"", in: lossFigure.components(separatedBy: "</figure>")[0])
        #expect(lossLines >= 2, "at least the given configuration and one fix")
        #expect(Self.count("class=\"series\"", in: html) == lossLines + 3 + 1)
    }
}
