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
        #expect(Set(first.keys) == ["id", "severity", "evidence", "fix", "effect", "target_columns"])
        #expect(first["target_columns"] as? [String] == [])
        #expect(object["targets"] as? [String] == ["species"])
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

    /// A regression table with a target in the thousands: x in [−1, 1] per column, y = 1000·(x₀ − x₁·x₂) + 5000.
    static func regressionCSV(rows: Int = 120, constant: Bool = false) -> String {
        var csv = "a,b,c,y\n"
        for i in 0..<rows {
            let a = Double(i % 11) / 5 - 1, b = Double((i * 7) % 13) / 6 - 1, c = Double((i * 5) % 17) / 8 - 1
            csv += "\(a),\(b),\(c),\(constant ? 3 : 1000 * (a - b * c) + 5000)\n"
        }
        return csv
    }

    /// `--scale-target standard`, as `mlp train` takes it, is part of the configuration diagnosed: no
    /// unscaled-target finding for a target the configuration already standardizes, and the recommended command keeps
    /// it.
    @Test func scaleTargetIsPartOfTheConfiguration() throws {
        let dir = try CLI.temporaryDirectory()
        try CLI.write(Self.regressionCSV(), to: dir + "/r.csv")
        let r = try CLI.run(["diagnose", "r.csv", "--target", "y", "--regression", "--scale-target", "standard",
                             "--hidden-layer-sizes", "16", "--learning-rate-init", "0.01", "--max-iter", "60",
                             "--random-states", "3", "--json", "-q"], in: dir)
        #expect(r.code == 0, "\(r.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let ids = try #require(object["findings"] as? [[String: Any]]).compactMap { $0["id"] as? String }
        #expect(!ids.contains("unscaled-target"), "\(ids)")
        let recommendation = try #require(object["recommendation"] as? [String: Any])
        let flags = try #require(recommendation["flags"] as? [String])
        #expect(flags.suffix(2) == ["--scale-target", "standard"], "\(flags)")
        #expect(object["above_chance"] as? Bool == true)
        let classifier = try CLI.run(["diagnose", "--dataset", "iris", "--scale-target", "standard"])
        expectCleanError(classifier, code: 2, contains: "--scale-target applies to regressors only")
        let poisson = try CLI.run(["diagnose", "r.csv", "--target", "y", "--regression", "--loss", "poisson",
                                   "--scale-target", "standard"], in: dir)
        expectCleanError(poisson, code: 2, contains: "--loss poisson and --scale-target standard")
    }

    /// A constant regression target has nothing to learn (R² is undefined): one line, exit 1, like a one-class target.
    @Test func constantTargetIsADataError() throws {
        let dir = try CLI.temporaryDirectory()
        try CLI.write(Self.regressionCSV(constant: true), to: dir + "/c.csv")
        let r = try CLI.run(["diagnose", "c.csv", "--target", "y", "--regression", "-q"], in: dir)
        expectCleanError(r, code: 1, contains: "the target column is constant")
    }

    /// A configuration that cannot train on the folds (early stopping's split of one row) is that error, with the
    /// flags that set it, not an exploding-gradient finding.
    @Test func aConfigurationThatCannotTrainIsItsError() throws {
        let dir = try CLI.temporaryDirectory()
        try CLI.write("x,y\n1,a\n2,b\n3,a\n4,b\n5,a\n6,b\n7,a\n8,b\n9,a\n10,b\n", to: dir + "/t.csv")
        let r = try CLI.run(["diagnose", "t.csv", "--target", "y", "--early-stopping", "-q"], in: dir)
        expectCleanError(r, code: 1, contains: "cannot be trained on the diagnosis's training folds (8 rows)")
        #expect(r.stderr.contains("raise --validation-fraction or turn off --early-stopping"), "\(r.stderr)")
    }

    /// Too few rows for one fold per random state: the error names the flag that makes it work.
    @Test func tooFewRowsNamesRandomStates() throws {
        let dir = try CLI.temporaryDirectory()
        try CLI.write("x,y\n1,a\n2,b\n3,a\n4,b\n5,a\n6,b\n", to: dir + "/t.csv")
        let r = try CLI.run(["diagnose", "t.csv", "--target", "y", "-q"], in: dir)
        expectCleanError(r, code: 1, contains: "lower --random-states to 3 or fewer")
        let fewer = try CLI.run(["diagnose", "t.csv", "--target", "y", "--random-states", "3", "--max-iter", "5", "-q"],
                                in: dir)
        #expect(fewer.code == 0, "\(fewer.stderr)")
    }

    /// An unwritable --report, or one naming the input, fails before the diagnosis trains anything (no progress lines).
    @Test func anUnwritableReportFailsBeforeTheDiagnosis() throws {
        let dir = try CLI.temporaryDirectory()
        let missing = try CLI.run(["diagnose", "--dataset", "iris", "--report", "no/such/folder/r.html"], in: dir)
        expectCleanError(missing, code: 1, contains: "no/such/folder")
        #expect(!missing.stderr.contains("diagnose:"), "it trained first: \(missing.stderr)")
        try CLI.write(Self.regressionCSV(constant: false), to: dir + "/d.csv")
        let input = try CLI.run(["diagnose", "d.csv", "--target", "y", "--regression", "--report", "d.csv"], in: dir)
        expectCleanError(input, code: 2, contains: "--report d.csv is the input")
        #expect(try String(contentsOfFile: dir + "/d.csv", encoding: .utf8) == Self.regressionCSV(constant: false))
    }

    @Test func badBudgetIsAUsageError() throws {
        let r = try CLI.run(["diagnose", "--dataset", "iris", "--time-budget", "0"])
        expectCleanError(r, code: 2, contains: "--time-budget")
    }
}

/// `--time-budget` bounds the given configuration's own runs too: a configuration too slow for it is trained for
/// fewer epochs, which `--json` reports as `epoch_cap`, and a budget too small for any comparison is a clear error.
@Suite struct DiagnoseBudgetCLITests {
    static let slow = ["diagnose", "--dataset", "iris", "--hidden-layer-sizes", "64,64", "--max-iter", "5000",
                       "--tol", "0", "--n-iter-no-change", "100000", "--random-states", "3", "-q"]

    @Test func aSlowConfigurationIsCappedAndSaysSo() throws {
        let r = try CLI.run(Self.slow + ["--time-budget", "3", "--json"])
        #expect(r.code == 0, "\(r.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let cap = try #require(object["epoch_cap"] as? [String: Any], "\(r.stdout)")
        #expect(cap["max_iter"] as? Int == 5000)
        #expect((cap["epochs"] as? Int ?? 5000) < 5000)
        #expect((cap["budget_for_max_iter"] as? Double ?? 0) > 3)
        #expect((object["seconds"] as? Double ?? 99) < 3.75)
        let healthy = try CLI.run(["diagnose", "--dataset", "iris", "--max-iter", "30", "--random-states", "3", "--json", "-q"])
        let plain = try #require(try JSONSerialization.jsonObject(with: Data(healthy.stdout.utf8)) as? [String: Any])
        #expect(plain["epoch_cap"] is NSNull)
    }

    @Test func aBudgetTooSmallNamesTheFlag() throws {
        let r = try CLI.run(Self.slow + ["--time-budget", "0.001"])
        expectCleanError(r, code: 1, contains: "set --time-budget to")
    }
}
