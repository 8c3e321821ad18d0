import Foundation
import Testing

// `--report` of a model of several targets, through the built `mlp`: every scored set has a section of several
// targets, whose per-target (per-label) scores are those `--json` prints, and each target's figures.

/// The JSON object `mlp … --json` printed.
private func jsonObject(_ text: String) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
}

/// The text of the report's section of `set` ("Training", "Test", …), up to the next section.
private func setSection(_ set: String, of html: String) throws -> String {
    let after = try #require(html.components(separatedBy: "<h2>\(set) set: ").dropFirst().first, "no \(set) set")
    return after.components(separatedBy: "<section").first ?? after
}

private func count(_ needle: String, in html: String) -> Int { html.components(separatedBy: needle).count - 1 }

private func fixed4(_ v: Any?) -> String { String(format: "%.4f", (v as? Double) ?? .nan) }

/// Expects the section's per-target rows to hold the R² that `metrics` (an evaluate JSON object) gives each target.
private func expectTargetRows(_ section: String, _ metrics: [String: Any]?, _ what: String) throws {
    let perTarget = try #require(metrics?["per_target"] as? [[String: Any]], "\(what): no per_target")
    #expect(perTarget.map { $0["target"] as? String } == ["a", "b"], "\(what)")
    for target in perTarget {
        let name = target["target"] as? String ?? "?"
        #expect(section.contains("<tr><td class=\"name\">\(name)</td><td>\(fixed4(target["r2"]))</td>"), "\(what): \(name)")
        #expect(section.contains("Target '\(name)': R² \(fixed4(target["r2"]))</h3>"), "\(what): \(name)'s figures")
    }
    #expect(section.contains("<tr><td class=\"name\">uniform average</td><td>\(fixed4(metrics?["r2"]))</td>"), "\(what)")
}

/// Expects the section's per-label rows to hold the precision, recall and F1 that `metrics` gives each label.
private func expectLabelRows(_ section: String, _ metrics: [String: Any]?, _ what: String) throws {
    let perLabel = try #require(metrics?["per_label"] as? [[String: Any]], "\(what): no per_label")
    #expect(perLabel.count == 3, "\(what)")
    for label in perLabel {
        let name = label["label"] as? String ?? "?"
        let row = "<tr><td class=\"name\">\(name)</td><td>\(fixed4(label["precision"]))</td><td>\(fixed4(label["recall"]))"
            + "</td><td>\(fixed4(label["f1"]))</td><td>\((label["support"] as? Int) ?? -1)</td></tr>"
        #expect(section.contains(row), "\(what): \(row)")
        #expect(section.contains("<h3 class=\"label\">Label '\(name)'</h3>"), "\(what): \(name)'s figures")
    }
    #expect(section.contains("Subset accuracy <b>\(fixed4(metrics?["accuracy"]))</b>"), "\(what)")
    #expect(section.contains("Hamming loss <b>\(fixed4(metrics?["hamming_loss"]))</b>"), "\(what)")
}

@Suite struct CLISeveralTargetsReportTests {
    /// A multi-output regressor's training report (with early stopping and held-out rows) and its evaluate report.
    @Test func multiOutputRegressorReports() throws {
        let c = try #require(MultiOutputCase.all.first { $0.name == "two targets, adam" })
        let dir = try CLI.temporaryDirectory()
        try CLI.write(c.csv, to: dir + "/data.csv")
        let trained = try CLI.run(["train", "data.csv"] + c.args + ["--test-size", "0.25", "--early-stopping", "-o", "m.mlp",
                                                                    "--report", "r.html", "--json"], in: dir)
        #expect(trained.code == 0, "\(trained.stderr)")
        let json = try jsonObject(trained.stdout)
        let html = try String(contentsOfFile: dir + "/r.html", encoding: .utf8)
        #expect(html.contains("2 targets: &#39;a&#39;, &#39;b&#39;"), "the header names the targets")
        #expect(html.contains("<polyline class=\"validation-loss\""), "the loss curves stay")
        #expect(count("<section class=\"set\">", in: html) == 3)
        #expect(count("<h3 class=\"target\">", in: html) == 6)
        // With early stopping the training section scores the rows fitted, which train --json does not score alone.
        for set in ["Training", "Validation", "Test"] {
            #expect(html.contains("<h2>\(set) set: regression, 2 targets ("), "\(set) section")
        }
        try expectTargetRows(try setSection("Test", of: html), json["test_metrics"] as? [String: Any], "train --report, test set")

        let evaluated = try CLI.run(["evaluate", "m.mlp", "data.csv", "--report", "e.html", "--json"], in: dir)
        #expect(evaluated.code == 0, "\(evaluated.stderr)")
        let page = try String(contentsOfFile: dir + "/e.html", encoding: .utf8)
        try expectTargetRows(try setSection("Evaluated", of: page), try jsonObject(evaluated.stdout), "evaluate --report")
    }

    /// A multilabel classifier's training report (held-out rows) and its evaluate report.
    @Test func multilabelClassifierReports() throws {
        let c = try #require(MultiOutputCase.all.first { $0.name == "three labels, held-out rows stratified by label combination" })
        let dir = try CLI.temporaryDirectory()
        try CLI.write(c.csv, to: dir + "/data.csv")
        let trained = try CLI.run(["train", "data.csv"] + c.args + ["-o", "m.mlp", "--report", "r.html", "--json"], in: dir)
        #expect(trained.code == 0, "\(trained.stderr)")
        let json = try jsonObject(trained.stdout)
        let html = try String(contentsOfFile: dir + "/r.html", encoding: .utf8)
        #expect(html.contains("3 labels: &#39;tag_a&#39;, &#39;tag_b&#39;, &#39;tag_c&#39;"))
        #expect(html.contains("<polyline class=\"loss\""))
        #expect(count("<section class=\"set\">", in: html) == 2)
        #expect(count("<polyline class=\"roc\"", in: html) == 6, "a ROC curve per label and set")
        try expectLabelRows(try setSection("Training", of: html), json["train_metrics"] as? [String: Any], "training set")
        try expectLabelRows(try setSection("Test", of: html), json["test_metrics"] as? [String: Any], "test set")

        let evaluated = try CLI.run(["evaluate", "m.mlp", "data.csv", "--report", "e.html", "--json"], in: dir)
        #expect(evaluated.code == 0, "\(evaluated.stderr)")
        let page = try String(contentsOfFile: dir + "/e.html", encoding: .utf8)
        try expectLabelRows(try setSection("Evaluated", of: page), try jsonObject(evaluated.stdout), "evaluate --report")
    }
}
