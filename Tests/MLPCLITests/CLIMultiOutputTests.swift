import Foundation
import MLPTestSupport
import Testing

// Several target columns (`--target a,b --regression`): a multi-output MLPRegressor, against scikit-learn 1.9.1's
// make_pipeline(StandardScaler(), MLPRegressor(...)) on a two-column y (Fixtures/sklearn_multioutput.json, written by
// Scripts/make_multioutput_fixtures.py): predictions, R² averaged over the targets, MAE, RMSE and each target's.
// Without --regression, 0/1 columns are a multilabel MLPClassifier: its predictions, probabilities, subset accuracy,
// Hamming loss and per-label precision, recall and F1.

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
    /// A multilabel classifier's scores: accuracy_score (subset accuracy), hamming_loss, and
    /// precision_recall_fscore_support(average=None, zero_division=0) per label.
    struct LabelScores: Decodable {
        var accuracy: Double
        var hamming_loss: Double
        var precision: [Double]
        var recall: [Double]
        var f1: [Double]
        var support: [Int]
    }
    var name: String
    var command: String
    var csv: String
    var args: [String]
    var predict: [Double]?
    var proba: [Double]?
    /// The regression cases' scores.
    var train: Scores?
    var test: Scores?
    /// The multilabel cases' scores (the same keys, "train" and "test", of another shape).
    var trainLabels: LabelScores?
    var testLabels: LabelScores?
    var test_indices: [Int]?
    var scores: [Double]?
    var mean: Double?
    var std: Double?

    private enum CodingKeys: String, CodingKey {
        case name, command, csv, args, predict, proba, train, test, test_indices, scores, mean, std
    }

    init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        command = try c.decode(String.self, forKey: .command)
        csv = try c.decode(String.self, forKey: .csv)
        args = try c.decode([String].self, forKey: .args)
        predict = try c.decodeIfPresent([Double].self, forKey: .predict)
        proba = try c.decodeIfPresent([Double].self, forKey: .proba)
        if command.hasSuffix("multilabel") {
            trainLabels = try c.decodeIfPresent(LabelScores.self, forKey: .train)
            testLabels = try c.decodeIfPresent(LabelScores.self, forKey: .test)
        } else {
            train = try c.decodeIfPresent(Scores.self, forKey: .train)
            test = try c.decodeIfPresent(Scores.self, forKey: .test)
        }
        test_indices = try c.decodeIfPresent([Int].self, forKey: .test_indices)
        scores = try c.decodeIfPresent([Double].self, forKey: .scores)
        mean = try c.decodeIfPresent(Double.self, forKey: .mean)
        std = try c.decodeIfPresent(Double.self, forKey: .std)
    }

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

/// What `mlp train --json` prints, as far as these tests read it; `Metrics` is the evaluate object's kind.
private struct TrainScoresJSON<Metrics: Decodable>: Decodable {
    var train_score: Double
    var test_score: Double?
    var test_rows: Int?
    var train_metrics: Metrics
    var test_metrics: Metrics?
}

/// `mlp evaluate --json` of a multilabel classifier, as far as these tests read it.
private struct MultilabelMetricsJSON: Decodable {
    struct Label: Decodable { var label: String; var precision: Double; var recall: Double; var f1: Double; var support: Int }
    var task: String
    var accuracy: Double
    var hamming_loss: Double
    var per_label: [Label]
}

private func expectLabelScores(_ json: MultilabelMetricsJSON, _ want: MultiOutputCase.LabelScores, _ what: String) {
    #expect(json.task == "multilabel", "\(what)")
    #expect(json.per_label.map(\.label) == ["tag_a", "tag_b", "tag_c"], "\(what): labels in the order of --target")
    assertClose([json.accuracy, json.hamming_loss], [want.accuracy, want.hamming_loss], relative: 1e-15,
                "\(what): subset accuracy, Hamming loss")
    assertClose(json.per_label.map(\.precision), want.precision, relative: 1e-15, "\(what): precision per label")
    assertClose(json.per_label.map(\.recall), want.recall, relative: 1e-15, "\(what): recall per label")
    assertClose(json.per_label.map(\.f1), want.f1, relative: 1e-15, "\(what): F1 per label")
    #expect(json.per_label.map(\.support) == want.support, "\(what): support per label")
}

