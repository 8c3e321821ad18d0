import ArgumentParser
import Foundation
import MLP

struct MLPCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mlp",
        abstract: "Multilayer perceptrons with scikit-learn's semantics, native speed, and a diagnosis of slow training.",
        subcommands: [SeedCommand.self, BenchCSVCommand.self])
}

/// Runs the tool. Usage errors print one line naming the option and exit with code 2; help exits 0.
@main
enum Entry {
    static func main() {
        do {
            var command = try MLPCommand.parseAsRoot()
            try command.run()
        } catch let code as ExitCode {
            exit(code.rawValue)  // the command already said why
        } catch {
            let code = MLPCommand.exitCode(for: error)
            if code == .success {
                print(MLPCommand.fullMessage(for: error))
                exit(0)
            }
            let message = MLPCommand.message(for: error)
            FileHandle.standardError.write(Data("mlp: error: \(message)\n".utf8))
            exit(code == .validationFailure ? 2 : code.rawValue)
        }
    }
}
