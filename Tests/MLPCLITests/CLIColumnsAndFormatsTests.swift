import CZlib
import Foundation
import MLPDatasets
import MLPTestSupport
import Testing

// Columns and formats: --drop, --id, predict's one-file output, --delimiter and its detection, .gz input,
// --scale-target persisted in the model, and the notes that name the option to change.

private struct LossJSON: Decodable {
    var loss: Double?
    var train_score: Double
    var test_score: Double?
}

private func trainLoss(_ args: [String], in dir: String) throws -> LossJSON {
    let r = try CLI.run(["train"] + args + ["--max-iter", "20", "--random-state", "0", "--hidden-layer-sizes", "5",
                                            "--json", "-o", "m.mlp"], in: dir)
    #expect(r.code == 0, "\(r.stderr)")
    return try JSONDecoder().decode(LossJSON.self, from: Data(r.stdout.utf8))
}

private let irisText = BundledDataset.iris.csv.replacingOccurrences(of: "\r\n", with: "\n")

@Suite struct CLIColumnsAndFormatsTests {
    @Test(arguments: ["dynamic", "fixed", "stored", "two-members"])
    func gzipInputReadsAsThePlainFile(_ variant: String) throws {
        let dir = try CLI.temporaryDirectory()
        try irisText.write(toFile: dir + "/iris.csv", atomically: false, encoding: .utf8)
        let gz = dir + "/iris.csv.gz"
        try FileManager.default.copyItem(atPath: FixtureFiles.url("iris-\(variant).csv.gz", in: "MLPCLITests").path, toPath: gz)
        let plain = try trainLoss(["iris.csv"], in: dir)
        let compressed = try trainLoss(["iris.csv.gz"], in: dir)
        #expect(plain.loss != nil && compressed.loss == plain.loss)
    }

    /// Standard input is read as text: gzip bytes there get a hint, not "invalid UTF-8".
    @Test func gzipOnStandardInputIsNamed() throws {
        let dir = try CLI.temporaryDirectory()
        try FileManager.default.copyItem(atPath: FixtureFiles.url("iris-dynamic.csv.gz", in: "MLPCLITests").path,
                                         toPath: dir + "/iris.csv.gz")
        let r = try shell("$MLP train - -q -o m.mlp < iris.csv.gz", in: dir)
        expectCleanError(r, code: 1, contains: "standard input is gzip-compressed")
    }

    /// predict and evaluate decompress a .gz file as they read it, a chunk at a time: the same output as the plain
    /// file, with chunks far smaller than the file (and than a member of the two-member file).
    @Test(arguments: ["dynamic", "stored", "two-members"])
    func gzipInputStreamsThroughPredictAndEvaluate(_ variant: String) throws {
        let dir = try CLI.temporaryDirectory()
        try irisText.write(toFile: dir + "/iris.csv", atomically: false, encoding: .utf8)
        try FileManager.default.copyItem(atPath: FixtureFiles.url("iris-\(variant).csv.gz", in: "MLPCLITests").path,
                                         toPath: dir + "/iris.csv.gz")
        _ = try trainLoss(["iris.csv"], in: dir)
        for command in [["predict", "m.mlp", "--proba"], ["evaluate", "m.mlp", "--json"]] {
            let plain = try CLI.run(command + ["iris.csv"], in: dir)
            let compressed = try CLI.run(command + ["iris.csv.gz", "--chunk-bytes", "300"], in: dir)
            #expect(plain.code == 0 && compressed.code == 0, "\(plain.stderr) \(compressed.stderr)")
            #expect(!plain.stdout.isEmpty && compressed.stdout == plain.stdout)
        }
    }

