import MLPCore
import MLPModelFile
import MLPTestSupport
import Testing
@testable import MLPONNX

// A regressor trained on a standardized target (`--scale-target standard`, TransformedTargetRegressor) predicts
// y · scale + mean: the exported graph must compute it (checked here by evaluating the graph in Swift, and in
// onnxruntime by Scripts/onnx_check.py), import must read it back, and the NPZ archive must carry its arrays.

/// A regressor whose target was standardized: one output (fitted by MLPPipeline) or two (statistics set by hand,
/// as a library user with a multi-output target would).
private func targetScaledRegressor<T: KernelFloat>(_: T.Type, outputs: Int) throws -> MLPModel {
    if outputs == 1 {
        var p = ONNXTestModels.parameters(.tanh)
        p.hiddenLayerSizes = [4]
        let estimator: PipelineEstimator = T.self == Float.self ? .floatRegressor(MLPRegressor(parameters: p))
            : .regressor(MLPRegressor(parameters: p))
        let pipeline = MLPPipeline(estimator: estimator, scaling: .standard, targetScaling: .standard)
        let x = ONNXTestModels.features(Double.self)
        var csv = "a,b,c,d,y\n"
        for r in 0..<x.rows {
            let y = 500 + 40 * x[r, 0] - 3 * x[r, 1] + 7 * x[r, 3]
            csv += "\(x[r, 0]),\(x[r, 1]),\(x[r, 2]),\(x[r, 3]),\(y)\n"
        }
        try pipeline.fit(try pipeline.readCSV(text: csv))
        let model = try MLPModel(pipeline: pipeline)
        #expect(model.targetScaler != nil)
        return model
    }
    var model = try ONNXTestModels.regressor(T.self, .relu)
    model.targetScaler = StandardScaler(mean: [120.5, -3.25], scale: [40.1, 0.3])
    return model
}

/// The regressor's values on seeded rows, as `mlp predict` computes them.
private func values(_ model: MLPModel) throws -> (x: Matrix<Double>, y: [Double]) {
    let x = ONNXTestModels.features(Double.self, rows: 25, seed: 99)
    return (x, try model.pipeline().predictValues(features: x).storage)
}

@Suite struct ONNXTargetScalerTests {
    @Test(arguments: [1, 2])
    func exportedGraphMapsTheTargetBack(outputs: Int) throws {
        for float in [false, true] {
            let model = float ? try targetScaledRegressor(Float.self, outputs: outputs)
                : try targetScaledRegressor(Double.self, outputs: outputs)
            let (x, expected) = try values(model)
            let graph = try ONNXExport.proto(model).graph!
            let actual = try GraphEvaluator(graph).run(x, output: "variable")
            // Evaluated in float64 throughout (float32 graphs round only at their casts): within float32 rounding of
            // the network's sums for float32, within float64 rounding for float64.
            let tolerance = float ? 1e-5 : 1e-12
            assertClose(actual, expected, relative: tolerance, "\(outputs) outputs, float32 \(float)")
            // The tail: y · scale + mean in float64 (between casts in a float32 graph), then the output.
            let tail = Array(graph.nodes.suffix(float ? 5 : 3))
            try #require(tail.map(\.opType) == (float ? ["Cast", "Mul", "Add", "Cast", "Identity"] : ["Mul", "Add", "Identity"]))
            let constants = Dictionary(uniqueKeysWithValues: graph.initializers.map { ($0.name, $0) })
            let (mul, add) = float ? (tail[1], tail[2]) : (tail[0], tail[1])
            let scale = try #require(constants[mul.inputs[1]]), mean = try #require(constants[add.inputs[1]])
            #expect(scale.dataType == ONNXDataType.double.rawValue && mean.dataType == ONNXDataType.double.rawValue)
            #expect(try scale.doubles(limits: ONNXLimits()) == model.targetScaler!.scale)
            #expect(try mean.doubles(limits: ONNXLimits()) == model.targetScaler!.mean)
        }
    }

    /// Export → import keeps the statistics exactly (float64 constants), so predictions agree bit for bit.
    @Test(arguments: [1, 2])
    func roundTripKeepsTheTargetScaler(outputs: Int) throws {
        for float in [false, true] {
            let model = float ? try targetScaledRegressor(Float.self, outputs: outputs)
                : try targetScaledRegressor(Double.self, outputs: outputs)
            let back = try ONNXImport.model(serialized: try ONNXExport.serialized(model))
            #expect(back.targetScaler == model.targetScaler, "\(outputs) outputs, float32 \(float)")
            #expect(back.coefs == model.coefs && back.scaler == model.scaler)
            #expect(try values(back).y == (try values(model)).y, "\(outputs) outputs, float32 \(float): predictions")
            // Through a model file too: what `mlp import` writes predicts the same.
            let file = try MLPModel(file: back.modelFile())
            #expect(try values(file).y == (try values(model)).y)
        }
    }

    @Test func npzCarriesTheTargetStatistics() throws {
        let model = try targetScaledRegressor(Double.self, outputs: 2)
        let entries = Dictionary(uniqueKeysWithValues: try NPZExport.arrays(model).map { ($0.name, $0.npy) })
        for (name, expected) in [("target_mean_", model.targetScaler!.mean), ("target_scale_", model.targetScaler!.scale)] {
            let npy = try #require(entries[name], "\(name) is missing")
            let headerLength = Int(npy[8]) | Int(npy[9]) << 8
            let header = String(decoding: npy[10..<(10 + headerLength)], as: UTF8.self)
            #expect(header.hasPrefix("{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }"), "\(name): \(header)")
            let data = Array(npy[(10 + headerLength)...])
            let values = stride(from: 0, to: data.count, by: 8).map { start in
                Double(bitPattern: (0..<8).reduce(UInt64(0)) { $0 | UInt64(data[start + $1]) << (8 * UInt64($1)) })
            }
            #expect(values == expected, "\(name)")
        }
        #expect(!(try NPZExport.arrays(try ONNXTestModels.regressor(Double.self, .relu))).contains { $0.name.hasPrefix("target_") })
    }

