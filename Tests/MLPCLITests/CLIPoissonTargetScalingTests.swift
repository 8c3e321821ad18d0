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
}
