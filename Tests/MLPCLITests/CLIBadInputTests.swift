import Foundation
@testable import MLPCore
import Testing

// Every bad input through the built binary: its exit code (1 bad data, 2 bad usage) and its message.

struct BadInput: CustomTestStringConvertible, Sendable {
    var name: String
    /// Files to create in the working directory before running.
    var files: [String: [UInt8]] = [:]
    var args: [String]
    var code: Int32
    var message: String
    var testDescription: String { name }
}

private func text(_ s: String) -> [UInt8] { Array(s.utf8) }

let badInputs: [BadInput] = [
    // Data (exit 1)
    BadInput(name: "empty file", files: ["d.csv": []], args: ["train", "d.csv"], code: 1,
             message: "d.csv: no columns to parse: the file is empty or holds only blank lines"),
    BadInput(name: "only blank lines", files: ["d.csv": text("\n\r\n  \n")], args: ["train", "d.csv"], code: 1,
             message: "no columns to parse"),
    BadInput(name: "header only", files: ["d.csv": text("a,b,y\n")], args: ["train", "d.csv"], code: 1,
             message: "d.csv: no data rows: the file holds only a header"),
    BadInput(name: "ragged row", files: ["d.csv": text("a,b,y\n1,2,x\n1,2,3,4\n")], args: ["train", "d.csv"], code: 1,
             message: "d.csv, line 3: expected 3 fields, saw 4"),
    BadInput(name: "non-numeric feature", files: ["d.csv": text("x1,x2,y\n1,2,a\n3,abc,b\n")], args: ["train", "d.csv"],
             code: 1, message: "d.csv, line 3, column 'x2': could not convert 'abc' to a number; use --one-hot x2 to encode it as categories or --drop x2 to leave it out"),
    BadInput(name: "empty cell", files: ["d.csv": text("x1,x2,y\n1,,a\n")], args: ["train", "d.csv"], code: 1,
             message: "d.csv, line 2, column 'x2': missing value (an empty cell); use --impute mean|median to fill it"),
    BadInput(name: "NA cell", files: ["d.csv": text("x1,x2,y\n1,NA,a\n")], args: ["train", "d.csv"], code: 1,
             message: "d.csv, line 2, column 'x2': missing value ('NA')"),
    BadInput(name: "NaN cell", files: ["d.csv": text("x1,x2,y\n1,2,a\nNaN,2,b\n")], args: ["train", "d.csv"], code: 1,
             message: "d.csv, line 3, column 'x1': missing value ('NaN')"),
    BadInput(name: "inf cell", files: ["d.csv": text("x1,x2,y\n1,-inf,a\n")], args: ["train", "d.csv"], code: 1,
             message: "d.csv, line 2, column 'x2': '-inf' is not a finite number"),
    BadInput(name: "overflowing number", files: ["d.csv": text("x1,y\n1e400,a\n")], args: ["train", "d.csv"], code: 1,
             message: "line 2, column 'x1': '1e400' is not a finite number"),
    BadInput(name: "unterminated quote", files: ["d.csv": text("x1,y\n1,\"a\n2,b\n")], args: ["train", "d.csv"], code: 1,
             message: "d.csv, line 2: unterminated quoted field: no closing quote before the end of the input"),
    BadInput(name: "NUL byte", files: ["d.csv": text("x1,y\n1,a\n2,") + [0] + text("b\n")], args: ["train", "d.csv"], code: 1,
             message: "d.csv, line 3: NUL byte in field 2"),
    BadInput(name: "invalid UTF-8", files: ["d.csv": text("x1,y\n1,a\n2,caf") + [0xE9] + text("\n")], args: ["train", "d.csv"],
             code: 1, message: "d.csv, line 3: invalid UTF-8 (byte 0xE9) in field 2"),
    BadInput(name: "field over the limit", files: ["d.csv": text("x1,y\n1," + String(repeating: "a", count: (1 << 20) + 1) + "\n")],
             args: ["train", "d.csv"], code: 1, message: "d.csv, line 2: field 2 is longer than 1048576 bytes"),
    BadInput(name: "duplicate column", files: ["d.csv": text("x,x,y\n1,2,a\n")], args: ["train", "d.csv"], code: 1,
             message: "the header names column 'x' twice (columns 1 and 2)"),
    BadInput(name: "unknown target", files: ["d.csv": text("x1,y\n1,a\n")], args: ["train", "d.csv", "--target", "z"], code: 1,
             message: "d.csv: no column named 'z' for the target (columns: 'x1', 'y')"),
    BadInput(name: "no feature columns", files: ["d.csv": text("y\na\nb\n")], args: ["train", "d.csv"], code: 1,
             message: "d.csv: no feature columns: the file has only the target column 'y'"),
    BadInput(name: "one class", files: ["d.csv": text("x1,y\n1,a\n2,a\n")], args: ["train", "d.csv"], code: 1,
             message: "d.csv: the target column 'y' has only one class ('a'); a classifier needs at least two"),
    BadInput(name: "continuous target for a classifier", files: ["d.csv": text("x1,y\n1,0.5\n2,1.25\n")], args: ["train", "d.csv"],
             code: 1, message: "column 'y': Unknown label type: continuous. The target holds non-integer numbers such as 0.5 (line 2); use --regression"),
    // The labels are checked before the memory they would need: 64 distinct non-integers are not 64 classes.
    BadInput(name: "continuous target over the memory limit", files: ["d.csv": text("x1,y\n" + (0..<64).map { "\($0),\($0).5\n" }.joined())],
             args: ["train", "d.csv", "--max-memory", "16K"], code: 1,
             message: "d.csv, column 'y': Unknown label type: continuous. The target holds non-integer numbers such as 0.5 (line 2)"),
    BadInput(name: "continuous target in cross-validation", files: ["d.csv": text("x1,y\n1,0.5\n2,1.25\n")], args: ["cv", "d.csv"],
             code: 1, message: "d.csv, column 'y': Unknown label type: continuous"),
    BadInput(name: "continuous target in a diagnosis", files: ["d.csv": text("x1,y\n1,0.5\n2,1.25\n")], args: ["diagnose", "d.csv"],
             code: 1, message: "d.csv, column 'y': Unknown label type: continuous"),
    // pandas reads 'nan' as a missing value; as a class label it is refused, as in a feature column.
    BadInput(name: "nan as a class label", files: ["d.csv": text("a,y\n1,0\n2,nan\n3,1\n")], args: ["train", "d.csv"],
             code: 1, message: "d.csv, line 3, column 'y': missing target value ('nan')"),
    BadInput(name: "nan as a class label through a pipeline", files: ["d.csv": text("a,y\n1,0\n2,nan\n3,1\n")],
             args: ["train", "d.csv", "--one-hot", "a"], code: 1, message: "d.csv, line 3, column 'y': missing target value ('nan')"),
    BadInput(name: "decimal comma", files: ["d.csv": text("a;b;y\n1,5;2;x\n3;-0,25;y\n")], args: ["train", "d.csv"], code: 1,
             message: "d.csv, line 2, column 'a': could not convert '1,5' to a number; it has a decimal comma: numbers are read with a decimal point (1.5)"),
    BadInput(name: "decimal comma, streamed", files: ["d.csv": text("a;b;y\n1;-0,25;x\n3;2;y\n")], args: ["train", "d.csv", "--stream"],
             code: 1, message: "d.csv, line 2, column 'b': could not convert '-0,25' to a number; it has a decimal comma"),
    BadInput(name: "a comma in a text cell is no decimal comma", files: ["d.csv": text("a;b;y\n1;x,y;x\n")], args: ["train", "d.csv"],
             code: 1, message: "could not convert 'x,y' to a number; use --one-hot b"),
    BadInput(name: "string target for a regressor", files: ["d.csv": text("x1,y\n1,a\n")], args: ["train", "d.csv", "--regression"],
             code: 1, message: "d.csv, line 2, column 'y': could not convert 'a' to a number; a regression target must be numeric"),
    BadInput(name: "missing file", args: ["train", "nope.csv"], code: 1,
             message: "nope.csv: cannot read the file: No such file or directory"),
    BadInput(name: "directory as data", args: ["train", "."], code: 1, message: ".: is a directory, not a CSV file"),
    BadInput(name: "unknown one-hot column", files: ["d.csv": text("x1,y\n1,a\n")], args: ["train", "d.csv", "--one-hot", "q"],
             code: 1, message: "--one-hot names no column 'q'"),
    BadInput(name: "all values missing with impute", files: ["d.csv": text("x1,x2,y\n1,NA,a\n2,,b\n")],
             args: ["train", "d.csv", "--impute", "mean"], code: 1,
             message: "column 'x2': only missing values; there is nothing to impute from"),
    BadInput(name: "early stopping on too few rows", files: ["d.csv": text("a,y\n1,x\n2,y\n")],
             args: ["train", "d.csv", "--early-stopping"], code: 1,
             message: "d.csv: The least populated classes in y have only 1 member, which is too few."),
    BadInput(name: "negative target for poisson", files: ["d.csv": text("a,y\n1,-1\n2,3\n")],
             args: ["train", "d.csv", "--regression", "--loss", "poisson"], code: 1,
             message: "d.csv, line 2, column 'y': the target is -1.0: Some value(s) of y are negative which is not "
                 + "allowed for Poisson regression."),
    // Model files (exit 1)
    BadInput(name: "not a model", files: ["m.mlp": text("x1,y\n1,a\n")], args: ["inspect", "m.mlp"], code: 1,
             message: "m.mlp: not an mlp model file (wrong magic bytes)"),
    BadInput(name: "empty model", files: ["m.mlp": []], args: ["predict", "m.mlp", "--dataset", "seed"], code: 1,
             message: "m.mlp: empty file, not an mlp model"),
    BadInput(name: "missing model", args: ["inspect", "nope.mlp"], code: 1, message: "nope.mlp: cannot open: No such file or directory"),
    BadInput(name: "directory as model", args: ["inspect", "."], code: 1, message: ".: is a directory, not a model file"),
    // Usage (exit 2)
    BadInput(name: "no data", args: ["train"], code: 2, message: "missing data: give a CSV file or --dataset seed|iris|digits"),
    BadInput(name: "file and dataset", args: ["train", "d.csv", "--dataset", "iris"], code: 2,
             message: "give either a CSV file or --dataset, not both"),
    BadInput(name: "unknown dataset", args: ["train", "--dataset", "mnist"], code: 2,
             message: "The value 'mnist' is invalid for '--dataset <name>'"),
    BadInput(name: "unknown option", args: ["train", "--dataset", "iris", "--learning-rate-int"], code: 2,
             message: "Unknown option '--learning-rate-int'"),
    BadInput(name: "negative alpha", args: ["train", "--dataset", "iris", "--alpha", "-1"], code: 2,
             message: "The 'alpha' parameter of MLPClassifier must be a float in the range [0.0, inf). Got -1.0 instead."),
    BadInput(name: "NaN alpha", args: ["train", "--dataset", "iris", "--alpha", "nan"], code: 2,
             message: "The 'alpha' parameter of MLPClassifier must be a float in the range [0.0, inf). Got nan instead."),
    BadInput(name: "infinite learning rate", args: ["train", "--dataset", "iris", "--learning-rate-init", "inf"], code: 2,
             message: "The 'learning_rate_init' parameter of MLPClassifier must be a float in the range (0.0, inf). Got inf instead."),
    BadInput(name: "zero learning rate", args: ["train", "--dataset", "iris", "--learning-rate-init", "0"], code: 2,
             message: "The 'learning_rate_init' parameter of MLPClassifier must be a float in the range (0.0, inf). Got 0.0 instead."),
    BadInput(name: "alpha not a number", args: ["train", "--dataset", "iris", "--alpha", "abc"], code: 2,
             message: "The value 'abc' is invalid for '--alpha <alpha>'"),
    BadInput(name: "zero hidden units", args: ["train", "--dataset", "iris", "--hidden-layer-sizes", "10,0"], code: 2,
             message: "hidden_layer_sizes must be > 0, got [10, 0]."),
    BadInput(name: "empty hidden size", args: ["train", "--dataset", "iris", "--hidden-layer-sizes", "5,,5"], code: 2,
             message: "The 'hidden_layer_sizes' parameter of MLPClassifier must be an array-like or an int in the range [1, inf). Got '5,,5' instead."),
    BadInput(name: "repeated target", files: ["d.csv": text("w,wa,x,y\n1,2,3,4\n2,3,4,5\n")],
             args: ["train", "d.csv", "--target", "w", "--target", "w", "--regression"], code: 1,
             message: "d.csv: --target names the column 'w' twice; give each target column once"),
    BadInput(name: "empty target for evaluate", args: ["evaluate", "m.mlp", "--dataset", "iris", "--target", "species",
                                                       "--target", ""], code: 2,
             message: "--target needs a column name"),
    BadInput(name: "several targets of a classifier that are not 0/1", files: ["d.csv": text("w,wa,x,y\n1,2,3,4\n2,3,4,5\n")],
             args: ["train", "d.csv", "--target", "w,wa"], code: 1,
             message: "d.csv, line 2, column 'wa': '2' is not 0 or 1: several target columns of a classifier are a "
                + "multilabel indicator matrix (a 0/1 column per label); for numbers use --regression"),
    BadInput(name: "comma in an unknown target", files: ["d.csv": text("w,wa,x,y\n1,2,3,4\n2,3,4,5\n")],
             args: ["train", "d.csv", "--target", "w,zz", "--regression"], code: 1,
             message: "d.csv: no column named 'zz' for the target (columns: 'w', 'wa', 'x', 'y')"),
    BadInput(name: "hidden sizes not ints", args: ["train", "--dataset", "iris", "--hidden-layer-sizes", "10,x"], code: 2,
             message: "The 'hidden_layer_sizes' parameter of MLPClassifier must be an array-like or an int in the range [1, inf). Got '10,x' instead."),
    BadInput(name: "unknown activation", args: ["train", "--dataset", "iris", "--activation", "softmax"], code: 2,
             message: "The value 'softmax' is invalid for '--activation <name>'"),
    BadInput(name: "unknown solver", args: ["train", "--dataset", "iris", "--solver", "rmsprop"], code: 2,
             message: "The value 'rmsprop' is invalid for '--solver <name>'"),
    BadInput(name: "zero batch size", args: ["train", "--dataset", "iris", "--batch-size", "0"], code: 2,
             message: "The 'batch_size' parameter of MLPClassifier must be a str among {'auto'} or an int in the range [1, inf). Got 0 instead."),
    BadInput(name: "momentum over 1", args: ["train", "--dataset", "iris", "--momentum", "1.5"], code: 2,
             message: "The 'momentum' parameter of MLPClassifier must be a float in the range [0.0, 1.0]. Got 1.5 instead."),
    BadInput(name: "beta_2 of 1", args: ["train", "--dataset", "iris", "--beta-2", "1"], code: 2,
             message: "The 'beta_2' parameter of MLPClassifier must be a float in the range [0.0, 1.0). Got 1.0 instead."),
    BadInput(name: "zero max_iter", args: ["train", "--dataset", "iris", "--max-iter", "0"], code: 2,
             message: "The 'max_iter' parameter of MLPClassifier must be an int in the range [1, inf). Got 0 instead."),
    BadInput(name: "negative random_state", args: ["train", "--dataset", "iris", "--random-state", "-1"], code: 2,
             message: "The 'random_state' parameter of MLPClassifier must be an int in the range [0, 4294967295] or None. Got -1 instead."),
    BadInput(name: "validation fraction 1", args: ["train", "--dataset", "iris", "--validation-fraction", "1"], code: 2,
             message: "The 'validation_fraction' parameter of MLPClassifier must be a float in the range [0.0, 1.0). Got 1.0 instead."),
    BadInput(name: "loss for a classifier", args: ["train", "--dataset", "iris", "--loss", "poisson"], code: 2,
             message: "--loss applies to regressors only; add --regression"),
    BadInput(name: "unknown loss", args: ["train", "--dataset", "iris", "--regression", "--loss", "huber"], code: 2,
             message: "The value 'huber' is invalid for '--loss <name>'"),
    BadInput(name: "unknown dtype", args: ["train", "--dataset", "iris", "--dtype", "float16"], code: 2,
             message: "The 'dtype' parameter must be a str among {'float64', 'float32'}. Got 'float16' instead."),
    BadInput(name: "unknown scale", args: ["train", "--dataset", "iris", "--scale", "robust"], code: 2,
             message: "The value 'robust' is invalid for '--scale <kind>'"),
    BadInput(name: "unknown impute", args: ["train", "--dataset", "iris", "--impute", "mode"], code: 2,
             message: "The value 'mode' is invalid for '--impute <mean|median>'"),
    BadInput(name: "quiet and verbose", args: ["train", "--dataset", "iris", "--quiet", "--verbose"], code: 2,
             message: "--quiet and --verbose cannot be used together"),
    BadInput(name: "no-header with dataset", args: ["train", "--dataset", "iris", "--no-header"], code: 2,
             message: "--no-header does not apply to --dataset"),
    BadInput(name: "report onto the model", args: ["train", "--dataset", "iris", "-o", "m.mlp", "--report", "m.mlp"], code: 2,
             message: "--report and --output name the same file"),
    BadInput(name: "predict without a model", args: ["predict"], code: 2, message: "Missing expected argument '<model>'"),
    BadInput(name: "predict with one-hot", args: ["predict", "m.mlp", "--dataset", "iris", "--one-hot", "x"], code: 2,
             message: "--one-hot is set at training time"),
    BadInput(name: "unknown subcommand", args: ["fit"], code: 2, message: "Unexpected argument 'fit'"),
]

