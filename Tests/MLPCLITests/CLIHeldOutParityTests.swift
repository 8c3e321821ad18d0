import Foundation
import MLPTestSupport
import Testing

// `mlp train --test-size` and `mlp cv` against scikit-learn 1.9.1's train_test_split and cross_val_score with
// the same parameters (Fixtures/sklearn_eval.json, written by Scripts/make_eval_fixtures.py): every score to 1e-9.

/// One case of sklearn_eval.json.
struct HeldOutCase: Decodable, CustomTestStringConvertible {
    var name: String
    var command: String
    var csv: String
    var args: [String]
    var train_indices: [Int]?
    var test_indices: [Int]?
    var train_score: Double?
    var test_score: Double?
    var scores: [Double]?
    var mean: Double?
    var std: Double?

    var testDescription: String { name }

    private struct File: Decodable { var cases: [HeldOutCase] }
    static let all: [HeldOutCase] = try! FixtureFiles.decode("sklearn_eval.json", in: "MLPCLITests", as: File.self).cases
}

/// What `mlp train --json` and `mlp cv --json` print, as far as these tests read it.
private struct ScoresJSON: Decodable {
    var train_score: Double?
    var test_score: Double?
    var train_rows: Int?
    var test_rows: Int?
    var scores: [Double]?
    var mean: Double?
    var std: Double?
}

@Suite struct CLIHeldOutParityTests {
    @Test(arguments: HeldOutCase.all.filter { $0.command == "train" })
    func testSizeScoresEqualScikitLearns(_ c: HeldOutCase) throws {
        let json = try CLI.runJSON("train", csv: c.csv, c.args + ["-o", "m.mlp"], as: ScoresJSON.self).json
        #expect(json.test_rows == c.test_indices?.count)
        #expect(json.train_rows == c.train_indices?.count)
        assertClose([json.test_score ?? .nan], [c.test_score!], relative: 0, absolute: 1e-9, "test score")
        assertClose([json.train_score ?? .nan], [c.train_score!], relative: 0, absolute: 1e-9, "training score")
    }

    @Test(arguments: HeldOutCase.all.filter { $0.command == "cv" })
    func crossValidationScoresEqualScikitLearns(_ c: HeldOutCase) throws {
        let json = try CLI.runJSON("cv", csv: c.csv, c.args, as: ScoresJSON.self).json
        #expect(json.scores?.count == c.scores!.count)
        for (i, (got, want)) in zip(json.scores ?? [], c.scores!).enumerated() {
            assertClose([got], [want], relative: 0, absolute: 1e-9, "fold \(i + 1)")
        }
        assertClose([json.mean ?? .nan], [c.mean!], relative: 0, absolute: 1e-9, "mean")
        assertClose([json.std ?? .nan], [c.std!], relative: 0, absolute: 1e-9, "std")
    }

    /// The held-out rows are exactly train_test_split's: predicting them with the model trained on the rest and
    /// scoring gives the test score, and the rows scikit-learn held out are the ones `--id` passes through.
    @Test func theHeldOutRowsAreTrainTestSplits() throws {
        let c = HeldOutCase.all.first { $0.name == "iris stratified" }!
        let dir = try CLI.temporaryDirectory()
        var lines = c.csv.split(separator: "\n").map(String.init)
        lines[0] = "row," + lines[0]
        for i in 1..<lines.count { lines[i] = "\(i - 1)," + lines[i] }
        let held = Set(c.test_indices!)
        try CLI.write(lines.joined(separator: "\n") + "\n", to: dir + "/all.csv")
        try CLI.write(([lines[0]] + c.test_indices!.map { lines[$0 + 1] }).joined(separator: "\n") + "\n",
                      to: dir + "/test.csv")
        let train = try CLI.run(["train", "all.csv", "--id", "row"] + c.args + ["--json", "-o", "m.mlp"], in: dir)
        #expect(train.code == 0, "\(train.stderr)")
        let evaluation = try CLI.run(["evaluate", "m.mlp", "test.csv", "--json"], in: dir)
        let accuracy = try JSONDecoder().decode([String: JSONScalar].self, from: Data(evaluation.stdout.utf8))["accuracy"]
        assertClose([accuracy?.number ?? .nan], [c.test_score!], relative: 0, absolute: 1e-9, "accuracy on sklearn's held-out rows")
        let predicted = try CLI.run(["predict", "m.mlp", "test.csv", "--id", "row"], in: dir)
        let ids = predicted.stdout.split(separator: "\n").dropFirst().map { Int($0.split(separator: ",")[0])! }
        #expect(Set(ids) == held)
    }

    /// `--test-size` reads its value as scikit-learn reads `test_size`'s type: a whole number counts rows, a number
    /// with a point or an exponent is a fraction; out-of-range values (negative ones too) are refused by name.
    @Test func testSizeIsAFractionOrARowCount() throws {
        let dir = try CLI.temporaryDirectory()
        for (value, testRows) in [("45", 45), ("1e-1", 15), ("0.3", 45)] {
            let r = try CLI.run(["train", "--dataset", "iris", "--test-size", value, "--max-iter", "5", "--json",
                                 "-o", "m.mlp"], in: dir)
            #expect(r.code == 0, "\(value): \(r.stderr)")
            let json = try JSONDecoder().decode(ScoresJSON.self, from: Data(r.stdout.utf8))
            #expect(json.test_rows == testRows, "--test-size \(value)")
            #expect(json.train_rows == 150 - testRows, "--test-size \(value)")
        }
        for value in ["1.0", "0", "-0.1", "-5", "nan"] {
            let r = try CLI.run(["train", "--dataset", "iris", "--test-size", value, "-o", "m.mlp"], in: dir)
            #expect(r.code == 2, "--test-size \(value)")
            #expect(r.stderr == "mlp: error: --test-size must be a fraction in (0, 1), such as 0.25, or a number of rows, "
                    + "such as 100; got \(value)\n", "--test-size \(value)")
        }
        let tooMany = try CLI.run(["train", "--dataset", "iris", "--test-size", "150", "-o", "m.mlp"], in: dir)
        #expect(tooMany.code == 1)
        #expect(tooMany.stderr.contains("test_size=150 should be either positive and smaller than the number of samples"))
    }
}

/// A JSON value that is a number or not.
struct JSONScalar: Decodable {
    var number: Double?
    init(from decoder: Decoder) throws {
        number = try? decoder.singleValueContainer().decode(Double.self)
    }
}
