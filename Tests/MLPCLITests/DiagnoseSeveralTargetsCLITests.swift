import Foundation
import Testing

/// `mlp diagnose --target a,b`: several target columns are diagnosed as `mlp train` fits them (a multi-output
/// regressor with --regression, else a multilabel classifier), and the report names them.
@Suite struct DiagnoseSeveralTargetsCLITests {
    /// Two regression targets of four features, the second ×1000 when `scaled`; or two 0/1 labels, one cell `badCell`.
    static func csv(labels: Bool = false, scaled: Bool = true, badCell: String? = nil) -> String {
        var text = "x0,x1,x2,x3,a,b\n"
        for i in 0..<120 {
            let x = (0..<4).map { k in sin(Double(i * (k + 3)) * 0.37 + Double(k)) }
            let a = x[0] + 0.5 * x[1], b = x[2] - x[3]
            let targets = labels
                ? [a > 0 ? "1" : "0", i == 7 ? badCell ?? (b > 0 ? "1" : "0") : (b > 0 ? "1" : "0")]
                : ["\(a)", "\(b * (scaled ? 1000 : 1))"]
            text += (x.map { "\($0)" } + targets).joined(separator: ",") + "\n"
        }
        return text
    }

    /// The JSON names the targets, the scale finding names the column off scale, and the command to paste gives one
    /// --target per column.
    @Test func aMultiOutputDiagnosisNamesItsTargets() throws {
        let dir = try CLI.temporaryDirectory()
        try CLI.write(Self.csv(), to: dir + "/d.csv")
        let args = ["diagnose", "d.csv", "--target", "a,b", "--regression", "--max-iter", "60", "--random-states", "3",
                    "--time-budget", "10", "-q"]
        let r = try CLI.run(args + ["--json"], in: dir)
        #expect(r.code == 0, "\(r.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(object["targets"] as? [String] == ["a", "b"])
        #expect(object["metric"] as? String == "r2")
        let findings = try #require(object["findings"] as? [[String: Any]])
        let scale = try #require(findings.first { $0["id"] as? String == "unscaled-target" }, "\(findings)")
        #expect(scale["target_columns"] as? [String] == ["b"])
        let text = try CLI.run(args + ["--report", "r.html"], in: dir)
        #expect(text.stdout.hasPrefix("targets: 'a', 'b' (multi-output regression)"), "\(text.stdout)")
        #expect(text.stdout.contains("recommended: mlp train d.csv --target a --target b --regression"), "\(text.stdout)")
        #expect(text.stdout.contains("unscaled-target (target column 'b'):"), "\(text.stdout)")
        let page = try String(contentsOfFile: dir + "/r.html", encoding: .utf8)
        #expect(page.contains("<b>targets</b></td><td>&#39;a&#39;, &#39;b&#39;</td>"))
        #expect(page.contains("target_columns=b"))
    }

    /// 0/1 columns without --regression are a multilabel classifier, scored by the labels' mean balanced accuracy.
    @Test func zeroOneColumnsAreDiagnosedAsMultilabel() throws {
        let dir = try CLI.temporaryDirectory()
        try CLI.write(Self.csv(labels: true), to: dir + "/l.csv")
        let r = try CLI.run(["diagnose", "l.csv", "--target", "a,b", "--max-iter", "40", "--random-states", "3",
                             "--time-budget", "10", "-q", "--json"], in: dir)
        #expect(r.code == 0, "\(r.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(object["targets"] as? [String] == ["a", "b"])
        #expect(object["chance"] as? Double == 0.5)
    }

    /// A label cell that is not 0 or 1 is named by its line and column, as `mlp train` names it; a constant target
    /// column is named; both before any training.
    @Test func badTargetColumnsAreNamed() throws {
        let dir = try CLI.temporaryDirectory()
        try CLI.write(Self.csv(labels: true, badCell: "2"), to: dir + "/bad.csv")
        let bad = try CLI.run(["diagnose", "bad.csv", "--target", "a,b"], in: dir)
        expectCleanError(bad, code: 1, contains: "line 9, column 'b'")
        #expect(bad.stderr.contains("'2' is not 0 or 1"), "\(bad.stderr)")
        #expect(!bad.stderr.contains("diagnose:"), "it trained first: \(bad.stderr)")
        var constant = Self.csv(scaled: false).split(separator: "\n").map { line in
            line.hasPrefix("x0") ? String(line) : line.split(separator: ",").dropLast().joined(separator: ",") + ",3"
        }.joined(separator: "\n")
        constant += "\n"
        try CLI.write(constant, to: dir + "/c.csv")
        let flat = try CLI.run(["diagnose", "c.csv", "--target", "a,b", "--regression"], in: dir)
        expectCleanError(flat, code: 1, contains: "the target column 'b' is constant")
    }
}
