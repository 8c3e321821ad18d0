import MLPModelFile

/// The files of one command (a model and a report), prepared in temporary files and renamed into place together
/// at the end, so that a failure in any part writes none of them. Dropping it unfinished removes the temporaries.
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

    /// Renames every prepared file into place, then prints what was meant for standard output.
    func commit() throws {
        for write in prepared { try cli { try write.commit() } }
        prepared.removeAll()
        for text in toStandardOutput { try Output.print(text, terminator: "") }
        toStandardOutput.removeAll()
    }

    /// Removes every prepared file.
    func discard() {
        for write in prepared { write.discard() }
        prepared.removeAll()
        toStandardOutput.removeAll()
    }
}