@Suite struct CLIBadInputTests {
    @Test(arguments: badInputs)
    func refusedWithMessage(_ input: BadInput) throws {
        let dir = try CLI.temporaryDirectory()
        for (name, bytes) in input.files { try Data(bytes).write(to: URL(fileURLWithPath: dir + "/" + name)) }
        let r = try CLI.run(input.args, in: dir)
        expectCleanError(r, code: input.code, contains: input.message)
        #expect(r.stdout.isEmpty)
        // Nothing is written on failure.
        #expect(!FileManager.default.fileExists(atPath: dir + "/model.mlp"))
    }

    /// Data errors at predict/evaluate time, against a model built from scikit-learn weights (features x1, x2).
    /// A decimal comma is named alone: one-hot encoding such a column would be no fix.
    @Test func aDecimalCommaIsNotOfferedOneHotEncoding() throws {
        let dir = try CLI.temporaryDirectory()
        try CLI.write("a;b;y\n1,5;2;x\n3;4;y\n", to: dir + "/d.csv")
        for extra in [[], ["--stream"]] {
            let r = try CLI.run(["train", "d.csv", "-o", "m.mlp"] + extra, in: dir)
            expectCleanError(r, code: 1, contains: "it has a decimal comma")
            #expect(!r.stderr.contains("--one-hot"), "\(extra): \(r.stderr)")
        }
    }

