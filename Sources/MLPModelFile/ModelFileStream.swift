#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MLPCore
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

// Reading a model file without trusting it: the 32-byte fixed header first, then (regular files) a streaming
// checksum pass that holds no copy, then the bytes. A pipe or a device cannot be read twice: its bytes are
// collected as they arrive, never beyond the declared length, the limit or the memory available.

enum ModelFileStream {
    static let chunkBytes = 1 << 20
    /// Above this size the header is parsed before the checksum is verified.
    static let largeFileBytes = 64 << 20

    /// The file's bytes, once the fixed header, the length and (for a regular file) the checksum are verified.
    static func readVerified(_ path: String, limits: ModelFile.Limits) throws -> [UInt8] {
        guard !path.utf8.contains(0) else { throw ModelFileError(.io, "a NUL byte in the path: the system would read the name only up to it, another file") }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw AtomicFile.failure("cannot open", nil) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw AtomicFile.failure("cannot read", nil) }
        if (info.st_mode & S_IFMT) == S_IFDIR { throw ModelFileError(.io, "is a directory, not a model file") }
        let regular = (info.st_mode & S_IFMT) == S_IFREG

        var prefix = [UInt8](repeating: 0, count: ModelFile.fixedHeaderBytes)
        let got = try readFully(fd, into: &prefix, count: prefix.count)
        // A short file or wrong magic bytes: decode() gives the message (not a model, truncated).
        guard got == prefix.count, Array(prefix[0..<8]) == ModelFile.magic else {
            _ = try ModelFile.decode(Array(prefix[0..<got]), limits: limits)
            throw ModelFileError(.truncated, "truncated model file: \(got) bytes, shorter than its header")
        }
        let major: UInt16 = readLE(prefix, 8), minor: UInt16 = readLE(prefix, 10)
        let declared: UInt64 = readLE(prefix, 16)
        if regular, let mismatch = ModelFile.lengthMismatch(bytes: UInt64(info.st_size), declared: declared,
                                                            major: major, minor: minor) {
            throw mismatch
        }
        guard declared <= limits.maxFileBytes else {
            throw ModelFileError(.invalid, "model file declares \(declared) bytes, over the \(limits.maxFileBytes)-byte limit")
        }
        // Decoding holds the bytes and the arrays built from them: about twice the file.
        let needed = MemoryEstimate(parts: [.init(name: "the model file's bytes and arrays", bytes: 2 * Double(declared))])
        do { try needed.check(request: "reading the model file") } catch let error as MemoryLimitError {
            throw ModelFileError(.invalid, error.description)
        }

