#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// Saves that never clobber. A regular file (or a new one) is replaced atomically: a temporary file next to the
// target, fsynced, renamed over it, the directory fsynced; a reader sees the old file or the new one, never a
// partial one. A symbolic link is followed and its target replaced, so the link stays a link. Anything else that
// already exists (/dev/null, /dev/stdout, a FIFO, a terminal) is written in place: renaming over it would replace
// a device node or a pipe by a regular file. Temporary files are registered, so a signal handler can remove them
// (`AtomicFile.abandonAll()`), after which nothing more is created or renamed.

/// Writes files atomically, and never over something that is not a regular file.
public enum AtomicFile {
    /// Where a write goes once symbolic links are followed.
    public enum Destination: Equatable, Sendable {
        /// A regular file, or no file yet: replaced atomically through a temporary file in its directory.
        case replace(path: String)
        /// An existing device, FIFO or socket: written in place, never renamed over.
        case inPlace(path: String)
    }

    /// A write whose bytes are on disk in a temporary file (or, for a device, held) until `commit()`.
    public final class PreparedWrite {
        /// The path given to `prepare`.
        public let path: String
        let destination: Destination
        let temporary: String?
        let bytes: [UInt8]?
        private var finished = false

        init(path: String, destination: Destination, temporary: String?, bytes: [UInt8]?) {
            self.path = path
            self.destination = destination
            self.temporary = temporary
            self.bytes = bytes
        }

        /// True for a device, FIFO or socket: `commit()` writes it in place, and what it wrote cannot be taken back.
        public var writesInPlace: Bool {
            if case .inPlace = destination { return true }
            return false
        }

        /// Renames the temporary file over the target (or writes a device in place).
        /// - Throws: `ModelFileError` of kind `.io` naming the path.
        public func commit() throws {
            guard !finished else { return }
            finished = true
            switch destination {
            case .replace(let target):
                try AtomicFile.renameIntoPlace(temporary!, target: target, reportingAs: path)
            case .inPlace(let target):
                try AtomicFile.writeInPlace(bytes!, to: target, reportingAs: path)
            }
        }

        /// Removes the temporary file without touching the target.
        public func discard() {
            guard !finished else { return }
            finished = true
            if let temporary { TemporaryFiles.shared.remove(temporary) }
        }

        deinit { discard() }
    }

    /// Writes `bytes` to `path` without ever leaving a partial file: see ``prepare(_:to:)``.
    /// - Parameters:
    ///   - bytes: The file's contents.
    ///   - path: The file to write; a symbolic link is followed, a device or FIFO is written in place.
    /// - Throws: `ModelFileError` of kind `.io` naming the path.
    public static func write(_ bytes: [UInt8], to path: String) throws {
        try prepare(bytes, to: path).commit()
    }

    /// Puts `bytes` in a temporary file next to `path`'s target (mode 0644), flushed to disk, ready to be renamed
    /// over it by `commit()`; `discard()` (or dropping the result) removes it. For a device or FIFO nothing is
    /// written until `commit()`.
    /// - Parameters:
    ///   - bytes: The file's contents.
    ///   - path: The file to write.
    /// - Returns: The prepared write.
    /// - Throws: `ModelFileError` of kind `.io` naming the path.
    public static func prepare(_ bytes: [UInt8], to path: String) throws -> PreparedWrite {
        let destination = try self.destination(of: path)
        guard case .replace(let target) = destination else {
            return PreparedWrite(path: path, destination: destination, temporary: nil, bytes: bytes)
        }
        let (temporary, fd) = try createTemporary(for: target, reportingAs: path)
        var ok = false
        defer { if !ok { TemporaryFiles.shared.remove(temporary) } }
        do {
            defer { close(fd) }
            try writeAll(fd, bytes, path)
            guard fsync(fd) == 0 else { throw failure("cannot flush", path) }
        }
        ok = true
        return PreparedWrite(path: path, destination: destination, temporary: temporary, bytes: nil)
    }

    /// Creates an empty temporary file (mode 0644) in `target`'s directory, registered for removal on a signal.
    /// - Returns: Its path and an open descriptor.
    static func createTemporary(for target: String, reportingAs path: String) throws -> (path: String, fd: Int32) {
        let (directory, name) = split(target)
        var random = SystemRandomNumberGenerator()
        let temporary = (directory == "." && !target.hasPrefix("./") ? "" : directory + "/")
            + ".\(name).tmp-\(getpid())-\(random.next() % 1_000_000_000)"
        return (temporary, try TemporaryFiles.shared.create(temporary, reportingAs: path, directory: directory))
    }

    /// Renames a flushed temporary file over `target`, then flushes the directory so the rename survives a crash.
    static func renameIntoPlace(_ temporary: String, target: String, reportingAs path: String) throws {
        try TemporaryFiles.shared.rename(temporary, to: target, reportingAs: path)
        let directory = split(target).directory
        let dfd = open(directory, O_RDONLY | O_CLOEXEC)
        if dfd >= 0 { _ = fsync(dfd); close(dfd) }
    }

