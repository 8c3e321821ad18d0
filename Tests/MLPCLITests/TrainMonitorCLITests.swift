import Foundation
import Testing

// `mlp train`'s live monitors through the built binary: a blow-up exits 1 and writes nothing, each warning names
// its finding id and fix, and every run says why it stopped.
@Suite struct TrainMonitorCLITests {
    static let blowUp = ["train", "--dataset", "iris", "--solver", "sgd", "--learning-rate-init", "50", "--scale", "none",
                         "--random-state", "0", "-o", "m.mlp"]

    @Test func aBlowUpExitsOneWritesNothingAndSaysWhy() throws {
        let dir = try CLI.temporaryDirectory()
        let r = try CLI.run(Self.blowUp + ["--quiet"], in: dir)
        expectCleanError(r, code: 1, contains: "[exploding-gradient] Training diverged at epoch")
        #expect(r.stderr.contains("exceeded 1000 × the first epoch's loss"))
        #expect(r.stderr.contains("No model was written"))
        #expect(r.stderr.contains("(fix: --learning-rate-init 5.0 --scale standard)"))
        #expect(!FileManager.default.fileExists(atPath: dir + "/m.mlp"))
    }

    @Test func aBlowUpsJSONSaysNotConvergedWithItsStopReason() throws {
        let dir = try CLI.temporaryDirectory()
        let r = try CLI.run(Self.blowUp + ["--json"], in: dir)
        #expect(r.code == 1)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(json["converged"] as? Bool == false)
        #expect(json["diverged"] as? Bool == true)
        #expect((json["stop_reason"] as? String)?.hasPrefix("Training diverged at epoch") == true)
        #expect(json["model"] is NSNull)
        let curve = try #require(json["loss_curve"] as? [Double])
        #expect(curve.count == json["n_iter"] as? Int)
        #expect(curve.last! > 1000 * curve.first!)
    }

    @Test func earlyStoppingBlowUpAlsoExitsOne() throws {
        let dir = try CLI.temporaryDirectory()
        let r = try CLI.run(Self.blowUp + ["--early-stopping", "--quiet"], in: dir)
        expectCleanError(r, code: 1, contains: "[exploding-gradient]")
        #expect(!FileManager.default.fileExists(atPath: dir + "/m.mlp"))
    }

    /// The blow-up of `blowUp` on iris.csv, in memory, streamed from the CSV (`--stream`) or from a cache made by
    /// `mlp convert`: every path follows the same rules. m.mlp holds "old" before the run.
    static func blowUpRun(_ source: String, _ extra: [String], in dir: String) throws -> RunResult {
        _ = try datasetCopy("iris", in: dir)
        try CLI.write("old", to: dir + "/m.mlp")
        var data = ["iris.csv"]
        if source == "stream" { data.append("--stream") }
        if source == "cache" {
            let converted = try CLI.run(["convert", "iris.csv", "iris.mlpdata", "-q"], in: dir)
            #expect(converted.code == 0, "\(converted.stderr)")
            data = ["iris.mlpdata"]
        }
        return try CLI.run(["train"] + data + Array(blowUp.dropFirst(3)) + extra, in: dir)
    }

    static let sources = ["memory", "stream", "cache"]

    @Test(arguments: sources, [[], ["--early-stopping"]])
    func aBlowUpInMemoryOrStreamedExitsOneAndWritesNothing(source: String, extra: [String]) throws {
        let dir = try CLI.temporaryDirectory()
        let r = try Self.blowUpRun(source, extra + ["--quiet"], in: dir)
        expectCleanError(r, code: 1, contains: "mlp: error: [exploding-gradient] Training diverged at epoch")
        #expect(r.stderr.contains("No model was written. (fix: --learning-rate-init 5.0 --scale standard)"), "\(r.stderr)")
        #expect(!r.stderr.contains("keeps the last finite weights"), "\(r.stderr)")
        #expect(r.stdout.isEmpty, "\(r.stdout)")
        #expect(try String(contentsOfFile: dir + "/m.mlp", encoding: .utf8) == "old")
    }

