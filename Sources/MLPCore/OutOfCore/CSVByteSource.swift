#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a streamed CSV's text comes from: a file or a pipe (``CSVTableStream/init(path:options:encoding:chunkBytes:)``),
/// or a decoder of the caller's, such as a decompressor, for ``CSVTableStream/init(source:name:options:encoding:chunkBytes:)``.
public protocol CSVByteSource: AnyObject {
    /// Reads the next bytes of the text.
    /// - Parameter buffer: where to put them; at least one byte long.
    /// - Returns: How many bytes were read into the start of `buffer`, 0 only at the end of the text.
    /// - Throws: Any error, passed on unchanged by the stream that reads.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int
}

/// A file, pipe or device read with `read(2)`: what ``CSVTableStream/init(path:options:encoding:chunkBytes:)``
/// reads, and the compressed input of a decompressing source.
public final class CSVFileSource: CSVByteSource {
    private let fd: Int32
    private let path: String

    /// Opens `path` for reading.
    /// - Parameter path: a regular file, or a pipe or device such as `/dev/stdin`.
    /// - Throws: ``DataError`` when it cannot be opened or is a directory.
    public init(path: String) throws {
        guard !path.utf8.contains(0) else { throw DataError(.io, "a NUL byte in the path: the system would read the name only up to it, another file", file: path) }
        fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw DataError(.io, "cannot read the file: \(String(cString: strerror(errno)))", file: path) }
        var info = stat()
        if fstat(fd, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR {
            close(fd)
            throw DataError(.io, "is a directory, not a CSV file", file: path)
        }
        self.path = path
    }

    deinit { close(fd) }

    /// Reads the next bytes of the file.
    /// - Parameter buffer: where to put them.
    /// - Returns: How many bytes were read, 0 at the end of the file.
    /// - Throws: ``DataError`` naming the file when the read fails.
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        while true {
            let n = systemRead(fd, buffer.baseAddress, buffer.count)
            if n >= 0 { return n }
            if errno != EINTR {
                throw DataError(.io, "cannot read the file: \(String(cString: strerror(errno)))", file: path)
            }
        }
    }
}

/// `read(2)`, named apart from the protocol's `read(into:)`.
private func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    read(fd, buffer, count)
}
