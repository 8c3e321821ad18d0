import Foundation
import MLP
import MLPModelFile
import MLPTestSupport
import Testing

// `mlp predict` runs the table through the library's predictor in blocks of rows: across block boundaries (2,500
// rows: two full blocks and a partial one) its CSV must be the library's whole-table predictions, byte for byte,
// for a classifier with --id and --proba and for a regressor.
@Suite struct CLIPredictBlocksTests {
    static func dataCSV(rows: Int) -> String {
        var rng = SeededGenerator(seed: 4)
        var lines = ["id,x0,x1,x2,label,value"]
        for i in 0..<rows {
            let x = (0..<3).map { _ in Double.random(in: -2...2, using: &rng) }
            lines.append("r\(i)," + x.map { "\($0)" }.joined(separator: ",") + ",c\(Int(x[0] + 2) % 3),\(x[1] * 3 + x[2])")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A folder holding d.csv (`rows` rows) and m.mlp, a classifier of `label` trained on it for `maxIter` epochs.
    static func trainedClassifier(rows: Int, maxIter: Int) throws -> String {
        let dir = try CLI.temporaryDirectory()
        try CLI.write(Self.dataCSV(rows: rows), to: dir + "/d.csv")
        let train = try CLI.run(["train", "d.csv", "--target", "label", "--drop", "id,value", "--hidden-layer-sizes", "5",
                                 "--max-iter", String(maxIter), "-o", "m.mlp"], in: dir)
        #expect(train.code == 0, "\(train.stderr)")
        return dir
    }

    @Test func classifierOutputIsTheLibrarysWholeTablePrediction() throws {
        let dir = try CLI.temporaryDirectory()
        try CLI.write(Self.dataCSV(rows: 2500), to: dir + "/d.csv")
        let train = try CLI.run(["train", "d.csv", "--target", "label", "--drop", "id,value", "--hidden-layer-sizes", "7",
                                 "--max-iter", "3", "-o", "m.mlp"], in: dir)
        #expect(train.code == 0, "\(train.stderr)")
        let out = try CLI.run(["predict", "m.mlp", "d.csv", "--id", "id", "--proba"], in: dir)
        #expect(out.code == 0, "\(out.stderr)")

        let pipeline = try MLPModel.read(from: dir + "/m.mlp").pipeline()
        let table = try pipeline.readCSV(path: dir + "/d.csv")
        let labels = try pipeline.predict(table), proba = try pipeline.predictProbabilities(table)
        var expected = "id,label," + pipeline.classes.map(\.description).joined(separator: ",") + "\n"
        for r in 0..<table.rowCount {
            expected += "r\(r),\(labels[r])," + (0..<proba.columns).map { "\(proba[r, $0])" }.joined(separator: ",") + "\n"
        }
        #expect(out.stdout == expected)
    }

    @Test func regressorOutputIsTheLibrarysWholeTablePrediction() throws {
        let dir = try CLI.temporaryDirectory()
        try CLI.write(Self.dataCSV(rows: 2049), to: dir + "/d.csv")
        let train = try CLI.run(["train", "d.csv", "--regression", "--target", "value", "--drop", "id,label", "--hidden-layer-sizes", "6",
                                 "--max-iter", "3", "-o", "r.mlp"], in: dir)
        #expect(train.code == 0, "\(train.stderr)")
        let out = try CLI.run(["predict", "r.mlp", "d.csv", "-o", "out.csv"], in: dir)
        #expect(out.code == 0, "\(out.stderr)")

        let pipeline = try MLPModel.read(from: dir + "/r.mlp").pipeline()
        let values = try pipeline.predictValues(try pipeline.readCSV(path: dir + "/d.csv"))
        let expected = "value\n" + values.storage.map { "\($0)\n" }.joined()
        #expect(try String(contentsOfFile: dir + "/out.csv", encoding: .utf8) == expected)
    }

    /// A file is read a chunk of records at a time (--chunk-bytes, hidden, defaults to 8 MiB): chunks that split
    /// records anywhere, standard input and an output file all give the whole-file bytes.
    @Test func chunkedReadingGivesTheWholeFilesBytes() throws {
        let dir = try Self.trainedClassifier(rows: 1500, maxIter: 3)
        let text = Self.dataCSV(rows: 1500)
        let whole = try CLI.run(["predict", "m.mlp", "d.csv", "--id", "id", "--proba"], in: dir)
        #expect(whole.code == 0 && whole.stdout.hasPrefix("id,label,"), "\(whole.stderr)")
        for chunk in ["16", "100", "4099"] {
            let out = try CLI.run(["predict", "m.mlp", "d.csv", "--id", "id", "--proba", "--chunk-bytes", chunk], in: dir)
            #expect(out.code == 0 && out.stdout == whole.stdout, "--chunk-bytes \(chunk): \(out.stderr)")
        }
        let piped = try CLI.run(["predict", "m.mlp", "-", "--id", "id", "--proba", "--chunk-bytes", "999"], in: dir,
                                stdin: text)
        #expect(piped.code == 0 && piped.stdout == whole.stdout, "\(piped.stderr)")
        let file = try CLI.run(["predict", "m.mlp", "d.csv", "--id", "id", "--proba", "--chunk-bytes", "333",
                                "-o", "out.csv"], in: dir)
        #expect(file.code == 0 && file.stdout.isEmpty, "\(file.stderr)")
        #expect(try String(contentsOfFile: dir + "/out.csv", encoding: .utf8) == whole.stdout)
        #expect(temporaryFiles(in: dir).isEmpty)

        // A bad record in a late chunk: the file's own line, and no output file.
        try CLI.write(text + "r9,1,2,x,c1,0\n", to: dir + "/bad.csv")
        let bad = try CLI.run(["predict", "m.mlp", "bad.csv", "--chunk-bytes", "100", "-o", "bad-out.csv"], in: dir)
        expectCleanError(bad, code: 1, contains: "bad.csv, line 1502, column 'x2': could not convert 'x' to a number")
        #expect(!FileManager.default.fileExists(atPath: dir + "/bad-out.csv"))
        #expect(temporaryFiles(in: dir).isEmpty)
    }

    /// evaluate reads a file a chunk at a time too, with the metrics of the whole file; --report reads it whole.
    @Test func chunkedEvaluationGivesTheWholeFilesMetrics() throws {
        let dir = try CLI.temporaryDirectory()
        let text = Self.dataCSV(rows: 1200)
        try CLI.write(text, to: dir + "/d.csv")
        for (target, drop, extra) in [("label", "id,value", [String]()), ("value", "id,label", ["--regression"])] {
            let train = try CLI.run(["train", "d.csv", "--target", target, "--drop", drop, "--hidden-layer-sizes", "5",
                                     "--max-iter", "3", "-o", "m.mlp"] + extra, in: dir)
            #expect(train.code == 0, "\(train.stderr)")
            let whole = try CLI.run(["evaluate", "m.mlp", "d.csv", "--json", "--chunk-bytes", "100000000"], in: dir)
            #expect(whole.code == 0 && whole.stdout.contains("\"samples\":1200"), "\(whole.stderr)")
            let chunked = try CLI.run(["evaluate", "m.mlp", "d.csv", "--json", "--chunk-bytes", "150"], in: dir)
            #expect(chunked.code == 0 && chunked.stdout == whole.stdout, "\(chunked.stderr)")
            let piped = try CLI.run(["evaluate", "m.mlp", "-", "--json", "--chunk-bytes", "777"], in: dir, stdin: text)
            #expect(piped.code == 0 && piped.stdout == whole.stdout, "\(piped.stderr)")
            let reported = try CLI.run(["evaluate", "m.mlp", "d.csv", "--json", "--report", "r.html"], in: dir)
            #expect(reported.code == 0 && reported.stdout == whole.stdout, "\(reported.stderr)")
            #expect(FileManager.default.fileExists(atPath: dir + "/r.html"))
        }
    }

    /// A value that overflows float32 in a late chunk is named by its line in the file, streamed or not.
    @Test func aNonFiniteInputInALateChunkNamesItsRowInTheFile() throws {
        let dir = try CLI.temporaryDirectory()
        var lines = Self.dataCSV(rows: 900).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        try CLI.write(lines.joined(separator: "\n"), to: dir + "/d.csv")
        let train = try CLI.run(["train", "d.csv", "--target", "label", "--drop", "id,value", "--dtype", "float32",
                                 "--max-iter", "2", "-o", "m.mlp"], in: dir)
        #expect(train.code == 0, "\(train.stderr)")
        var cells = lines[801].split(separator: ",").map(String.init)  // row 800 (0-based), line 802
        cells[1] = "1e39"
        lines[801] = cells.joined(separator: ",")
        try CLI.write(lines.joined(separator: "\n"), to: dir + "/big.csv")
        for command in [["predict", "m.mlp", "big.csv", "--chunk-bytes", "500"], ["predict", "m.mlp", "big.csv"],
                        ["evaluate", "m.mlp", "big.csv", "--chunk-bytes", "500"]] {
            expectCleanError(try CLI.run(command, in: dir), code: 1,
                             contains: "big.csv, line 802, column 'x0': 1e+39 is beyond float32's range")
        }
    }

    /// A signal while the output is being written leaves neither the output nor its temporary file.
    @Test func aSignalDuringAStreamedPredictionLeavesNoOutput() throws {
        let dir = try Self.trainedClassifier(rows: 200, maxIter: 2)
        // A FIFO that never ends: the prediction waits for more rows with its temporary output open.
        #expect(mkfifo(dir + "/in.csv", 0o644) == 0)
        let writer = open(dir + "/in.csv", O_RDWR)
        defer { close(writer) }
        let rows = Array(Self.dataCSV(rows: 300).utf8)
        #expect(rows.withUnsafeBytes { write(writer, $0.baseAddress, $0.count) } == rows.count)
        let run = try BackgroundRun(["predict", "m.mlp", "in.csv", "--chunk-bytes", "64", "-o", "out.csv"], in: dir)
        let caught = run.send(SIGTERM) { !temporaryFiles(in: dir).isEmpty }
        let result = run.finish()
        #expect(caught && result.signalled && result.code == SIGTERM, "\(result)")
        #expect(temporaryFiles(in: dir).isEmpty)
        #expect(!FileManager.default.fileExists(atPath: dir + "/out.csv"))
    }

    @Test func headerOnlyTableIsAnError() throws {
        let dir = try Self.trainedClassifier(rows: 50, maxIter: 1)
        try CLI.write("x0,x1,x2\n", to: dir + "/empty.csv")
        let out = try CLI.run(["predict", "m.mlp", "empty.csv"], in: dir)
        #expect(out.code != 0 && out.stdout.isEmpty && !out.stderr.isEmpty, "\(out)")
    }
}
