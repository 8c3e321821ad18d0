import MLPModelFile

/// Text written as it is produced (`mlp predict` on a file larger than memory): to standard output at once, or to a
/// file through `AtomicFile.Stream`, which appears whole at ``finish()`` or not at all.
final class StreamedOutput {
    private let file: AtomicFile.Stream?

    /// - Parameter path: The output file; nil or "-" for standard output.
    /// - Throws: CLIError(.io) when the file cannot be created.
    init(path: String?) throws {
        guard let path, path != "-" else {
            file = nil
            return
        }
        file = try cli { try AtomicFile.Stream(path: path) }
    }

    /// Writes the next piece.
    /// - Throws: CLIError(.io) naming standard output or the file.
    func write(_ text: String) throws {
        guard let file else { return try Output.print(text, terminator: "") }
        try cli { try file.write(text) }
    }

    /// Puts the file in place (standard output is already written).
    /// - Throws: CLIError(.io) naming the file.
    func finish() throws {
        try cli { try file?.commit() }
    }
}
