#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// An output too large to hold in memory (`mlp predict` on a file larger than memory), with AtomicFile's rules: the
// pieces go to a temporary file beside the target, renamed over it only by commit(), so a failure or a signal
// part-way leaves the old file (or none), never a partial one. A device or FIFO is written in place as the pieces
// come, since there is nothing to rename over.

extension AtomicFile {
    /// A file written piece by piece that appears whole or not at all.
    public final class Stream {
        /// The path given to `init`.
        public let path: String
        private let destination: Destination
        private let temporary: String?
        private var fd: Int32
        private var finished = false

        /// Opens the write: a temporary file next to `path`'s target, or the device or FIFO itself.
        /// - Parameter path: The file to write; a symbolic link is followed.
        /// - Throws: `ModelFileError` of kind `.io` naming the path.
        public init(path: String) throws {
            self.path = path
            destination = try AtomicFile.destination(of: path)
            switch destination {
            case .replace(let target):
                (temporary, fd) = try AtomicFile.createTemporary(for: target, reportingAs: path)
            case .inPlace(let target):
                // No O_CREAT: the device or FIFO exists; if it vanished, do not create a regular file instead.
                temporary = nil
                fd = open(target, O_WRONLY | O_CLOEXEC | O_NOCTTY)
                guard fd >= 0 else { throw AtomicFile.failure("cannot open for writing", path) }
            }
        }

        /// Appends bytes.
        /// - Parameter bytes: The next piece.
        /// - Throws: `ModelFileError` of kind `.io` naming the path (a full disk, a closed device); the write is
        ///   then discarded.
        public func write(_ bytes: UnsafeRawBufferPointer) throws {
            guard !finished else { throw ModelFileError(.io, "cannot write: the file was already closed", path: path) }
            do { try AtomicFile.writeAll(fd, bytes, path) } catch {
                discard()
                throw error
            }
        }

        /// Appends the UTF-8 bytes of `text`.
        /// - Parameter text: The next piece.
        /// - Throws: As ``write(_:)-(UnsafeRawBufferPointer)``.
        public func write(_ text: String) throws {
            var text = text
            try text.withUTF8 { try write(UnsafeRawBufferPointer($0)) }
        }

        /// Flushes the temporary file to disk and renames it over the target (for a device: closes it).
        /// - Throws: `ModelFileError` of kind `.io` naming the path; the write is then discarded.
        public func commit() throws {
            guard !finished else { return }
            guard let temporary, case .replace(let target) = destination else {
                finished = true
                close(fd)
                return
            }
            guard fsync(fd) == 0 else {
                let error = AtomicFile.failure("cannot flush", path)
                discard()
                throw error
            }
            finished = true
            close(fd)
            try AtomicFile.renameIntoPlace(temporary, target: target, reportingAs: path)  // removes it on failure
        }

        /// Removes the temporary file without touching the target (a device keeps what it was sent).
        public func discard() {
            guard !finished else { return }
            finished = true
            close(fd)
            if let temporary { TemporaryFiles.shared.remove(temporary) }
        }

        deinit { discard() }
    }
}
