import Foundation
import MLP
import MLPDatasets
import Testing

// train → predict → evaluate through the built binary. The losses are scikit-learn 1.9.1's
// (StandardScaler/MinMaxScaler + MLPClassifier/MLPRegressor with the same parameters and random_state), to
// 1e-13 relative: bit for bit with the reference GEMM, within an ulp or two with the packed one.

/// a ≈ b to `tolerance` relative.
private func close(_ a: Double?, _ b: Double, _ tolerance: Double = 1e-13) -> Bool {
    guard let a else { return false }
    return abs(a - b) <= tolerance * max(abs(b), 1e-300)
}

/// The --json objects, decoded with JSONDecoder (JSONSerialization's `as? Double` is not exact on Linux).
struct JSONOutput: Decodable {
    var loss: Double?
    var n_iter: Int?
    var train_score: Double?
    var converged: Bool?
    var loss_curve: [Double]?
    var validation_scores: [Double]?
    var best_validation_score: Double?
    var seconds: Double?
    var model: String?
    var accuracy: Double?
    var samples: Int?
    var confusion_matrix: [[Int]]?
    var r2: Double?

    subscript(key: String) -> Any? {
        switch key {
        case "loss": loss
        case "n_iter": n_iter
        case "train_score": train_score
        case "converged": converged
        case "loss_curve": loss_curve
        case "validation_scores": validation_scores
        case "best_validation_score": best_validation_score
        case "seconds": seconds
        case "model": model
        case "accuracy": accuracy
        case "samples": samples
        case "confusion_matrix": confusion_matrix
        case "r2": r2
        default: nil
        }
    }
}

private func json(_ r: RunResult) throws -> JSONOutput {
    try JSONDecoder().decode(JSONOutput.self, from: Data(r.stdout.utf8))
}

@Suite struct CLITrainTests {
    @Test func irisTrainPredictEvaluate() throws {
        let dir = try CLI.temporaryDirectory()
        let csv = try datasetCopy("iris", in: dir)
        let r = try CLI.run(["train", csv, "--target", "species", "--random-state", "0", "-o", "m.mlp", "--json", "--quiet"], in: dir)
        #expect(r.code == 0, "\(r.stderr)")
        #expect(r.stderr.isEmpty)
        let j = try json(r)
        // sklearn: StandardScaler().fit_transform(X); MLPClassifier(random_state=0).fit → loss_, n_iter_, score.
        #expect(close(j.loss, 0.1303341263517039), "loss \(String(describing: j.loss))")
        #expect(j["n_iter"] as? Int == 200)
        #expect(close(j.train_score, 0.9666666666666667, 1e-2))
        #expect(j["converged"] as? Bool == false)
        #expect((j["loss_curve"] as? [Double])?.count == 200)
        #expect(close(j.loss_curve?.first, 0.9718479805730804))
        #expect(j.validation_scores == nil)
        #expect((j["seconds"] as? Double).map { $0 > 0 } == true)
        #expect(j["model"] as? String == "m.mlp")

        let p = try CLI.run(["predict", "m.mlp", csv], in: dir)
        #expect(p.code == 0 && p.stdout.split(separator: "\n").count == 151)
        let e = try json(try CLI.run(["evaluate", "m.mlp", csv, "--json"], in: dir))
        #expect(e.accuracy == j.train_score)
        #expect(e["samples"] as? Int == 150)
    }

    @Test func digitsTrainPredictEvaluate() throws {
        let dir = try CLI.temporaryDirectory()
        let csv = try datasetCopy("digits", in: dir)
        let r = try CLI.run(["train", csv, "--hidden-layer-sizes", "16", "--max-iter", "8", "--random-state", "0",
                             "-o", "d.mlp", "--json"], in: dir)
        #expect(r.code == 0, "\(r.stderr)")
        let j = try json(r)
        #expect(close(j.loss, 1.6288946963891735), "loss \(String(describing: j.loss))")
        #expect(close(j.train_score, 0.47189760712298273, 1e-2))  // accuracy: a flipped row moves it by 1/1797
        // Not a terminal: plain progress lines on stderr, ending with the last epoch, then the convergence warning.
        #expect(r.stderr.hasPrefix("epoch 1/8  loss "))
        #expect(r.stderr.contains("epoch 8/8  loss 1.628895"))
        #expect(r.stderr.contains("mlp: warning: [not-converged] Maximum iterations (8) reached and the optimization hasn't converged yet."))
        let e = try json(try CLI.run(["evaluate", "d.mlp", csv, "--json"], in: dir))
        #expect(e.accuracy == j.train_score)
        #expect((e["confusion_matrix"] as? [[Int]])?.count == 10)
    }

