// The subset of onnx.proto (ONNX IR version 8) that an MLP needs, with the specification's field numbers.
// Fields not listed here are skipped when reading and never written. Subgraphs (attributes of type GRAPH) are
// skipped unread, so decoding never recurses deeper than TypeProto.Tensor.

/// TensorProto.DataType values used here.
enum ONNXDataType: Int32 {
    case float = 1, int32 = 6, int64 = 7, string = 8, bool = 9, double = 11
}

/// TensorProto: dims=1, data_type=2, float_data=4, int32_data=5, string_data=6, int64_data=7, name=8,
/// raw_data=9, double_data=10.
struct ONNXTensor: Equatable {
    var name = ""
    var dims: [Int64] = []
    var dataType: Int32 = 0
    var floatData: [Float] = []
    var int32Data: [Int64] = []
    var stringData: [[UInt8]] = []
    var int64Data: [Int64] = []
    var rawData: [UInt8] = []
    var doubleData: [Double] = []

    func encode(_ w: inout ProtobufWriter) {
        if !dims.isEmpty { w.packedInts(1, dims) }
        w.int(2, Int64(dataType))
        if !floatData.isEmpty { w.packedFloats(4, floatData) }
        if !int32Data.isEmpty { w.packedInts(5, int32Data) }
        for s in stringData { w.bytesField(6, s) }
        if !int64Data.isEmpty { w.packedInts(7, int64Data) }
        w.string(8, name)
        if !rawData.isEmpty { w.bytesField(9, rawData) }
        if !doubleData.isEmpty { w.packedDoubles(10, doubleData) }
    }

    init() {}

    init(_ r: inout ProtobufReader) throws {
        while let (field, wire) = try r.nextField() {
            switch field {
            case 1: try r.appendInts(wire, to: &dims)
            case 2: dataType = Int32(truncatingIfNeeded: try r.int64(wire))
            case 4: try r.appendFloats(wire, to: &floatData)
            case 5: try r.appendInts(wire, to: &int32Data)
            case 6: stringData.append(try r.bytes(wire))
            case 7: try r.appendInts(wire, to: &int64Data)
            case 8: name = try r.string(wire)
            case 9: rawData = try r.bytes(wire)
            case 10: try r.appendDoubles(wire, to: &doubleData)
            default: try r.skip(wire)
            }
        }
    }
}

/// AttributeProto: name=1, f=2, i=3, s=4, t=5, floats=7, ints=8, strings=9, type=20.
struct ONNXAttribute: Equatable {
    /// AttributeProto.AttributeType values used here.
    enum Kind: Int64 { case float = 1, int = 2, string = 3, tensor = 4, floats = 6, ints = 7, strings = 8 }

    var name = ""
    var type: Int64 = 0
    var f: Float = 0
    var i: Int64 = 0
    var s: [UInt8] = []
    var t: ONNXTensor?
    var floats: [Float] = []
    var ints: [Int64] = []
    var strings: [[UInt8]] = []

    init(_ name: String, float: Float) { self.name = name; type = Kind.float.rawValue; f = float }
    init(_ name: String, int: Int64) { self.name = name; type = Kind.int.rawValue; i = int }
    init(_ name: String, floats: [Float]) { self.name = name; type = Kind.floats.rawValue; self.floats = floats }
    init(_ name: String, ints: [Int64]) { self.name = name; type = Kind.ints.rawValue; self.ints = ints }
    init(_ name: String, strings: [String]) {
        self.name = name; type = Kind.strings.rawValue; self.strings = strings.map { Array($0.utf8) }
    }
    init(_ name: String, tensor: ONNXTensor) { self.name = name; type = Kind.tensor.rawValue; t = tensor }

    func encode(_ w: inout ProtobufWriter) {
        w.string(1, name)
        switch Kind(rawValue: type) {
        case .float: w.float(2, f)
        case .int: w.int(3, i)
        case .string: w.bytesField(4, s)
        case .tensor: if let t { w.message(5) { t.encode(&$0) } }
        case .floats: w.packedFloats(7, floats)
        case .ints: w.packedInts(8, ints)
        case .strings: for s in strings { w.bytesField(9, s) }
        case nil: break
        }
        w.int(20, type)
    }

    init(_ r: inout ProtobufReader) throws {
        while let (field, wire) = try r.nextField() {
            switch field {
            case 1: name = try r.string(wire)
            case 2: f = try r.float(wire)
            case 3: i = try r.int64(wire)
            case 4: s = try r.bytes(wire)
            case 5:
                var nested = try r.message(wire, context: "AttributeProto.t")
                t = try ONNXTensor(&nested)
            case 7: try r.appendFloats(wire, to: &floats)
            case 8: try r.appendInts(wire, to: &ints)
            case 9: strings.append(try r.bytes(wire))
            case 20: type = try r.int64(wire)
            default: try r.skip(wire)
            }
        }
    }
}