    /// Gzip members made by hand: stored (uncompressed) deflate blocks of the given sizes, each member with its
    /// CRC-32 and length, so that member boundaries fall everywhere, across the reader's 256 KiB input buffers too.
    private static func storedMembers(_ bytes: [UInt8], sizes: [Int]) -> [UInt8] {
        var out: [UInt8] = [], start = 0, next = 0
        while start < bytes.count {
            let piece = Array(bytes[start..<min(start + sizes[next % sizes.count], bytes.count)])
            next += 1
            start += piece.count
            let length = UInt16(piece.count)
            let crc = UInt32(piece.withUnsafeBufferPointer { crc32(0, $0.baseAddress, UInt32($0.count)) })
            out += [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 3, 1, UInt8(length & 0xFF), UInt8(length >> 8),
                    UInt8(~length & 0xFF), UInt8(~length >> 8)] + piece
            for value in [crc, UInt32(piece.count)] { out += (0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }
        }
        return out
    }

    /// Thousands of members end to end read as the plain file, whole and streamed; bytes after the last member
    /// that start no new one are ignored (as gzip does), and a member that starts but is not gzip is an error.
    @Test func manySmallMembersReadAsThePlainFile() throws {
        let dir = try CLI.temporaryDirectory()
        let lines = irisText.split(separator: "\n", omittingEmptySubsequences: false)
        let text = ([String(lines[0])] + Array(repeating: lines.dropFirst().joined(separator: "\n"), count: 130)).joined(separator: "\n")
        try text.write(toFile: dir + "/iris.csv", atomically: false, encoding: .utf8)
        let members = Self.storedMembers(Array(text.utf8), sizes: [1, 7, 64, 13, 250, 2, 97, 31])
        #expect(members.count > 600_000)
        try Data(members).write(to: URL(fileURLWithPath: dir + "/many.csv.gz"))
        try Data(members + Array("trailing garbage\n".utf8)).write(to: URL(fileURLWithPath: dir + "/tail.csv.gz"))
        try Data(members + [0x1F, 0x8B, 0x63, 0, 1, 2]).write(to: URL(fileURLWithPath: dir + "/badtail.csv.gz"))
        let plainLoss = try trainLoss(["iris.csv"], in: dir).loss, membersLoss = try trainLoss(["many.csv.gz"], in: dir).loss
        #expect(plainLoss != nil && membersLoss == plainLoss)
        let plain = try CLI.run(["predict", "m.mlp", "iris.csv", "--proba"], in: dir)
        for file in ["many.csv.gz", "tail.csv.gz"] {
            let streamed = try CLI.run(["predict", "m.mlp", file, "--proba"], in: dir)
            #expect(plain.code == 0 && streamed.code == 0 && streamed.stdout == plain.stdout, "\(file): \(streamed.stderr)")
        }
        expectCleanError(try CLI.run(["predict", "m.mlp", "badtail.csv.gz", "-o", "out.csv"], in: dir), code: 1,
                         contains: "badtail.csv.gz: not a valid gzip file")
    }

    /// A damaged, truncated, empty or plain-text .gz file is one line naming it, from whole reads (train) and
    /// streamed ones (predict, whose -o file is then not written).
    @Test func aBadGzipFileIsOneLineNamingIt() throws {
        let dir = try CLI.temporaryDirectory()
        let good = try Data(contentsOf: URL(fileURLWithPath: FixtureFiles.url("iris-dynamic.csv.gz", in: "MLPCLITests").path))
        var flipped = good
        flipped[flipped.count - 12] ^= 0xFF  // a byte of the deflate stream near its end
        try flipped.write(to: URL(fileURLWithPath: dir + "/bad.csv.gz"))
        try good.prefix(good.count / 2).write(to: URL(fileURLWithPath: dir + "/cut.csv.gz"))
        try Data().write(to: URL(fileURLWithPath: dir + "/empty.csv.gz"))
        try irisText.write(toFile: dir + "/plain.csv.gz", atomically: false, encoding: .utf8)
        try irisText.write(toFile: dir + "/iris.csv", atomically: false, encoding: .utf8)
        _ = try trainLoss(["iris.csv"], in: dir)
        for (file, reason) in [("bad", ""), ("cut", "the file is truncated"), ("empty", "the file is empty"),
                               ("plain", "incorrect header check")] {
            let expected = "\(file).csv.gz: not a valid gzip file: \(reason)"
            expectCleanError(try CLI.run(["train", "\(file).csv.gz", "-o", "x.mlp"], in: dir), code: 1, contains: expected)
            expectCleanError(try CLI.run(["predict", "m.mlp", "\(file).csv.gz", "-o", "out.csv", "--chunk-bytes", "300"],
                                         in: dir), code: 1, contains: expected)
            #expect(!FileManager.default.fileExists(atPath: dir + "/x.mlp"))
            #expect(!FileManager.default.fileExists(atPath: dir + "/out.csv"))
        }
    }

    @Test(arguments: [("\t", nil), (";", nil), ("|", nil), (";", ";"), ("\t", "tab")] as [(String, String?)])
    func delimitersAreDetectedOrGiven(_ delimiter: String, _ option: String?) throws {
        let dir = try CLI.temporaryDirectory()
        try irisText.write(toFile: dir + "/iris.csv", atomically: false, encoding: .utf8)
        try irisText.replacingOccurrences(of: ",", with: delimiter)
            .write(toFile: dir + "/other.txt", atomically: false, encoding: .utf8)
        let reference = try trainLoss(["iris.csv"], in: dir)
        let other = try trainLoss(["other.txt"] + (option.map { ["--delimiter", $0] } ?? []), in: dir)
        #expect(other.loss == reference.loss)
    }

    @Test func aWrongDelimiterIsNamedInTheError() throws {
        let dir = try CLI.temporaryDirectory()
        try irisText.replacingOccurrences(of: ",", with: ";")
            .write(toFile: dir + "/semi.csv", atomically: false, encoding: .utf8)
        expectCleanError(try CLI.run(["train", "semi.csv", "--delimiter", ","], in: dir), code: 1, contains: "--delimiter")
    }

    @Test func droppedAndIdColumnsAreNotFeatures() throws {
        let dir = try CLI.temporaryDirectory()
        try irisText.write(toFile: dir + "/iris.csv", atomically: false, encoding: .utf8)
        var lines = irisText.split(separator: "\n").map(String.init)
        lines[0] = "id,note," + lines[0]
        for i in 1..<lines.count { lines[i] = "r\(i),\(i * 7 % 13)," + lines[i] }
        try (lines.joined(separator: "\n") + "\n").write(toFile: dir + "/extra.csv", atomically: false, encoding: .utf8)
        let reference = try trainLoss(["iris.csv"], in: dir)
        let extra = try trainLoss(["extra.csv", "--id", "id", "--drop", "note"], in: dir)
        #expect(extra.loss == reference.loss)

        let predicted = try CLI.run(["predict", "m.mlp", "extra.csv", "--id", "id", "--proba"], in: dir)
        #expect(predicted.code == 0, "\(predicted.stderr)")
        let rows = predicted.stdout.split(separator: "\n").map { $0.split(separator: ",").map(String.init) }
        #expect(rows[0] == ["id", "species", "setosa", "versicolor", "virginica"])
        #expect(rows.count == lines.count)
        #expect(rows[1][0] == "r1" && rows.last![0] == "r\(lines.count - 1)")
        for row in rows.dropFirst() {
            let p = row[2...].map { Double($0)! }
            #expect(abs(p.reduce(0, +) - 1) < 1e-12)
            // The label is the class of the largest probability.
            #expect(row[1] == rows[0][2 + p.firstIndex(of: p.max()!)!])
        }
        expectCleanError(try CLI.run(["train", "extra.csv", "--drop", "nope"], in: dir), code: 1,
                         contains: "--drop names no column 'nope'")
    }

    @Test func scaledTargetIsStoredAndInvertedOnPredict() throws {
        let dir = try CLI.temporaryDirectory()
        // y in the thousands, a smooth function of two features.
        var csv = "a,b,y\n"
        for i in 0..<80 {
            let a = Double(i % 9) / 4 - 1, b = Double(i % 7) / 3 - 1
            csv += "\(a),\(b),\(4000 + 900 * a - 600 * b + 200 * a * b)\n"
        }
        try CLI.write(csv, to: dir + "/y.csv")
        let r = try CLI.run(["train", "y.csv", "--regression", "--scale-target", "standard", "--hidden-layer-sizes", "16",
                             "--max-iter", "300", "--random-state", "0", "--json", "-o", "s.mlp"], in: dir)
        #expect(r.code == 0, "\(r.stderr)")
        let trained = try JSONDecoder().decode(LossJSON.self, from: Data(r.stdout.utf8))
        #expect(trained.train_score > 0.9)
        let evaluation = try CLI.run(["evaluate", "s.mlp", "y.csv", "--json"], in: dir)
        let r2 = try JSONDecoder().decode([String: JSONScalar].self, from: Data(evaluation.stdout.utf8))["r2"]?.number
        #expect(r2 == trained.train_score)
        let inspect = try CLI.run(["inspect", "s.mlp"], in: dir)
        #expect(inspect.stdout.contains("scaling: standard; target standardized (inverted on predict)"), "\(inspect.stdout)")
        let predicted = try CLI.run(["predict", "s.mlp", "y.csv"], in: dir)
        let values = predicted.stdout.split(separator: "\n").dropFirst().map { Double($0)! }
        let mean = values.reduce(0, +) / Double(values.count)
        #expect(abs(mean - 4000) < 100, "predictions are in the target's units: mean \(mean)")

        let bare = try CLI.run(["train", "y.csv", "--regression", "--max-iter", "5", "-o", "b.mlp"], in: dir)
        #expect(bare.stderr.contains("--scale-target standard"), "\(bare.stderr)")
        expectCleanError(try CLI.run(["train", "y.csv", "--scale-target", "standard"], in: dir), code: 2,
                         contains: "--scale-target applies to regressors only")
    }

    @Test func aClassifierOnAQuantitySuggestsRegression() throws {
        let dir = try CLI.temporaryDirectory()
        var csv = "x,y\n"
        for i in 0..<60 { csv += "\(i),\(100 + i * 3)\n" }
        try CLI.write(csv, to: dir + "/q.csv")
        let r = try CLI.run(["train", "q.csv", "--max-iter", "2", "-o", "q.mlp"], in: dir)
        #expect(r.stderr.contains("60 distinct numeric values") && r.stderr.contains("--regression"), "\(r.stderr)")
    }

    @Test func versionAnswers() throws {
        let r = try CLI.run(["--version"])
        #expect(r.code == 0)
        #expect(r.stdout.hasPrefix("mlp ") && r.stdout.split(separator: ".").count >= 3, "\(r.stdout)")
    }

    @Test func helpListsOnlyOptionsThatApply() throws {
        for command in ["predict", "evaluate"] {
            let help = try CLI.run([command, "--help"]).stdout
            for option in ["--one-hot", "--impute", "--verbose", "--test-size"] {
                #expect(!help.contains(option), "\(command) --help offers \(option)")
            }
        }
        let train = try CLI.run(["train", "--help"]).stdout
        for option in ["--test-size", "--scale-target", "--drop", "--id", "--delimiter", "--one-hot"] {
            #expect(train.contains(option), "train --help lacks \(option)")
        }
    }

    @Test func regressionNumbersHaveSensiblePrecision() throws {
        let dir = try CLI.temporaryDirectory()
        var csv = "x,y\n"
        for i in 0..<40 { csv += "\(Double(i) / 10),\(Double(i * i) / 7 + 0.123456789)\n" }
        try CLI.write(csv, to: dir + "/r.csv")
        _ = try CLI.run(["train", "r.csv", "--regression", "--max-iter", "5", "-q", "-o", "r.mlp"], in: dir)
        let summary = try CLI.run(["evaluate", "r.mlp", "r.csv"], in: dir).stdout
        for line in summary.split(separator: "\n") where line.hasPrefix("MAE") || line.hasPrefix("RMSE") {
            let number = line.split(separator: " ").last!
            let digits = number.filter(\.isNumber).drop { $0 == "0" }.count
            #expect(digits <= 4, "\(line)")
        }
    }

    @Test func compareShowsRunsSideBySide() throws {
        let dir = try CLI.temporaryDirectory()
        for (name, layers) in [("small", "3"), ("large", "12")] {
            let r = try CLI.run(["train", "--dataset", "iris", "--test-size", "0.3", "--random-state", "0",
                                 "--hidden-layer-sizes", layers, "--max-iter", "30", "--json", "-o", "\(name).mlp"], in: dir)
            try CLI.write(r.stdout, to: dir + "/\(name).json")
        }
        let r = try CLI.run(["compare", "small.json", "large.json"], in: dir)
        #expect(r.code == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n")
        #expect(lines.count == 3 && lines[0].contains("test_score") && lines[1].hasPrefix("small.json")
                && lines[2].hasPrefix("large.json"), "\(r.stdout)")
        let blownUp = try CLI.run(["train", "--dataset", "iris", "--solver", "sgd", "--learning-rate-init", "1e10",
                                   "--json", "-o", "x.mlp"], in: dir)
        #expect(blownUp.code == 1)
        try CLI.write(blownUp.stdout, to: dir + "/blown.json")
        try CLI.write("{\"n_iter\": 3, \"loss\": null, \"converged\": false}", to: dir + "/inf.json")
        let marked = try CLI.run(["compare", "small.json", "blown.json", "inf.json"], in: dir)
        #expect(marked.code == 0, "\(marked.stderr)")
        let rows = marked.stdout.split(separator: "\n")
        #expect(rows.count == 4 && rows[2].contains("diverged") && rows[3].contains("nan") && !marked.stdout.contains("<null>"),
                "\(marked.stdout)")
        try CLI.write("{\"name\": 1}", to: dir + "/other.json")
        for (file, message) in [("missing.json", "missing.json: cannot read the file: No such file"),
                                ("other.json", "other.json: not a JSON object from 'mlp train --json'")] {
            expectCleanError(try CLI.run(["compare", "small.json", file], in: dir), code: 1, contains: message)
        }
    }
}

