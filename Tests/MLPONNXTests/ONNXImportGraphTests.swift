import MLPCore
import MLPModelFile
import Testing
@testable import MLPONNX

// Graphs shaped as skl2onnx writes them (Scaler, MatMul + Add, Gemm, ArgMax + ArrayFeatureExtractor, ZipMap),
// built by hand so that these tests need no Python; and graphs that must be refused, naming the node.

/// A graph builder for tests: a float input "X" of `features` columns.
private struct TestGraph {
    var builder = ONNXGraphBuilder()

    init(features: Int, type: ONNXDataType = .float) {
        builder.graph.inputs = [ONNXValueInfo(name: "X", elementType: type, shape: [.parameter("N"), .value(Int64(features))])]
    }

    mutating func dense(_ x: String, _ w: [Double], _ b: [Double], inputs: Int, outputs: Int) -> String {
        let wName = builder.constant("W", .numbers("", w, dims: [inputs, outputs], type: .float))
        let bName = builder.constant("B", .numbers("", b, dims: [1, outputs], type: .float))
        return builder.node("Add", [builder.node("MatMul", [x, wName]), bName])
    }

    func bytes() -> [UInt8] {
        ONNXModelProto(irVersion: 8, opsets: ["": 17, "ai.onnx.ml": 1], producerName: "skl2onnx", producerVersion: "1.20",
                       graph: builder.graph).serialized()
    }
}

private let w0: [Double] = [0.5, -1, 0.25, 2, -0.75, 1.5]   // (2, 3)
private let b0: [Double] = [0.1, -0.2, 0.3]
private let w1: [Double] = [1, -1, 0.5, 0.5, -2, 1, 0.25, 0.75, -0.5]  // (3, 3)
private let b1: [Double] = [0, 0.1, -0.1]