/// NodeProto: input=1, output=2, name=3, op_type=4, attribute=5, domain=7.
struct ONNXNode: Equatable {
    var inputs: [String] = []
    var outputs: [String] = []
    var name = ""
    var opType = ""
    var domain = ""
    var attributes: [ONNXAttribute] = []

    init(_ opType: String, _ inputs: [String], _ outputs: [String], name: String, domain: String = "",
         attributes: [ONNXAttribute] = []) {
        self.opType = opType
        self.inputs = inputs
        self.outputs = outputs
        self.name = name
        self.domain = domain
        self.attributes = attributes
    }

    func attribute(_ name: String) -> ONNXAttribute? { attributes.first { $0.name == name } }

    func encode(_ w: inout ProtobufWriter) {
        for s in inputs { w.string(1, s) }
        for s in outputs { w.string(2, s) }
        w.string(3, name)
        w.string(4, opType)
        for a in attributes { w.message(5) { a.encode(&$0) } }
        if !domain.isEmpty { w.string(7, domain) }
    }

    init(_ r: inout ProtobufReader) throws {
        while let (field, wire) = try r.nextField() {
            switch field {
            case 1: inputs.append(try r.string(wire))
            case 2: outputs.append(try r.string(wire))
            case 3: name = try r.string(wire)
            case 4: opType = try r.string(wire)
            case 5:
                var nested = try r.message(wire, context: "NodeProto.attribute")
                attributes.append(try ONNXAttribute(&nested))
            case 7: domain = try r.string(wire)
            default: try r.skip(wire)
            }
        }
    }
}

/// ValueInfoProto (name=1, type=2) with TypeProto.tensor_type=1 → Tensor (elem_type=1, shape=2) →
/// TensorShapeProto.dim=1 → Dimension (dim_value=1, dim_param=2).
struct ONNXValueInfo: Equatable {
    /// One dimension: a size, or a symbolic name such as "N"; nil when neither is given.
    enum Dimension: Equatable { case value(Int64), parameter(String) }

    var name = ""
    /// TensorProto.DataType of the tensor; 0 when the type is not a tensor (sequence, map).
    var elementType: Int32 = 0
    var shape: [Dimension?] = []

    init(name: String, elementType: ONNXDataType, shape: [Dimension]) {
        self.name = name
        self.elementType = elementType.rawValue
        self.shape = shape
    }

    func encode(_ w: inout ProtobufWriter) {
        w.string(1, name)
        w.message(2) { type in
            type.message(1) { tensor in
                tensor.int(1, Int64(elementType))
                tensor.message(2) { shapeWriter in
                    for dimension in shape {
                        shapeWriter.message(1) { d in
                            switch dimension {
                            case .value(let v): d.int(1, v)
                            case .parameter(let p): d.string(2, p)
                            case nil: break
                            }
                        }
                    }
                }
            }
        }
    }

    init(_ r: inout ProtobufReader) throws {
        while let (field, wire) = try r.nextField() {
            switch field {
            case 1: name = try r.string(wire)
            case 2:
                var type = try r.message(wire, context: "TypeProto")
                while let (typeField, typeWire) = try type.nextField() {
                    guard typeField == 1 else { try type.skip(typeWire); continue }
                    var tensor = try type.message(typeWire, context: "TypeProto.Tensor")
                    while let (tensorField, tensorWire) = try tensor.nextField() {
                        switch tensorField {
                        case 1: elementType = Int32(truncatingIfNeeded: try tensor.int64(tensorWire))
                        case 2: shape = try Self.shape(&tensor, tensorWire)
                        default: try tensor.skip(tensorWire)
                        }
                    }
                }
            default: try r.skip(wire)
            }
        }
    }

    private static func shape(_ r: inout ProtobufReader, _ wire: UInt8) throws -> [Dimension?] {
        var shape = try r.message(wire, context: "TensorShapeProto")
        var dims: [Dimension?] = []
        while let (field, fieldWire) = try shape.nextField() {
            guard field == 1 else { try shape.skip(fieldWire); continue }
            var d = try shape.message(fieldWire, context: "TensorShapeProto.Dimension")
            var dimension: Dimension?
            while let (f, w) = try d.nextField() {
                switch f {
                case 1: dimension = .value(try d.int64(w))
                case 2: dimension = .parameter(try d.string(w))
                default: try d.skip(w)
                }
            }
            dims.append(dimension)
        }
        return dims
    }
}

/// GraphProto: node=1, name=2, initializer=5, input=11, output=12.
struct ONNXGraph: Equatable {
    var nodes: [ONNXNode] = []
    var name = ""
    var initializers: [ONNXTensor] = []
    var inputs: [ONNXValueInfo] = []
    var outputs: [ONNXValueInfo] = []

    init(name: String) { self.name = name }

