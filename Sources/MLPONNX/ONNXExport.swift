// A fitted model as an ONNX graph: impute → one-hot → scale → dense layers → output activation → labels.
// Every step computes what the library computes, in the same order and precision, so onnxruntime agrees with
// `mlp predict` to rounding (docs/interop.md lists the operator of each step).

import FoundationEssentials
import MLPCore
import MLPModelFile

/// Writes fitted models as ONNX (opset 17 with ai.onnx.ml 3, IR version 8).
public enum ONNXExport {
    /// The default-domain opset of exported graphs.
    public static let opsetVersion: Int64 = 17
    /// The ai.onnx.ml opset of exported graphs.
    public static let mlOpsetVersion: Int64 = 3
    /// The IR version that opset 17 goes with.
    public static let irVersion: Int64 = 8
    /// The metadata_props key under which the model's JSON metadata travels (names, encoding, parameters).
    public static let metadataKey = "swift_mlp.metadata"
    /// The name of the graph's numeric input, (N, numeric features).
    public static let inputName = "X"

    /// The ONNX bytes of a model.
    /// - Parameter model: a validated model (from a file or a fitted estimator).
    /// - Returns: a serialized ModelProto.
    /// - Throws: `ONNXError.notExportable` for what standard ONNX cannot express (see docs/interop.md).
    public static func serialized(_ model: MLPModel) throws -> [UInt8] {
        try proto(model).serialized()
    }

    /// The classes as int64 when every one is an integer in int64's range; nil means they travel as strings.
    static func integerClasses(_ classes: [ClassLabel]) -> [Int64]? {
        var integers: [Int64] = []
        for c in classes {
            guard let v = c.numberValue, let i = Int64(exactly: v) else { return nil }
            integers.append(i)
        }
        return integers
    }

    /// The target scaler a regressor's predictions are mapped back by, nil when its target was not scaled.
    /// - Throws: `ONNXError.notExportable` when its statistics do not match the outputs (the model is not valid).
    static func targetScaler(of model: MLPModel) throws -> StandardScaler? {
        guard let target = model.targetScaler else { return nil }
        guard model.metadata.estimator == .regressor else {
            throw ONNXError(.notExportable, "a classifier with a target scaler (only a regressor's target is scaled)")
        }
        guard target.mean.count == model.outputCount, target.scale.count == model.outputCount else {
            throw ONNXError(.notExportable, "the target scaler has \(target.mean.count) means and \(target.scale.count) "
                            + "scales for \(model.outputCount) outputs")
        }
        return target
    }

    static func proto(_ model: MLPModel) throws -> ONNXModelProto {
        var exporter = Exporter(model: model)
        try exporter.build()
        var proto = ONNXModelProto(irVersion: irVersion, opsets: ["": opsetVersion, "ai.onnx.ml": mlOpsetVersion],
                                   producerName: "swift-mlp", producerVersion: MLPLibrary.version,
                                   graph: exporter.builder.graph)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        if let json = try? encoder.encode(model.metadata) {
            proto.metadata.append((metadataKey, String(decoding: json, as: UTF8.self)))
        }
        return proto
    }
}

/// The graph of one model, built step by step.
private struct Exporter {
    let model: MLPModel
    var builder = ONNXGraphBuilder()
    let type: ONNXDataType
    var metadata: ModelMetadata { model.metadata }

    init(model: MLPModel) {
        self.model = model
        self.type = model.metadata.dtype == "float32" ? .float : .double
    }

    mutating func build() throws {
        var x = try features()
        x = scale(x)
        let layerCount = model.coefs.count
        for l in 0..<layerCount {
            // x: (N, sizes[l])  W: (sizes[l], sizes[l+1])  b: (sizes[l+1])
            let w = builder.constant("coefficient", .numbers("", model.coefs[l].doubles,
                                                             dims: [model.layerSizes[l], model.layerSizes[l + 1]], type: type))
            let b = builder.constant("intercepts", .numbers("", model.intercepts[l].doubles,
                                                            dims: [model.layerSizes[l + 1]], type: type))
            x = builder.node("Add", [builder.node("MatMul", [x, w]), b])
            let activation = l == layerCount - 1 ? metadata.outActivation : metadata.activation
            x = try activate(x, activation)
        }
        try outputs(x)
    }

