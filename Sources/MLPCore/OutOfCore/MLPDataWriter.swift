#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// Writes an `.mlpdata` file in one pass: the rows as they come, then the schema and the header. Everything goes
// to a temporary file beside the destination, renamed over it only when complete, so a failed conversion never
// leaves a half-written cache under the final name.

/// Writes a cache file; rows first, then ``finish(schema:)``.
final class MLPDataWriter {
    private let path: String
    private let temporary: String
    private var fd: Int32
    private var written = 0
    private var finished = false

    /// Opens a temporary file beside `path`; refuses a destination that exists and is not a regular file.
    init(path: String) throws {
        guard !path.utf8.contains(0) else { throw MLPDataError.io(file: path, reason: "a NUL byte in the path: the system would read the name only up to it, another file") }
        var info = stat()
        if stat(path, &info) == 0 && (info.st_mode & S_IFMT) != S_IFREG {
            throw MLPDataError.io(file: path, reason: "exists and is not a regular file; not overwritten")
        }
        self.path = path
        temporary = MLPDataConverter.partialPath(for: path)
        fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw MLPDataError.io(file: temporary, reason: "cannot create: \(String(cString: strerror(errno)))")
        }
        try [UInt8](repeating: 0, count: MLPDataFile.dataOffset).withUnsafeBytes { try writeAll($0) }
    }

    deinit {
        if fd >= 0 { close(fd) }
        if !finished { unlink(temporary) }
    }

    /// Appends rows (row-major Float64 values).
    func append(_ values: UnsafeBufferPointer<Double>) throws {
        try writeAll(UnsafeRawBufferPointer(values))
        written += values.count * 8
    }

    /// Writes the schema and the header, then renames the file into place.
    func finish(schema: MLPDataSchema) throws {
        let schemaBytes = schema.encoded()
        try schemaBytes.withUnsafeBytes { try writeAll($0) }
        var header = ByteWriter()
        header.append(UInt64(0))  // the magic, overwritten below
        header.append(schema.formatVersion)
        header.append(UInt32(0))
        header.append(UInt64(schema.rowCount))
        header.append(UInt64(schema.rowWidth))
        header.append(UInt64(MLPDataFile.dataOffset))
        header.append(UInt64(MLPDataFile.dataOffset + written))
        header.append(UInt64(schemaBytes.count))
        header.append(UInt64(0))
        var bytes = header.bytes
        bytes.replaceSubrange(0..<8, with: MLPDataFile.magic)
        let done = bytes.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
        guard done == bytes.count, close(fd) == 0 else { fd = -1; throw ioError(temporary) }
        fd = -1
        guard rename(temporary, path) == 0 else { throw ioError(path) }
        finished = true
    }

    private func writeAll(_ bytes: UnsafeRawBufferPointer) throws {
        guard let start = bytes.baseAddress else { return }
        var offset = 0
        while offset < bytes.count {
            let n = write(fd, start + offset, bytes.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                throw ioError(temporary)
            }
            offset += n
        }
    }

    private func ioError(_ file: String) -> MLPDataError {
        MLPDataError.io(file: file, reason: "cannot write: \(String(cString: strerror(errno)))")
    }
}