    @Test func predictAndEvaluateRefuseMismatchedData() throws {
        let dir = try CLI.temporaryDirectory()
        try SklearnFixture.all["seed"]!.model().write(to: dir + "/s.mlp")
        try CLI.write("x1,x3\n1,2\n", to: dir + "/missing.csv")
        expectCleanError(try CLI.run(["predict", "s.mlp", "missing.csv"], in: dir), code: 1,
                         contains: "missing.csv: the model needs column 'x2', which the header lacks (columns: 'x1', 'x3')")
        try CLI.write("1,2,3\n", to: dir + "/wide.csv")
        expectCleanError(try CLI.run(["predict", "s.mlp", "wide.csv", "--no-header"], in: dir), code: 1,
                         contains: "wide.csv: X has 3 features, but the model expects 2")
        try CLI.write("x1,x2\n1,NaN\n", to: dir + "/nan.csv")
        expectCleanError(try CLI.run(["predict", "s.mlp", "nan.csv"], in: dir), code: 1,
                         contains: "nan.csv, line 2, column 'x2': missing value ('NaN')")
        try CLI.write("x1,x2,sale\n1,2,0\n3,4,7\n", to: dir + "/unseen.csv")
        expectCleanError(try CLI.run(["evaluate", "s.mlp", "unseen.csv"], in: dir), code: 1,
                         contains: "unseen.csv, line 3, column 'sale': unknown label '7'; the model's classes are '0', '1'")
        try CLI.write("x1,x2\n1,2\n", to: dir + "/notarget.csv")
        expectCleanError(try CLI.run(["evaluate", "s.mlp", "notarget.csv"], in: dir), code: 1,
                         contains: "no column named 'sale' for the target")
        // A target column present at predict time is ignored.
        try CLI.write("sale,x2,x1\nwhatever,4.7,7\n", to: dir + "/withtarget.csv")
        #expect(try CLI.run(["predict", "s.mlp", "withtarget.csv"], in: dir).stdout == "sale\n0\n")
    }
}