@Suite struct ONNXImportGraphTests {
    /// Scaler → MatMul/Add/Relu → MatMul/Add/Softmax → ArgMax → ArrayFeatureExtractor(int32 classes) → Cast; ZipMap.
    @Test func sklearnPipelineClassifierIsImported() throws {
        var g = TestGraph(features: 2)
        let scaled = g.builder.node("Scaler", ["X"], domain: "ai.onnx.ml",
                                    [ONNXAttribute("offset", floats: [1, 2]), ONNXAttribute("scale", floats: [0.5, 4])])
        let hidden = g.builder.node("Relu", [g.dense(scaled, w0, b0, inputs: 2, outputs: 3)])
        let proba = g.builder.node("Softmax", [g.dense(hidden, w1, b1, inputs: 3, outputs: 3)], [ONNXAttribute("axis", int: 1)])
        let index = g.builder.node("ArgMax", [proba], [ONNXAttribute("axis", int: 1)])
        var classes = ONNXTensor()
        classes.dims = [3]
        classes.dataType = ONNXDataType.int32.rawValue
        classes.int32Data = [0, 1, 7]
        let table = g.builder.constant("classes", classes)
        let label = g.builder.node("ArrayFeatureExtractor", [table, index], domain: "ai.onnx.ml")
        g.builder.node("Cast", [g.builder.node("Reshape", [label, g.builder.constant("shape", .ints("", [-1], dims: [1]))])],
                       [ONNXAttribute("to", int: 7)], output: "output_label")
        g.builder.node("ZipMap", [proba], domain: "ai.onnx.ml", [ONNXAttribute("classlabels_int64s", ints: [0, 1, 7])],
                       output: "output_probability")
        let model = try ONNXImport.model(serialized: g.bytes())
        #expect(model.metadata.estimator == .classifier)
        #expect(model.metadata.classes == [0, 1, 7])
        #expect(model.metadata.targetType == .multiclass)
        #expect(model.metadata.activation == "relu")
        #expect(model.metadata.outActivation == "softmax")
        #expect(model.metadata.dtype == "float32")
        #expect(model.layerSizes == [2, 3, 3])
        #expect(model.coefs[0].doubles == w0.map { Double(Float($0)) })
        #expect(model.scaler == .standard(StandardScaler(mean: [1, 2], scale: [2, 0.25])))
        // The prediction follows the weights: relu((x − offset)·scale·W0 + b0)·W1 + b1, softmax.
        let x = Matrix<Double>([[3, 2.5]])
        let z = [(3 - 1) * 0.5, (2.5 - 2) * 4.0]
        let h = (0..<3).map { j in max(0, z[0] * w0[j] + z[1] * w0[3 + j] + b0[j]) }
        let o = (0..<3).map { k in (0..<3).reduce(b1[k]) { $0 + h[$1] * w1[$1 * 3 + k] } }
        let e = o.map { Double.exp($0 - o.max()!) }
        let expected = e.map { $0 / e.reduce(0, +) }
        let actual = try model.pipeline().predictProbabilities(features: x).storage
        for k in 0..<3 { #expect(abs(actual[k] - expected[k]) < 1e-6, "class \(k): \(actual[k]) vs \(expected[k])") }
    }

    /// Gemm with transB = 1 stores W transposed; a binary classifier ends in Sigmoid, Sub(1, p), Concat.
    @Test func gemmAndBinaryPostProcessingAreImported() throws {
        var g = TestGraph(features: 2)
        let wT = g.builder.constant("W", .numbers("", [0.5, 2, -1, -0.75, 0.25, 1.5], dims: [3, 2], type: .float))
        let b = g.builder.constant("B", .numbers("", b0, dims: [3], type: .float))
        let hidden = g.builder.node("Tanh", [g.builder.node("Gemm", ["X", wT, b], [ONNXAttribute("transB", int: 1)])])
        let p = g.builder.node("Sigmoid", [g.dense(hidden, [1, -1, 0.5], [0.2], inputs: 3, outputs: 1)])
        let one = g.builder.constant("one", .numbers("", [1], dims: [], type: .float))
        g.builder.node("Concat", [g.builder.node("Sub", [one, p]), p], [ONNXAttribute("axis", int: 1)], output: "probabilities")
        let index = g.builder.node("ArgMax", ["probabilities"], [ONNXAttribute("axis", int: 1)])
        let table = g.builder.constant("classes", .strings("", ["no", "yes"], dims: [2]))
        g.builder.node("ArrayFeatureExtractor", [table, index], domain: "ai.onnx.ml", output: "label")
        let model = try ONNXImport.model(serialized: g.bytes())
        #expect(model.metadata.targetType == .binary)
        #expect(model.metadata.classes == ["no", "yes"])
        #expect(model.metadata.activation == "tanh")
        #expect(model.coefs[0].doubles == w0.map { Double(Float($0)) }, "transB = 1 is undone")
    }

    @Test func anUnsupportedNodeIsNamed() throws {
        var g = TestGraph(features: 2)
        let h = g.dense("X", w0, b0, inputs: 2, outputs: 3)
        g.builder.node("TopK", [h, g.builder.constant("k", .ints("", [1], dims: [1]))])
        let error = #expect(throws: ONNXError.self) { try ONNXImport.model(serialized: g.bytes()) }
        #expect(error?.kind == .unsupported)
        #expect(error?.message.contains("TopK") == true, "\(error?.message ?? "")")
        #expect(error?.message.contains("'TopK_") == true, "the node's name: \(error?.message ?? "")")
    }

    @Test func aConvolutionBeforeTheLayersIsRefused() throws {
        var g = TestGraph(features: 2)
        let c = g.builder.node("Conv", ["X", g.builder.constant("k", .numbers("", [1], dims: [1, 1, 1], type: .float))])
        _ = g.dense(c, w0, b0, inputs: 2, outputs: 3)
        let error = #expect(throws: ONNXError.self) { try ONNXImport.model(serialized: g.bytes()) }
        #expect(error?.message.contains("(Conv)") == true, "\(error?.message ?? "")")
    }

    @Test func mixedHiddenActivationsAreRefused() throws {
        var g = TestGraph(features: 2)
        let h1 = g.builder.node("Relu", [g.dense("X", w0, b0, inputs: 2, outputs: 3)])
        let h2 = g.builder.node("Tanh", [g.dense(h1, w1, b1, inputs: 3, outputs: 3)])
        _ = g.dense(h2, [1, 2, 3], [0], inputs: 3, outputs: 1)
        let error = #expect(throws: ONNXError.self) { try ONNXImport.model(serialized: g.bytes()) }
        #expect(error?.message.contains("different activations") == true, "\(error?.message ?? "")")
    }

    @Test func layersThatDoNotChainAreRefused() throws {
        var g = TestGraph(features: 2)
        let h = g.builder.node("Relu", [g.dense("X", w0, b0, inputs: 2, outputs: 3)])
        _ = g.dense(h, [1, 2, 3, 4], [0, 0], inputs: 2, outputs: 2)
        #expect(throws: ONNXError.self) { try ONNXImport.model(serialized: g.bytes()) }
    }
}

@Suite struct ONNXImportScalerTests {
    /// Sub and Div whose statistics differ in length are refused, not trapped on.
    @Test func scalerStatisticsOfDifferentLengthsAreRefused() throws {
        var g = TestGraph(features: 2)
        let sub = g.builder.node("Sub", ["X", g.builder.constant("m", .numbers("", [1, 2, 3], dims: [3], type: .float))])
        let div = g.builder.node("Div", [sub, g.builder.constant("s", .numbers("", [1, 2], dims: [2], type: .float))])
        _ = g.dense(div, w0, b0, inputs: 2, outputs: 3)
        let error = #expect(throws: ONNXError.self) { try ONNXImport.model(serialized: g.bytes()) }
        #expect(error?.message.contains("scaler statistics") == true, "\(error?.message ?? "")")
    }

