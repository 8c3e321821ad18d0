#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// CSV text in bounded memory: the file is read into one buffer of `chunkBytes`, and each call hands out the
// complete records in it (up to the last line end outside quotes); the incomplete tail moves to the front for
// the next read. A record longer than the buffer grows it, up to the field limits. RFC 4180 quotes only open at
// a field's start and are doubled inside, so the count of quote bytes since a record start tells whether a line
// end is inside a quoted field.

/// Reads CSV text as runs of complete records, holding at most about `chunkBytes` of it at a time.
final class CSVChunkReader {
    private let source: any CSVByteSource
    /// The text's name in messages (its path).
    private let path: String
    private var buffer: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private let maxCapacity: Int
    private var filled = 0
    private var handedOut = 0
    private var atEnd = false
    /// Line breaks handed out before the current run: add to a run's 1-based line numbers.
    private(set) var linesBefore = 0

    /// - Parameters:
    ///   - source: the text.
    ///   - name: the text's name in messages.
    ///   - chunkBytes: the text held at a time.
    ///   - maxRecordBytes: the longest record the buffer grows to.
    init(source: any CSVByteSource, name: String, chunkBytes: Int, maxRecordBytes: Int) {
        self.source = source
        path = name
        capacity = max(chunkBytes, 16)
        maxCapacity = max(capacity, maxRecordBytes)
        buffer = .allocate(capacity: capacity)
    }

    deinit { buffer.deallocate() }

    /// The next run of complete records, valid until the next call; nil after the last.
    func next() throws -> UnsafeBufferPointer<UInt8>? {
        linesBefore += Self.countLineBreaks(UnsafeBufferPointer(start: buffer, count: handedOut))
        if handedOut > 0 {
            memmove(buffer, buffer + handedOut, filled - handedOut)
            filled -= handedOut
            handedOut = 0
        }
        while true {
            try fill()
            if atEnd {
                if filled == 0 { return nil }
                handedOut = filled
                return UnsafeBufferPointer(start: buffer, count: filled)
            }
            if let end = lastRecordEnd() {
                handedOut = end
                return UnsafeBufferPointer(start: buffer, count: end)
            }
            guard capacity < maxCapacity else {
                throw DataError(.tooLarge, "a record longer than \(maxCapacity) bytes (see the field limits)",
                                file: path, line: linesBefore + 1)
            }
            let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: min(capacity * 2, maxCapacity))
            grown.update(from: buffer, count: filled)
            buffer.deallocate()
            buffer = grown
            capacity = min(capacity * 2, maxCapacity)
        }
    }

    private func fill() throws {
        while !atEnd && filled < capacity {
            let n = try source.read(into: UnsafeMutableRawBufferPointer(start: buffer + filled, count: capacity - filled))
            if n == 0 { atEnd = true } else { filled += n }
        }
    }

    /// The length of the buffer's complete records: up to and including the last line end outside quotes. A CR as
    /// the buffer's last byte is not taken before the end of the file: its LF may follow in the next read, and the
    /// pair is one line end.
    private func lastRecordEnd() -> Int? {
        let quote: UInt8 = 0x22, lf: UInt8 = 0x0A, cr: UInt8 = 0x0D
        let usable = filled - (!atEnd && filled > 0 && buffer[filled - 1] == cr ? 1 : 0)
        if memchr(buffer, Int32(quote), filled) == nil {
            for byte in [lf, cr] {
                if let i = (0..<usable).reversed().first(where: { buffer[$0] == byte }) { return i + 1 }
            }
            return nil
        }
        var inQuotes = false
        var end: Int?
        for i in 0..<usable {
            let b = buffer[i]
            if b == quote { inQuotes.toggle() } else if !inQuotes && (b == lf || b == cr) { end = i + 1 }
        }
        return end
    }

    /// Line ends as the tokenizer counts them: LF, CR, and CR LF as one (a run never ends between the two).
    static func countLineBreaks(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        guard let base = bytes.baseAddress else { return 0 }
        var n = 0
        for byte: UInt8 in [0x0A, 0x0D] {
            var p = UnsafeRawPointer(base), left = bytes.count
            while left > 0, let hit = memchr(p, Int32(byte), left) {
                let next = UnsafeRawPointer(hit) + 1
                left -= next - p
                p = next
                // A CR directly followed by an LF was counted with the LF.
                if byte == 0x0D && left > 0 && p.load(as: UInt8.self) == 0x0A { continue }
                n += 1
            }
        }
        return n
    }
}
