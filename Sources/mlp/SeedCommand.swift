import ArgumentParser
import Foundation
import MLP
import MLPSeed

/// `mlp seed`: the question's 2-3-1 network, reproduced, and `--explain`: why it needs so many epochs.
struct SeedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seed",
        abstract: "Reproduce the question's 2-3-1 sigmoid network on its ten points, or explain why it trains slowly.")

    @Flag(help: "Standardize the inputs first (sklearn.preprocessing.scale).")
    var scale = false

    @Option(parsing: .unconditional, help: "squared: the question's (ŷ−y)·ŷ(1−ŷ) delta; log: log-loss, delta ŷ−y.")
    var loss: SeedExperiment.LossChoice = .squared

    @Option(parsing: .unconditional, help: "gd, momentum (v ← μv − η·g; w ← w + v) or adam.")
    var optimizer: SeedExperiment.OptimizerChoice = .gd

    @Option(parsing: .unconditional, help: "Step size η (the question's alpha).")
    var learningRate = 0.5

    @Option(parsing: .unconditional, help: "Momentum μ for --optimizer momentum, in [0, 1).")
    var momentum = 0.9

    @Option(parsing: .unconditional, help: "Seed of numpy.random.RandomState for the initial weights.")
    var randomState = 1

    @Option(parsing: .unconditional, help: "Hidden units.")
    var hidden = 3

    @Option(parsing: .unconditional, help: "Stop once the error falls below this.")
    var goal = 0.001

    @Option(parsing: .unconditional, help: "Give up after this many updates.")
    var maxIter = 1_000_000

    @Option(parsing: .unconditional, help: "numpy: numpy's roundings, bit for bit (default); fast: vectorized sigmoids; library: the general path.")
    var engine: SeedExperiment.Engine = .numpy

    @Flag(help: "Run the posted network, each fix alone and the fixes combined over 20 random states, and explain.")
    var explain = false

    @Option(parsing: .unconditional, help: "Random states per variant for --explain.")
    var runs = 20

    func validate() throws {
        guard learningRate > 0, learningRate.isFinite else {
            throw ValidationError("--learning-rate must be a positive finite number, got \(learningRate)")
        }
        guard goal > 0, goal.isFinite else { throw ValidationError("--goal must be a positive finite number, got \(goal)") }
        guard momentum >= 0, momentum < 1 else { throw ValidationError("--momentum must be in [0, 1), got \(momentum)") }
        guard hidden >= 1 else { throw ValidationError("--hidden must be at least 1, got \(hidden)") }
        guard maxIter >= 1 else { throw ValidationError("--max-iter must be at least 1, got \(maxIter)") }
        guard (0...Int(UInt32.max)).contains(randomState) else {
            throw ValidationError("--random-state must be in [0, 4294967295], got \(randomState)")
        }
        guard runs >= 1 else { throw ValidationError("--runs must be at least 1, got \(runs)") }
        // The 2-h-1 network on ten points, trained by full-batch gradient steps, before anything is allocated.
        var parameters = MLPParameters()
        parameters.solver = optimizer == .adam ? .adam : .sgd
        let estimate = MemoryEstimate.training(layerSizes: [2, hidden, 1], samples: 10, parameters: parameters, elementBytes: 8)
        do { try estimate.check(request: "--hidden \(hidden)") } catch let error as MemoryLimitError {
            throw CLIError(.memory, error.description(naming: .flags))
        }
    }

    var experiment: SeedExperiment {
        var experiment = SeedExperiment()
        experiment.scale = scale
        experiment.loss = loss
        experiment.optimizer = optimizer
        experiment.learningRate = learningRate
        experiment.momentum = momentum
        experiment.randomState = UInt32(randomState)
        experiment.hidden = hidden
        experiment.goal = goal
        experiment.maxIterations = maxIter
        experiment.engine = engine
        return experiment
    }

    func run() throws {
        if explain {
            try SeedExplanation(base: experiment, runs: runs, maxIterations: explainMaxIterations).printReport()
            return
        }
        let result = experiment.run { iteration, error in
            print("Error after \(iteration) iterations: \(format(error))")
        }
        if let n = result.iterationsToGoal {
            try Output.print("Goal reached after \(n) iterations: \(format(result.finalError)) is smaller than the goal of \(format(goal))")
        } else if result.diverged {
            try Output.print("Training diverged: a weight or the error became NaN or infinite after \(result.iterationsRun) "
                  + "iterations; showing the last finite weights (error \(format(result.finalError))).")
        } else {
            try Output.print("Goal not reached after \(result.iterationsRun) iterations: the error is \(format(result.finalError)).")
        }
        let network = result.network
        try Output.print("")
        try Output.print("Weights between Input Layer -> Hidden Layer")
        try Output.print(formatMatrix(network.coefficients(ofLayer: 0)))
        try Output.print("")
        try Output.print("Bias of Hidden Layer")
        try Output.print(formatVector(network.intercepts(ofLayer: 0)))
        try Output.print("")
        try Output.print("Weights between Hidden Layer -> Output Layer")
        try Output.print(formatMatrix(network.coefficients(ofLayer: 1)))
        try Output.print("")
        try Output.print("Bias of Output Layer")
        try Output.print(formatVector(network.intercepts(ofLayer: 1)))
        try Output.print("")
        try Output.print("Computed probabilities for SALE (rounded to 3 decimals)")
        try Output.print(formatColumn(result.probabilities.map { ($0 * 1000).rounded() / 1000 }, digits: 3))
        try Output.print("")
        try Output.print("Real probabilities for SALE")
        try Output.print(formatColumn(result.targets, digits: 0))
        try Output.print("")
        try Output.print("Final Error")
        try Output.print(format(result.finalError))
        try Output.print("")
        // No rate without a completed iteration (a run that diverges on its first update).
        try Output.print(result.iterationsRun == 0 ? String(format: "0 iterations in %.4f s", result.seconds)
            : String(format: "%d iterations in %.4f s: %.3f µs per iteration", result.iterationsRun, result.seconds,
                     result.microsecondsPerIteration))
        if result.diverged {
            Output.error("training diverged; lower --learning-rate or use --scale")
            throw ExitCode(1)
        }
    }

    /// --explain caps each run lower than a single run: a variant that never converges costs runs × this.
    var explainMaxIterations: Int { maxIter == 1_000_000 ? 300_000 : maxIter }
}

func format(_ value: Double) -> String { String(format: "%.8g", value) }

func formatVector(_ values: [Double]) -> String {
    "[" + values.map { String(format: "% .8f", $0) }.joined(separator: " ") + "]"
}

func formatMatrix(_ matrix: Matrix<Double>) -> String {
    (0..<matrix.rows).map { i in
        (i == 0 ? "[" : " ") + formatVector(Array(matrix.row(i))) + (i == matrix.rows - 1 ? "]" : "")
    }.joined(separator: "\n")
}

func formatColumn(_ values: [Double], digits: Int) -> String {
    values.enumerated().map { i, v in
        (i == 0 ? "[[" : " [") + String(format: "%.\(digits)f", v) + (i == values.count - 1 ? "]]" : "]")
    }.joined(separator: "\n")
}