    /// skl2onnx's float64 StandardScaler: Sub mean, Div scale; an imputer before it.
    @Test func imputerAndSubDivScalerAreImported() throws {
        var g = TestGraph(features: 2, type: .double)
        let filled = g.builder.node("Imputer", ["X"], domain: "ai.onnx.ml",
                                    [ONNXAttribute("imputed_value_floats", floats: [0.5, -1]),
                                     ONNXAttribute("replaced_value_float", float: .nan)])
        let sub = g.builder.node("Sub", [filled, g.builder.constant("m", .numbers("", [1, 2], dims: [2], type: .double))])
        let div = g.builder.node("Div", [sub, g.builder.constant("s", .numbers("", [3, 4], dims: [2], type: .double))])
        let wName = g.builder.constant("W", .numbers("", w0, dims: [2, 3], type: .double))
        let bName = g.builder.constant("B", .numbers("", b0, dims: [3], type: .double))
        g.builder.node("Add", [g.builder.node("MatMul", [div, wName]), bName], output: "variable")
        let model = try ONNXImport.model(serialized: g.bytes())
        #expect(model.metadata.estimator == .regressor)
        #expect(model.metadata.dtype == "float64")
        #expect(model.metadata.encoding.imputeValues == [0.5, -1])
        #expect(model.scaler == .standard(StandardScaler(mean: [1, 2], scale: [3, 4])))
        let pipeline = try model.pipeline()
        let values = try pipeline.predictValues(try pipeline.readCSV(text: "x0,x1\nNA,6\n")).storage
        let z = [(0.5 - 1) / 3, (6.0 - 2) / 4]
        #expect(values == (0..<3).map { j in z[0] * w0[j] + z[1] * w0[3 + j] + b0[j] })
    }

    /// A first layer whose weights do not fit the declared input (3 rows for 2 features) is refused, not imported
    /// as a model of another width; a symbolic width is taken from the weights.
    @Test func weightsThatDoNotFitTheDeclaredInputAreRefused() throws {
        var g = TestGraph(features: 2)
        g.builder.graph.inputs[0].shape = [.parameter("N"), .value(3)]
        let hidden = g.builder.node("Relu", [g.dense("X", w0, b0, inputs: 2, outputs: 3)])
        g.builder.node("Identity", [g.dense(hidden, w1, b1, inputs: 3, outputs: 3)], output: "variable")
        let error = #expect(throws: ONNXError.self) { try ONNXImport.model(serialized: g.bytes()) }
        #expect(error?.message.contains("has 3 features, but the first layer's weights are (2, 3)") == true,
                "\(error?.message ?? "")")
        g.builder.graph.inputs[0].shape = [.parameter("N"), .parameter("F")]
        #expect(try ONNXImport.model(serialized: g.bytes()).metadata.layerSizes == [2, 3, 3])
    }
}
