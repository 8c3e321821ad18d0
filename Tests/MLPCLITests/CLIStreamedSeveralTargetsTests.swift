import Foundation
import Testing

// Several target columns out of core through the built binary: `mlp convert --target a,b`, `mlp train --stream`,
// `--cache` and an `.mlpdata` input write the model an in-memory `mlp train` writes, byte for byte, for a
// multi-output regressor (with and without --scale-target standard) and a multilabel classifier.

/// Two features, two numeric targets on different scales (y1 near 1, y2 near 500) and two 0/1 labels.
private func severalTargetsCSV(rows: Int) -> String {
    var text = "a,b,y1,y2,l1,l2\n"
    for i in 0..<rows {
        let a = Double(i % 37) / 9 - 2, b = Double((i * 7) % 23) / 5
        text += "\(a),\(b),\(a - 0.5 * b),\(500 + 30 * a * b),\(a > 0 ? 1 : 0),\(a + b > 2 ? 1 : 0)\n"
    }
    return text
}

@Suite("mlp convert and streamed training of several targets")
struct CLIStreamedSeveralTargetsTests {
    @Test("convert, train from the cache, --stream and --stream --cache write the in-memory model, byte for byte",
          arguments: [["--regression", "--target", "y2,y1", "--drop", "l1,l2"],
                      ["--regression", "--target", "y2", "--target", "y1", "--drop", "l1,l2", "--scale-target", "standard"],
                      ["--target", "l1,l2", "--drop", "y1,y2"]])
    func streamedIsInMemory(_ targets: [String]) throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try CLI.write(severalTargetsCSV(rows: 500), to: dir + "/d.csv")
        let regression = targets.contains("--regression")
        let reading = targets.filter { $0 != "--scale-target" && $0 != "standard" }
        let fitting = ["--hidden-layer-sizes", "6", "--max-iter", "4", "--random-state", "3", "--scale", "none"]
            + (targets.contains("--scale-target") ? ["--scale-target", "standard"] : [])
        let training = fitting + ["--quiet"]
        let memory = try CLI.run(["train", "d.csv", "-o", "memory.mlp"] + targets + training, in: dir)
        #expect(memory.code == 0, "\(memory.stderr)")
        let convert = try CLI.run(["convert", "d.csv", "d.mlpdata"] + reading, in: dir)
        #expect(convert.code == 0, "\(convert.stderr)")
        #expect(convert.stdout.contains(regression ? "numeric targets 'y2', 'y1'" : "multilabel targets 'l1', 'l2'"),
                "\(convert.stdout)")
        let fromCache = try CLI.run(["train", "d.mlpdata", "-o", "cache.mlp"] + training
                                    + (regression ? ["--regression"] : []), in: dir)
        #expect(fromCache.code == 0, "\(fromCache.stderr)")
        let streamed = try CLI.run(["train", "d.csv", "--stream", "-o", "stream.mlp"] + targets + training, in: dir)
        #expect(streamed.code == 0, "\(streamed.stderr)")
        let kept = try CLI.run(["train", "d.csv", "--stream", "--cache", "kept.mlpdata", "-o", "kept.mlp"] + targets + training,
                               in: dir)
        #expect(kept.code == 0, "\(kept.stderr)")
        let bytes = try ["memory", "cache", "stream", "kept"].map { try Data(contentsOf: URL(fileURLWithPath: "\(dir)/\($0).mlp")) }
        #expect(bytes.allSatisfy { $0 == bytes[0] })
        let predicted = try ["memory", "cache"].map { try CLI.run(["predict", "\($0).mlp", "d.csv"], in: dir).stdout }
        #expect(predicted[0] == predicted[1] && predicted[0].hasPrefix(regression ? "y2,y1\n" : "l1,l2\n"))
        // The streamed training score is the in-memory one, named alike.
        let summary = try CLI.run(["train", "d.mlpdata", "-o", "again.mlp"] + fitting + (regression ? ["--regression"] : []),
                                  in: dir)
        let inMemory = try CLI.run(["train", "d.csv", "-o", "again.mlp"] + targets + fitting, in: dir)
        let scoreLine = { (text: String) in text.split(separator: "\n").first { $0.hasPrefix("training ") }.map(String.init) }
        #expect(scoreLine(summary.stdout) != nil && scoreLine(summary.stdout) == scoreLine(inMemory.stdout),
                "\(summary.stdout)\n\(inMemory.stdout)")
    }

    @Test("early stopping streams several targets; --test-size is refused as for one; a bad cell names its line and column")
    func heldOutOptionsAndErrors() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try CLI.write(severalTargetsCSV(rows: 400), to: dir + "/d.csv")
        let early = try CLI.run(["train", "d.csv", "--stream", "--target", "l1,l2", "--drop", "y1,y2", "--early-stopping",
                                 "--max-iter", "5", "--json", "-o", "e.mlp"], in: dir)
        #expect(early.code == 0, "\(early.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(early.stdout.utf8)) as? [String: Any]
        #expect((json?["validation_scores"] as? [Any])?.count == json?["n_iter"] as? Int)
        expectCleanError(try CLI.run(["train", "d.csv", "--stream", "--target", "y1,y2", "--regression", "--drop", "l1,l2",
                                      "--test-size", "0.2", "-o", "t.mlp"], in: dir),
                         code: 2, contains: "--test-size is not supported")
        try CLI.write("a,l1,l2\n1,0,1\n2,1,0\n3,1,yes\n", to: dir + "/bad.csv")
        expectCleanError(try CLI.run(["convert", "bad.csv", "bad.mlpdata", "--target", "l1,l2"], in: dir), code: 1,
                         contains: "bad.csv, line 4, column 'l2': 'yes' is not 0 or 1")
        #expect(!FileManager.default.fileExists(atPath: dir + "/bad.mlpdata"))
        expectCleanError(try CLI.run(["train", "d.mlpdata", "--target", "l1"], in: dir), code: 2,
                         contains: "give --target")
    }
}
