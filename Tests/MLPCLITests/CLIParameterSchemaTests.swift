import Foundation
import MLPCore
import Testing

// `mlp train` takes every parameter of the library's schema, with the library's rules.

@Suite struct CLIParameterSchemaTests {
    @Test func helpListsEverySchemaFlag() throws {
        let r = try CLI.run(["train", "--help"])
        #expect(r.code == 0)
        for spec in ParameterSchema.all {
            #expect(r.stdout.contains("--\(spec.flag)"), "mlp train --help lacks --\(spec.flag)")
        }
    }

    /// What the CLI used to refuse and the library accepts: any hidden activation, a zero validation fraction
    /// with early stopping (sklearn's too), plus the options beyond scikit-learn.
    @Test func acceptsWhatTheLibraryAccepts() throws {
        let dir = try CLI.temporaryDirectory()
        let r = try CLI.run(["train", "--dataset", "iris", "--activation", "elu", "--early-stopping",
                             "--validation-fraction", "0", "--max-iter", "2", "--hidden-layer-sizes", "4",
                             "--class-weight", "setosa=2,virginica=0.5", "--dropout", "0.1", "--restore-best-weights",
                             "--stratify-validation-split", "--n-iter-no-change", "inf", "--quiet"], in: dir)
        // Training may still refuse the data (an empty validation split), but never the parameters.
        #expect(!r.stderr.contains("parameter"), "stderr: \(r.stderr)")
        #expect(!r.stderr.contains("invalid for"), "stderr: \(r.stderr)")
    }

    @Test(arguments: [
        (["--dropout", "1"], "The 'dropout' parameter of MLPClassifier must be a float in the range [0.0, 1.0). Got 1.0 instead."),
        (["--class-weight", "heavy"], "The 'class_weight' parameter of MLPClassifier must be a str among {'balanced'}, an instance of 'dict' or None. Got 'heavy' instead."),
        (["--class-weight", "setosa:2"], "Got 'setosa:2' instead. On the command line: --class-weight balanced, or LABEL=W pairs such as a=2,b=1."),
        (["--class-weight", "balanced", "--regression"], "--class-weight applies to classifiers only"),
        (["--n-iter-no-change", "0"], "The 'n_iter_no_change' parameter of MLPClassifier must be an int in the range [1, inf) or a float among {inf}. Got 0 instead."),
        (["--regression", "--alpha", "-2"], "The 'alpha' parameter of MLPRegressor must be a float in the range [0.0, inf). Got -2.0 instead."),
    ])
    func refusesInTheLibrarysWords(_ args: [String], _ message: String) throws {
        let r = try CLI.run(["train", "--dataset", "iris"] + args)
        expectCleanError(r, code: 2, contains: message)
    }
}
