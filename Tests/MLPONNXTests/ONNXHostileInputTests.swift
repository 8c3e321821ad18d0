import MLPCore
import MLPModelFile
import MLPTestSupport
import Testing
@testable import MLPONNX

// Hostile ONNX bytes: every truncation, random corruption, absurd lengths and sizes give an ONNXError, never a
// trap and never an allocation beyond the input's size. `ONNXImport.model(serialized:)` is the fuzzing entry point.

private func decodeOutcome(_ bytes: [UInt8], limits: ONNXLimits = ONNXLimits()) -> ONNXError? {
    do {
        _ = try ONNXImport.model(serialized: bytes, limits: limits)
        return nil
    } catch let error as ONNXError {
        return error
    } catch {
        Issue.record("not an ONNXError: \(error)")
        return nil
    }
}

@Suite struct ONNXHostileInputTests {
    /// The system reads a path only up to a NUL byte: "r.onnx\0x" would name "r.onnx".
    @Test func aPathWithANulByteIsRefused() throws {
        let dir = try TestDirectory.make("onnx-nul")
        try ONNXTestModels.regressor(Double.self, .relu).writeONNX(to: dir + "/r.onnx")
        #expect(throws: ONNXError.self) { try MLPPipeline.load(onnx: dir + "/r.onnx\u{0}x") }
        #expect(throws: ONNXError.self) { try ONNXTestModels.regressor(Double.self, .relu).writeONNX(to: dir + "/s.onnx\u{0}") }
    }

    /// Protobuf has no end marker: a cut at a field boundary after the graph (in the opsets or the metadata)
    /// is a shorter valid message. Every other cut is an error; those must still hold the same network.
    @Test func everyTruncationIsAnErrorOrTheSameNetwork() throws {
        let model = try ONNXTestModels.classifier(Float.self, .relu, target: .multiclass)
        let bytes = try ONNXExport.serialized(model)
        var errors = 0
        for length in 0..<bytes.count {
            do {
                let decoded = try ONNXImport.model(serialized: Array(bytes[0..<length]))
                #expect(decoded.coefs == model.coefs && decoded.metadata.classes == model.metadata.classes,
                        "a cut at \(length) of \(bytes.count) bytes decoded as another network")
            } catch is ONNXError {
                errors += 1
            }
        }
        #expect(errors > bytes.count - 40, "\(errors) of \(bytes.count) truncations refused")
    }

    @Test func randomCorruptionsFailCleanly() throws {
        let bytes = try ONNXExport.serialized(try ONNXTestModels.regressor(Double.self, .gelu))
        var rng = SeededGenerator(seed: 21)
        for _ in 0..<1500 {
            var corrupted = bytes
            for _ in 0..<Int(rng.next() % 4 + 1) {
                corrupted[Int(rng.next() % UInt64(corrupted.count))] = UInt8(truncatingIfNeeded: rng.next())
            }
            _ = decodeOutcome(corrupted)
        }
        for count in [0, 1, 2, 7, 100, 5000] {
            _ = decodeOutcome((0..<count).map { _ in UInt8(truncatingIfNeeded: rng.next()) })
        }
    }

    @Test func aLengthPastTheEndIsMalformed() {
        // ModelProto.graph (field 7, length-delimited) declaring 2^35 bytes.
        let error = decodeOutcome([0x3A, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01])
        #expect(error?.kind == .malformed)
        #expect(error?.message.contains("truncated") == true, "\(error?.message ?? "")")
        #expect(decodeOutcome([])?.message.contains("empty") == true)
        #expect(decodeOutcome([0x08, 0x08])?.message.contains("no graph") == true)
        #expect(decodeOutcome([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF])?.kind == .malformed)
    }

    @Test func declaredSizesOverTheLimitsAreRefused() throws {
        var builder = ONNXGraphBuilder()
        builder.graph.inputs = [ONNXValueInfo(name: "X", elementType: .float, shape: [.value(1), .value(2)])]
        var huge = ONNXTensor.numbers("", [1, 2], dims: [2, 1], type: .float)
        huge.dims = [1 << 20, 1 << 20]   // 2^40 elements declared, 2 present
        let w = builder.constant("W", huge)
        builder.node("MatMul", ["X", w])
        let bytes = ONNXModelProto(irVersion: 8, opsets: ["": 17], producerName: "", producerVersion: "",
                                   graph: builder.graph).serialized()
        #expect(decodeOutcome(bytes)?.kind == .tooLarge)
        var limits = ONNXLimits()
        limits.maxNodes = 3
        let model = try ONNXExport.serialized(try ONNXTestModels.classifier(Double.self, .tanh, target: .binary))
        #expect(decodeOutcome(model, limits: limits)?.kind == .tooLarge)
        limits = ONNXLimits()
        limits.maxFileBytes = 100
        #expect(decodeOutcome(model, limits: limits)?.kind == .tooLarge)
    }

    @Test func varintsAndFixedWidthNumbersRoundTrip() throws {
        var w = ProtobufWriter()
        let ints: [Int64] = [0, 1, 127, 128, 300, -1, .min, .max]
        for (k, v) in ints.enumerated() { w.int(k + 1, v) }
        w.float(20, -0.0)
        w.packedDoubles(21, [.pi, -.infinity, .leastNonzeroMagnitude])
        try w.bytes.withUnsafeBytes { buffer in
            var r = ProtobufReader(buffer, context: "test")
            for (k, v) in ints.enumerated() {
                let field = try #require(try r.nextField())
                #expect(field.number == k + 1)
                #expect(try r.int64(field.wire) == v)
            }
            let f = try #require(try r.nextField())
            #expect(try r.float(f.wire).bitPattern == (-0.0 as Float).bitPattern)
            let d = try #require(try r.nextField())
            var doubles: [Double] = []
            try r.appendDoubles(d.wire, to: &doubles)
            #expect(doubles == [.pi, -.infinity, .leastNonzeroMagnitude])
            #expect(try r.nextField() == nil)
        }
    }
}
