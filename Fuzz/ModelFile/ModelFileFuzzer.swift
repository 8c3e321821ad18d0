// libFuzzer target: the model-file decoder and the model validation on arbitrary bytes.
// Any throw is fine; a trap, an unbounded allocation or a hang is a finding. Each input is decoded as it is and
// again with its length field and checksum repaired, so mutations reach the header and arrays, not only the CRC.
import MLPCore
import MLPModelFile

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzModelFile(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var bytes = Array(UnsafeBufferPointer(start: data, count: size))
    exercise(bytes)
    if bytes.count >= 36 {
        let n = UInt64(bytes.count)
        for i in 0..<8 { bytes[16 + i] = UInt8(truncatingIfNeeded: n >> (8 * UInt64(i))) }
        let crc = crc32(bytes[0..<(bytes.count - 4)])
        for i in 0..<4 { bytes[bytes.count - 4 + i] = UInt8(truncatingIfNeeded: crc >> (8 * UInt32(i))) }
        exercise(bytes)
    }
    return 0
}

private func exercise(_ bytes: [UInt8]) {
    guard let file = try? ModelFile.decode(bytes), let model = try? MLPModel(file: file),
          let pipeline = try? model.pipeline() else { return }
    let features = Matrix<Double>(rows: 1, columns: model.featureCount,
                                  storage: [Double](repeating: 0.5, count: model.featureCount))
    if pipeline.isClassifier { _ = try? pipeline.predictProbabilities(features: features) }
    else { _ = try? pipeline.predictValues(features: features) }
}

/// Bitwise CRC-32 (IEEE), independent of the library's table-driven one.
private func crc32(_ bytes: ArraySlice<UInt8>) -> UInt32 {
    var crc: UInt32 = 0xFFFF_FFFF
    for byte in bytes {
        crc ^= UInt32(byte)
        for _ in 0..<8 { crc = crc & 1 != 0 ? 0xEDB8_8320 ^ (crc >> 1) : crc >> 1 }
    }
    return crc ^ 0xFFFF_FFFF
}
