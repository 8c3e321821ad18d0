import Foundation
import Testing

/// `mlp seed`, through the built binary, as a user would run it.
struct SeedCommandTests {
    struct Outcome { let status: Int32; let standardOutput: String; let standardError: String }

    static func run(_ arguments: [String]) throws -> Outcome {
        let result = try CLI.run(arguments)
        return Outcome(status: result.code, standardOutput: result.stdout, standardError: result.stderr)
    }

    @Test func seedPrintsWhatTheQuestionPrints() throws {
        let outcome = try Self.run(["seed"])
        #expect(outcome.status == 0)
        let lines = outcome.standardOutput.split(separator: "\n").map(String.init)
        #expect(lines.first == "Error after 0 iterations: 2.729217")
        #expect(lines.contains("Goal reached after 38306 iterations: 0.00099995365 is smaller than the goal of 0.001"))
        for heading in ["Weights between Input Layer -> Hidden Layer", "Bias of Hidden Layer",
                        "Weights between Hidden Layer -> Output Layer", "Bias of Output Layer",
                        "Computed probabilities for SALE (rounded to 3 decimals)", "Real probabilities for SALE",
                        "Final Error"] {
            #expect(lines.contains(heading), "missing \(heading)")
        }
        #expect(lines.filter { $0.hasPrefix("Error after ") }.count == 39)
    }

    @Test(arguments: [
        (["--scale"], 12354), (["--loss", "log", "--learning-rate", "0.05"], 33797),
        (["--optimizer", "adam", "--learning-rate", "0.1", "--scale"], 1071),
    ])
    func variantsReachTheGoalWhereNumpyDoes(arguments: [String], iterations: Int) throws {
        let outcome = try Self.run(["seed"] + arguments)
        #expect(outcome.standardOutput.contains("Goal reached after \(iterations) iterations"))
    }

    @Test(arguments: [
        (["seed", "--learning-rate", "0"], "--learning-rate"),
        (["seed", "--learning-rate=-1"], "--learning-rate"),
        (["seed", "--goal", "nan"], "--goal"),
        (["seed", "--goal", "abc"], "--goal"),
        (["seed", "--momentum", "1.5"], "--momentum"),
        (["seed", "--hidden", "0"], "--hidden"),
        (["seed", "--hidden", "three"], "--hidden"),
        (["seed", "--max-iter", "0"], "--max-iter"),
        (["seed", "--optimizer", "rmsprop"], "--optimizer"),
        (["seed", "--frobnicate"], "--frobnicate"),
    ])
    func badOptionsGiveOneLineAndExitTwo(arguments: [String], option: String) throws {
        let outcome = try Self.run(arguments)
        #expect(outcome.status == 2)
        let lines = outcome.standardError.split(separator: "\n")
        #expect(lines.count == 1, "\(outcome.standardError)")
        #expect(outcome.standardError.contains(option))
        #expect(!outcome.standardError.contains("Fatal error"))
    }

    @Test func divergenceSaysSoAndExitsOne() throws {
        let outcome = try Self.run(["seed", "--loss", "log", "--learning-rate", "1e308"])
        #expect(outcome.status == 1)
        #expect(outcome.standardOutput.contains("Training diverged"))
        #expect(outcome.standardError.contains("diverged"))
    }

    @Test func explainPrintsATableAndAVerdict() throws {
        let outcome = try Self.run(["seed", "--explain", "--runs", "2", "--max-iter", "60000"])
        #expect(outcome.status == 0)
        let text = outcome.standardOutput
        #expect(text.contains("median iterations"))
        #expect(text.contains("posted: raw inputs, squared error, GD lr 0.5"))
        #expect(text.contains("MLPClassifier recipe"))
        #expect(text.contains("The fix that matters most on its own is"))
        #expect(text.contains("momentum 0.9, lr 0.5 reached the goal in only 0 of 2 runs"))
    }
}
