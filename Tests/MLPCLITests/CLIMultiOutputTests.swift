import Foundation
import MLPTestSupport
import Testing

// Several target columns (`--target a,b --regression`): a multi-output MLPRegressor, against scikit-learn 1.9.1's
// make_pipeline(StandardScaler(), MLPRegressor(...)) on a two-column y (Fixtures/sklearn_multioutput.json, written by
// Scripts/make_multioutput_fixtures.py): predictions, R² averaged over the targets, MAE, RMSE and each target's.

/// One case of sklearn_multioutput.json.
struct MultiOutputCase: Decodable, CustomTestStringConvertible {
    /// sklearn's r2_score, mean_absolute_error and root_mean_squared_error: uniform averages and per target.
    struct Scores: Decodable {
        var r2: Double
        var r2_per_target: [Double]
        var mae: Double
        var mae_per_target: [Double]
        var rmse: Double
        var rmse_per_target: [Double]
    }
    var name: String
    var command: String
    var csv: String
    var args: [String]
    var predict: [Double]?
    var train: Scores?
    var test: Scores?
    var test_indices: [Int]?
    var scores: [Double]?
    var mean: Double?
    var std: Double?

    var testDescription: String { name }

    /// Relative bound on predictions and metrics: adam reproduces scikit-learn's bits; L-BFGS (scipy's line search
    /// against ours) lands within a few parts in 1e9.
    var tolerance: Double { args.contains("lbfgs") ? 1e-8 : 1e-12 }
    /// Absolute bound on a prediction: the weights' few parts in 1e9 (L-BFGS), on targets of order 100.
    var predictionTolerance: Double { args.contains("lbfgs") ? 1e-7 : 1e-12 }

    private struct File: Decodable { var cases: [MultiOutputCase] }
    static let all: [MultiOutputCase] = try! FixtureFiles.decode("sklearn_multioutput.json", in: "MLPCLITests",
                                                                 as: File.self).cases
}

/// The parts of `mlp evaluate --json` (and `mlp train --json`'s metrics) these tests read.
private struct RegressionMetricsJSON: Decodable {
    var target: String?
    var r2: Double?
    var mae: Double
    var rmse: Double
    var per_target: [RegressionMetricsJSON]?
}

private struct TrainScoresJSON: Decodable {
    var train_score: Double
    var test_score: Double?
    var test_rows: Int?
    var train_metrics: RegressionMetricsJSON
    var test_metrics: RegressionMetricsJSON?
}

private struct CVScoresJSON: Decodable {
    var scores: [Double]
    var mean: Double
    var std: Double
}

/// The numbers of a CSV written by `mlp predict`, row-major, and its header.
private func predictedValues(_ csv: String) -> (header: String, values: [Double]) {
    let lines = csv.split(separator: "\n")
    return (String(lines.first ?? ""), lines.dropFirst().flatMap { $0.split(separator: ",").compactMap { Double($0) } })
}

private func expectScores(_ json: RegressionMetricsJSON, _ want: MultiOutputCase.Scores, _ what: String,
                          relative: Double) {
    assertClose([json.r2 ?? .nan, json.mae, json.rmse], [want.r2, want.mae, want.rmse], relative: relative, absolute: 1e-12,
                "\(what): R², MAE, RMSE (uniform averages)")
    let each = json.per_target ?? []
    #expect(each.map(\.target) == ["a", "b"], "\(what): per-target scores in the order of --target a,b")
    assertClose(each.map { $0.r2 ?? .nan }, want.r2_per_target, relative: relative, absolute: 1e-12, "\(what): R² per target")
    assertClose(each.map(\.mae), want.mae_per_target, relative: relative, absolute: 1e-12, "\(what): MAE per target")
    assertClose(each.map(\.rmse), want.rmse_per_target, relative: relative, absolute: 1e-12, "\(what): RMSE per target")
}