    @Test(arguments: sources, [[], ["--early-stopping"]])
    func aBlowUpInMemoryOrStreamedPrintsTheDivergedJSON(source: String, extra: [String]) throws {
        let dir = try CLI.temporaryDirectory()
        let r = try Self.blowUpRun(source, extra + ["--json"], in: dir)
        #expect(r.code == 1, "\(r.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any],
                                "\(r.stdout) \(r.stderr)")
        #expect(Set(json.keys) == ["converged", "diverged", "finding", "fix", "loss_curve", "model", "n_iter", "stop_reason"])
        #expect(json["converged"] as? Bool == false)
        #expect(json["diverged"] as? Bool == true)
        #expect(json["finding"] as? String == "exploding-gradient")
        #expect(json["fix"] as? [String] == ["--learning-rate-init", "5.0", "--scale", "standard"])
        #expect((json["stop_reason"] as? String)?.hasPrefix("Training diverged at epoch \(json["n_iter"] ?? "")") == true)
        #expect(json["model"] is NSNull)
        let curve = try #require(json["loss_curve"] as? [Any])
        #expect(curve.count == json["n_iter"] as? Int)
        #expect(try String(contentsOfFile: dir + "/m.mlp", encoding: .utf8) == "old")
    }

    @Test func maxIterWarnsWithItsIDAndFixAndStopReason() throws {
        let dir = try CLI.temporaryDirectory()
        let r = try CLI.run(["train", "--dataset", "iris", "--max-iter", "20", "--random-state", "0", "--json"], in: dir)
        #expect(r.code == 0, "\(r.stderr)")
        #expect(r.stderr.contains("mlp: warning: [not-converged] Maximum iterations (20) reached and the optimization "
                                  + "hasn't converged yet. (fix: --max-iter 40)"))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(json["converged"] as? Bool == false)
        #expect(json["stop_reason"] as? String == "Maximum iterations (20) reached and the optimization hasn't converged yet.")
    }

    @Test func oscillationWarnsWithASmallerStep() throws {
        let dir = try CLI.temporaryDirectory()
        let r = try CLI.run(["train", "--dataset", "iris", "--solver", "sgd", "--learning-rate-init", "3",
                             "--random-state", "0"], in: dir)
        #expect(r.code == 0, "\(r.stderr)")
        #expect(r.stderr.contains("mlp: warning: [oscillating-loss]"))
        #expect(r.stderr.contains("(fix: --learning-rate-init 0.3)"))
    }

    @Test func aHealthyRunHasNoWarningAndPrintsItsStopReason() throws {
        let dir = try CLI.temporaryDirectory()
        let r = try CLI.run(["train", "--dataset", "iris", "--max-iter", "2000", "--random-state", "0", "--json"], in: dir)
        #expect(r.code == 0, "\(r.stderr)")
        #expect(!r.stderr.contains("warning"), "\(r.stderr)")
        let reason = "Training loss did not improve more than tol=0.000100 for 10 consecutive epochs. Stopping."
        #expect(r.stderr.contains("stopped after"))
        #expect(r.stderr.contains(reason))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(json["converged"] as? Bool == true)
        #expect(json["stop_reason"] as? String == reason)
    }

    @Test func anUnscaledRegressionTargetWarnsOnceWithItsID() throws {
        let dir = try CLI.temporaryDirectory()
        var csv = "a,b,y\n"
        for i in 0..<60 { csv += "\(Double(i) / 60),\(Double(i % 7) / 7),\(25 + 5 * i + (i % 7) * 3)\n" }
        try CLI.write(csv, to: dir + "/d.csv")
        let r = try CLI.run(["train", "d.csv", "--target", "y", "--regression", "--max-iter", "20", "--random-state", "0"],
                            in: dir)
        #expect(r.code == 0, "\(r.stderr)")
        #expect(r.stderr.components(separatedBy: "[unscaled-target]").count == 2, "\(r.stderr)")
        let scaled = try CLI.run(["train", "d.csv", "--target", "y", "--regression", "--max-iter", "20",
                                  "--random-state", "0", "--scale-target", "standard"], in: dir)
        #expect(!scaled.stderr.contains("unscaled-target"), "\(scaled.stderr)")
    }
}
