// RFC 4180 tokenizer over a byte buffer. It splits records into fields without allocating per field:
// a field is a (start, end) span of the input, or of a scratch buffer when `""` escapes had to be removed.
//
// Accepted: a header or not, quoted fields holding commas, quotes and line breaks, CRLF / LF / CR line ends,
// a UTF-8 BOM, blank lines anywhere (skipped), spaces and tabs around fields (trimmed), a missing final newline.
// Rejected with a `DataError` naming the line: an unterminated quote, a NUL byte, invalid UTF-8, a stray
// character after a closing quote, a field or record over the limits.

/// Limits that keep a hostile or broken file from exhausting memory.
public struct CSVLimits: Sendable, Equatable {
    /// Longest field in bytes (after removing quotes).
    public var maxFieldBytes: Int = 1 << 20
    /// Most fields in one record.
    public var maxColumns: Int = 1 << 16
    /// Most bytes read from an input that cannot be memory-mapped (a pipe, standard input, a device such as
    /// /dev/zero, whose size is unknown): 1 GiB by default. A regular file is mapped, not copied, and has no limit.
    public var maxStreamBytes: Int = 1 << 30
    /// Most bytes the table's features may take (one-hot columns included); nil: the memory available.
    public var maxMemoryBytes: Double? = nil

    /// Creates limits.
    ///
    /// - Parameters:
    ///   - maxFieldBytes: The longest field in bytes, after removing quotes (default 1 MiB).
    ///   - maxColumns: The most fields in one record (default 65,536).
    ///   - maxStreamBytes: The most bytes read from a pipe or device (default 1 GiB).
    ///   - maxMemoryBytes: The most bytes the features may take; nil for the memory available.
    public init(maxFieldBytes: Int = 1 << 20, maxColumns: Int = 1 << 16, maxStreamBytes: Int = 1 << 30,
                maxMemoryBytes: Double? = nil) {
        self.maxFieldBytes = maxFieldBytes
        self.maxColumns = maxColumns
        self.maxStreamBytes = maxStreamBytes
        self.maxMemoryBytes = maxMemoryBytes
    }
}

final class CSVTokenizer {
    struct Field {
        var start: Int
        var end: Int
        var inScratch: Bool
        var quoted: Bool
    }

    let base: UnsafePointer<UInt8>
    let count: Int
    let limits: CSVLimits
    /// The field delimiter: a comma, semicolon, tab or `|` (or any ASCII byte but a quote or line end).
    let delimiter: UInt8
    /// Tabs around fields are trimmed like spaces, unless the tab is the delimiter.
    private let trimsTabs: Bool
    // The mutable state is read and written by one thread, never through overlapping accesses: dynamic exclusivity
    // checks on it took 20% of `mlp predict`'s time (a begin/end access per field), hence `unchecked`.
    @exclusivity(unchecked) private(set) var position = 0
    /// Physical line (1-based) at `position`.
    @exclusivity(unchecked) private(set) var line = 1
    /// Physical line on which the current record starts.
    @exclusivity(unchecked) private(set) var recordLine = 1
    @exclusivity(unchecked) private(set) var fields: [Field] = []

    @exclusivity(unchecked) private var scratch: UnsafeMutablePointer<UInt8>
    @exclusivity(unchecked) private var scratchCount = 0
    @exclusivity(unchecked) private var scratchCapacity = 256
    /// special[b] != 0 for bytes that end the fast scan of an unquoted field.
    private let special: UnsafeMutablePointer<UInt8>

    private static let comma: UInt8 = 0x2C, quote: UInt8 = 0x22, lf: UInt8 = 0x0A, cr: UInt8 = 0x0D
    private static let space: UInt8 = 0x20, tab: UInt8 = 0x09

    /// - Parameters:
    ///   - buffer: the bytes, complete records.
    ///   - limits: field and record limits.
    ///   - delimiter: the delimiter; nil detects it from the first record.
    ///   - firstLine: the buffer's first line in its file (a later chunk's records and errors are numbered from the
    ///     file's start).
    init(_ buffer: UnsafeBufferPointer<UInt8>, limits: CSVLimits = CSVLimits(), delimiter: UInt8? = nil,
         firstLine: Int = 1) {
        line = firstLine
        recordLine = firstLine
        // An empty buffer may have a nil base address; point at a static byte that is never read.
        self.base = buffer.baseAddress.map(UnsafePointer.init) ?? CSVTokenizer.emptyBase
        self.count = buffer.count
        self.limits = limits
        self.delimiter = delimiter ?? Self.detectDelimiter(buffer)
        trimsTabs = self.delimiter != Self.tab
        scratch = .allocate(capacity: scratchCapacity)
        special = .allocate(capacity: 256)
        special.initialize(repeating: 0, count: 256)
        for b in [self.delimiter, Self.lf, Self.cr, 0] { special[Int(b)] = 1 }
        for b in 0x80..<0x100 { special[b] = 1 }
        if count >= 3 && base[0] == 0xEF && base[1] == 0xBB && base[2] == 0xBF { position = 3 }
    }

