#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file's bytes, memory-mapped read-only when it is a regular file (so reading never copies the text and
/// can never modify it), read into memory otherwise (pipes, /dev/stdin), up to `maxStreamBytes`: a device's
/// size reads as 0, and /dev/zero or an endless pipe would otherwise fill the memory.
final class MappedFile {
    let bytes: UnsafeBufferPointer<UInt8>
    private let mapped: Bool

    init(path: String, maxStreamBytes: Int = 1 << 30) throws {
        guard !path.utf8.contains(0) else { throw DataError(.io, "a NUL byte in the path: the system would read the name only up to it, another file", file: path) }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw MappedFile.error(path, errno) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw MappedFile.error(path, errno) }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            throw DataError(.io, "is a directory, not a CSV file", file: path)
        }
        if (info.st_mode & S_IFMT) == S_IFREG && info.st_size > 0 {
            let size = Int(info.st_size)
            guard let p = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), p != MAP_FAILED else {
                throw MappedFile.error(path, errno)
            }
            bytes = UnsafeBufferPointer(start: p.assumingMemoryBound(to: UInt8.self), count: size)
            mapped = true
            return
        }
        // Not mappable: read until end of file.
        var capacity = min(1 << 16, maxStreamBytes + 1)
        var count = 0
        var buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        while true {
            if count == capacity {
                let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: min(capacity * 2, maxStreamBytes + 1))
                grown.update(from: buffer, count: count)
                buffer.deallocate()
                buffer = grown
                capacity = min(capacity * 2, maxStreamBytes + 1)
            }
            let r = read(fd, buffer + count, capacity - count)
            if r < 0 {
                if errno == EINTR { continue }
                let code = errno
                buffer.deallocate()
                throw MappedFile.error(path, code)
            }
            if r == 0 { break }
            count += r
            if count > maxStreamBytes {
                buffer.deallocate()
                throw DataError(.tooLarge, "more than \(maxStreamBytes) bytes from a pipe or device (the limit for "
                                + "inputs that are not regular files); save the data to a file first", file: path)
            }
        }
        bytes = UnsafeBufferPointer(start: buffer, count: count)
        mapped = false
    }

    deinit {
        if mapped {
            munmap(UnsafeMutableRawPointer(mutating: bytes.baseAddress), bytes.count)
        } else {
            bytes.baseAddress.map { UnsafeMutablePointer(mutating: $0).deallocate() }
        }
    }

    private static func error(_ path: String, _ code: Int32) -> DataError {
        DataError(.io, "cannot read the file: \(String(cString: strerror(code)))", file: path)
    }
}
