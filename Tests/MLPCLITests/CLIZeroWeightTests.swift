import Foundation
import Testing

// Class weights that weigh every row, or a whole minibatch, 0: an input error in one line, not a divergence blamed on
// the learning rate.

@Suite struct CLIZeroWeightTests {
    @Test(arguments: [["--solver", "adam"], ["--solver", "lbfgs"]])
    func classWeightsOfZeroForEveryClassAreAnInputError(_ solver: [String]) throws {
        let dir = try CLI.temporaryDirectory()
        let r = try CLI.run(["train", "--dataset", "iris", "--class-weight", "setosa=0,versicolor=0,virginica=0",
                             "-o", "m.mlp", "--quiet"] + solver, in: dir)
        expectCleanError(r, code: 1, contains: "class_weight gives every class weight 0")
        #expect(!r.stderr.contains("exploding-gradient") && !r.stderr.contains("learning-rate"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/m.mlp"))
    }

    @Test func aMinibatchOfRowsWeightedZeroIsAnInputError() throws {
        let dir = try CLI.temporaryDirectory()
        // iris lists its classes in order: unshuffled batches of 50 rows, the first all setosa.
        let r = try CLI.run(["train", "--dataset", "iris", "--class-weight", "setosa=0", "--no-shuffle",
                             "--batch-size", "50", "-o", "m.mlp", "--quiet"], in: dir)
        expectCleanError(r, code: 1, contains: "minibatch of 50 rows")
        #expect(r.stderr.contains("sum to 0") && !r.stderr.contains("exploding-gradient"), "\(r.stderr)")
    }
}
