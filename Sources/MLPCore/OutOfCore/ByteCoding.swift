// Little-endian fields of the `.mlpdata` header and schema: fixed-width integers, Float64 and length-prefixed
// UTF-8 strings. The reader checks every length against what is left, so a damaged file gives an error.

/// Appends header fields to a byte array.
struct ByteWriter {
    private(set) var bytes: [UInt8] = []

    mutating func append<I: FixedWidthInteger>(_ value: I) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func append(_ value: Double) { append(value.bitPattern) }

    mutating func append(_ text: String) {
        append(UInt32(text.utf8.count))
        bytes.append(contentsOf: text.utf8)
    }

    mutating func append(_ texts: [String]) {
        append(UInt32(texts.count))
        for text in texts { append(text) }
    }
}

/// Reads header fields from bytes, throwing ``MLPDataError`` (`.corrupted`) past their end.
struct ByteReader {
    private let bytes: UnsafeRawBufferPointer
    private var position = 0
    private let file: String

    init(_ bytes: UnsafeRawBufferPointer, file: String) {
        self.bytes = bytes
        self.file = file
    }

    private mutating func take(_ count: Int) throws -> UnsafeRawBufferPointer {
        guard count >= 0, count <= bytes.count - position else {
            throw MLPDataError.corrupted(file: file, detail: "the header ends early")
        }
        defer { position += count }
        return UnsafeRawBufferPointer(rebasing: bytes[position..<(position + count)])
    }

    mutating func integer<I: FixedWidthInteger>(_: I.Type = I.self) throws -> I {
        let raw = try take(MemoryLayout<I>.size)
        var value = I.zero
        withUnsafeMutableBytes(of: &value) { $0.copyMemory(from: raw) }
        return I(littleEndian: value)
    }

    /// A count of at most `limit` items.
    mutating func count(limit: Int) throws -> Int {
        let value = try integer(UInt64.self)
        guard value <= UInt64(limit) else {
            throw MLPDataError.corrupted(file: file, detail: "a count in the header is out of range (\(value))")
        }
        return Int(value)
    }

    mutating func double() throws -> Double { Double(bitPattern: try integer(UInt64.self)) }

    mutating func string() throws -> String {
        let length = Int(try integer(UInt32.self))
        return String(decoding: try take(length), as: UTF8.self)
    }

    mutating func strings() throws -> [String] {
        let n = Int(try integer(UInt32.self))
        guard n <= bytes.count - position else {
            throw MLPDataError.corrupted(file: file, detail: "a list in the header is longer than the header")
        }
        return try (0..<n).map { _ in try string() }
    }
}