    deinit {
        scratch.deallocate()
        special.deallocate()
    }

    // Written once, never mutated: a valid base address for empty cells.
    nonisolated(unsafe) private static let emptyBase: UnsafePointer<UInt8> = {
        let p = UnsafeMutablePointer<UInt8>.allocate(capacity: 1)
        p.initialize(to: 0)
        return UnsafePointer(p)
    }()

    /// The candidates of delimiter detection, in the order that breaks ties.
    static let detectedDelimiters: [UInt8] = [comma, 0x3B, tab, 0x7C]

    /// The candidate delimiter that occurs most often outside quotes in the first non-blank line, as
    /// Python's `csv.Sniffer` would guess for these four; a comma when none occurs.
    static func detectDelimiter(_ buffer: UnsafeBufferPointer<UInt8>) -> UInt8 {
        var counts = [Int](repeating: 0, count: 256)
        var inQuotes = false
        var sawContent = false
        for b in buffer {
            if b == quote { inQuotes.toggle(); continue }
            if inQuotes { continue }
            if b == lf || b == cr {
                if sawContent { break } else { continue }
            }
            sawContent = true
            counts[Int(b)] += 1
        }
        var best = comma, bestCount = 0
        for candidate in detectedDelimiters where counts[Int(candidate)] > bestCount {
            best = candidate
            bestCount = counts[Int(candidate)]
        }
        return best
    }

    @inline(__always)
    private func isTrimmed(_ b: UInt8) -> Bool { b == Self.space || (b == Self.tab && trimsTabs) }

    /// The bytes of field `i` of the current record, valid until the next call to `nextRecord()`.
    @inline(__always)
    func bytes(_ i: Int) -> UnsafeBufferPointer<UInt8> {
        let f = fields[i]
        let p = f.inScratch ? UnsafePointer(scratch) : base
        return UnsafeBufferPointer(start: p + f.start, count: f.end - f.start)
    }

    func string(_ i: Int) -> String { String(decoding: bytes(i), as: UTF8.self) }

    /// Reads the next non-blank record into `fields`. Returns false at the end of the input.
    func nextRecord() throws -> Bool {
        while true {
            fields.removeAll(keepingCapacity: true)
            scratchCount = 0
            skipLineEnds()
            if position >= count { return false }
            recordLine = line
            try readRecord()
            // A line of only spaces is blank, like an empty one.
            if fields.count == 1 && !fields[0].quoted && fields[0].start == fields[0].end { continue }
            return true
        }
    }

    private func skipLineEnds() {
        while position < count {
            let b = base[position]
            if b == Self.lf { line += 1; position += 1 }
            else if b == Self.cr {
                line += 1; position += 1
                if position < count && base[position] == Self.lf { position += 1 }
            } else { return }
        }
    }

    private func error(_ kind: DataError.Kind, _ message: String, line: Int? = nil) -> DataError {
        DataError(kind, message, line: line ?? self.line)
    }

