// An ONNX graph back to an MLPModel. The graph is read as a chain from its input: preprocessing (imputation,
// scaler), dense layers each followed by an activation (one operator, or the composite our export writes), a
// regressor's target scaler, then the label post-processing skl2onnx or our export appends. Anything else is
// refused, naming the node.

import FoundationEssentials
import MLPCore
import MLPModelFile

/// Reads ONNX graphs of MLPs: skl2onnx's MLPClassifier and MLPRegressor, alone or after a StandardScaler,
/// and this library's exports.
public enum ONNXImport {
    /// Decodes ONNX bytes into a model. The fuzzing entry point: any input either returns a valid model or
    /// throws an `ONNXError`, with allocation bounded by the input's size and `limits`.
    /// - Parameters:
    ///   - bytes: a serialized ONNX ModelProto.
    ///   - limits: caps on what the file may declare.
    /// - Returns: a validated model.
    /// - Throws: `ONNXError` (`.malformed`, `.tooLarge`, `.unsupported` naming the first node not understood).
    public static func model(serialized bytes: [UInt8], limits: ONNXLimits = ONNXLimits()) throws -> MLPModel {
        let proto = try ONNXModelProto(serialized: bytes, limits: limits)
        var reader = GraphReader(graph: proto.graph!, limits: limits,
                                 stored: proto.metadata.first { $0.key == ONNXExport.metadataKey }.flatMap { Self.metadata($0.value) })
        return try reader.read()
    }

    /// Reads an ONNX file into a model.
    /// - Parameters:
    ///   - path: the .onnx file.
    ///   - limits: caps on what the file may declare.
    /// - Returns: a validated model.
    /// - Throws: `ONNXError` (`.io` when the file cannot be read).
    public static func read(from path: String, limits: ONNXLimits = ONNXLimits()) throws -> MLPModel {
        let bytes = try BinaryFile.read(path, maxBytes: limits.maxFileBytes)
        do { return try model(serialized: bytes, limits: limits) } catch var error as ONNXError {
            error.message = "\(path): \(error.message)"
            throw error
        }
    }

    static func metadata(_ json: String) -> ModelMetadata? {
        try? JSONDecoder().decode(ModelMetadata.self, from: Data(json.utf8))
    }
}

/// One dense layer as read: W (in, out) row-major, b (out), and the activation after it (nil: none).
struct ReadLayer {
    var inputs: Int
    var outputs: Int
    var coefficients: [Double]
    var intercepts: [Double]
    var activation: Activation?
}

/// Reads one graph as a chain of steps (see the top of this file); state grows as nodes are consumed.
struct GraphReader {
    let graph: ONNXGraph
    let limits: ONNXLimits
    let stored: ModelMetadata?
    var constants: [String: ONNXTensor] = [:]
    /// The value the chain has reached.
    var current = ""
    var index = 0
    var imputeValues: [Double]?
    var scaler: FeatureScaler = .none
    var layers: [ReadLayer] = []
    /// A regressor's target mapped back from standard units after the last layer (ONNXExport's Mul + Add).
    var targetScaler: StandardScaler?
    var elementType: ONNXDataType?

    init(graph: ONNXGraph, limits: ONNXLimits, stored: ModelMetadata?) {
        self.graph = graph
        self.limits = limits
        self.stored = stored
        for t in graph.initializers { constants[t.name] = t }
        for node in graph.nodes where node.opType == "Constant" {
            if let t = node.attribute("value")?.t, let out = node.outputs.first { constants[out] = t }
        }
    }

    var nodes: [ONNXNode] { graph.nodes }

    mutating func read() throws -> MLPModel {
        let inputs = graph.inputs.filter { constants[$0.name] == nil }
        guard !inputs.isEmpty else { throw ONNXError(.unsupported, "the graph has no input") }
        var encodingFromStore: FeatureEncoding?
        if inputs.count == 1, let type = ONNXDataType(rawValue: inputs[0].elementType), type == .float || type == .double {
            current = inputs[0].name
        } else {
            // One-hot inputs (strings, or several inputs): only our own exports, whose metadata holds the encoding.
            guard let stored else {
                throw ONNXError(.unsupported, "the graph has \(inputs.count) inputs (\(inputs.map(\.name).joined(separator: ", ")))"
                                + " of which not one float tensor; only a single float or double input is imported")
            }
            try skipFrontEnd()
            encodingFromStore = stored.encoding
        }
        try readChain()
        guard !layers.isEmpty else {
            if index < nodes.count { throw unsupported(nodes[index], "") }
            throw ONNXError(.unsupported, "the graph has no dense layer (MatMul + Add, or Gemm)")
        }
        // onnxruntime would refuse a row of the declared width; a model built from the weights alone would not.
        if encodingFromStore == nil, inputs[0].shape.count == 2, case .value(let width)? = inputs[0].shape[1],
           width != Int64(layers[0].inputs) {
            throw ONNXError(.unsupported, "the input '\(inputs[0].name)' has \(width) features, but the first layer's "
                            + "weights are (\(layers[0].inputs), \(layers[0].outputs))")
        }
        try readTargetScaler()
        let post = try readPostProcessing()
        return try makeModel(post: post, encoding: encodingFromStore)
    }

