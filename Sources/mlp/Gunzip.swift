import Foundation
import MLP

// Gzip (RFC 1952) around deflate (RFC 1951), decoded as Mark Adler's puff.c does: canonical Huffman codes
// decoded a bit at a time from per-length counts. The tool opens files, so it decompresses them; the library
// reads bytes and stays free of Foundation and of a system zlib that every build machine would need.

/// Decompresses `.gz` input for the CSV reader.
enum Gunzip {
    /// The most bytes a file decompresses to, as for a pipe read whole (`CSVLimits.maxStreamBytes`, 1 GiB): a small
    /// file can expand a thousandfold. `MLP_MAX_STREAM_BYTES` lowers or raises it.
    static var defaultLimit: Int {
        ProcessInfo.processInfo.environment["MLP_MAX_STREAM_BYTES"].flatMap { Int($0) }.map { max($0, 0) }
            ?? CSVLimits().maxStreamBytes
    }

    /// Reads and decompresses a gzip file (every member of a multi-member file, as `gzip -d` does).
    /// - Parameters:
    ///   - path: the `.gz` file.
    ///   - limit: the most bytes it may decompress to.
    /// - Returns: the decompressed bytes.
    static func decompress(file path: String, limit: Int = defaultLimit) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CLIError(.data, "\(path): cannot read the file")
        }
        do {
            return try decompress(Array(data), limit: limit)
        } catch let error as GunzipError where error.tooLarge {
            throw CLIError(.memory, "\(path): decompresses to more than \(limit) bytes, the limit for input read whole; "
                           + "for predict and evaluate, pipe it instead: gzip -dc \(path) | mlp ... -")
        } catch let error as GunzipError {
            throw CLIError(.data, "\(path): not a valid gzip file: \(error.reason)")
        }
    }

    /// Decompresses gzip bytes, checking each member's CRC-32 and length.
    /// - Parameters:
    ///   - bytes: one or more gzip members.
    ///   - limit: the most bytes they may decompress to.
    static func decompress(_ bytes: [UInt8], limit: Int = CSVLimits().maxStreamBytes) throws -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(min(bytes.count * 4, limit))
        var position = 0
        repeat {
            let memberStart = output.count
            position = try skipHeader(bytes, at: position)
            var inflater = Inflater(input: bytes, position: position, limit: limit)
            try inflater.inflate(into: &output)
            position = inflater.bytePosition
            guard position + 8 <= bytes.count else { throw GunzipError("the file is truncated") }
            let crc = littleEndian32(bytes, position), size = littleEndian32(bytes, position + 4)
            position += 8
            guard crc == crc32(output[memberStart...]) else { throw GunzipError("CRC-32 mismatch") }
            guard size == UInt32(truncatingIfNeeded: output.count - memberStart) else {
                throw GunzipError("length mismatch")
            }
        } while position < bytes.count && bytes[position] == 0x1F
        return output
    }

    private static func skipHeader(_ b: [UInt8], at start: Int) throws -> Int {
        guard b.count >= start + 10, b[start] == 0x1F, b[start + 1] == 0x8B else {
            throw GunzipError("no gzip header (bytes 1f 8b)")
        }
        guard b[start + 2] == 8 else { throw GunzipError("compression method \(b[start + 2]) is not deflate") }
        let flags = b[start + 3]
        var p = start + 10
        if flags & 0x04 != 0 {  // FEXTRA
            guard p + 2 <= b.count else { throw GunzipError("the header is truncated") }
            p += 2 + Int(b[p]) | Int(b[p + 1]) << 8
        }
        for flag: UInt8 in [0x08, 0x10] where flags & flag != 0 {  // FNAME, FCOMMENT: zero-terminated
            while p < b.count && b[p] != 0 { p += 1 }
            p += 1
        }
        if flags & 0x02 != 0 { p += 2 }  // FHCRC
        guard p < b.count else { throw GunzipError("the header is truncated") }
        return p
    }

    private static func littleEndian32(_ b: [UInt8], _ p: Int) -> UInt32 {
        UInt32(b[p]) | UInt32(b[p + 1]) << 8 | UInt32(b[p + 2]) << 16 | UInt32(b[p + 3]) << 24
    }

    private static let crcTable: [UInt32] = (0..<256).map { i in
        var c = UInt32(i)
        for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    static func crc32(_ bytes: ArraySlice<UInt8>) -> UInt32 {
        var c: UInt32 = 0xFFFF_FFFF
        crcTable.withUnsafeBufferPointer { table in
            bytes.withUnsafeBufferPointer { input in
                for b in input { c = table[Int((c ^ UInt32(b)) & 0xFF)] ^ (c >> 8) }
            }
        }
        return c ^ 0xFFFF_FFFF
    }
}

