import Foundation
import MLPTestSupport
import Testing
@testable import MLPCore
@testable import MLPModelFile

// Model files: bit-exact round trip, and every kind of damage refused with a ModelFileError.

func smallModel(dtype: String = "float64", sizes: [Int] = [2, 3, 1]) throws -> MLPModel {
    let subnormal = Double(sign: .plus, exponent: -1030, significand: 1)  // below leastNormalMagnitude
    var rng = SeededGenerator(seed: 3)
    func values(_ n: Int) -> NamedArray.Values {
        let special: [Double] = [-0.0, Double.leastNonzeroMagnitude, subnormal, -Double.greatestFiniteMagnitude, 0.1]
        let v = (0..<n).map { i in i < special.count ? special[i] : Double(Int64(bitPattern: rng.next() % 2000) - 1000) / 7 }
        if dtype == "float32" {
            return .float32(v.map { $0 == subnormal ? Float.leastNonzeroMagnitude : Float($0 == -Double.greatestFiniteMagnitude ? -3e38 : $0) })
        }
        return .float64(v)
    }
    let names = (0..<sizes[0]).map { "x\($0)" }
    let metadata = ModelMetadata(
        estimator: .classifier, dtype: dtype, layerSizes: sizes, activation: "relu", outActivation: "logistic",
        loss: "log_loss", featureNames: names, classes: ["no", "yes"], targetName: "y",
        encoding: FeatureEncoding(inputColumns: names), scaler: .standard,
        parameters: MLPParameters(), lossCurve: [0.7, 0.5, 0.25], nIter: 3, t: 30)
    return try MLPModel(
        metadata: metadata,
        coefs: (0..<(sizes.count - 1)).map { values(sizes[$0] * sizes[$0 + 1]) },
        intercepts: (0..<(sizes.count - 1)).map { values(sizes[$0 + 1]) },
        scaler: .standard(StandardScaler(mean: Array(repeating: 0.5, count: sizes[0]), scale: Array(repeating: 2, count: sizes[0]))))
}

func decodeError(_ bytes: [UInt8]) -> ModelFileError? {
    do { _ = try MLPModel(file: ModelFile.decode(bytes)); return nil } catch let e as ModelFileError { return e } catch {
        Issue.record("unexpected error type: \(error)"); return nil
    }
}

/// Re-stamps the length and checksum after a deliberate edit, so that only the edited property is wrong.
func restamp(_ bytes: [UInt8]) -> [UInt8] {
    var b = Array(bytes.dropLast(4))
    let total = UInt64(b.count + 4)
    for i in 0..<8 { b[16 + i] = UInt8(truncatingIfNeeded: total >> (8 * UInt64(i))) }
    appendLE(&b, CRC32.checksum(b))
    return b
}

/// Replaces the JSON header with `json` (same layout otherwise) and re-stamps.
func withHeader(_ bytes: [UInt8], _ edit: (String) -> String) -> [UInt8] {
    let h = Int(readLE(bytes, 24) as UInt64)
    let json = String(decoding: bytes[32..<(32 + h)], as: UTF8.self)
    let newJSON = Array(edit(json).utf8)
    let oldStart = (32 + h + 7) / 8 * 8
    var b = Array(bytes[0..<24])
    appendLE(&b, UInt64(newJSON.count))
    b += newJSON
    b += [UInt8](repeating: 0, count: (8 - b.count % 8) % 8)
    b += bytes[oldStart...]
    return restamp(b)
}

private func temporaryDirectory() throws -> String {
    try TestDirectory.make("model-file")
}

@Suite struct ModelFileTests {
    @Test func crc32KnownValue() {
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(CRC32.checksum([]) == 0)
        // zlib.crc32 of longer inputs: every table of the eight-byte steps, and the byte-wise tail.
        #expect(CRC32.checksum(Array("The quick brown fox jumps over the lazy dog".utf8)) == 0x414F_A339)
        #expect(CRC32.checksum((0..<768).map { UInt8($0 % 256) }) == 0xB0C0_DF2A)
    }