    /// Follows symbolic links and tells how a write to `path` would happen; checks that the directory exists
    /// and that the target is not a directory.
    /// - Parameter path: The output path.
    /// - Returns: The resolved destination.
    /// - Throws: `ModelFileError` of kind `.io` when the path cannot be written.
    public static func destination(of path: String) throws -> Destination {
        guard !path.utf8.contains(0) else { throw ModelFileError(.io, "a NUL byte in the path: the system would read the name only up to it, another file", path: path) }
        guard !path.isEmpty, !path.hasSuffix("/") else {
            throw ModelFileError(.io, "the output path names a directory", path: path)
        }
        // A device, FIFO or socket reached through links is written in place through `path` itself: a link such
        // as /dev/stdout → /proc/self/fd/1 → "pipe:[…]" names no file that the walk below could follow.
        var followed = stat()
        if stat(path, &followed) == 0, ![S_IFREG, S_IFDIR].contains(followed.st_mode & S_IFMT) {
            guard access(path, W_OK) == 0 else { throw failure("cannot write", path) }
            return .inPlace(path: path)
        }
        var target = path
        for _ in 0..<40 {
            var info = stat()
            guard lstat(target, &info) == 0 else {
                guard errno == ENOENT else { throw failure("cannot write", path) }
                let directory = split(target).directory
                var directoryInfo = stat()
                guard stat(directory, &directoryInfo) == 0 else { throw failure("cannot write in '\(directory)'", path) }
                guard (directoryInfo.st_mode & S_IFMT) == S_IFDIR else {
                    throw ModelFileError(.io, "cannot write: '\(directory)' is not a directory", path: path)
                }
                guard access(directory, W_OK) == 0 else { throw failure("cannot write in '\(directory)'", path) }
                return .replace(path: target)
            }
            switch info.st_mode & S_IFMT {
            case S_IFLNK:
                target = try resolveLink(target, path)
            case S_IFREG:
                let directory = split(target).directory
                guard access(directory, W_OK) == 0 else { throw failure("cannot write in '\(directory)'", path) }
                return .replace(path: target)
            case S_IFDIR:
                throw ModelFileError(.io, "is a directory", path: path)
            default:
                guard access(target, W_OK) == 0 else { throw failure("cannot write", path) }
                return .inPlace(path: target)
            }
        }
        throw ModelFileError(.io, "cannot write: too many levels of symbolic links", path: path)
    }

    /// True when both paths exist and name the same file (same device and inode), links followed.
    /// - Parameters:
    ///   - a: A path.
    ///   - b: Another path.
    public static func sameFile(_ a: String, _ b: String) -> Bool {
        var x = stat(), y = stat()
        guard stat(a, &x) == 0, stat(b, &y) == 0 else { return false }
        return x.st_dev == y.st_dev && x.st_ino == y.st_ino
    }

    /// Removes every temporary file not yet renamed and refuses to create or rename any more: for a signal
    /// handler's thread, just before the process exits. Never returns the lock, so a save in progress on another
    /// thread stops at its next step.
    public static func abandonAll() {
        TemporaryFiles.shared.abandonAll()
    }

    /// Registers a temporary file that another writer creates (or may create), so that ``abandonAll()`` (a signal
    /// ending the process) removes it with the atomic writes' own temporary files, until ``forgetOnSignal(_:)``.
    /// - Parameter path: the file to remove if the process is ended before it is forgotten.
    public static func removeOnSignal(_ path: String) { TemporaryFiles.shared.register(path) }

    /// Undoes ``removeOnSignal(_:)`` without touching the file (it was renamed into place, or removed).
    /// - Parameter path: a path given to ``removeOnSignal(_:)``.
    public static func forgetOnSignal(_ path: String) { TemporaryFiles.shared.unregister(path) }

    /// The temporary files that exist now (tests).
    public static var pendingTemporaryFiles: [String] { TemporaryFiles.shared.paths }

    static func writeInPlace(_ bytes: [UInt8], to target: String, reportingAs path: String) throws {
        // No O_CREAT: the device or FIFO exists; if it vanished, do not create a regular file instead.
        let fd = open(target, O_WRONLY | O_CLOEXEC | O_NOCTTY)
        guard fd >= 0 else { throw failure("cannot open for writing", path) }
        defer { close(fd) }
        try writeAll(fd, bytes, path)
    }

    static func writeAll(_ fd: Int32, _ bytes: [UInt8], _ path: String) throws {
        try bytes.withUnsafeBytes { try writeAll(fd, $0, path) }
    }

    static func writeAll(_ fd: Int32, _ raw: UnsafeRawBufferPointer, _ path: String) throws {
        var written = 0
        while written < raw.count {
            let r = systemWrite(fd, raw.baseAddress! + written, raw.count - written)
            if r < 0 {
                if errno == EINTR { continue }
                throw failure("cannot write", path)
            }
            if r == 0 { throw ModelFileError(.io, "cannot write: the device accepts no more bytes", path: path) }
            written += r
        }
    }

    /// The directory and the last component; the directory is "." for a bare name and "/" at the root.
    static func split(_ path: String) -> (directory: String, name: String) {
        guard let slash = path.lastIndex(of: "/") else { return (".", path) }
        let directory = slash == path.startIndex ? "/" : String(path[..<slash])
        return (directory, String(path[path.index(after: slash)...]))
    }

    private static func resolveLink(_ link: String, _ path: String) throws -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let n = readlink(link, &buffer, buffer.count - 1)
        guard n >= 0 else { throw failure("cannot follow the symbolic link", path) }
        let text = String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        if text.hasPrefix("/") { return text }
        let directory = split(link).directory
        return directory == "/" ? "/" + text : directory + "/" + text
    }

    static func failure(_ what: String, _ path: String?) -> ModelFileError {
        ModelFileError(.io, "\(what): \(String(cString: strerror(errno)))", path: path)
    }
}

@inline(__always)
private func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
    Glibc.write(fd, buffer, count)
    #else
    Darwin.write(fd, buffer, count)
    #endif
}