@Suite struct CLIMultiOutputTests {
    /// `mlp train` fits both target columns as scikit-learn does: the same predictions, one column per target named
    /// as the target in the order given; train (and held-out) scores and evaluate's metrics are sklearn's.
    @Test(arguments: MultiOutputCase.all.filter { $0.command == "train" })
    func trainPredictEvaluateEqualScikitLearns(_ c: MultiOutputCase) throws {
        let (json, dir) = try CLI.runJSON("train", csv: c.csv, c.args + ["-o", "m.mlp"], as: TrainScoresJSON.self)
        let train = try #require(c.train)
        assertClose([json.train_score], [train.r2], relative: 0, absolute: 1e-9, "training R²")
        expectScores(json.train_metrics, train, "train_metrics", relative: c.tolerance)
        if let test = c.test {
            #expect(json.test_rows == c.test_indices?.count)
            assertClose([json.test_score ?? .nan], [test.r2], relative: 0, absolute: 1e-9, "test R²")
            if let metrics = json.test_metrics {
                expectScores(metrics, test, "test_metrics", relative: c.tolerance)
            } else {
                Issue.record("no test_metrics")
            }
        }

        let predicted = try CLI.run(["predict", "m.mlp", "data.csv"], in: dir)
        #expect(predicted.code == 0, "\(predicted.stderr)")
        let (header, values) = predictedValues(predicted.stdout)
        #expect(header == "a,b")
        assertClose(values, try #require(c.predict), relative: c.tolerance, absolute: c.predictionTolerance,
                    "predictions (rows × [a, b])")

        guard c.test == nil else { return }  // evaluate scores every row: the cases fitted on all of them
        let evaluated = try CLI.run(["evaluate", "m.mlp", "data.csv", "--json"], in: dir)
        #expect(evaluated.code == 0, "\(evaluated.stderr)")
        expectScores(try JSONDecoder().decode(RegressionMetricsJSON.self, from: Data(evaluated.stdout.utf8)), train,
                     "evaluate --json", relative: c.tolerance)
    }

