import MLP
import MLPModelFile

/// The one error type the tool prints: one or two lines naming the problem and the place, and an exit code
/// (1 for bad data or a bad model file, 2 for bad usage).
struct CLIError: Error, CustomStringConvertible {
    enum Kind {
        case usage        // exit 2
        case data         // exit 1: the CSV, the labels, a mismatch between data and model
        case model        // exit 1: an unreadable or invalid model file
        case io           // exit 1: cannot write an output
        case training     // exit 1: divergence, non-finite loss
        case unavailable  // exit 1: a feature not wired yet
        case memory       // exit 1: the request needs more memory than available or allowed
    }

    var kind: Kind
    var message: String

    init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    var exitCode: Int32 { kind == .usage ? 2 : 1 }
    var description: String { message }

    /// Wraps library errors, naming the settings they advise as flags; anything unexpected is still one line, never a
    /// trap.
    static func wrap(_ error: Error) -> CLIError {
        switch error {
        case let e as CLIError: e
        case let e as DataError: CLIError(.data, e.description(naming: .flags))
        case let e as MLPDataError: CLIError(.data, e.description(naming: .flags))
        case let e as ModelFileError: CLIError(e.kind == .io ? .io : .model, e.description)
        case let e as MemoryLimitError: CLIError(.memory, e.description(naming: .flags))
        default: CLIError(.data, "\(error)")
        }
    }
}

/// Runs `body`, turning every error into a CLIError.
func cli<T>(_ body: () throws -> T) throws -> T {
    do { return try body() } catch { throw CLIError.wrap(error) }
}

extension String {
    /// The message, its final full stop dropped, then `; hint`: "... will be empty; change --test-size".
    func withHint(_ hint: String) -> String {
        (hasSuffix(".") ? String(dropLast()) : self) + "; " + hint
    }
}
