import Foundation
import Testing

// `mlp train --regression` on targets near the top of Double's range: a target near 1e300 trains and scores, the
// unscaled-target note gives a finite deviation, and predictions that overflow are no success.

/// `rows` rows of feature a and target (a + 0.5 + 0.1·(i mod 3)) · scale, written to `dir`/`name`.
private func bigTargetCSV(in dir: String, name: String = "big.csv", rows: Int = 50, scale: Double) throws -> String {
    var text = "a,y\n"
    for i in 0..<rows {
        let a = Double((i * 37) % rows) / Double(rows)
        text += "\(a),\((a + 0.5 + 0.1 * Double(i % 3)) * scale)\n"
    }
    try CLI.write(text, to: dir + "/" + name)
    return name
}

@Suite struct CLITargetOverflowTests {
    @Test func aStandardizedTargetNear1e300ReportsAFiniteScore() throws {
        let dir = try CLI.temporaryDirectory()
        let data = try bigTargetCSV(in: dir, scale: 1e300)
        let r = try CLI.run(["train", data, "--regression", "--scale-target", "standard", "--random-state", "0",
                             "-o", "m.mlp"], in: dir)
        #expect(r.code == 0, "\(r.stderr)")
        let score = try #require(r.stdout.split(separator: "\n").first { $0.hasPrefix("training R² ") })
        #expect(Double(score.dropFirst("training R² ".count))?.isFinite == true, "\(r.stdout)")
        let predictions = try CLI.run(["predict", "m.mlp", data], in: dir)
        let values = predictions.stdout.split(separator: "\n").dropFirst().compactMap { Double($0) }
        #expect(values.count == 50 && values.allSatisfy { $0.isFinite && $0 > 1e299 }, "\(predictions.stdout)")
    }

    @Test func theUnscaledTargetNoteGivesTheFiniteDeviationOfATargetNear1e160() throws {
        let dir = try CLI.temporaryDirectory()
        let data = try bigTargetCSV(in: dir, scale: 1e160)
        let r = try CLI.run(["train", data, "--regression", "--max-iter", "2", "-o", "m.mlp"], in: dir)
        let note = try #require(r.stderr.split(separator: "\n").first { $0.contains("[unscaled-target]") })
        #expect(!note.contains("deviation inf") && note.contains("e+159"), "\(note)")
    }

    @Test func predictionsThatOverflowAreNoSuccess() throws {
        // Unscaled features near 1e120 through identity units: outputs near 1e120 standard units, finite in the loss
        // (about 1e237) but beyond Double once restored to a target near 1e200.
        let dir = try CLI.temporaryDirectory()
        var text = "a,y\n"
        for i in 0..<40 { text += "\(Double(i + 1) / 41 * 1e120),\(Double((i * 37) % 41 + 1) / 41 * 1e200)\n" }
        try CLI.write(text, to: dir + "/huge.csv")
        let r = try CLI.run(["train", "huge.csv", "--regression", "--scale", "none", "--activation", "identity",
                             "--scale-target", "standard", "--max-iter", "1", "--random-state", "0", "-o", "m.mlp",
                             "--quiet"], in: dir)
        expectCleanError(r, code: 1, contains: "predictions on the training rows are not all finite")
        #expect(r.stderr.contains("no model was written") && r.stderr.contains("--scale standard"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/m.mlp"))
        #expect(r.stdout.isEmpty)
    }
}