    /// `mlp cv` on two targets: KFold's folds, each scored by R² averaged over the targets, as cross_val_score.
    @Test(arguments: MultiOutputCase.all.filter { $0.command == "cv" })
    func crossValidationEqualsScikitLearns(_ c: MultiOutputCase) throws {
        let json = try CLI.runJSON("cv", csv: c.csv, c.args, as: CVScoresJSON.self).json
        assertClose(json.scores, try #require(c.scores), relative: 0, absolute: 1e-9, "fold scores")
        assertClose([json.mean, json.std], [c.mean!, c.std!], relative: 0, absolute: 1e-9, "mean, std")
    }

    /// Repeated --target is the same as a comma-separated one; a column whose name holds a comma is one target.
    @Test func repeatedTargetsAndACommaInAName() throws {
        let c = MultiOutputCase.all[0]
        let dir = try CLI.temporaryDirectory()
        try CLI.write(c.csv, to: dir + "/data.csv")
        let listed = c.args.map { $0 == "a,b" ? "a" : $0 } + ["--target", "b"]
        #expect(try CLI.run(["train", "data.csv"] + listed + ["-q", "-o", "m.mlp"], in: dir).code == 0)
        let (_, values) = predictedValues(try CLI.run(["predict", "m.mlp", "data.csv"], in: dir).stdout)
        assertClose(values, c.predict!, relative: c.tolerance, absolute: c.predictionTolerance,
                    "--target a --target b")

        try CLI.write("x,\"a,b\",a,b\n1,2,3,4\n2,3,5,5\n3,5,7,6\n4,4,9,8\n", to: dir + "/comma.csv")
        let one = try CLI.run(["train", "comma.csv", "--target", "a,b", "--regression", "--max-iter", "3", "-q",
                               "-o", "c.mlp"], in: dir)
        #expect(one.code == 0, "\(one.stderr)")
        #expect(try CLI.run(["inspect", "c.mlp"], in: dir).stdout.contains("target: a,b\n"))
        let two = try CLI.run(["train", "comma.csv", "--target", "a", "--target", "b", "--regression", "--max-iter", "3",
                               "-q", "-o", "c2.mlp"], in: dir)
        #expect(two.code == 0, "\(two.stderr)")
        let inspected = try CLI.run(["inspect", "c2.mlp"], in: dir).stdout
        #expect(inspected.contains("targets (2, one output each): a, b"), "\(inspected)")
        #expect(inspected.contains("model format 1.3"), "\(inspected)")
    }

    /// `mlp export` writes a graph of two outputs: imported back, it predicts both columns as the model does.
    @Test func exportKeepsEveryOutput() throws {
        let c = MultiOutputCase.all[1]  // standardized targets: the graph also maps each output back
        let dir = try CLI.temporaryDirectory()
        try CLI.write(c.csv, to: dir + "/data.csv")
        #expect(try CLI.run(["train", "data.csv"] + c.args + ["-q", "-o", "m.mlp"], in: dir).code == 0)
        let exported = try CLI.run(["export", "m.mlp", "-o", "m.onnx"], in: dir)
        #expect(exported.code == 0, "\(exported.stderr)")
        let imported = try CLI.run(["import", "m.onnx", "-o", "back.mlp"], in: dir)
        #expect(imported.code == 0, "\(imported.stderr)")
        let original = try CLI.run(["predict", "m.mlp", "data.csv"], in: dir).stdout
        let back = try CLI.run(["predict", "back.mlp", "data.csv"], in: dir).stdout
        #expect(original.hasPrefix("a,b\n"))
        #expect(back == original)
    }

    /// Every input several targets cannot take is one error line naming the column or the flag, and a non-zero exit.
    @Test(arguments: [
        (["--target", "a,zz", "--regression"], Int32(1), "no column named 'zz' for the target"),
        (["--target", "a,a", "--regression"], 1, "--target names the column 'a' twice"),
        (["--target", "a", "--target", "a", "--regression"], 1, "--target names the column 'a' twice"),
        (["--target", "a,b", "--regression", "--drop", "b"], 1, "--drop names the target column 'b'"),
        (["--target", "a,b", "--regression", "--id", "a"], 1, "--id names the target column 'a'"),
        (["--target", "a,b", "--regression", "--one-hot", "b"], 1, "--one-hot names the target column 'b'"),
        (["--target", "a,b", "--drop", "c,d"], 2, "several targets are fitted by a multi-output regressor, add --regression"),
        (["--target", "a,b", "--drop", "c,d", "--regression", "--report", "r.html"], 2, "--report handles one target column"),
        (["--target", "a,b", "--drop", "c,d", "--regression", "--stream"], 1,
         "(--stream, --cache, an .mlpdata file, mlp convert) takes one target column"),
        (["--target", "a,c", "--drop", "d", "--regression"], 1,
         "line 3, column 'c': could not convert 'x' to a number; a regression target must be numeric"),
        (["--target", "c,a", "--drop", "d", "--regression"], 1, "line 3, column 'c': could not convert 'x' to a number"),
        (["--target", "a,d", "--regression"], 1, "line 2, column 'd': missing target value"),
    ] as [([String], Int32, String)])
    func badTargetsAreOneLineErrors(_ args: [String], _ code: Int32, _ message: String) throws {
        let dir = try CLI.temporaryDirectory()
        try CLI.write("x,a,b,c,d\n1,2,3,4,\n2,3,5,x,1\n3,5,7,6,2\n", to: dir + "/data.csv")
        expectCleanError(try CLI.run(["train", "data.csv"] + args + ["-q", "-o", "m.mlp"], in: dir), code: code,
                         contains: message)
        #expect(!FileManager.default.fileExists(atPath: dir + "/m.mlp"))
    }

    /// A warm start continues each output on its own target: the same columns in the same order, or an error.
    @Test func aWarmStartNamesTheTargetsAlike() throws {
        let c = MultiOutputCase.all[0]
        let dir = try CLI.temporaryDirectory()
        try CLI.write(c.csv, to: dir + "/data.csv")
        let first = ["train", "data.csv", "--regression", "--hidden-layer-sizes", "4", "--max-iter", "3", "-q", "-o", "m.mlp"]
        #expect(try CLI.run(first + ["--target", "a,b"], in: dir).code == 0)
        let again = try CLI.run(first + ["--warm-start"], in: dir)
        #expect(again.code == 0, "\(again.stderr)")
        expectCleanError(try CLI.run(first + ["--warm-start", "--target", "b,a"], in: dir), code: 1,
                         contains: "the table has 2 target column(s) (b, a), but the pipeline was fitted on 2 (a, b), in that order")
    }

    /// The commands that take one target refuse several, naming what to do; so do evaluate's --report and a table
    /// whose targets are not the model's outputs.
    @Test func oneTargetCommandsRefuseSeveral() throws {
        let c = MultiOutputCase.all[0]
        let dir = try CLI.temporaryDirectory()
        try CLI.write(c.csv, to: dir + "/data.csv")
        expectCleanError(try CLI.run(["diagnose", "data.csv", "--target", "a,b", "--regression"], in: dir), code: 2,
                         contains: "this command takes one target column")
        expectCleanError(try CLI.run(["convert", "data.csv", "x.mlpdata", "--target", "a,b", "--regression"], in: dir),
                         code: 1, contains: "mlp convert) takes one target column")
        expectCleanError(try CLI.run(["cv", "data.csv", "--target", "a,b"], in: dir), code: 2, contains: "add --regression")
        #expect(try CLI.run(["train", "data.csv"] + c.args + ["-q", "-o", "m.mlp", "--max-iter", "3"], in: dir).code == 0)
        expectCleanError(try CLI.run(["evaluate", "m.mlp", "data.csv", "--report", "r.html"], in: dir), code: 2,
                         contains: "the model predicts 2 targets ('a', 'b'), but --report handles one target column")
        expectCleanError(try CLI.run(["evaluate", "m.mlp", "data.csv", "--target", "a"], in: dir), code: 1,
                         contains: "the table has 1 target column(s) (a), but the model predicts 2 (a, b)")
    }
}
