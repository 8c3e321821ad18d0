import ArgumentParser
import MLP

@main
struct MLPCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mlp",
        abstract: "Multilayer perceptrons with scikit-learn's semantics, native speed, and a diagnosis of slow training.",
        subcommands: [BenchCSVCommand.self])
}