    private func readRecord() throws {
        var p = position
        let n = count
        while true {
            if fields.count >= limits.maxColumns {
                throw error(.tooLarge, "more than \(limits.maxColumns) fields in one record", line: recordLine)
            }
            while p < n && isTrimmed(base[p]) { p += 1 }
            if p < n && base[p] == Self.quote {
                p = try readQuoted(from: p + 1)
                while p < n && isTrimmed(base[p]) { p += 1 }
                if p < n && base[p] != delimiter && base[p] != Self.lf && base[p] != Self.cr {
                    let shown = quoted(UnsafeBufferPointer(start: base + p, count: min(n - p, 1)))
                    throw error(.malformed, "unexpected character \(shown) after a closing quote (field \(fields.count))")
                }
            } else {
                let start = p
                while true {
                    while p < n && special[Int(base[p])] == 0 { p += 1 }
                    if p >= n { break }
                    let b = base[p]
                    if b == delimiter || b == Self.lf || b == Self.cr { break }
                    if b == 0 { throw error(.nulByte, "NUL byte in field \(fields.count + 1)") }
                    p = try skipUTF8(at: p)
                }
                var end = p
                while end > start && isTrimmed(base[end - 1]) { end -= 1 }
                if end - start > limits.maxFieldBytes {
                    throw error(.tooLarge, "field \(fields.count + 1) is longer than \(limits.maxFieldBytes) bytes")
                }
                fields.append(Field(start: start, end: end, inScratch: false, quoted: false))
            }
            // p is at a delimiter, a line end or the end of input.
            if p >= n { break }
            let b = base[p]
            if b == delimiter { p += 1; continue }
            line += 1; p += 1
            if b == Self.cr && p < n && base[p] == Self.lf { p += 1 }
            break
        }
        position = p
    }

    /// Reads a quoted field whose content starts at `p`; returns the index after the closing quote.
    private func readQuoted(from start: Int) throws -> Int {
        let openLine = line
        let n = count
        var p = start
        var segment = start
        var escaped = false
        let scratchStart = scratchCount
        while true {
            if p >= n {
                // The line named is where the quote opens: the end of the input says nothing of where it went wrong.
                throw error(.unterminatedQuote, "unterminated quoted field: no closing quote before the end of the input",
                            line: openLine)
            }
            let b = base[p]
            if b == Self.quote {
                if p + 1 < n && base[p + 1] == Self.quote {
                    try appendScratch(from: segment, to: p + 1, scratchStart: scratchStart)
                    escaped = true
                    p += 2
                    segment = p
                    continue
                }
                break
            } else if b == Self.lf {
                line += 1; p += 1
            } else if b == Self.cr {
                line += 1; p += 1
                if p < n && base[p] == Self.lf { p += 1 }
            } else if b == 0 {
                throw error(.nulByte, "NUL byte in field \(fields.count + 1)")
            } else if b >= 0x80 {
                p = try skipUTF8(at: p)
            } else {
                p += 1
            }
            if p - start > limits.maxFieldBytes {
                throw error(.tooLarge, "field \(fields.count + 1) is longer than \(limits.maxFieldBytes) bytes",
                            line: openLine)
            }
        }
        if escaped {
            try appendScratch(from: segment, to: p, scratchStart: scratchStart)
            fields.append(Field(start: scratchStart, end: scratchCount, inScratch: true, quoted: true))
        } else {
            fields.append(Field(start: start, end: p, inScratch: false, quoted: true))
        }
        return p + 1
    }

    private func appendScratch(from: Int, to: Int, scratchStart: Int) throws {
        let k = to - from
        if scratchCount + k > scratchCapacity {
            var capacity = scratchCapacity
            while capacity < scratchCount + k { capacity *= 2 }
            let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
            grown.update(from: scratch, count: scratchCount)
            scratch.deallocate()
            scratch = grown
            scratchCapacity = capacity
        }
        (scratch + scratchCount).update(from: base + from, count: k)
        scratchCount += k
    }

    /// Validates one UTF-8 sequence starting at `p` (a byte ≥ 0x80); returns the index after it.
    private func skipUTF8(at p: Int) throws -> Int {
        let b0 = base[p]
        let length: Int
        var lower: UInt8 = 0x80, upper: UInt8 = 0xBF
        switch b0 {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; lower = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; upper = 0x9F
        case 0xF0: length = 4; lower = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; upper = 0x8F
        default: throw error(.invalidUTF8, String(format0x: b0, at: fields.count + 1))
        }
        guard p + length <= count else { throw error(.invalidUTF8, String(format0x: b0, at: fields.count + 1)) }
        let b1 = base[p + 1]
        guard b1 >= lower && b1 <= upper else { throw error(.invalidUTF8, String(format0x: b1, at: fields.count + 1)) }
        for i in 2..<length where base[p + i] & 0xC0 != 0x80 {
            throw error(.invalidUTF8, String(format0x: base[p + i], at: fields.count + 1))
        }
        return p + length
    }
}

private extension String {
    init(format0x byte: UInt8, at field: Int) {
        let hex = String(byte, radix: 16, uppercase: true)
        self = "invalid UTF-8 (byte 0x\(hex.count == 1 ? "0" + hex : hex)) in field \(field)"
    }
}
