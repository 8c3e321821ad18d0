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

    @Test func headerOnlyTableIsAnError() throws {
        let dir = try CLI.temporaryDirectory()
        try CLI.write(Self.dataCSV(rows: 50), to: dir + "/d.csv")
        let train = try CLI.run(["train", "d.csv", "--target", "label", "--drop", "id,value", "--max-iter", "1",
                                 "-o", "m.mlp"], in: dir)
        #expect(train.code == 0, "\(train.stderr)")
        try CLI.write("x0,x1,x2\n", to: dir + "/empty.csv")
        let out = try CLI.run(["predict", "m.mlp", "empty.csv"], in: dir)
        #expect(out.code != 0 && out.stdout.isEmpty && !out.stderr.isEmpty, "\(out)")
    }
}