    // MARK: Inputs, imputation, one-hot

    /// The encoded feature matrix (N, featureCount) in the model's type, before scaling.
    private mutating func features() throws -> String {
        let encoding = metadata.encoding
        let oneHotColumns = Dictionary(encoding.oneHot.map { ($0.column, $0.categories) }, uniquingKeysWith: { a, _ in a })
        let numeric = encoding.inputColumns.filter { oneHotColumns[$0] == nil }
        builder.reserve(["X", "label", "probabilities", "variable"] + encoding.oneHot.map(\.column))
        var x: String?
        if !numeric.isEmpty {
            builder.graph.inputs.append(ONNXValueInfo(name: ONNXExport.inputName, elementType: type,
                                                      shape: [.parameter("N"), .value(Int64(numeric.count))]))
            x = impute(ONNXExport.inputName, numeric: numeric)
        }
        guard !oneHotColumns.isEmpty else { return x! }
        // Pieces in the order of encoding.featureNames: runs of numeric columns (Gather), one-hot blocks.
        var pieces: [String] = []
        var run: [Int64] = []
        var numericIndex: Int64 = 0
        func flush(_ b: inout ONNXGraphBuilder) {
            guard !run.isEmpty, let x else { return }
            let indices = b.constant("indices", .ints("", run, dims: [run.count]))
            pieces.append(b.node("Gather", [x, indices], [ONNXAttribute("axis", int: 1)]))
            run = []
        }
        for column in encoding.inputColumns {
            guard let categories = oneHotColumns[column] else {
                run.append(numericIndex)
                numericIndex += 1
                continue
            }
            flush(&builder)
            let inputName = ["X", "label", "probabilities", "variable"].contains(column) ? column + "_category" : column
            builder.graph.inputs.append(ONNXValueInfo(name: inputName, elementType: .string, shape: [.parameter("N"), .value(1)]))
            // (N, 1) strings → (N, 1, C) floats → (N, C); zeros=0 makes an unseen category an error, as in `mlp predict`.
            let encoded = builder.node("OneHotEncoder", [inputName], domain: "ai.onnx.ml",
                                       [ONNXAttribute("cats_strings", strings: categories), ONNXAttribute("zeros", int: 0)])
            let shape = builder.constant("shape", .ints("", [-1, Int64(categories.count)], dims: [2]))
            var block = builder.node("Reshape", [encoded, shape])
            if type == .double { block = builder.node("Cast", [block], [ONNXAttribute("to", int: Int64(type.rawValue))]) }
            pieces.append(block)
        }
        flush(&builder)
        return pieces.count == 1 ? pieces[0] : builder.node("Concat", pieces, [ONNXAttribute("axis", int: 1)])
    }

    /// Replaces NaN by the training statistic: Imputer in float32; IsNaN + Where in float64, which
    /// onnxruntime's Imputer (float and int64 only) cannot run.
    private mutating func impute(_ x: String, numeric: [String]) -> String {
        let encoding = metadata.encoding
        guard encoding.impute != nil, encoding.imputeValues.count == encoding.inputColumns.count else { return x }
        let values = numeric.map { column in
            encoding.imputeValues[encoding.inputColumns.firstIndex(of: column)!] ?? .nan
        }
        if type == .float {
            return builder.node("Imputer", [x], domain: "ai.onnx.ml",
                                [ONNXAttribute("imputed_value_floats", floats: values.map { Float($0) }),
                                 ONNXAttribute("replaced_value_float", float: .nan)])
        }
        let fill = builder.constant("imputed_values", .numbers("", values, dims: [1, values.count], type: type))
        return builder.node("Where", [builder.node("IsNaN", [x]), fill, x])
    }

    // MARK: Scaling