    // MARK: Front end of one-hot graphs

    /// Skips imputation, gathers, one-hot encoders and the concatenation up to the scaler or the first layer.
    mutating func skipFrontEnd() throws {
        let frontEnd: Set<String> = ["Imputer", "IsNaN", "Where", "Gather", "OneHotEncoder", "Reshape", "Cast", "Concat", "Constant"]
        let chainStart: Set<String> = ["Sub", "Mul", "Div", "Scaler", "MatMul", "Gemm"]
        while index < nodes.count, !chainStart.contains(nodes[index].opType) {
            guard frontEnd.contains(nodes[index].opType) else { throw unsupported(nodes[index], " before the first layer") }
            index += 1
        }
        guard index < nodes.count, let first = nodes[index].inputs.first else {
            throw ONNXError(.unsupported, "the graph has no dense layer (MatMul + Add, or Gemm)")
        }
        current = first
    }

    // MARK: The chain

    mutating func readChain() throws {
        while index < nodes.count {
            let node = nodes[index]
            if node.opType == "Constant" { index += 1; continue }
            guard node.inputs.contains(current) else { return }
            if layers.isEmpty {
                guard try readPreprocessing(node) else { return }
            } else if layers[layers.count - 1].activation == nil, try readActivation(node) {
                continue
            } else if node.opType != "MatMul" && node.opType != "Gemm" {
                return
            }
            if node.opType == "MatMul" || node.opType == "Gemm" { try readLayer(node) }
        }
    }

    /// Imputation, casts and the scaler before the first layer; false when `node` is none of them (or a layer).
    mutating func readPreprocessing(_ node: ONNXNode) throws -> Bool {
        switch node.opType {
        case "MatMul", "Gemm": return true
        case "Cast", "Identity":
            advance(node)
        case "Imputer":
            guard node.domain == "ai.onnx.ml", let replaced = node.attribute("replaced_value_float"), replaced.f.isNaN,
                  let values = node.attribute("imputed_value_floats")?.floats, !values.isEmpty else {
                throw unsupported(node, ": only imputation of NaN by float values is imported")
            }
            imputeValues = values.map(Double.init)
            advance(node)
        case "IsNaN":
            guard index + 1 < nodes.count, nodes[index + 1].opType == "Where", nodes[index + 1].inputs.count == 3,
                  nodes[index + 1].inputs[0] == node.outputs.first, nodes[index + 1].inputs[2] == current,
                  let fill = constants[nodes[index + 1].inputs[1]] else {
                throw unsupported(node, ": IsNaN is imported only as IsNaN + Where(mask, values, X)")
            }
            imputeValues = try fill.doubles(limits: limits)
            index += 1
            advance(nodes[index])
        case "Scaler":
            guard let offset = node.attribute("offset")?.floats, let scale = node.attribute("scale")?.floats,
                  !scale.isEmpty, !scale.contains(0) else {
                throw unsupported(node, ": a Scaler needs offset and non-zero scale")
            }
            try setStandardScaler(node, mean: offset.map(Double.init), scale: scale.map { 1 / Double($0) })
            advance(node)
        case "Sub", "Div", "Mul":
            try readScaler(node)
        default:
            throw unsupported(node, " before the first layer")
        }
        return true
    }

    /// Sub [Div | Mul] (StandardScaler) or Mul [Add] (MinMaxScaler), with a constant second operand.
    mutating func readScaler(_ node: ONNXNode) throws {
        let first = try operand(node)
        advance(node)
        var second: (op: String, values: [Double])?
        if index < nodes.count, ["Div", "Mul", "Add"].contains(nodes[index].opType), nodes[index].inputs.first == current {
            let next = nodes[index]
            second = (next.opType, try operand(next))
            advance(next)
        }
        let n = first.count, ones = Array(repeating: 1.0, count: n)
        switch (node.opType, second?.op) {
        case ("Sub", "Div"?): try setStandardScaler(node, mean: first, scale: second!.values)
        case ("Sub", "Mul"?): try setStandardScaler(node, mean: first, scale: second!.values.map { 1 / $0 })
        case ("Sub", nil): try setStandardScaler(node, mean: first, scale: ones)
        case ("Div", nil): try setStandardScaler(node, mean: Array(repeating: 0, count: n), scale: first)
        case ("Mul", "Add"?): try setMinMaxScaler(node, scale: first, offset: second!.values)
        case ("Mul", nil): try setMinMaxScaler(node, scale: first, offset: Array(repeating: 0, count: n))
        default: throw unsupported(nodes[index - 1], " after \(node.opType) in the scaler")
        }
    }

