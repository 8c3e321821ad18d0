import Foundation
import Testing

// `mlp convert`, `mlp train --stream`, `mlp train DATA.mlpdata` and automatic streaming through the built binary:
// the models they write load and predict like any other, and what a stream cannot do is refused in one line.

private func dataCSV(rows: Int) -> String {
    var text = "a,b,color,y\n"
    let colors = ["red", "green", "blue"]
    for i in 0..<rows {
        let a = Double(i % 37) / 9 - 2, b = Double((i * 7) % 23) / 5
        let color = colors[i % 3]
        let label = a + 0.3 * b + (color == "red" ? 1 : 0) > 1 ? "yes" : "no"
        text += "\(a),\(i % 11 == 5 ? "" : String(b)),\(color),\(label)\n"
    }
    return text
}

private func predictions(_ model: String, _ data: String, in dir: String) throws -> String {
    let r = try CLI.run(["predict", model, data], in: dir)
    #expect(r.code == 0, "\(r.stderr)")
    return r.stdout
}

@Suite("mlp convert and streamed training")
struct OutOfCoreCLITests {
    @Test("convert, train from the cache, train --stream: the models predict, and the same seed gives the same model")
    func convertTrainPredict() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try CLI.write(dataCSV(rows: 600), to: dir + "/d.csv")
        let flags = ["--one-hot", "color", "--impute", "mean"]
        let convert = try CLI.run(["convert", "d.csv", "d.mlpdata"] + flags, in: dir)
        #expect(convert.code == 0, "\(convert.stderr)")
        #expect(convert.stdout.contains("converted 600 rows"))
        let training = ["--hidden-layer-sizes", "8", "--max-iter", "5", "--random-state", "1", "--quiet"]
        let fromCache = try CLI.run(["train", "d.mlpdata", "-o", "cache.mlp"] + training, in: dir)
        #expect(fromCache.code == 0, "\(fromCache.stderr)")
        let streamed = try CLI.run(["train", "d.csv", "--stream", "--cache", "kept.mlpdata", "-o", "stream.mlp"]
                                   + flags + training, in: dir)
        #expect(streamed.code == 0, "\(streamed.stderr)")
        #expect(FileManager.default.fileExists(atPath: dir + "/kept.mlpdata"))
        let a = try predictions("cache.mlp", "d.csv", in: dir), b = try predictions("stream.mlp", "d.csv", in: dir)
        #expect(a.split(separator: "\n").count == 601)
        #expect(a == b)
        let evaluate = try CLI.run(["evaluate", "stream.mlp", "d.csv", "--json"], in: dir)
        #expect(evaluate.code == 0 && evaluate.stdout.contains("\"accuracy\""), "\(evaluate.stderr)")
        // The streamed fit's training score, from one more pass over the cache, is mlp evaluate's on the CSV.
        let json = try CLI.run(["train", "kept.mlpdata", "-o", "again.mlp", "--json"] + training.dropLast(), in: dir)
        #expect(json.code == 0, "\(json.stderr)")
        let trained = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        let evaluated = try JSONSerialization.jsonObject(with: Data(evaluate.stdout.utf8)) as? [String: Any]
        #expect(trained?["train_score"] as? Double == evaluated?["accuracy"] as? Double)
        // Its train_metrics, from a block-at-a-time pass over the cache, are mlp evaluate's object on the CSV.
        let metrics = try #require(trained?["train_metrics"] as? [String: Any], "\(json.stdout)")
        let again = try CLI.run(["evaluate", "again.mlp", "d.csv", "--json"], in: dir)
        let expected = try #require(try JSONSerialization.jsonObject(with: Data(again.stdout.utf8)) as? [String: Any])
        #expect(NSDictionary(dictionary: metrics).isEqual(to: expected), "\(metrics) vs \(expected)")
        // mlp evaluate scores the cache itself as it scores the CSV; predict refuses it, naming evaluate.
        let onCache = try CLI.run(["evaluate", "again.mlp", "kept.mlpdata", "--json"], in: dir)
        #expect(onCache.code == 0, "\(onCache.stderr)")
        let cacheMetrics = try #require(try JSONSerialization.jsonObject(with: Data(onCache.stdout.utf8)) as? [String: Any])
        #expect(NSDictionary(dictionary: cacheMetrics).isEqual(to: expected), "\(cacheMetrics) vs \(expected)")
        expectCleanError(try CLI.run(["predict", "again.mlp", "kept.mlpdata"], in: dir), code: 2,
                         contains: "kept.mlpdata is a cache of training rows (mlp convert); predict reads CSV")
        expectCleanError(try CLI.run(["evaluate", "again.mlp", "kept.mlpdata", "--target", "y"], in: dir), code: 2,
                         contains: "kept.mlpdata was encoded by mlp convert")
        let text = try CLI.run(["train", "kept.mlpdata", "-o", "again.mlp"] + training.dropLast(), in: dir)
        #expect(text.stdout.contains("training accuracy "), "\(text.stdout)")
    }

    @Test("a regression cache trains a regressor; --json reports the loss curve and the epoch times")
    func regressionJSON() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var text = "a,b,y\n"
        for i in 0..<300 { text += "\(Double(i % 17) / 4),\(Double(i % 5)),\(Double(i % 17) - Double(i % 5) * 2)\n" }
        try CLI.write(text, to: dir + "/r.csv")
        #expect(try CLI.run(["convert", "r.csv", "r.mlpdata", "--regression", "--quiet"], in: dir).code == 0)
        let r = try CLI.run(["train", "r.mlpdata", "--regression", "--max-iter", "3", "--random-state", "0", "--json",
                             "-o", "r.mlp"], in: dir)
        #expect(r.code == 0, "\(r.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        #expect((json?["loss_curve"] as? [Any])?.count == 3)
        #expect((json?["epoch_seconds"] as? [Any])?.count == 3)
        #expect(json?["train_rows"] as? Int == 300)
        let evaluate = try CLI.run(["evaluate", "r.mlp", "r.csv", "--json"], in: dir)
        let r2 = (try JSONSerialization.jsonObject(with: Data(evaluate.stdout.utf8)) as? [String: Any])?["r2"] as? Double
        #expect(abs((json?["train_score"] as? Double ?? .nan) - (r2 ?? .nan)) < 1e-9, "\(evaluate.stdout)")
        let early = try CLI.run(["train", "r.mlpdata", "--regression", "--early-stopping", "--max-iter", "4", "--json",
                                 "-o", "e.mlp"], in: dir)
        #expect(early.code == 0, "\(early.stderr)")
        let earlyJSON = try JSONSerialization.jsonObject(with: Data(early.stdout.utf8)) as? [String: Any]
        #expect((earlyJSON?["validation_scores"] as? [Any])?.count == 4)
        #expect(try predictions("r.mlp", "r.csv", in: dir).split(separator: "\n").count == 301)
    }

    @Test("--class-weight on a stream: the model of the same flags in memory")
    func classWeights() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try CLI.write(dataCSV(rows: 500), to: dir + "/d.csv")
        // MinMaxScaler: the streamed scaler is then the in-memory one exactly (a standard one may differ in its last
        // bits, docs/out-of-core.md), so the two fits are the same computation.
        let flags = ["--one-hot", "color", "--impute", "mean", "--scale", "minmax", "--hidden-layer-sizes", "6",
                     "--max-iter", "4", "--random-state", "2", "--quiet"]
        for weights in ["balanced", "yes=3,no=0.5"] {
            let memory = try CLI.run(["train", "d.csv", "-o", "m.mlp", "--class-weight", weights] + flags, in: dir)
            let stream = try CLI.run(["train", "d.csv", "--stream", "-o", "s.mlp", "--class-weight", weights] + flags, in: dir)
            #expect(memory.code == 0 && stream.code == 0, "\(memory.stderr) \(stream.stderr)")
            let plain = try CLI.run(["train", "d.csv", "--stream", "-o", "p.mlp"] + flags, in: dir)
            #expect(plain.code == 0, "\(plain.stderr)")
            let probabilities = { (model: String) in try CLI.run(["predict", model, "d.csv", "--proba"], in: dir).stdout }
            #expect(try probabilities("s.mlp") == probabilities("m.mlp"), "\(weights)")
            #expect(try probabilities("s.mlp") != probabilities("p.mlp"), "\(weights)")
        }
    }

    @Test("a .gz file and standard input stream as the CSV file does: the same cache, the same model")
    func compressedAndPipedInput() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try CLI.write(dataCSV(rows: 3000), to: dir + "/d.csv")
        let flags = "--one-hot color --impute mean --hidden-layer-sizes 8 --max-iter 3 --random-state 1 -q"
        let made = try shell("gzip -k d.csv && $MLP train d.csv --stream \(flags) -o plain.mlp "
                             + "&& $MLP train d.csv.gz --stream \(flags) -o gz.mlp "
                             + "&& cat d.csv | $MLP train - --stream \(flags) -o stdin.mlp "
                             + "&& $MLP convert d.csv d.mlpdata --one-hot color --impute mean -q "
                             + "&& $MLP convert d.csv.gz gz.mlpdata --one-hot color --impute mean -q "
                             + "&& cat d.csv | $MLP convert - stdin.mlpdata --one-hot color --impute mean -q", in: dir)
        #expect(made.code == 0, "\(made.stderr)")
        let reference = try predictions("plain.mlp", "d.csv", in: dir)
        #expect(reference.split(separator: "\n").count == 3001)
        for model in ["gz.mlp", "stdin.mlp"] { #expect(try predictions(model, "d.csv", in: dir) == reference, "\(model)") }
        let cache = try Data(contentsOf: URL(fileURLWithPath: dir + "/d.mlpdata"))
        for other in ["gz.mlpdata", "stdin.mlpdata"] {
            #expect(try Data(contentsOf: URL(fileURLWithPath: dir + "/" + other)) == cache, "\(other)")
        }
    }

    @Test("above the memory threshold training streams on its own and says so")
    func automaticStreaming() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try CLI.write(dataCSV(rows: 20000), to: dir + "/d.csv")  // about 600 KB: 1.8 MB in memory
        let r = try CLI.run(["train", "d.csv", "--one-hot", "color", "--impute", "mean", "--max-iter", "2",
                             "--max-memory", "1M", "--shuffle-buffer", "100K", "-o", "m.mlp"], in: dir)
        #expect(r.code == 0, "\(r.stderr)")
        #expect(r.stderr.contains("training out of core"))
        #expect(r.stdout.contains("streamed from a temporary cache"))
    }

    /// A .gz file is sized by the text its trailer records, not by its compressed bytes: 20,000 rows compress to
    /// about a third, under a limit their text is over, and past the limit of input read whole it streams too.
    @Test("a .gz file whose text is over the threshold streams on its own, as its CSV would")
    func automaticStreamingOfCompressedText() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try CLI.write(dataCSV(rows: 20000), to: dir + "/d.csv")
        let flags = "--one-hot color --impute mean --hidden-layer-sizes 8 --max-iter 2 --random-state 1 --shuffle-buffer 100K"
        let made = try shell("gzip -k d.csv && $MLP train d.csv.gz --max-memory 1M \(flags) -o limit.mlp 2> limit.err "
                             + "&& MLP_MAX_STREAM_BYTES=100000 $MLP train d.csv.gz \(flags) -o whole.mlp 2> whole.err "
                             + "&& $MLP train d.csv --stream \(flags) -q -o stream.mlp", in: dir)
        #expect(made.code == 0, "\(made.stderr)")
        let compressed = try #require(try FileManager.default.attributesOfItem(atPath: dir + "/d.csv.gz")[.size] as? Int)
        #expect(compressed * 3 < 1 << 20, "the compressed file alone would not stream: \(compressed) bytes")
        let limit = try String(contentsOfFile: dir + "/limit.err", encoding: .utf8)
        #expect(limit.contains("d.csv.gz would need about") && limit.contains("training out of core"), "\(limit)")
        let whole = try String(contentsOfFile: dir + "/whole.err", encoding: .utf8)
        #expect(whole.contains("more than input read whole may hold (97.7 KiB, MLP_MAX_STREAM_BYTES); training out of core"),
                "\(whole)")
        let reference = try predictions("stream.mlp", "d.csv", in: dir)
        for model in ["limit.mlp", "whole.mlp"] { #expect(try predictions(model, "d.csv", in: dir) == reference, "\(model)") }
    }

    @Test("what a stream cannot do is refused in one line", arguments: [
        (["train", "d.csv", "--stream", "--solver", "lbfgs"], "--solver lbfgs"),
        (["train", "d.csv", "--stream", "--report", "r.html"], "--report"),
        (["train", "d.csv", "--stream", "--test-size", "0.2"], "--test-size"),
        (["train", "d.csv", "--stream", "--impute", "median"], "--impute median"),
        (["train", "d.csv", "--cache", "c.mlpdata"], "--cache needs --stream"),
        (["train", "d.csv", "--stream", "--hidden-layer-sizes", "100000,100000"], "streamed training needs about"),
        (["train", "d.mlpdata", "--one-hot", "color"], "mlp convert"),
        (["train", "d.mlpdata", "--regression"], "--regression"),
        (["convert", "d.csv", "x.mlpdata", "--impute", "median"], "--impute median"),
        (["convert", "d.csv", "d.csv"], "the cache file"),
        (["train", "bad.mlpdata"], "MLPDATA"),
        (["train", "-", "--stream", "--distributed"], "standard input reaches rank 0 only"),
        (["train", "-", "--distributed"], "standard input reaches rank 0 only"),
    ])
    func refusals(arguments: [String], message: String) throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try CLI.write(dataCSV(rows: 60), to: dir + "/d.csv")
        try CLI.write("not a cache at all, but long enough to have a header of sixty-four bytes ......\n", to: dir + "/bad.mlpdata")
        #expect(try CLI.run(["convert", "d.csv", "d.mlpdata", "--one-hot", "color", "--impute", "mean"], in: dir).code == 0)
        let r = try CLI.run(arguments, in: dir)
        #expect(r.code != 0)
        expectCleanError(r, code: r.code, contains: message)
    }
}