@Suite struct CLIReportTests {
    private func count(_ needle: String, _ html: String) -> Int { html.components(separatedBy: needle).count - 1 }

    @Test func aBinaryReportHoldsRocPrAndCalibrationForEachSet() throws {
        let dir = try CLI.temporaryDirectory()
        var csv = "a,b,c,y\n"
        for i in 0..<120 {
            let a = Double(i % 11) / 5 - 1, b = Double(i % 7) / 3 - 1, c = Double(i % 5) / 2
            csv += "\(a),\(b),\(c),\(a + 0.5 * b + 0.1 * c > 0 ? "yes" : "no")\n"
        }
        try CLI.write(csv, to: dir + "/bin.csv")
        let r = try CLI.run(["train", "bin.csv", "--test-size", "0.25", "--random-state", "0", "--max-iter", "50",
                             "--early-stopping", "--alpha", "0.001", "-q", "-o", "m.mlp", "--report", "r.html"], in: dir)
        #expect(r.code == 0, "\(r.stderr)")
        let html = try String(contentsOfFile: dir + "/r.html", encoding: .utf8)
        // Training, early stopping's validation rows (those the estimator held out) and test.
        #expect(count("<section class=\"set\">", html) == 3)
        #expect(html.contains("Validation set: classification (9 rows)"))
        #expect(count("<polyline class=\"roc\"", html) == 3)
        #expect(count("<polyline class=\"pr\"", html) == 3)
        #expect(count("<polyline class=\"calibration\"", html) == 3)
        #expect(html.contains("ROC AUC") && html.contains("average precision"))
        #expect(html.contains("<polyline class=\"validation-loss\"") && html.contains("class=\"best-epoch\""))
        #expect(html.contains("<mark>") && html.contains("alpha=0.001"))
        #expect(html.contains("stop reason") && html.contains("converged") && html.contains("n_iter"))
        // Three features: the boundary is drawn on principal components, and says so.
        #expect(html.contains("principal component 1") && html.contains("<rect class=\"region\""))
        #expect(count("<circle class=\"point\"", html) == 90)  // every training row, validation rows included
        #expect(!html.contains("<script"))
    }

