import MLPModelFile

/// The outputs of one command (a model, a report, the summary on standard output), prepared first and put in place
/// together at the end, so that a failure in any part replaces none of the files. Dropping it unfinished removes the
/// temporaries.
final class StagedFiles {
    private var prepared: [AtomicFile.PreparedWrite] = []
    private var toStandardOutput: [String] = []

    /// Prepares `bytes` for `path` (see `AtomicFile.prepare`).
    func stage(_ bytes: [UInt8], to path: String) throws {
        prepared.append(try cli { try AtomicFile.prepare(bytes, to: path) })
    }

    /// Prepares `text` for `path`, or for standard output when `path` is nil or "-".
    func stage(_ text: String, to path: String?) throws {
        guard let path, path != "-" else { return toStandardOutput.append(text) }
        try stage(Array(text.utf8), to: path)
    }

    /// Writes everything, in the order that lets a failure leave no file replaced:
    /// 1. devices and FIFOs (`-o /dev/null`, `--report /dev/full`), written in place: they cannot be staged in a
    ///    temporary file nor taken back, so they go first, and one that fails stops everything else;
    /// 2. standard output, in the order staged: a summary that says what was written comes once every byte is
    ///    written (in place, or flushed to its temporary file), and lost output still replaces no file;
    /// 3. the renames of the temporary files over their targets.
    func commit() throws {
        for write in prepared where write.writesInPlace { try cli { try write.commit() } }
        for text in toStandardOutput { try Output.print(text, terminator: "") }
        toStandardOutput.removeAll()
        for write in prepared where !write.writesInPlace { try cli { try write.commit() } }
        prepared.removeAll()
    }

    /// Removes every prepared file.
    func discard() {
        for write in prepared { write.discard() }
        prepared.removeAll()
        toStandardOutput.removeAll()
    }
}
