import MLPCore
import MLPModelFile
import Testing
@testable import MLPONNX

// The NPZ archive read back as numpy reads it: the zip's entries (stored, CRC-checked), each .npy header, the data.

/// The entries of a stored zip: (name, data), checking each local header's CRC.
private func unzip(_ bytes: [UInt8]) throws -> [(String, [UInt8])] {
    func le(_ at: Int, _ n: Int) -> Int { (0..<n).reduce(0) { $0 | Int(bytes[at + $1]) << (8 * $1) } }
    var entries: [(String, [UInt8])] = []
    var at = 0
    while le(at, 4) == 0x0403_4b50 {
        let crc = UInt32(le(at + 14, 4)), size = le(at + 18, 4), nameLength = le(at + 26, 2), extra = le(at + 28, 2)
        #expect(le(at + 8, 2) == 0, "stored, not compressed")
        let name = String(decoding: bytes[(at + 30)..<(at + 30 + nameLength)], as: UTF8.self)
        let start = at + 30 + nameLength + extra
        let data = Array(bytes[start..<(start + size)])
        #expect(CRC32.checksum(data) == crc, "\(name): CRC")
        entries.append((name, data))
        at = start + size
    }
    #expect(le(bytes.count - 22, 4) == 0x0605_4b50, "end of central directory record")
    #expect(le(bytes.count - 22 + 10, 2) == entries.count)
    return entries
}

/// A .npy file's header dictionary and data.
private func npy(_ file: [UInt8]) -> (header: String, data: [UInt8]) {
    #expect(Array(file[0..<8]) == [0x93] + Array("NUMPY".utf8) + [1, 0])
    let length = Int(file[8]) | Int(file[9]) << 8
    #expect((10 + length) % 64 == 0, "aligned header")
    return (String(decoding: file[10..<(10 + length)], as: UTF8.self), Array(file[(10 + length)...]))
}

@Suite struct NPZExportTests {
    @Test func classifierArchiveHoldsSklearnsAttributes() throws {
        let model = try ONNXTestModels.classifier(Double.self, .relu, target: .multiclass)
        let entries = try unzip(try NPZExport.archive(model))
        #expect(entries.map(\.0) == ["coefs_0.npy", "intercepts_0.npy", "coefs_1.npy", "intercepts_1.npy",
                                     "coefs_2.npy", "intercepts_2.npy", "mean_.npy", "scale_.npy", "classes_.npy"])
        let (header, data) = npy(entries[0].1)
        #expect(header.hasPrefix("{'descr': '<f8', 'fortran_order': False, 'shape': (4, 5), }"))
        let values = stride(from: 0, to: data.count, by: 8).map { start in
            Double(bitPattern: (0..<8).reduce(UInt64(0)) { $0 | UInt64(data[start + $1]) << (8 * UInt64($1)) })
        }
        #expect(values == model.coefs[0].doubles)
        let classes = npy(entries[8].1)
        #expect(classes.header.hasPrefix("{'descr': '<U10', 'fortran_order': False, 'shape': (3,), }"))
        #expect(classes.data.count == 3 * 10 * 4)
        #expect(Array(classes.data[0..<8]) == [0x73, 0, 0, 0, 0x65, 0, 0, 0], "'se' in UTF-32LE")
    }

    @Test func float32RegressorArchiveKeepsItsPrecision() throws {
        let model = try ONNXTestModels.regressor(Float.self, .tanh)
        let entries = try unzip(try NPZExport.archive(model))
        #expect(entries.map(\.0).suffix(2) == ["scale_.npy", "min_.npy"])
        #expect(npy(entries[1].1).header.hasPrefix("{'descr': '<f4', 'fortran_order': False, 'shape': (5,), }"))
        #expect(!entries.contains { $0.0 == "classes_.npy" })
    }
}