    @Test func warmStartContinuesTheSavedModel() throws {
        let dir = try CLI.temporaryDirectory()
        let csv = try datasetCopy("digits", in: dir)
        let args = ["train", csv, "--hidden-layer-sizes", "16", "--max-iter", "4", "--random-state", "0", "-o", "w.mlp", "--quiet"]
        #expect(try CLI.run(args, in: dir).code == 0)
        let r = try CLI.run(args + ["--warm-start", "--json"], in: dir)
        let j = try json(r)
        // sklearn (warm_start=True, fit twice): n_iter_ 4, loss_curve_ of 8, loss_ 1.5889344546625415.
        #expect(j["n_iter"] as? Int == 4)
        #expect((j["loss_curve"] as? [Double])?.count == 8)
        #expect(abs((j["loss"] as? Double ?? 0) - 1.5889344546625415) < 1e-12)
        // A warm start on other features is refused.
        try CLI.write("a,b,digit\n1,2,3\n4,5,6\n", to: dir + "/other.csv")
        expectCleanError(try CLI.run(["train", "other.csv", "-o", "w.mlp", "--warm-start"], in: dir), code: 1,
                         contains: "the model needs column 'pixel_0'")
    }

    @Test func regressionWithSGDAndMinMax() throws {
        let dir = try CLI.temporaryDirectory()
        let iris = BundledDataset.iris.csv
        let rows = iris.split(whereSeparator: \.isNewline).map { $0.split(separator: ",").prefix(4).joined(separator: ",") }
        try CLI.write(rows.joined(separator: "\n") + "\n", to: dir + "/r.csv")
        let r = try CLI.run(["train", "r.csv", "--regression", "--scale", "minmax", "--hidden-layer-sizes", "16",
                             "--max-iter", "100", "--random-state", "3", "--solver", "sgd", "--learning-rate-init", "0.01",
                             "-o", "r.mlp", "--json", "--quiet"], in: dir)
        #expect(r.code == 0, "\(r.stderr)")
        let j = try json(r)
        #expect(close(j.loss, 0.16820606592266985), "loss \(String(describing: j.loss))")
        #expect(j["n_iter"] as? Int == 24)
        #expect(j["converged"] as? Bool == true)
        #expect(abs((j["train_score"] as? Double ?? 0) - 0.47535700247391266) < 1e-12)
        let e = try json(try CLI.run(["evaluate", "r.mlp", "r.csv", "--json"], in: dir))
        #expect(e["r2"] as? Double == j["train_score"] as? Double)
        expectCleanError(try CLI.run(["predict", "r.mlp", "r.csv", "--proba"], in: dir), code: 2, contains: "--proba needs a classifier")
    }

    @Test func earlyStoppingReportsValidationScores() throws {
        let dir = try CLI.temporaryDirectory()
        let r = try CLI.run(["train", "--dataset", "seed", "--hidden-layer-sizes", "8", "--max-iter", "50", "--random-state", "2",
                             "--early-stopping", "--validation-fraction", "0.2", "-o", "s.mlp", "--json", "--report", "r.html"], in: dir)
        #expect(r.code == 0, "\(r.stderr)")
        let j = try json(r)
        #expect(close(j.loss, 0.6578064177178098), "loss \(String(describing: j.loss))")
        #expect(j["n_iter"] as? Int == 12)
        #expect(j["validation_scores"] as? [Double] == Array(repeating: 0.5, count: 12))
        #expect(j["best_validation_score"] as? Double == 0.5)
        #expect(r.stderr.contains("validation 0.5000"))
        let html = try String(contentsOfFile: dir + "/r.html", encoding: .utf8)
        #expect(html.components(separatedBy: "<circle class=\"point\"").count - 1 == 10)
        let loss = html.components(separatedBy: "<polyline class=\"loss\"")[1].components(separatedBy: "points=\"")[1]
            .components(separatedBy: "\"")[0]
        #expect(loss.split(separator: " ").count == 12)
        #expect(html.contains("<polyline class=\"validation\""))
    }

    @Test func progressModes() throws {
        let dir = try CLI.temporaryDirectory()
        let base = ["train", "--dataset", "seed", "--hidden-layer-sizes", "4", "--max-iter", "3", "--random-state", "0"]
        let verbose = try CLI.run(base + ["--verbose", "-o", "v.mlp"], in: dir)
        let lines = verbose.stderr.split(separator: "\n")
        #expect(lines.count == 5, "\(verbose.stderr)")
        #expect(lines.last == "stopped after 3 epochs: Maximum iterations (3) reached and the optimization hasn't converged yet.")
        #expect(lines.first?.hasPrefix("Iteration 1, loss = ") == true)
        #expect(lines[2].hasPrefix("Iteration 3, loss = "))
        #expect(verbose.stdout.contains("model written to v.mlp"))
        let quiet = try CLI.run(base + ["--quiet", "-o", "q.mlp"], in: dir)
        #expect(quiet.code == 0 && quiet.stdout.isEmpty && quiet.stderr.isEmpty)
        #expect(FileManager.default.fileExists(atPath: dir + "/q.mlp"))
    }