/// `mlp evaluate ARGS --json` decoded, and the first word of each line of the summary without --json.
private func evaluated<Metrics: Decodable>(_ args: [String], in dir: String, as: Metrics.Type) throws
    -> (json: Metrics, lastLines: (Int) -> [String]) {
    let json = try CLI.run(["evaluate"] + args + ["--json"], in: dir)
    #expect(json.code == 0, "\(json.stderr)")
    let text = try CLI.run(["evaluate"] + args, in: dir)
    #expect(text.code == 0, "\(text.stderr)")
    let firstWords = text.stdout.split(separator: "\n").map { String($0.split(separator: " ").first ?? "") }
    return (try JSONDecoder().decode(Metrics.self, from: Data(json.stdout.utf8)), { Array(firstWords.suffix($0)) })
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
        let (json, dir) = try CLI.runJSON("train", csv: c.csv, c.args + ["-o", "m.mlp"], as: TrainScoresJSON<RegressionMetricsJSON>.self)
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

    /// `mlp cv` on two targets: KFold's folds, each scored by R² averaged over the targets, as cross_val_score; on
    /// three labels, KFold's folds scored by subset accuracy.
    @Test(arguments: MultiOutputCase.all.filter { $0.command.hasPrefix("cv") })
    func crossValidationEqualsScikitLearns(_ c: MultiOutputCase) throws {
        let json = try CLI.runJSON("cv", csv: c.csv, c.args, as: CVScoresJSON.self).json
        assertClose(json.scores, try #require(c.scores), relative: 0, absolute: 1e-9, "fold scores")
        assertClose([json.mean, json.std], [c.mean!, c.std!], relative: 0, absolute: 1e-9, "mean, std")
    }

    /// A multilabel classifier of three 0/1 columns: sklearn's predictions and probabilities (a column each, named by
    /// the target), its subset accuracy as the training and held-out score, and evaluate's per-label scores.
    @Test(arguments: MultiOutputCase.all.filter { $0.command == "train-multilabel" })
    func multilabelEqualsScikitLearns(_ c: MultiOutputCase) throws {
        let (json, dir) = try CLI.runJSON("train", csv: c.csv, c.args + ["-o", "m.mlp"], as: TrainScoresJSON<MultilabelMetricsJSON>.self)
        let train = try #require(c.trainLabels)
        expectLabelScores(json.train_metrics, train, "train_metrics")
        #expect(json.train_score == train.accuracy)
        if let test = c.testLabels {
            #expect(json.test_rows == c.test_indices?.count)
            #expect(json.test_score == test.accuracy)
            if let metrics = json.test_metrics { expectLabelScores(metrics, test, "test_metrics") } else { Issue.record("no test_metrics") }
        }
        let predicted = try CLI.run(["predict", "m.mlp", "data.csv", "--proba"], in: dir)
        #expect(predicted.code == 0, "\(predicted.stderr)")
        let lines = predicted.stdout.split(separator: "\n").map { $0.split(separator: ",").map(String.init) }
        #expect(lines.first == ["tag_a", "tag_b", "tag_c", "tag_a_proba", "tag_b_proba", "tag_c_proba"])
        let rows = lines.dropFirst()
        #expect(rows.allSatisfy { $0.prefix(3).allSatisfy { $0 == "0" || $0 == "1" } }, "0/1 indicators")
        #expect(rows.flatMap { $0.prefix(3).map { Double($0)! } } == c.predict!)
        assertClose(rows.flatMap { $0.suffix(3).map { Double($0)! } }, c.proba!, relative: 1e-12, absolute: 1e-15,
                    "predict_proba")
        guard c.testLabels == nil else { return }
        let evaluated = try CLI.run(["evaluate", "m.mlp", "data.csv", "--json"], in: dir)
        #expect(evaluated.code == 0, "\(evaluated.stderr)")
        expectLabelScores(try JSONDecoder().decode(MultilabelMetricsJSON.self, from: Data(evaluated.stdout.utf8)), train,
                          "evaluate --json")
    }

    /// `mlp evaluate --target` may score other columns than the model's outputs (as many): each target's or label's
    /// scores are named by the column scored, in --json and in the summary, not by the model's target at fit.
    @Test func evaluateNamesTheColumnsItScores() throws {
        let dir = try CLI.temporaryDirectory()
        let regression = MultiOutputCase.all[0]
        try CLI.write(regression.csv, to: dir + "/data.csv")
        #expect(try CLI.run(["train", "data.csv"] + regression.args + ["-q", "-o", "m.mlp", "--max-iter", "3"], in: dir).code == 0)
        let scores = try evaluated(["m.mlp", "data.csv", "--target", "b,a"], in: dir, as: RegressionMetricsJSON.self)
        #expect(scores.json.per_target?.map(\.target) == ["b", "a"])
        #expect(scores.lastLines(2) == ["b", "a"], "the summary's per-target lines")

        let multilabel = MultiOutputCase.all.first { $0.command == "train-multilabel" }!
        try CLI.write(multilabel.csv, to: dir + "/labels.csv")
        #expect(try CLI.run(["train", "labels.csv"] + multilabel.args + ["-q", "-o", "l.mlp", "--max-iter", "3"], in: dir).code == 0)
        let labels = try evaluated(["l.mlp", "labels.csv", "--target", "tag_c,tag_a,tag_b"], in: dir,
                                   as: MultilabelMetricsJSON.self)
        #expect(labels.json.per_label.map(\.label) == ["tag_c", "tag_a", "tag_b"])
        #expect(labels.lastLines(3) == ["tag_c", "tag_a", "tag_b"], "the summary's per-label lines")
    }

    /// A classifier's target columns must hold 0 or 1: another value is named by its line and column.
    @Test func aMultilabelCellThatIsNotZeroOrOneIsNamed() throws {
        let dir = try CLI.temporaryDirectory()
        try CLI.write("x,a,b\n1,0,1\n2,1,0\n3,1,yes\n4,0,1\n", to: dir + "/d.csv")
        expectCleanError(try CLI.run(["train", "d.csv", "--target", "a,b", "-q"], in: dir), code: 1,
                         contains: "d.csv, line 4, column 'b': 'yes' is not 0 or 1")
        try CLI.write("x,a,b\n1,0,1\n2,2,0\n", to: dir + "/e.csv")
        expectCleanError(try CLI.run(["train", "e.csv", "--target", "a,b", "-q"], in: dir), code: 1,
                         contains: "e.csv, line 3, column 'a': '2' is not 0 or 1")
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
        (["--target", "a,b", "--drop", "c,d"], 1, "line 2, column 'a': '2' is not 0 or 1"),
        (["--target", "a,b", "--drop", "c,d", "--stream"], 1, "line 2, column 'a': '2' is not 0 or 1"),
        (["--target", "a,c", "--drop", "d", "--regression", "--stream"], 1,
         "line 3, column 'c': could not convert 'x' to a number; a regression target must be numeric"),
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
        // A multilabel classifier goes on too (its classes are label indices, not the 0/1 cells).
        let labels = MultiOutputCase.all.first { $0.command == "train-multilabel" }!
        try CLI.write(labels.csv, to: dir + "/labels.csv")
        let multilabel = ["train", "labels.csv", "--max-iter", "3", "-q", "-o", "l.mlp"]
        #expect(try CLI.run(multilabel + ["--target", "tag_a,tag_b,tag_c"], in: dir).code == 0)
        let continued = try CLI.run(multilabel + ["--warm-start"], in: dir)
        #expect(continued.code == 0, "\(continued.stderr)")
        expectCleanError(try CLI.run(multilabel + ["--warm-start", "--target", "tag_b,tag_a,tag_c"], in: dir), code: 1,
                         contains: "in that order")
    }

    /// Several label columns that are not 0/1 are refused by cv, and evaluate refuses a table whose targets are not
    /// the model's outputs.
    @Test func targetsThatDoNotFitAreRefused() throws {
        let c = MultiOutputCase.all[0]
        let dir = try CLI.temporaryDirectory()
        try CLI.write(c.csv, to: dir + "/data.csv")
        expectCleanError(try CLI.run(["cv", "data.csv", "--target", "a,b"], in: dir), code: 1, contains: "is not 0 or 1")
        #expect(try CLI.run(["train", "data.csv"] + c.args + ["-q", "-o", "m.mlp", "--max-iter", "3"], in: dir).code == 0)
        expectCleanError(try CLI.run(["evaluate", "m.mlp", "data.csv", "--target", "a"], in: dir), code: 1,
                         contains: "the table has 1 target column(s) (a), but the model predicts 2 (a, b)")
    }
}