    @Test func aBareRegressorIsNotLoadedFromATargetScaledGraph() throws {
        var model = try targetScaledRegressor(Double.self, outputs: 2)
        model.scaler = .none
        model.metadata.scaler = .none
        let bytes = try ONNXExport.serialized(model)
        let dir = try TestDirectory.make("onnx-tests")
        try BinaryFile.write(bytes, to: dir + "/r.onnx")
        let error = #expect(throws: ONNXError.self) { try MLPRegressor<Double>.load(onnx: dir + "/r.onnx") }
        #expect(error?.message.contains("scales the target") == true, "\(String(describing: error))")
        #expect(try MLPPipeline.load(onnx: dir + "/r.onnx").targetScaler == model.targetScaler)
    }

    @Test func targetStatisticsThatDoNotFitAreRefused() throws {
        var model = try targetScaledRegressor(Double.self, outputs: 2)
        model.targetScaler = StandardScaler(mean: [1], scale: [2])
        #expect(throws: ONNXError(.notExportable, "the target scaler has 1 means and 1 scales for 2 outputs")) {
            try ONNXExport.serialized(model)
        }
        #expect(throws: ONNXError.self) { try NPZExport.archive(model) }
        // A zero scale in a graph cannot be a standardized target.
        var proto = try ONNXExport.proto(try targetScaledRegressor(Double.self, outputs: 2))
        let mul = proto.graph!.nodes[proto.graph!.nodes.count - 3]
        try #require(mul.opType == "Mul")
        let at = try #require(proto.graph!.initializers.firstIndex { $0.name == mul.inputs[1] })
        proto.graph!.initializers[at] = .numbers(mul.inputs[1], [0, 1], dims: [2], type: .double)
        let error = #expect(throws: ONNXError.self) { try ONNXImport.model(serialized: proto.serialized()) }
        #expect(error?.message.contains("non-finite or zero") == true, "\(String(describing: error))")
    }
}

/// Runs the operators a tanh/relu regressor's exported graph uses (MatMul, Add, Sub, Mul, Div, Tanh, Relu, Cast,
/// Identity) in float64, a Cast to float rounding to float32: a check of what the graph computes that needs no
/// onnxruntime.
private struct GraphEvaluator {
    /// A value: (rows, columns) row-major; a 1-D constant is one row, a scalar one value, both broadcast.
    struct Value {
        var rows: Int
        var columns: Int
        var values: [Double]
    }

    let graph: ONNXGraph
    var values: [String: Value] = [:]

    init(_ graph: ONNXGraph) throws {
        self.graph = graph
        for t in graph.initializers {
            let v = try t.doubles(limits: ONNXLimits())
            values[t.name] = Value(rows: t.dims.count == 2 ? Int(t.dims[0]) : 1, columns: t.dims.last.map(Int.init) ?? 1, values: v)
        }
    }

    func run(_ x: Matrix<Double>, output: String) throws -> [Double] {
        var values = self.values
        let float = graph.inputs[0].elementType == ONNXDataType.float.rawValue
        values[graph.inputs[0].name] = Value(rows: x.rows, columns: x.columns,
                                             values: float ? x.storage.map { Double(Float($0)) } : x.storage)
        for node in graph.nodes {
            let a = try #require(values[node.inputs[0]], "\(node.opType): input \(node.inputs[0])")
            let b = node.inputs.count > 1 ? values[node.inputs[1]] : nil
            let result: Value
            switch node.opType {
            case "Identity": result = a
            case "Cast": result = node.attribute("to")?.i == Int64(ONNXDataType.float.rawValue) ? map(a) { Double(Float($0)) } : a
            case "Tanh": result = map(a) { Double.tanh($0) }
            case "Relu": result = map(a) { max($0, 0) }
            case "Add": result = try zip(a, #require(b), +)
            case "Sub": result = try zip(a, #require(b), -)
            case "Mul": result = try zip(a, #require(b), *)
            case "Div": result = try zip(a, #require(b), /)
            case "MatMul":
                let w = try #require(b)
                try #require(a.columns == w.rows)
                var out = [Double](repeating: 0, count: a.rows * w.columns)
                for i in 0..<a.rows { for j in 0..<w.columns { for k in 0..<a.columns {
                    out[i * w.columns + j] += a.values[i * a.columns + k] * w.values[k * w.columns + j]
                } } }
                result = Value(rows: a.rows, columns: w.columns, values: out)
            default: throw ONNXError(.unsupported, "the test evaluator has no \(node.opType)")
            }
            values[node.outputs[0]] = result
        }
        return try #require(values[output]).values
    }

    private func map(_ a: Value, _ f: (Double) -> Double) -> Value { Value(rows: a.rows, columns: a.columns, values: a.values.map(f)) }

    /// a ∘ b elementwise, b broadcast over rows (one row) or everything (one value).
    private func zip(_ a: Value, _ b: Value, _ f: (Double, Double) -> Double) throws -> Value {
        try #require(b.values.count == 1 || (b.rows == 1 && b.columns == a.columns) || (b.rows == a.rows && b.columns == a.columns))
        let out = a.values.indices.map { i in
            f(a.values[i], b.values.count == 1 ? b.values[0] : b.rows == 1 ? b.values[i % a.columns] : b.values[i])
        }
        return Value(rows: a.rows, columns: a.columns, values: out)
    }
}