    /// A file streamed in chunks of any length checks as one buffer (ModelFileStream continues the CRC per chunk).
    @Test func crc32ContinuesAcrossChunksAtEverySplit() {
        let bytes = (0..<100).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
        let whole = CRC32.checksum(bytes)
        for split in 0...bytes.count {
            let first = CRC32.checksum(Array(bytes[..<split]))
            let both = Array(bytes[split...]).withUnsafeBytes { CRC32.checksum($0, continuing: first) }
            #expect(both == whole, "split at \(split)")
        }
    }

    @Test(arguments: ["float64", "float32"])
    func roundTripIsBitExact(dtype: String) throws {
        let model = try smallModel(dtype: dtype, sizes: [3, 5, 4, 1])
        let dir = try temporaryDirectory()
        let path = dir + "/m.mlp"
        try model.write(to: path)
        let loaded = try MLPModel.read(from: path)
        #expect(loaded == model)  // Values compare by bit pattern
        #expect(loaded.coefs[0] == model.coefs[0])
        if case .float64(let v) = loaded.coefs[0] { #expect(v[0].bitPattern == (-0.0).bitPattern) }
        if case .float32(let v) = loaded.coefs[0] { #expect(v[0].bitPattern == (-Float(0)).bitPattern) }
        // Saving again gives the same bytes; no temporary file is left behind.
        try loaded.write(to: dir + "/m2.mlp")
        #expect(FileManager.default.contents(atPath: path) == FileManager.default.contents(atPath: dir + "/m2.mlp"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == ["m.mlp", "m2.mlp"])
    }

    @Test func truncationAtEveryOffsetIsRefused() throws {
        let bytes = try smallModel().modelFile().encoded()
        for n in 0..<bytes.count {
            let e = decodeError(Array(bytes[0..<n]))
            #expect(e != nil, "truncated to \(n) bytes was accepted")
            if let e, n >= 8 { #expect(e.kind == .truncated, "at \(n): \(e)") }
        }
    }

    @Test func everyBitFlipIsRefused() throws {
        let bytes = try smallModel().modelFile().encoded()
        for offset in 0..<bytes.count {
            for bit in 0..<8 where bit == offset % 8 || offset < 32 || offset >= bytes.count - 4 {
                var b = bytes
                b[offset] ^= UInt8(1 << bit)
                #expect(decodeError(b) != nil, "flip of bit \(bit) at byte \(offset) was accepted")
            }
        }
    }

    @Test func wrongMagicAndVersion() throws {
        let bytes = try smallModel().modelFile().encoded()
        var b = bytes
        b[1] = 0x58
        #expect(decodeError(b)?.kind == .notAModel)
        #expect(decodeError(Array("x,y\n1,2\n".utf8))?.message == "not an mlp model file (wrong magic bytes)")
        #expect(decodeError([])?.kind == .notAModel)
        b = bytes
        b[8] = 2
        #expect(decodeError(restamp(b))?.message == "model file format version 2.1 is not supported; this mlp reads 1.x")
        b = bytes
        b[10] = 7  // a newer minor version is read
        #expect(decodeError(restamp(b)) == nil)
        // Without a re-stamped checksum, the message hints at both causes.
        b = bytes
        b[8] = 2
        #expect(decodeError(b)?.message.contains("version 2.1") == true)
    }

    @Test func hostileHeadersAreRefusedBeforeAllocating() throws {
        let bytes = try smallModel().modelFile().encoded()
        let cases: [(String, (String) -> String)] = [
            ("overflowing shape", { $0.replacingOccurrences(of: "\"shape\":[2,3]", with: "\"shape\":[4294967296,4294967296,4294967296]") }),
            ("huge shape", { $0.replacingOccurrences(of: "\"shape\":[2,3]", with: "\"shape\":[100000,100000]") }),
            ("negative shape", { $0.replacingOccurrences(of: "\"shape\":[2,3]", with: "\"shape\":[-2,-3]") }),
            ("wrong length", { $0.replacingOccurrences(of: "\"length\":48", with: "\"length\":40") }),
            ("gap", { $0.replacingOccurrences(of: "\"offset\":48", with: "\"offset\":56") }),
            ("overlap", { $0.replacingOccurrences(of: "\"offset\":48", with: "\"offset\":40") }),
            ("unknown dtype", { $0.replacingOccurrences(of: "\"dtype\":\"float64\"", with: "\"dtype\":\"int8\"") }),
            ("not JSON", { _ in "{\"arrays\": [" }),
            ("chaining", { $0.replacingOccurrences(of: "\"layerSizes\":[2,3,1]", with: "\"layerSizes\":[3,2,1]") }),
            ("unknown activation", { $0.replacingOccurrences(of: "\"activation\":\"relu\"", with: "\"activation\":\"rm -rf\"") }),
        ]
        for (name, edit) in cases {
            let edited = withHeader(bytes, edit)
            #expect(edited != bytes, "\(name): edit did not apply")
            let e = decodeError(edited)
            #expect(e?.kind == .invalid, "\(name): \(String(describing: e))")
        }
        // A header length larger than the file.
        var b = bytes
        b[24 + 5] = 0x7F
        #expect(decodeError(restamp(b))?.kind == .invalid)
    }

    @Test func nonFiniteWeightsAreRefused() throws {
        var file = try smallModel().modelFile()
        file.arrays[0].values = .float64([1, 2, .nan, 4, 5, 6])
        #expect(decodeError(try file.encoded())?.message.contains("non-finite") == true)
        file.arrays[0].values = .float64([1, 2, .infinity, 4, 5, 6])
        #expect(decodeError(try file.encoded())?.kind == .invalid)
    }

    @Test func shapesMustChain() throws {
        var file = try smallModel().modelFile()
        file.arrays[0] = NamedArray(name: "coefs.0", shape: [3, 2], values: file.arrays[0].values)
        #expect(decodeError(try file.encoded())?.message.contains("do not chain") == true)
        file = try smallModel().modelFile()
        file.arrays.removeAll { $0.name == "intercepts.1" }
        #expect(decodeError(try file.encoded())?.message.contains("missing") == true)
    }

    @Test func atomicSaveLeavesOldFileOrNone() throws {
        let dir = try temporaryDirectory()
        let model = try smallModel()
        #expect(throws: ModelFileError.self) { try model.write(to: dir + "/missing-dir/m.mlp") }
        try model.write(to: dir + "/m.mlp")
        let before = FileManager.default.contents(atPath: dir + "/m.mlp")
        // A read-only directory: the save fails, the old file stays and loads.
        try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: dir)
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: dir) }
        if getuid() != 0 {
            #expect(throws: ModelFileError.self) { try smallModel(sizes: [2, 4, 1]).write(to: dir + "/m.mlp") }
        }
        #expect(FileManager.default.contents(atPath: dir + "/m.mlp") == before || getuid() == 0)
        #expect(try MLPModel.read(from: dir + "/m.mlp").metadata.layerSizes.count == 3)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.contains(".tmp-") }
        #expect(leftovers.isEmpty)
        // Saving onto a directory fails cleanly.
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: dir)
        try FileManager.default.createDirectory(atPath: dir + "/d", withIntermediateDirectories: false)
        #expect(throws: ModelFileError.self) { try model.write(to: dir + "/d") }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.contains(".tmp-") }.isEmpty)
    }

    @Test func missingFileAndDirectory() throws {
        #expect(throws: ModelFileError.self) { try MLPModel.read(from: "/nonexistent/model.mlp") }
        #expect(throws: ModelFileError.self) { try MLPModel.read(from: "/tmp") }
    }
}

