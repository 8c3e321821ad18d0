// The protobuf wire format, writing side: varints, fixed-width numbers and length-delimited fields.
// Enough for the onnx.proto subset in ONNXProto.swift; field numbers live there, not here.

/// Appends protobuf fields to a byte buffer.
struct ProtobufWriter {
    private(set) var bytes: [UInt8] = []

    enum WireType: UInt8 { case varint = 0, fixed64 = 1, lengthDelimited = 2, fixed32 = 5 }

    mutating func varint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    mutating func tag(_ field: Int, _ wire: WireType) { varint(UInt64(field) << 3 | UInt64(wire.rawValue)) }

    /// int64 / int32 / enum (negative values take ten bytes, as protobuf specifies).
    mutating func int(_ field: Int, _ value: Int64) {
        tag(field, .varint)
        varint(UInt64(bitPattern: value))
    }

    mutating func float(_ field: Int, _ value: Float) {
        tag(field, .fixed32)
        appendLittleEndian(UInt64(value.bitPattern), bytes: 4)
    }

    mutating func bytesField(_ field: Int, _ value: [UInt8]) {
        tag(field, .lengthDelimited)
        varint(UInt64(value.count))
        bytes += value
    }

    mutating func string(_ field: Int, _ value: String) { bytesField(field, Array(value.utf8)) }

    /// A nested message, written by `body` into its own buffer and then length-prefixed.
    mutating func message(_ field: Int, _ body: (inout ProtobufWriter) -> Void) {
        var nested = ProtobufWriter()
        body(&nested)
        bytesField(field, nested.bytes)
    }

    mutating func packedInts(_ field: Int, _ values: [Int64]) {
        var nested = ProtobufWriter()
        for v in values { nested.varint(UInt64(bitPattern: v)) }
        bytesField(field, nested.bytes)
    }

    mutating func packedFloats(_ field: Int, _ values: [Float]) {
        tag(field, .lengthDelimited)
        varint(UInt64(values.count * 4))
        for v in values { appendLittleEndian(UInt64(v.bitPattern), bytes: 4) }
    }

    mutating func packedDoubles(_ field: Int, _ values: [Double]) {
        tag(field, .lengthDelimited)
        varint(UInt64(values.count * 8))
        for v in values { appendLittleEndian(v.bitPattern, bytes: 8) }
    }

    private mutating func appendLittleEndian(_ value: UInt64, bytes count: Int) {
        for i in 0..<count { bytes.append(UInt8(truncatingIfNeeded: value >> (8 * UInt64(i)))) }
    }
}
