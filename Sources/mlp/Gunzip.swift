import CZlib
import Foundation
import MLP

// .gz input through the system zlib: inflate with gzip framing, which checks each member's header, CRC-32 and
// length. The tool opens files, so it decompresses them; the library reads bytes (CSVByteSource) and links no zlib.

/// A gzip file read as its decompressed bytes, a buffer at a time: every member of a multi-member file, as
/// `gzip -d` reads it (bytes after the last member that start no new one are ignored, as gzip does).
final class GzipFile: CSVByteSource {
    private let path: String
    private let file: CSVFileSource
    private var stream = z_stream()
    private let input: UnsafeMutablePointer<UInt8>
    private static let inputBytes = 256 << 10
    private var inputAtEnd = false
    private var compressedBytes = 0
    private var finished = false

    /// Opens `path` for reading.
    init(path: String) throws {
        self.path = path
        file = try cli { try CSVFileSource(path: path) }
        input = .allocate(capacity: Self.inputBytes)
        // 16 + 15: gzip framing, a window of up to 32 KiB.
        guard inflateInit2_(&stream, 16 + MAX_WBITS, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            input.deallocate()
            throw CLIError(.memory, "\(path): cannot start decompressing: no memory for zlib")
        }
    }

    deinit {
        inflateEnd(&stream)
        input.deallocate()
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard !finished, let start = buffer.baseAddress, buffer.count > 0 else { return 0 }
        stream.next_out = start.assumingMemoryBound(to: Bytef.self)
        stream.avail_out = UInt32(min(buffer.count, Int(UInt32.max)))
        while stream.avail_out > 0 && !finished {
            if stream.avail_in == 0 && !inputAtEnd { try refill() }
            let status = inflate(&stream, Z_NO_FLUSH)
            switch status {
            case Z_OK:
                continue
            case Z_STREAM_END:
                try nextMember()
            case Z_BUF_ERROR where inputAtEnd:  // no progress, and no more input to make any
                throw invalid(compressedBytes == 0 ? "the file is empty" : "the file is truncated")
            case Z_BUF_ERROR:
                try refill()
            case Z_MEM_ERROR:
                throw CLIError(.memory, "\(path): no memory to decompress the file")
            default:  // Z_DATA_ERROR, Z_NEED_DICT, Z_STREAM_ERROR
                throw invalid(stream.msg.map { String(cString: $0) } ?? "zlib error \(status)")
            }
        }
        return buffer.count - Int(stream.avail_out)
    }

    /// After a member's end: another member follows when the next bytes are gzip's magic (1f 8b); else the file is
    /// over.
    private func nextMember() throws {
        if stream.avail_in < 2 && !inputAtEnd { try refill() }
        guard stream.avail_in >= 2, stream.next_in[0] == 0x1F, stream.next_in[1] == 0x8B else {
            finished = true
            return
        }
        inflateReset(&stream)
    }

    /// Moves the unread input to the front of the buffer and reads more behind it.
    private func refill() throws {
        let kept = Int(stream.avail_in)
        if kept > 0, let next = stream.next_in, next != input { memmove(input, next, kept) }
        var filled = kept
        while filled < Self.inputBytes && !inputAtEnd {
            let n = try cli { try file.read(into: UnsafeMutableRawBufferPointer(start: input + filled,
                                                                              count: Self.inputBytes - filled)) }
            if n == 0 { inputAtEnd = true } else { filled += n }
        }
        compressedBytes += filled - kept
        stream.next_in = input
        stream.avail_in = UInt32(filled)
    }

    private func invalid(_ reason: String) -> CLIError {
        CLIError(.data, "\(path): not a valid gzip file: \(reason)")
    }
}

/// Decompresses `.gz` input read whole (training, cross-validation, diagnosis, reports).
enum Gunzip {
    /// Reads and decompresses a gzip file (every member of a multi-member file, as `gzip -d` does), up to
    /// `WholeInput.limit` bytes: a small file can expand a thousandfold.
    /// - Parameter path: the `.gz` file.
    /// - Returns: the decompressed bytes.
    static func decompress(file path: String) throws -> [UInt8] {
        do {
            return try WholeInput.read(GzipFile(path: path), expected: InputTextSize.of(path) ?? 0)
        } catch is WholeInput.TooLarge {
            // Training streams such a file on its own (InputTextSize), so what reaches here reads it whole by need.
            throw CLIError(.memory, "\(path): decompresses to more than \(WholeInput.limit) bytes, the limit for input "
                           + "read whole (MLP_MAX_STREAM_BYTES); decompress it first (gunzip -k): a plain file is read "
                           + "mapped, without that limit")
        }
    }
}