    @Test func aMulticlassReportHasOneCurvePerClassAndARegressionReportHasScatterPlots() throws {
        let dir = try CLI.temporaryDirectory()
        let r = try CLI.run(["train", "--dataset", "iris", "--max-iter", "30", "--random-state", "0", "-q", "-o", "m.mlp",
                             "--report", "iris.html"], in: dir)
        #expect(r.code == 0, "\(r.stderr)")
        let html = try String(contentsOfFile: dir + "/iris.html", encoding: .utf8)
        #expect(count("<polyline class=\"roc\"", html) == 3)
        #expect(html.contains("setosa vs rest"))

        var csv = "x,y\n"
        for i in 0..<40 { csv += "\(Double(i) / 10),\(1000 + 30 * Double(i))\n" }
        try CLI.write(csv, to: dir + "/reg.csv")
        let g = try CLI.run(["train", "reg.csv", "--regression", "--scale-target", "standard", "--max-iter", "50",
                             "-q", "-o", "g.mlp", "--report", "reg.html"], in: dir)
        #expect(g.code == 0, "\(g.stderr)")
        let reg = try String(contentsOfFile: dir + "/reg.html", encoding: .utf8)
        #expect(count("<circle class=\"obs\"", reg) == 80)  // predicted-vs-actual and residuals
        #expect(reg.contains("Residuals") && reg.contains("MAE"))
    }
}

