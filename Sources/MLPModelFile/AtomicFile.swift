#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// Atomic save: write a temporary file next to the target, fsync it, rename it over the target, fsync the
// directory. rename(2) is atomic within a file system, so a reader sees the old file or the new one, never a
// partial one. Any failure removes the temporary file.

public enum AtomicFile {
    /// Writes `bytes` to `path` atomically (mode 0644).
    public static func write(_ bytes: [UInt8], to path: String) throws {
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { String(path[..<$0]) } ?? "."
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        guard !name.isEmpty else { throw ModelFileError(.io, "the output path names a directory", path: path) }
        var random = SystemRandomNumberGenerator()
        let temporary = (directory.isEmpty ? "" : directory + "/") + ".\(name).tmp-\(getpid())-\(random.next() % 1_000_000_000)"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw failure("cannot create a file in '\(directory.isEmpty ? "/" : directory)'", path) }
        var ok = false
        defer {
            if !ok { unlink(temporary) }
        }
        do {
            defer { close(fd) }
            try bytes.withUnsafeBytes { raw in
                var written = 0
                while written < raw.count {
                    let r = systemWrite(fd, raw.baseAddress! + written, raw.count - written)
                    if r < 0 {
                        if errno == EINTR { continue }
                        throw failure("cannot write", path)
                    }
                    written += r
                }
            }
            guard fsync(fd) == 0 else { throw failure("cannot flush", path) }
        }
        guard rename(temporary, path) == 0 else { throw failure("cannot replace", path) }
        ok = true
        let dfd = open(directory.isEmpty ? "/" : directory, O_RDONLY | O_CLOEXEC)
        if dfd >= 0 { _ = fsync(dfd); close(dfd) }
    }

    /// Reads a whole file, refusing one larger than `maxBytes` before allocating.
    static func readAll(_ path: String, maxBytes: UInt64) throws -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw failure("cannot open", nil) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw failure("cannot read", nil) }
        if (info.st_mode & S_IFMT) == S_IFDIR { throw ModelFileError(.io, "is a directory, not a model file") }
        guard UInt64(max(0, info.st_size)) <= maxBytes else {
            throw ModelFileError(.invalid, "model file is \(info.st_size) bytes, over the \(maxBytes)-byte limit")
        }
        var out = [UInt8]()
        out.reserveCapacity(Int(info.st_size))
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let r = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
            if r < 0 {
                if errno == EINTR { continue }
                throw failure("cannot read", nil)
            }
            if r == 0 { break }
            guard UInt64(out.count + r) <= maxBytes else {
                throw ModelFileError(.invalid, "model file is over the \(maxBytes)-byte limit")
            }
            out += chunk[0..<r]
        }
        return out
    }

    private static func failure(_ what: String, _ path: String?) -> ModelFileError {
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