    /// The scaler in float64, as the library computes it ((x − mean) / scale, or x · scale + min), rounded
    /// to float32 afterwards for a float32 model.
    private mutating func scale(_ x: String) -> String {
        let first: (op: String, values: [Double]), second: (op: String, values: [Double])
        switch model.scaler {
        case .none: return x
        case .standard(let s): (first, second) = (("Sub", s.mean), ("Div", s.scale))
        case .minmax(let s): (first, second) = (("Mul", s.scale), ("Add", s.offset))
        }
        var y = x
        if type == .float { y = builder.node("Cast", [y], [ONNXAttribute("to", int: Int64(ONNXDataType.double.rawValue))]) }
        let a = builder.constant("scaler", .numbers("", first.values, dims: [first.values.count], type: .double))
        let b = builder.constant("scaler", .numbers("", second.values, dims: [second.values.count], type: .double))
        y = builder.node(second.op, [builder.node(first.op, [y, a]), b])
        if type == .float { y = builder.node("Cast", [y], [ONNXAttribute("to", int: Int64(ONNXDataType.float.rawValue))]) }
        return y
    }

    /// A regressor's target restored from standard units, `y · scale + mean` per output, in float64 as the
    /// library's `StandardScaler.inverseTransform` computes it (Mul, then Add: two roundings, no fused multiply-add),
    /// rounded to float32 afterwards for a float32 model. `y` unchanged when the target was not scaled.
    private mutating func unscaleTarget(_ y: String) throws -> String {
        guard let target = try ONNXExport.targetScaler(of: model) else { return y }
        var x = y
        if type == .float { x = builder.node("Cast", [x], [ONNXAttribute("to", int: Int64(ONNXDataType.double.rawValue))]) }
        let scale = builder.constant("target_scale", .numbers("", target.scale, dims: [target.scale.count], type: .double))
        let mean = builder.constant("target_mean", .numbers("", target.mean, dims: [target.mean.count], type: .double))
        x = builder.node("Add", [builder.node("Mul", [x, scale]), mean])
        if type == .float { x = builder.node("Cast", [x], [ONNXAttribute("to", int: Int64(ONNXDataType.float.rawValue))]) }
        return x
    }

    // MARK: Activations

    /// The activation of Sources/MLPCore/Core/Activation.swift, written with the same formula.
    private mutating func activate(_ x: String, _ name: String) throws -> String {
        switch Activation(rawValue: name) {
        case .identity: return x
        case .logistic: return builder.node("Sigmoid", [x])
        case .tanh: return builder.node("Tanh", [x])
        case .relu: return builder.node("Relu", [x])
        case .leakyRelu:
            // x < 0 ? x · 0.01 : x (a float64 slope, which LeakyRelu's float attribute cannot hold)
            let negative = builder.node("Less", [x, builder.scalar(0, type)])
            let scaled = builder.node("Mul", [x, builder.scalar(Activation.leakySlope, type)])
            return builder.node("Where", [negative, scaled, x])
        case .elu:
            // x < 0 ? e^x − 1 : x (onnxruntime has no float64 Elu)
            let negative = builder.node("Less", [x, builder.scalar(0, type)])
            let expm1 = builder.node("Sub", [builder.node("Exp", [x]), builder.scalar(1, type)])
            return builder.node("Where", [negative, expm1, x])
        case .gelu:
            // 0.5 · x · (1 + erf(x / √2)), the exact (erf) form, in float64 as the library computes it
            let wide = type == .float ? builder.node("Cast", [x], [ONNXAttribute("to", int: Int64(ONNXDataType.double.rawValue))]) : x
            let z = builder.node("Div", [wide, builder.scalar(2.0.squareRoot(), .double)])
            let erf = erfQuadrature(z)
            let half = builder.node("Mul", [wide, builder.scalar(0.5, .double)])
            let gelu = builder.node("Mul", [half, builder.node("Add", [erf, builder.scalar(1, .double)])])
            return type == .float ? builder.node("Cast", [gelu], [ONNXAttribute("to", int: Int64(ONNXDataType.float.rawValue))]) : gelu
        case .silu:
            // x / (1 + e^−x)
            let denominator = builder.node("Add", [builder.node("Exp", [builder.node("Neg", [x])]), builder.scalar(1, type)])
            return builder.node("Div", [x, denominator])
        case .softplus:
            // max(x, 0) + log(1 + e^−|x|) (onnxruntime's Softplus is float32 only and not this stable form)
            let tail = builder.node("Exp", [builder.node("Neg", [builder.node("Abs", [x])])])
            let log = builder.node("Log", [builder.node("Add", [tail, builder.scalar(1, type)])])
            return builder.node("Add", [builder.node("Relu", [x]), log])
        case .softmax: return builder.node("Softmax", [x], [ONNXAttribute("axis", int: -1)])
        case .exp: return builder.node("Exp", [x])
        case nil: throw ONNXError(.notExportable, "activation '\(name)' has no ONNX form")
        }
    }

