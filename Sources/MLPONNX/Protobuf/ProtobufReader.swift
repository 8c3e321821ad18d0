// The protobuf wire format, reading side, for untrusted bytes: every length is checked against the bytes left,
// so nothing is allocated beyond the input's size, and every problem is an ONNXError, never a trap.

/// Reads protobuf fields from a byte range of one buffer.
struct ProtobufReader {
    private let buffer: UnsafeRawBufferPointer
    private var position: Int
    private let end: Int
    /// The message being read, for error messages ("GraphProto.node").
    let context: String

    init(_ buffer: UnsafeRawBufferPointer, context: String) {
        self.buffer = buffer
        self.position = 0
        self.end = buffer.count
        self.context = context
    }

    private init(_ buffer: UnsafeRawBufferPointer, range: Range<Int>, context: String) {
        self.buffer = buffer
        self.position = range.lowerBound
        self.end = range.upperBound
        self.context = context
    }

    var isAtEnd: Bool { position >= end }

    /// A field's number and wire type, or nil at the end of the message.
    mutating func nextField() throws -> (number: Int, wire: UInt8)? {
        guard !isAtEnd else { return nil }
        let key = try varint()
        let number = key >> 3
        guard number >= 1, number <= 536_870_911 else { throw malformed("field number \(number)") }
        return (Int(number), UInt8(key & 7))
    }

    mutating func varint() throws -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard position < end else { throw truncated("a varint") }
            let byte = buffer[position]
            position += 1
            guard shift < 64 else { throw malformed("a varint longer than 10 bytes") }
            result |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return result }
            shift += 7
        }
    }

    mutating func int64(_ wire: UInt8) throws -> Int64 {
        guard wire == 0 else { throw malformed("an integer field with wire type \(wire)") }
        return Int64(bitPattern: try varint())
    }

    mutating func float(_ wire: UInt8) throws -> Float {
        guard wire == 5 else { throw malformed("a float field with wire type \(wire)") }
        return Float(bitPattern: UInt32(truncatingIfNeeded: try fixed(4)))
    }

    /// The range of a length-delimited field's payload; the reader moves past it.
    mutating func lengthDelimited(_ wire: UInt8) throws -> Range<Int> {
        guard wire == 2 else { throw malformed("a length-delimited field with wire type \(wire)") }
        let length = try varint()
        guard length <= UInt64(end - position) else {
            throw truncated("a field of \(length) bytes with \(end - position) left")
        }
        let start = position
        position += Int(length)
        return start..<position
    }

    mutating func bytes(_ wire: UInt8) throws -> [UInt8] {
        let range = try lengthDelimited(wire)
        return Array(buffer[range])
    }

    mutating func string(_ wire: UInt8) throws -> String {
        let range = try lengthDelimited(wire)
        return String(decoding: UnsafeRawBufferPointer(rebasing: buffer[range]), as: UTF8.self)
    }

    /// A reader over a nested message's payload.
    mutating func message(_ wire: UInt8, context: String) throws -> ProtobufReader {
        ProtobufReader(buffer, range: try lengthDelimited(wire), context: context)
    }

    /// Repeated int64: packed (wire 2) or one element (wire 0), as protobuf readers must accept both.
    mutating func appendInts(_ wire: UInt8, to values: inout [Int64]) throws {
        if wire == 0 { values.append(Int64(bitPattern: try varint())); return }
        var packed = try message(wire, context: context)
        while !packed.isAtEnd { values.append(Int64(bitPattern: try packed.varint())) }
    }

    mutating func appendFloats(_ wire: UInt8, to values: inout [Float]) throws {
        if wire == 5 { values.append(try float(wire)); return }
        let range = try lengthDelimited(wire)
        guard range.count % 4 == 0 else { throw malformed("packed floats of \(range.count) bytes") }
        values.reserveCapacity(values.count + range.count / 4)
        for offset in stride(from: range.lowerBound, to: range.upperBound, by: 4) {
            values.append(Float(bitPattern: UInt32(truncatingIfNeeded: littleEndian(at: offset, count: 4))))
        }
    }

    mutating func appendDoubles(_ wire: UInt8, to values: inout [Double]) throws {
        if wire == 1 { values.append(Double(bitPattern: try fixed(8))); return }
        let range = try lengthDelimited(wire)
        guard range.count % 8 == 0 else { throw malformed("packed doubles of \(range.count) bytes") }
        values.reserveCapacity(values.count + range.count / 8)
        for offset in stride(from: range.lowerBound, to: range.upperBound, by: 8) {
            values.append(Double(bitPattern: littleEndian(at: offset, count: 8)))
        }
    }

    /// Skips a field this reader does not need. Groups (wire types 3, 4) are deprecated and refused.
    mutating func skip(_ wire: UInt8) throws {
        switch wire {
        case 0: _ = try varint()
        case 1: _ = try fixed(8)
        case 2: _ = try lengthDelimited(wire)
        case 5: _ = try fixed(4)
        default: throw malformed("wire type \(wire)")
        }
    }

    private mutating func fixed(_ count: Int) throws -> UInt64 {
        guard end - position >= count else { throw truncated("a \(count)-byte number") }
        defer { position += count }
        return littleEndian(at: position, count: count)
    }

    private func littleEndian(at offset: Int, count: Int) -> UInt64 {
        var value: UInt64 = 0
        for i in 0..<count { value |= UInt64(buffer[offset + i]) << (8 * UInt64(i)) }
        return value
    }

    func malformed(_ what: String) -> ONNXError {
        ONNXError(.malformed, "not a valid ONNX file: \(context) has \(what)")
    }

    private func truncated(_ what: String) -> ONNXError {
        ONNXError(.malformed, "truncated ONNX file: \(context) ends inside \(what)")
    }
}