@Suite struct CLITerminalTests {
    /// On a 60-column terminal (a pseudo-terminal from util-linux `script`), progress is one line redrawn in
    /// place that never exceeds the width, and the last epoch and the stop reason stay printed.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/script")))
    func progressIsOneRedrawnLineThatFitsTheTerminal() throws {
        let dir = try CLI.temporaryDirectory()
        let command = "stty cols 60 rows 20; '\(CLI.binary.path)' train --dataset iris --max-iter 40 --random-state 0 -o m.mlp"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        process.arguments = ["-qec", command, "/dev/null"]
        process.currentDirectoryURL = URL(fileURLWithPath: dir)
        let output = Pipe()
        process.standardOutput = output
        process.standardInput = Pipe()
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        // The pseudo-terminal turns "\n" into "\r\n", which Swift reads as one Character: undo it first.
        let text = String(decoding: data, as: UTF8.self).replacingOccurrences(of: "\u{1B}[K", with: "")
            .replacingOccurrences(of: "\r\n", with: "\n")
        let redraws = text.components(separatedBy: "\r").map { $0.prefix { $0 != "\n" } }.filter { $0.contains("epoch ") }
        // The first epoch, at most ten redraws a second, and the last.
        #expect(redraws.count >= 2, "\(text)")
        #expect(redraws.first?.contains("epoch 1/40") == true && redraws.last?.contains("epoch 40/40") == true, "\(text)")
        for segment in redraws { #expect(segment.trimmingCharacters(in: .newlines).count <= 60, "\(segment)") }
        let lines = text.components(separatedBy: "\n")
        #expect(lines.filter { $0.contains("epoch 40/40") }.count == 1)
        #expect(lines.filter { $0.contains("/40  loss") }.count == 1, "epochs on separate lines: \(text)")
        #expect(text.contains("stopped after 40 epochs"))
    }
}

@Suite struct CLILBFGSOutputTests {
    private struct TrainJSON: Decodable {
        var loss: Double?
        var loss_curve: [Double]
        var n_iter: Int
        var stop_reason: String
    }