    /// Statistics of equal length, a single value standing for every column (broadcasting).
    func paired(_ node: ONNXNode, _ a: [Double], _ b: [Double]) throws -> ([Double], [Double]) {
        let n = max(a.count, b.count)
        func widened(_ v: [Double]) -> [Double] { v.count == 1 ? Array(repeating: v[0], count: n) : v }
        guard !a.isEmpty, !b.isEmpty, widened(a).count == n, widened(b).count == n else {
            throw unsupported(node, ": scaler statistics of \(a.count) and \(b.count) values")
        }
        return (widened(a), widened(b))
    }

    mutating func setStandardScaler(_ node: ONNXNode, mean: [Double], scale: [Double]) throws {
        let (m, s) = try paired(node, mean, scale)
        try setScaler(node, .standard(StandardScaler(mean: m, scale: s)))
    }

    mutating func setMinMaxScaler(_ node: ONNXNode, scale: [Double], offset: [Double]) throws {
        let (s, o) = try paired(node, scale, offset)
        try setScaler(node, .minmax(MinMaxScaler(scale: s, offset: o)))
    }

    mutating func setScaler(_ node: ONNXNode, _ value: FeatureScaler) throws {
        guard case .none = scaler else { throw unsupported(node, ": a second scaler") }
        scaler = value
    }

    /// MatMul (+ Add) or Gemm: one dense layer.
    mutating func readLayer(_ node: ONNXNode) throws {
        guard node.inputs.count >= 2, node.inputs[0] == current, let w = constants[node.inputs[1]], w.dims.count == 2 else {
            throw unsupported(node, ": a layer needs the input first and a constant 2-D weight matrix")
        }
        var weights = try w.doubles(limits: limits)
        var (inputs, outputs) = (Int(w.dims[0]), Int(w.dims[1]))
        try noteType(w, node)
        var bias: [Double]?
        if node.opType == "Gemm" {
            let transposed = node.attribute("transB")?.i ?? 0
            guard node.attribute("transA")?.i ?? 0 == 0, node.attribute("alpha")?.f ?? 1 == 1, node.attribute("beta")?.f ?? 1 == 1 else {
                throw unsupported(node, ": only Gemm with transA = 0, alpha = beta = 1 is a dense layer")
            }
            if transposed != 0 {
                (inputs, outputs) = (outputs, inputs)
                weights = (0..<inputs * outputs).map { k in weights[(k % outputs) * inputs + k / outputs] }
            }
            if node.inputs.count > 2, !node.inputs[2].isEmpty {
                guard let c = constants[node.inputs[2]] else { throw unsupported(node, ": C is not a constant") }
                bias = try c.doubles(limits: limits)
            }
            advance(node)
        } else {
            advance(node)
            if index < nodes.count, nodes[index].opType == "Add", nodes[index].inputs.contains(current) {
                bias = try operand(nodes[index])
                advance(nodes[index])
            }
        }
        if let previous = layers.last, previous.outputs != inputs {
            throw unsupported(node, ": its weights are (\(inputs), \(outputs)) after a layer of \(previous.outputs) units")
        }
        let b = bias ?? Array(repeating: 0, count: outputs)
        guard b.count == outputs || b.count == 1 else {
            throw unsupported(node, ": \(b.count) intercepts for \(outputs) units")
        }
        layers.append(ReadLayer(inputs: inputs, outputs: outputs, coefficients: weights,
                                intercepts: b.count == outputs ? b : Array(repeating: b[0], count: outputs), activation: nil))
    }

    // MARK: Helpers

    /// Whether stored imputation values are the graph's (which float32 attributes may have rounded).
    static func sameImputation(_ encoding: FeatureEncoding?, _ values: [Double]) -> Bool {
        guard let encoding, encoding.impute != nil, encoding.oneHot.isEmpty, encoding.imputeValues.count == values.count else {
            return false
        }
        return zip(encoding.imputeValues, values).allSatisfy { stored, graph in
            stored.map { Float($0) == Float(graph) } ?? graph.isNaN
        }
    }

    mutating func advance(_ node: ONNXNode) {
        if let out = node.outputs.first { current = out }
        index += 1
    }

    /// The constant operand of a binary node whose other operand is the chain's value.
    func operand(_ node: ONNXNode) throws -> [Double] {
        guard node.inputs.count == 2, let other = node.inputs.first(where: { $0 != current }), let c = constants[other] else {
            throw unsupported(node, ": one operand must be a constant")
        }
        return try c.doubles(limits: limits)
    }

    mutating func noteType(_ w: ONNXTensor, _ node: ONNXNode) throws {
        guard let type = ONNXDataType(rawValue: w.dataType), type == .float || type == .double else {
            throw unsupported(node, ": weights of data type \(w.dataType); float or double are imported")
        }
        if let elementType, elementType != type { throw unsupported(node, ": layers mix float and double weights") }
        elementType = type
    }

    func unsupported(_ node: ONNXNode, _ detail: String) -> ONNXError {
        let domain = node.domain.isEmpty ? "" : "\(node.domain)."
        let name = node.name.isEmpty ? "" : " '\(node.name)'"
        return ONNXError(.unsupported, "unsupported node\(name) (\(domain)\(node.opType))\(detail); "
                         + "only MLPs (dense layers, their activations, an imputer and a scaler) are imported")
    }
}