/// Format 1.1's metadata, edited to lie: every inconsistency a loaded estimator could trip on is refused.
@Suite struct ModelMetadataValidationTests {
    private func classifierBytes(targetType: TargetType, classes: [ClassLabel], outputs: Int) throws -> [UInt8] {
        let base = try smallModel(sizes: [2, 3, 1])
        var metadata = base.metadata
        metadata.layerSizes = [2, 3, outputs]
        metadata.classes = classes
        metadata.targetType = targetType
        metadata.outActivation = targetType == .multiclass ? "softmax" : "logistic"
        metadata.classWeight = StoredClassWeight(.perClass([classes[0]: 2]))
        let model = try MLPModel(metadata: metadata,
                                 coefs: [base.coefs[0], .float64((0..<(3 * outputs)).map { Double($0) / 10 })],
                                 intercepts: [base.intercepts[0], .float64(Array(repeating: 0.1, count: outputs))],
                                 scaler: base.scaler)
        return try model.modelFile().encoded()
    }

    @Test func consistentFilesLoad() throws {
        #expect(decodeError(try classifierBytes(targetType: .binary, classes: [0, 1], outputs: 1)) == nil)
        #expect(decodeError(try classifierBytes(targetType: .multiclass, classes: ["a", "b", "c"], outputs: 3)) == nil)
        #expect(decodeError(try classifierBytes(targetType: .multilabelIndicator, classes: [0, 1, 2], outputs: 3)) == nil)
    }