struct GunzipError: Error {
    var reason: String
    /// The output would pass the limit: not a damaged file, an oversized one.
    var tooLarge = false
    init(_ reason: String) { self.reason = reason }

    static let tooLarge: GunzipError = {
        var error = GunzipError("the output passes the limit")
        error.tooLarge = true
        return error
    }()
}

/// A canonical Huffman code: how many codes of each length and the symbols in code order (puff's slow path), and
/// a table that decodes every code of up to `fastBits` bits with one look-up of the next bits.
private struct Huffman {
    static let fastBits = 9
    var count = [Int](repeating: 0, count: 16)
    var symbol: [Int]
    /// Indexed by the next `fastBits` input bits (first bit lowest): symbol << 4 | length, or 0 for a longer code.
    var fast = [UInt16](repeating: 0, count: 1 << fastBits)

    init(lengths: ArraySlice<Int>) throws {
        symbol = [Int](repeating: 0, count: lengths.count)
        for length in lengths { count[length] += 1 }
        var left = 1
        for length in 1..<16 {
            left <<= 1
            left -= count[length]
            if left < 0 { throw GunzipError("an over-subscribed Huffman code") }
        }
        var offset = [Int](repeating: 0, count: 16)
        for length in 1..<15 { offset[length + 1] = offset[length] + count[length] }
        for (s, length) in lengths.enumerated() where length != 0 {
            symbol[offset[length]] = s
            offset[length] += 1
        }
        // Canonical codes (RFC 1951 3.2.2), bit-reversed because deflate sends them first bit first.
        var next = [Int](repeating: 0, count: 16)
        var code = 0
        for length in 1..<16 {
            code = (code + count[length - 1] * (length > 1 ? 1 : 0)) << 1
            next[length] = code
        }
        for (s, length) in lengths.enumerated() where length != 0 && length <= Self.fastBits {
            let c = next[length]
            next[length] += 1
            var reversed = 0
            for i in 0..<length where c & (1 << i) != 0 { reversed |= 1 << (length - 1 - i) }
            var k = reversed
            while k < 1 << Self.fastBits {
                fast[k] = UInt16(s << 4 | length)
                k += 1 << length
            }
        }
    }
}

/// deflate's block loop over `input` from `position`.
private struct Inflater {
    let input: [UInt8]
    var position: Int
    /// The most bytes the output may hold.
    let limit: Int
    var bitBuffer: UInt64 = 0
    var bitCount = 0

    init(input: [UInt8], position: Int, limit: Int) {
        self.input = input
        self.position = position
        self.limit = limit
    }

    /// The byte after the deflate stream (the unused bits of the last byte are dropped).
    var bytePosition: Int { position }

    /// Tops the bit buffer up to at least 57 bits, or to the end of the input.
    @inline(__always)
    mutating func refill() {
        while bitCount <= 56 && position < input.count {
            bitBuffer |= UInt64(input[position]) << UInt64(bitCount)
            position += 1
            bitCount += 8
        }
    }

    @inline(__always)
    mutating func bits(_ need: Int) throws -> Int {
        if bitCount < need {
            refill()
            guard bitCount >= need else { throw GunzipError("the deflate stream is truncated") }
        }
        let value = Int(bitBuffer & ((1 << UInt64(need)) - 1))
        bitBuffer >>= UInt64(need)
        bitCount -= need
        return value
    }

    /// Gives back the whole bytes still in the bit buffer and drops the partial one (byte alignment).
    mutating func alignToByte() {
        position -= bitCount / 8
        bitBuffer = 0
        bitCount = 0
    }

    mutating func inflate(into out: inout [UInt8]) throws {
        var last = false
        while !last {
            last = try bits(1) == 1
            switch try bits(2) {
            case 0: try stored(into: &out)
            case 1: try codes(Self.fixedLengths, Self.fixedDistances, into: &out)
            case 2: try dynamic(into: &out)
            default: throw GunzipError("an invalid block type")
            }
        }
        alignToByte()
    }

