import Foundation
import Testing

/// `mlp diagnose`: the stable JSON shape, the table and its refusals.
@Suite struct DiagnoseCommandTests {
    @Test func jsonHasTheDocumentedShape() throws {
        let r = try CLI.run(["diagnose", "--dataset", "iris", "--learning-rate-init", "0.00001", "--max-iter", "40",
                             "--random-states", "3", "--json", "--quiet"])
        #expect(r.code == 0, "\(r.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let findings = try #require(object["findings"] as? [[String: Any]])
        let first = try #require(findings.first)
        #expect(Set(first.keys) == ["id", "severity", "evidence", "fix", "effect"])
        #expect(first["id"] as? String == "learning-rate-too-low")
        #expect(first["severity"] as? String == "problem")
        #expect(first["evidence"] is [String: Double])
        let effect = try #require(first["effect"] as? [String: Any])
        #expect(effect["metric"] as? String == "balanced_accuracy")
        #expect((effect["after"] as? Double ?? 0) > (effect["before"] as? Double ?? 1))
        let recommendation = try #require(object["recommendation"] as? [String: Any])
        let flags = try #require(recommendation["flags"] as? [String])
        #expect(flags.contains("--learning-rate-init"))
        for side in ["before", "after"] {
            let summary = try #require(recommendation[side] as? [String: Any])
            #expect(Set(summary.keys).isSuperset(of: ["score", "train_score", "loss", "held_out_loss", "spread", "epochs"]))
        }
        #expect(r.stderr.isEmpty)
    }

    @Test func tableEndsWithACommandToPaste() throws {
        let r = try CLI.run(["diagnose", "--dataset", "iris", "--max-iter", "30", "--random-states", "2"])
        #expect(r.code == 0, "\(r.stderr)")
        #expect(r.stdout.contains("finding"))
        #expect(r.stdout.contains("recommended: mlp train --dataset iris --target species"))
        #expect(r.stderr.contains("diagnose: baseline"))
    }

    /// A table with a text column, a category and missing values: diagnose reads it with train's --drop, --one-hot
    /// and --impute, and the command it recommends repeats them, so that pasted it trains on the same features.
    @Test func recommendedCommandKeepsTheReadingFlags() throws {
        let dir = try CLI.temporaryDirectory()
        var csv = "name;colour;x;y;label\n"
        for i in 0..<60 {
            let x = Double(i % 10) / 3, y = i % 7 == 0 ? "" : "\(Double(i % 5) - 2)"
            csv += "n\(i);\(["red", "blue"][i % 2]);\(x);\(y);\(x + (i % 2 == 0 ? 1 : -1) > 1.5 ? "a" : "b")\n"
        }
        try CLI.write(csv, to: dir + "/d.csv")
        let r = try CLI.run(["diagnose", "d.csv", "--delimiter", ";", "--drop", "name", "--one-hot", "colour",
                             "--impute", "median", "--max-iter", "20", "--random-states", "2", "--time-budget", "5", "-q"],
                            in: dir)
        #expect(r.code == 0, "\(r.stderr)")
        let line = try #require(r.stdout.split(separator: "\n").first { $0.hasPrefix("recommended: mlp train ") })
        #expect(line.contains("d.csv --target label --delimiter ';' --drop name --one-hot colour --impute median"), "\(line)")
        let words = line.dropFirst("recommended: mlp ".count).split(separator: " ").map {
            String($0).replacingOccurrences(of: "'", with: "")
        }
        let trained = try CLI.run(words + ["--max-iter", "5", "-q", "-o", "m.mlp"], in: dir)
        #expect(trained.code == 0, "\(words) \(trained.stderr)")
    }

    @Test func badBudgetIsAUsageError() throws {
        let r = try CLI.run(["diagnose", "--dataset", "iris", "--time-budget", "0"])
        expectCleanError(r, code: 2, contains: "--time-budget")
    }
}