    @Test func inconsistentMetadataIsRefused() throws {
        let binary = try classifierBytes(targetType: .binary, classes: [0, 1], outputs: 1)
        let multiclass = try classifierBytes(targetType: .multiclass, classes: ["a", "b", "c"], outputs: 3)
        let multilabel = try classifierBytes(targetType: .multilabelIndicator, classes: [0, 1, 2], outputs: 3)
        let cases: [(String, [UInt8], (String) -> String)] = [
            ("unsorted classes", multiclass, { $0.replacingOccurrences(of: "[\"a\",\"b\",\"c\"]", with: "[\"b\",\"a\",\"c\"]") }),
            ("duplicate classes", multiclass, { $0.replacingOccurrences(of: "[\"a\",\"b\",\"c\"]", with: "[\"a\",\"a\",\"c\"]") }),
            ("non-integer class", binary, { $0.replacingOccurrences(of: "\"classes\":[0,1]", with: "\"classes\":[0,1.5]") }),
            ("three classes, one output", binary, { $0.replacingOccurrences(of: "\"classes\":[0,1]", with: "\"classes\":[0,1,2]") }),
            ("binary declared multiclass", binary, { $0.replacingOccurrences(of: "\"targetType\":\"binary\"", with: "\"targetType\":\"multiclass\"") }),
            ("softmax for multilabel", multilabel, { $0.replacingOccurrences(of: "\"outActivation\":\"logistic\"", with: "\"outActivation\":\"softmax\"") }),
            ("multilabel classes not indices", multilabel, { $0.replacingOccurrences(of: "\"classes\":[0,1,2]", with: "\"classes\":[1,2,3]") }),
            ("unknown target type", binary, { $0.replacingOccurrences(of: "\"targetType\":\"binary\"", with: "\"targetType\":\"ordinal\"") }),
            ("class weight for an unknown class", multiclass, { $0.replacingOccurrences(of: "\"classes\":[\"a\"]", with: "\"classes\":[\"z\"]") }),
            ("unpaired class weights", multiclass, { $0.replacingOccurrences(of: "\"weights\":[2]", with: "\"weights\":[2,3]") }),
            ("output activation as hidden", binary, { $0.replacingOccurrences(of: "\"activation\":\"relu\"", with: "\"activation\":\"softmax\"") }),
            ("regression loss for a classifier", binary, { $0.replacingOccurrences(of: "\"loss\":\"log_loss\"", with: "\"loss\":\"poisson\"") }),
            ("regressor with classes", binary, { $0.replacingOccurrences(of: "\"estimator\":\"MLPClassifier\"", with: "\"estimator\":\"MLPRegressor\"") }),
            ("parameters of the wrong type", binary, { $0.replacingOccurrences(of: "\"parameters\":{", with: "\"parameters\":{\"alpha\":\"x\",") }),
        ]
        for (name, bytes, edit) in cases {
            let edited = withHeader(bytes, edit)
            #expect(edited != bytes, "\(name): edit did not apply")
            let e = decodeError(edited)
            #expect(e?.kind == .invalid, "\(name): \(String(describing: e))")
        }
    }

    /// Every hidden activation loads, so a gelu or softplus model can be saved and read back.
    @Test(arguments: Activation.allCases.filter { $0 != .softmax && $0 != .exp })
    func everyHiddenActivationLoads(activation: Activation) throws {
        var model = try smallModel()
        model.metadata.activation = activation.rawValue
        let loaded = try MLPModel(file: ModelFile.decode(try model.modelFile().encoded()))
        #expect(try loaded.network(Double.self).hiddenActivation == activation)
    }
}
