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

    @Test func badBudgetIsAUsageError() throws {
        let r = try CLI.run(["diagnose", "--dataset", "iris", "--time-budget", "0"])
        expectCleanError(r, code: 2, contains: "--time-budget")
    }
}
