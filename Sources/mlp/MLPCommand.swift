import ArgumentParser
import Foundation
import MLP

@main
struct MLPCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mlp",
        abstract: "Multilayer perceptrons with scikit-learn's semantics, native speed, and a diagnosis of slow training.",
        subcommands: [TrainCommand.self, PredictCommand.self, EvaluateCommand.self, InspectCommand.self, BenchCSVCommand.self])

    /// Replaces ArgumentParser's exit codes: 2 for bad usage (it uses 64), 1 for bad data, and one or two
    /// lines on stderr for every error.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let error as CLIError {
            FileHandle.standardError.write(Data("mlp: error: \(error.message)\n".utf8))
            Foundation.exit(error.exitCode)
        } catch let error as DataError {
            FileHandle.standardError.write(Data("mlp: error: \(error.description)\n".utf8))
            Foundation.exit(1)
        } catch let error as ModelFileError {
            FileHandle.standardError.write(Data("mlp: error: \(error.description)\n".utf8))
            Foundation.exit(1)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                let help = fullMessage(for: error)  // --help, --version
                if !help.isEmpty { print(help) }
                Foundation.exit(0)
            }
            var message = message(for: error)
            if message.hasPrefix("Error: ") { message.removeFirst(7) }
            let usage = code == .validationFailure
            let hint = usage ? "\nSee 'mlp help' or 'mlp <command> --help' for usage." : ""
            FileHandle.standardError.write(Data("mlp: error: \(message)\(hint)\n".utf8))
            Foundation.exit(usage ? 2 : code.rawValue)
        }
    }
}
