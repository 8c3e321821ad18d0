import Foundation
import Testing

// --loss poisson with --scale-target standard can never fit (a standardized target is partly negative): a usage error.

/// Counts y ≥ 0 against one feature, written to `dir`/counts.csv.
private func counts(in dir: String) throws -> String {
    try CLI.write("a,y\n" + (0..<30).map { "\(Double($0) / 30),\($0 % 7)\n" }.joined(), to: dir + "/counts.csv")
    return "counts.csv"
}

@Suite struct CLIPoissonTargetScalingTests {
    @Test(arguments: ["train", "cv"])
    func poissonOnAStandardizedTargetIsAUsageError(_ command: String) throws {
        let dir = try CLI.temporaryDirectory()
        let data = try counts(in: dir)
        let r = try CLI.run([command, data, "--regression", "--loss", "poisson", "--scale-target", "standard"], in: dir)
        expectCleanError(r, code: 2, contains: "--loss poisson and --scale-target standard cannot be used together")
        #expect(!r.stderr.contains("negative which is not allowed"))
    }

    @Test func poissonAloneStillTrains() throws {
        let dir = try CLI.temporaryDirectory()
        let data = try counts(in: dir)
        let r = try CLI.run(["train", data, "--regression", "--loss", "poisson", "--scale-target", "none",
                             "--max-iter", "5", "-o", "m.mlp", "--quiet"], in: dir)
        #expect(r.code == 0, "\(r.stderr)")
    }

    /// The estimator refuses a negative count without saying where; the tool names the cell's line (a blank line makes
    /// it differ from the row) and, streamed, the CSV rather than its temporary cache.
    @Test func aNegativeCountIsNamedByLineAndColumn() throws {
        let dir = try CLI.temporaryDirectory()
        try CLI.write("a,y1,y2\n" + (0..<12).map { "\($0),\($0 % 3),1\n" }.joined() + "\n12,1,-2\n", to: dir + "/c.csv")
        let named = "c.csv, line 15, column 'y2': the target is -2.0: Some value(s) of y are negative"
        for command in [["train", "c.csv", "-o", "m.mlp"], ["cv", "c.csv", "--folds", "2"]] {
            let r = try CLI.run(command + ["--target", "y1,y2", "--regression", "--loss", "poisson"], in: dir)
            expectCleanError(r, code: 1, contains: named)
        }
        let r = try CLI.run(["cv", "c.csv", "--target", "y2", "--regression", "--loss", "poisson", "--folds", "2"], in: dir)
        expectCleanError(r, code: 1, contains: "c.csv, line 15, column 'y2'")
        let streamed = try CLI.run(["train", "c.csv", "--target", "y2", "--regression", "--loss", "poisson", "--stream", "--quiet",
                                    "-o", "m.mlp"], in: dir)
        expectCleanError(streamed, code: 1, contains: "mlp: error: c.csv: Some value(s) of y are negative")
        #expect(!streamed.stderr.contains("mlp-stream-"))
        #expect(!FileManager.default.fileExists(atPath: dir + "/m.mlp"))
    }
}