    private mutating func stored(into out: inout [UInt8]) throws {
        alignToByte()
        guard position + 4 <= input.count else { throw GunzipError("the deflate stream is truncated") }
        let length = Int(input[position]) | Int(input[position + 1]) << 8
        let complement = Int(input[position + 2]) | Int(input[position + 3]) << 8
        guard length == ~complement & 0xFFFF else { throw GunzipError("a stored block's length is corrupt") }
        position += 4
        guard position + length <= input.count else { throw GunzipError("the deflate stream is truncated") }
        guard out.count + length <= limit else { throw GunzipError.tooLarge }
        out.append(contentsOf: input[position..<(position + length)])
        position += length
    }

    @inline(__always)
    private mutating func decode(_ h: Huffman) throws -> Int {
        if bitCount < Huffman.fastBits { refill() }
        if bitCount >= Huffman.fastBits {
            let entry = Int(h.fast[Int(bitBuffer & UInt64((1 << Huffman.fastBits) - 1))])
            if entry != 0 {
                let length = entry & 15
                bitBuffer >>= UInt64(length)
                bitCount -= length
                return entry >> 4
            }
        }
        // A code longer than the table, or the last bits of the input: one bit at a time.
        var code = 0, first = 0, index = 0
        for length in 1..<16 {
            code |= try bits(1)
            let count = h.count[length]
            if code - count < first { return h.symbol[index + (code - first)] }
            index += count
            first += count
            first <<= 1
            code <<= 1
        }
        throw GunzipError("an invalid Huffman code")
    }

    private static let lengthBase = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99,
                                     115, 131, 163, 195, 227, 258]
    private static let lengthExtra = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]
    private static let distanceBase = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769,
                                       1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577]
    private static let distanceExtra = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11,
                                        12, 12, 13, 13]
    private static let fixedLengths = try! Huffman(lengths: ArraySlice(
        [Int](repeating: 8, count: 144) + [Int](repeating: 9, count: 112) + [Int](repeating: 7, count: 24)
            + [Int](repeating: 8, count: 8)))
    private static let fixedDistances = try! Huffman(lengths: ArraySlice([Int](repeating: 5, count: 30)))

    private mutating func codes(_ lengths: Huffman, _ distances: Huffman, into out: inout [UInt8]) throws {
        while true {
            let symbol = try decode(lengths)
            if symbol < 256 {
                guard out.count < limit else { throw GunzipError.tooLarge }
                out.append(UInt8(symbol))
                continue
            }
            if symbol == 256 { return }
            let s = symbol - 257
            guard s < 29 else { throw GunzipError("an invalid length code") }
            let length = Self.lengthBase[s] + (try bits(Self.lengthExtra[s]))
            let d = try decode(distances)
            guard d < 30 else { throw GunzipError("an invalid distance code") }
            let distance = Self.distanceBase[d] + (try bits(Self.distanceExtra[d]))
            guard distance <= out.count else { throw GunzipError("a distance reaches before the start") }
            guard out.count + length <= limit else { throw GunzipError.tooLarge }
            let from = out.count - distance
            for i in 0..<length { out.append(out[from + i]) }
        }
    }

    private mutating func dynamic(into out: inout [UInt8]) throws {
        let literalCount = try bits(5) + 257, distanceCount = try bits(5) + 1, codeCount = try bits(4) + 4
        guard literalCount <= 286, distanceCount <= 30 else { throw GunzipError("too many Huffman codes") }
        let order = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]
        var codeLengths = [Int](repeating: 0, count: 19)
        for i in 0..<codeCount { codeLengths[order[i]] = try bits(3) }
        let lengthCode = try Huffman(lengths: codeLengths[...])
        var lengths: [Int] = []
        lengths.reserveCapacity(literalCount + distanceCount)
        while lengths.count < literalCount + distanceCount {
            let symbol = try decode(lengthCode)
            if symbol < 16 { lengths.append(symbol); continue }
            var value = 0, repeats: Int
            switch symbol {
            case 16:
                guard let previous = lengths.last else { throw GunzipError("a repeat with no previous length") }
                value = previous
                repeats = 3 + (try bits(2))
            case 17: repeats = 3 + (try bits(3))
            default: repeats = 11 + (try bits(7))
            }
            guard lengths.count + repeats <= literalCount + distanceCount else {
                throw GunzipError("too many code lengths")
            }
            lengths += repeatElement(value, count: repeats)
        }
        guard lengths[256] != 0 else { throw GunzipError("no end-of-block code") }
        try codes(try Huffman(lengths: lengths[..<literalCount]), try Huffman(lengths: lengths[literalCount...]),
                  into: &out)
    }
}