        if regular {
            // A large file's layout is checked before the long checksum pass, so a damaged header fails at once.
            if declared > UInt64(largeFileBytes) {
                try checkLayout(fd, prefix: prefix, declared: declared, limits: limits)
                guard lseek(fd, off_t(prefix.count), SEEK_SET) == off_t(prefix.count) else {
                    throw AtomicFile.failure("cannot read", nil)
                }
            }
            try verifyChecksum(fd, declared: declared, prefix: prefix, major: major, minor: minor)
            guard lseek(fd, 0, SEEK_SET) == 0 else { throw AtomicFile.failure("cannot read", nil) }
            var bytes = [UInt8](repeating: 0, count: Int(declared))
            let n = try readFully(fd, into: &bytes, count: bytes.count)
            guard n == bytes.count else {
                throw ModelFileError(.truncated, "truncated model file: \(n) bytes, but the header declares \(declared)")
            }
            return bytes
        }
        // A pipe or a device: collect what arrives, one chunk at a time, up to the declared length.
        var bytes = prefix
        var chunk = [UInt8](repeating: 0, count: chunkBytes)
        while true {
            let n = try readFully(fd, into: &chunk, count: chunk.count)
            if n == 0 { break }
            guard UInt64(bytes.count + n) <= declared else {
                throw ModelFileError(.corrupted, "model file has trailing bytes or a damaged header: more than the "
                                     + "\(declared) bytes the header declares\(ModelFile.versionNote(major, minor))")
            }
            bytes += chunk[0..<n]
            if n < chunk.count { break }
        }
        return bytes
    }

    /// Parses the JSON header and checks that its arrays fill the file exactly.
    private static func checkLayout(_ fd: Int32, prefix: [UInt8], declared: UInt64, limits: ModelFile.Limits) throws {
        let headerLength: UInt64 = readLE(prefix, 24)
        let room = declared - UInt64(ModelFile.fixedHeaderBytes + ModelFile.checksumBytes)
        guard headerLength <= room, headerLength <= limits.maxHeaderBytes else {
            throw ModelFileError(.invalid, "model header length \(headerLength) exceeds the file")
        }
        var header = [UInt8](repeating: 0, count: Int(headerLength))
        guard try readFully(fd, into: &header, count: header.count) == header.count else {
            throw ModelFileError(.truncated, "truncated model file: shorter than its header")
        }
        let entries: [ModelFile.ArrayEntry]
        do { entries = try JSONDecoder().decode(ModelFile.Header.self, from: Data(header)).arrays } catch {
            throw ModelFileError(.invalid, "model metadata is not valid: \(error)")
        }
        let dataStart = (UInt64(ModelFile.fixedHeaderBytes) + headerLength + 7) / 8 * 8
        var total = dataStart + UInt64(ModelFile.checksumBytes)
        for entry in entries {
            let (sum, overflow) = total.addingReportingOverflow((entry.length + 7) / 8 * 8)
            guard !overflow else { throw ModelFileError(.invalid, "array '\(entry.name)' extends past the end of the file") }
            total = sum
        }
        guard total == declared else {
            throw ModelFileError(.invalid, "model data section does not match its arrays: they account for \(total) "
                                 + "bytes of the \(declared) the header declares")
        }
    }

    /// Streams the file once, computing the CRC of all but its last four bytes and comparing it to them.
    private static func verifyChecksum(_ fd: Int32, declared: UInt64, prefix: [UInt8], major: UInt16,
                                       minor: UInt16) throws {
        guard declared >= UInt64(ModelFile.fixedHeaderBytes + ModelFile.checksumBytes) else { return }
        let covered = declared - UInt64(ModelFile.checksumBytes)
        var crc = prefix.withUnsafeBytes { CRC32.checksum($0) }
        var position = UInt64(prefix.count)
        var chunk = [UInt8](repeating: 0, count: chunkBytes)
        while position < covered {
            let want = Int(min(UInt64(chunk.count), covered - position))
            let n = try readFully(fd, into: &chunk, count: want)
            guard n == want else {
                throw ModelFileError(.truncated, "truncated model file: \(position + UInt64(n)) bytes, but the header declares \(declared)")
            }
            crc = chunk.withUnsafeBytes { CRC32.checksum(UnsafeRawBufferPointer(rebasing: $0[0..<n]), continuing: crc) }
            position += UInt64(n)
        }
        var stored = [UInt8](repeating: 0, count: 4)
        guard try readFully(fd, into: &stored, count: 4) == 4 else {
            throw ModelFileError(.truncated, "truncated model file: shorter than the \(declared) bytes the header declares")
        }
        guard readLE(stored, 0) as UInt32 == crc else {
            throw ModelFileError(.corrupted, "corrupted model file: checksum mismatch\(ModelFile.versionNote(major, minor))")
        }
    }

    /// Reads until `count` bytes or the end of the file; returns how many were read.
    private static func readFully(_ fd: Int32, into buffer: inout [UInt8], count: Int) throws -> Int {
        var total = 0
        while total < count {
            let r = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress! + total, count - total) }
            if r < 0 {
                if errno == EINTR { continue }
                throw AtomicFile.failure("cannot read", nil)
            }
            if r == 0 { break }
            total += r
        }
        return total
    }
}