    func encode(_ w: inout ProtobufWriter) {
        for n in nodes { w.message(1) { n.encode(&$0) } }
        w.string(2, name)
        for t in initializers { w.message(5) { t.encode(&$0) } }
        for v in inputs { w.message(11) { v.encode(&$0) } }
        for v in outputs { w.message(12) { v.encode(&$0) } }
    }

    init(_ r: inout ProtobufReader, limits: ONNXLimits) throws {
        while let (field, wire) = try r.nextField() {
            switch field {
            case 1:
                guard nodes.count < limits.maxNodes else {
                    throw ONNXError(.tooLarge, "the graph has more than \(limits.maxNodes) nodes (limit)")
                }
                var nested = try r.message(wire, context: "GraphProto.node")
                nodes.append(try ONNXNode(&nested))
            case 2: name = try r.string(wire)
            case 5:
                var nested = try r.message(wire, context: "GraphProto.initializer")
                initializers.append(try ONNXTensor(&nested))
            case 11:
                var nested = try r.message(wire, context: "GraphProto.input")
                inputs.append(try ONNXValueInfo(&nested))
            case 12:
                var nested = try r.message(wire, context: "GraphProto.output")
                outputs.append(try ONNXValueInfo(&nested))
            default: try r.skip(wire)
            }
        }
    }
}

/// ModelProto: ir_version=1, producer_name=2, producer_version=3, graph=7, opset_import=8
/// (OperatorSetIdProto: domain=1, version=2), metadata_props=14 (StringStringEntryProto: key=1, value=2).
struct ONNXModelProto: Equatable {
    var irVersion: Int64 = 0
    var opsets: [String: Int64] = [:]
    var producerName = ""
    var producerVersion = ""
    var graph: ONNXGraph?
    var metadata: [(key: String, value: String)] = []

    init(irVersion: Int64, opsets: [String: Int64], producerName: String, producerVersion: String, graph: ONNXGraph) {
        self.irVersion = irVersion
        self.opsets = opsets
        self.producerName = producerName
        self.producerVersion = producerVersion
        self.graph = graph
    }

    static func == (a: ONNXModelProto, b: ONNXModelProto) -> Bool {
        a.irVersion == b.irVersion && a.opsets == b.opsets && a.producerName == b.producerName
            && a.producerVersion == b.producerVersion && a.graph == b.graph
            && a.metadata.map(\.key) == b.metadata.map(\.key) && a.metadata.map(\.value) == b.metadata.map(\.value)
    }

    func serialized() -> [UInt8] {
        var w = ProtobufWriter()
        w.int(1, irVersion)
        w.string(2, producerName)
        w.string(3, producerVersion)
        if let graph { w.message(7) { graph.encode(&$0) } }
        for (domain, version) in opsets.sorted(by: { $0.key < $1.key }) {
            w.message(8) { o in
                if !domain.isEmpty { o.string(1, domain) }
                o.int(2, version)
            }
        }
        for entry in metadata {
            w.message(14) { e in
                e.string(1, entry.key)
                e.string(2, entry.value)
            }
        }
        return w.bytes
    }

    /// Decodes a ModelProto from untrusted bytes.
    init(serialized bytes: [UInt8], limits: ONNXLimits) throws {
        guard bytes.count <= limits.maxFileBytes else {
            throw ONNXError(.tooLarge, "the ONNX file has \(bytes.count) bytes (limit \(limits.maxFileBytes))")
        }
        guard !bytes.isEmpty else { throw ONNXError(.malformed, "empty file, not an ONNX model") }
        self = try bytes.withUnsafeBytes { buffer in
            var r = ProtobufReader(buffer, context: "ModelProto")
            var model = ONNXModelProto()
            while let (field, wire) = try r.nextField() {
                switch field {
                case 1: model.irVersion = try r.int64(wire)
                case 2: model.producerName = try r.string(wire)
                case 3: model.producerVersion = try r.string(wire)
                case 7:
                    var nested = try r.message(wire, context: "ModelProto.graph")
                    model.graph = try ONNXGraph(&nested, limits: limits)
                case 8:
                    var nested = try r.message(wire, context: "ModelProto.opset_import")
                    var domain = "", version: Int64 = 0
                    while let (f, w) = try nested.nextField() {
                        switch f {
                        case 1: domain = try nested.string(w)
                        case 2: version = try nested.int64(w)
                        default: try nested.skip(w)
                        }
                    }
                    model.opsets[domain == "ai.onnx" ? "" : domain] = version
                case 14:
                    var nested = try r.message(wire, context: "ModelProto.metadata_props")
                    var key = "", value = ""
                    while let (f, w) = try nested.nextField() {
                        switch f {
                        case 1: key = try nested.string(w)
                        case 2: value = try nested.string(w)
                        default: try nested.skip(w)
                        }
                    }
                    model.metadata.append((key, value))
                default: try r.skip(wire)
                }
            }
            return model
        }
        guard graph != nil else {
            throw ONNXError(.malformed, "not an ONNX model: the file has no graph (ModelProto field 7)")
        }
    }

    private init() {}
}