    /// erf in float64 by Gauss–Legendre quadrature (see GaussLegendre.swift): z: (N, H) → (N, H).
    private mutating func erfQuadrature(_ z: String) -> String {
        let rule = GaussLegendre.erfNodes
        let limit = GaussLegendre.erfSaturation
        let clipped = builder.node("Clip", [z, builder.scalar(-limit, .double), builder.scalar(limit, .double)])
        let axes = builder.constant("axes", .ints("", [-1], dims: [1]))
        let expanded = builder.node("Unsqueeze", [clipped, axes])                      // (N, H, 1)
        let nodes = builder.constant("quadrature_nodes", .numbers("", rule.nodes, dims: [rule.nodes.count], type: .double))
        let scaled = builder.node("Mul", [expanded, nodes])                            // (N, H, K)
        let terms = builder.node("Exp", [builder.node("Neg", [builder.node("Mul", [scaled, scaled])])])
        let weights = builder.constant("quadrature_weights", .numbers("", rule.weights, dims: [rule.weights.count], type: .double))
        return builder.node("Mul", [builder.node("MatMul", [terms, weights]), clipped]) // (N, H)
    }

    // MARK: Outputs

    /// `label` and `probabilities` of a classifier, `variable` of a regressor (skl2onnx's names).
    private mutating func outputs(_ y: String) throws {
        let n = ONNXValueInfo.Dimension.parameter("N")
        let outputCount = Int64(model.outputCount)
        guard metadata.estimator == .classifier, let classes = metadata.classes else {
            builder.node("Identity", [try unscaleTarget(y)], output: "variable")
            builder.graph.outputs = [ONNXValueInfo(name: "variable", elementType: type, shape: [n, .value(outputCount)])]
            return
        }
        let targetType = metadata.targetType ?? (classes.count <= 2 ? .binary : .multiclass)
        let labelShape: [ONNXValueInfo.Dimension]
        let labelType: ONNXDataType
        switch targetType {
        case .multilabelIndicator:
            // 1 where the probability is > 0.5, as predictMultilabel.
            builder.node("Cast", [builder.node("Greater", [y, builder.scalar(0.5, type)])],
                         [ONNXAttribute("to", int: Int64(ONNXDataType.int64.rawValue))], output: "label")
            builder.node("Identity", [y], output: "probabilities")
            labelShape = [n, .value(outputCount)]
            labelType = .int64
        case .binary, .multiclass:
            let index: String
            if targetType == .binary {
                // [1 − p, p]; classes[1] where p > 0.5, as the library's threshold (ArgMax would differ only at ties).
                let negative = builder.node("Sub", [builder.scalar(1, type), y])
                builder.node("Concat", [negative, y], [ONNXAttribute("axis", int: 1)], output: "probabilities")
                let above = builder.node("Cast", [builder.node("Greater", [y, builder.scalar(0.5, type)])],
                                         [ONNXAttribute("to", int: Int64(ONNXDataType.int64.rawValue))])
                index = builder.node("Reshape", [above, builder.constant("shape", .ints("", [-1], dims: [1]))])
            } else {
                builder.node("Identity", [y], output: "probabilities")
                index = builder.node("ArgMax", ["probabilities"], [ONNXAttribute("axis", int: 1), ONNXAttribute("keepdims", int: 0)])
            }
            let table: ONNXTensor
            if let integers = ONNXExport.integerClasses(classes) {
                table = .ints("", integers, dims: [classes.count])
                labelType = .int64
            } else {
                table = .strings("", classes.map(\.description), dims: [classes.count])
                labelType = .string
            }
            builder.node("Gather", [builder.constant("classes", table), index], [ONNXAttribute("axis", int: 0)], output: "label")
            labelShape = [n]
        }
        builder.graph.outputs = [ONNXValueInfo(name: "label", elementType: labelType, shape: labelShape),
                                 ONNXValueInfo(name: "probabilities", elementType: type,
                                               shape: [n, .value(Int64(targetType == .binary ? 2 : classes.count))])]
    }
}