    @Test func lbfgsReportsItsLossAndIterationsEverywhere() throws {
        let dir = try CLI.temporaryDirectory()
        let adam = try CLI.run(["train", "--dataset", "iris", "--max-iter", "15", "--random-state", "0", "-q", "-o", "m.mlp"],
                               in: dir)
        #expect(adam.code == 0, "\(adam.stderr)")
        let r = try CLI.run(["train", "--dataset", "iris", "--solver", "lbfgs", "--warm-start", "--max-iter", "20",
                             "--json", "-o", "m.mlp"], in: dir)
        #expect(r.code == 0, "\(r.stderr)")
        let json = try JSONDecoder().decode(TrainJSON.self, from: Data(r.stdout.utf8))
        #expect(json.loss != nil && json.loss_curve.isEmpty, "no stale adam curve: \(r.stdout)")
        #expect(r.stderr.contains("iteration 20/20") && !r.stderr.contains("epoch 20"), "\(r.stderr)")
        let info = try CLI.run(["inspect", "m.mlp"], in: dir).stdout
        #expect(info.contains("iterations, final loss"), "\(info)")
        #expect(info.contains("max_fun=") && !info.contains("learning_rate_init") && !info.contains("beta_1"), "\(info)")
        let summary = try CLI.run(["train", "--dataset", "iris", "--solver", "lbfgs", "--max-iter", "10", "-o", "n.mlp"],
                                  in: dir)
        #expect(summary.stdout.contains("final loss") && summary.stdout.contains("10 iterations"), "\(summary.stdout)")
    }
}

@Suite struct CLIEarlyStoppingSetTests {
    private struct TrainJSON: Decodable {
        struct Metrics: Decodable { var accuracy: Double?; var r2: Double?; var samples: Int }
        var validation_scores: [Double]
        var best_validation_score: Double
        var validation_metrics: Metrics?
    }

    /// The validation rows the tool reports are the estimator's: scoring the kept weights on them gives the
    /// estimator's own validation score (binary, stratified multiclass, regression, unseeded).
    @Test(arguments: [["--dataset", "iris", "--stratify-validation-split", "--random-state", "3"],
                      ["--dataset", "seed", "--random-state", "2", "--validation-fraction", "0.3"],
                      ["--dataset", "iris"],
                      ["--dataset", "iris", "--target", "petal_width", "--regression", "--drop", "species",
                       "--random-state", "1"]])
    func reportedValidationRowsScoreAsTheEstimatorScoredThem(_ args: [String]) throws {
        let dir = try CLI.temporaryDirectory()
        let r = try CLI.run(["train"] + args + ["--early-stopping", "--max-iter", "60", "--json", "-q", "-o", "m.mlp"],
                            in: dir)
        #expect(r.code == 0, "\(r.stderr)")
        let json = try JSONDecoder().decode(TrainJSON.self, from: Data(r.stdout.utf8))
        let metrics = try #require(json.validation_metrics, "\(r.stdout)")
        let score = metrics.accuracy ?? metrics.r2!
        #expect([json.validation_scores.last!, json.best_validation_score].contains { abs($0 - score) < 1e-9 })
    }
}
