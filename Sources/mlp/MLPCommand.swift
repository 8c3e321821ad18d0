import ArgumentParser
import Foundation
import MLP
import MLPModelFile

struct MLPCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mlp",
        abstract: "Multilayer perceptrons with scikit-learn's semantics, native speed, and a diagnosis of slow training.",
        version: "mlp \(MLPLibrary.version)",
        subcommands: [TrainCommand.self, CVCommand.self, PredictCommand.self, EvaluateCommand.self, CompareCommand.self,
                      InspectCommand.self, DiagnoseCommand.self, SeedCommand.self, ExportCommand.self, ImportCommand.self,
                      BenchCSVCommand.self, ConvertCommand.self])
}

/// Runs the tool. Every error is one line on stderr, "mlp: error: …": exit 2 for bad usage (ArgumentParser's
/// own code is 64), 1 for bad data or a bad model file; help exits 0. Never a trap or a stack trace.
@main
enum Entry {
    static func main() {
        Signals.install()
        do {
            var command = try MLPCommand.parseAsRoot()
            try command.run()
            // Whatever went through stdio (print) must have reached standard output too.
            if !standardOutputStreamIsIntact() {
                throw CLIError(.io, "cannot write to standard output: \(String(cString: strerror(errno)))")
            }
        } catch let code as ExitCode {
            exit(code.rawValue)  // the command already said why
        } catch let error as CLIError {
            fail(error.message, code: error.exitCode)
        } catch let error as DataError {
            fail(error.description(naming: .flags), code: 1)
        } catch let error as MLPDataError {
            fail(error.description(naming: .flags), code: 1)
        } catch let error as ModelFileError {
            fail(error.description, code: 1)
        } catch let error as MemoryLimitError {
            fail(error.description(naming: .flags), code: 1)
        } catch {
            let code = MLPCommand.exitCode(for: error)
            if code == .success {
                do { try Output.print(MLPCommand.fullMessage(for: error)) } catch { fail("\(error)", code: 1) }
                exit(0)
            }
            var message = MLPCommand.message(for: error)
            if message.hasPrefix("Error: ") { message.removeFirst(7) }
            fail(message, code: code == .validationFailure ? 2 : code.rawValue)
        }
    }

    private static func fail(_ message: String, code: Int32) -> Never {
        Output.error(message)
        exit(code)
    }
}