    @Test func plainProgressLinesWhenNotOnATerminal() throws {
        let dir = try CLI.temporaryDirectory()
        let r = try CLI.run(["train", "--dataset", "seed", "--max-iter", "20", "--random-state", "0", "-o", "p.mlp"], in: dir)
        let lines = r.stderr.split(separator: "\n").filter { $0.hasPrefix("epoch ") }
        #expect(lines.first?.hasPrefix("epoch 1/20  loss ") == true, "\(r.stderr)")
        #expect(lines.last?.hasPrefix("epoch 20/20  loss ") == true)
        #expect(!r.stderr.contains("\r"))
    }

    /// On a terminal (a pseudo-terminal from util-linux `script`), training draws a bar redrawn in place.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/script")))
    func progressBarOnATerminal() throws {
        let dir = try CLI.temporaryDirectory()
        let command = "\(CLI.binary.path) train --dataset seed --max-iter 30 --random-state 0 -o t.mlp"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        process.arguments = ["-qec", command, "/dev/null"]
        process.currentDirectoryURL = URL(fileURLWithPath: dir)
        let output = Pipe()
        process.standardOutput = output
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(text)")
        #expect(text.contains("\r\u{1B}[K"), "no in-place redraw in \(text.debugDescription)")
        #expect(text.contains("epoch 30/30"))
        #expect(text.contains("left"))
        #expect(text.contains("█"))
    }

    @Test func float32Training() throws {
        let dir = try CLI.temporaryDirectory()
        let base = ["train", "--dataset", "iris", "--random-state", "0", "--max-iter", "50", "--quiet"]
        #expect(try CLI.run(base + ["-o", "f64.mlp"], in: dir).code == 0)
        let r = try CLI.run(base + ["-o", "f32.mlp", "--dtype", "float32"], in: dir)
        #expect(r.code == 0, "\(r.stderr)")
        #expect(try CLI.run(["inspect", "f32.mlp"], in: dir).stdout.hasPrefix("MLPClassifier, float32"))
        let a = try CLI.run(["predict", "f64.mlp", "--dataset", "iris"], in: dir).stdout.split(separator: "\n")
        let b = try CLI.run(["predict", "f32.mlp", "--dataset", "iris"], in: dir).stdout.split(separator: "\n")
        #expect(a.count == 151 && b.count == 151)
        #expect(zip(a, b).filter { $0 != $1 }.count <= 3)
    }

    @Test func oneHotAndImputeAreStoredAndApplied() throws {
        let dir = try CLI.temporaryDirectory()
        try CLI.write("n,color,y\n1,red,a\n2,blue,b\nNA,green,a\n4,red,b\n5,blue,a\n6,green,b\n", to: dir + "/cat.csv")
        let r = try CLI.run(["train", "cat.csv", "--one-hot", "color", "--impute", "median", "--max-iter", "3",
                             "--random-state", "0", "-o", "c.mlp", "--quiet"], in: dir)
        #expect(r.code == 0, "\(r.stderr)")
        let info = try CLI.run(["inspect", "c.mlp"], in: dir).stdout
        #expect(info.contains("features (4): n, color_blue, color_green, color_red"))
        #expect(info.contains("one-hot: color (3 categories); impute: median"))
        #expect(info.contains("n_iter_no_change=10,"), "an int, as scikit-learn prints it: \(info)")
        try CLI.write("color,n\nblue,\nred,3\n", to: dir + "/new.csv")
        let p = try CLI.run(["predict", "c.mlp", "new.csv"], in: dir)
        #expect(p.code == 0 && p.stdout.split(separator: "\n").count == 3, "\(p.stderr)")
        try CLI.write("color,n\npurple,1\n", to: dir + "/unknown.csv")
        expectCleanError(try CLI.run(["predict", "c.mlp", "unknown.csv"], in: dir), code: 1,
                         contains: "unknown.csv, line 2, column 'color': unknown category 'purple'")
    }

    @Test func divergenceWritesNoModel() throws {
        let dir = try CLI.temporaryDirectory()
        try CLI.write("a,b,y\n1e300,2,0\n-1e300,3,1\n5e299,1,0\n-2e300,4,1\n", to: dir + "/huge.csv")
        let r = try CLI.run(["train", "huge.csv", "--regression", "--scale", "none", "--max-iter", "5",
                             "--learning-rate-init", "1e10", "-o", "h.mlp", "--quiet"], in: dir)
        expectCleanError(r, code: 1, contains: "Training diverged at epoch 1")
        #expect(!FileManager.default.fileExists(atPath: dir + "/h.mlp"))
    }
}
