import MLPCore
import MLPModelFile
import MLPTestSupport
import Testing
@testable import MLPONNX

// Export → import gives back the same model: the same weights bit for bit, scaler, classes and activations,
// hence the same predictions. (onnxruntime's agreement with `mlp predict` is checked by Scripts/onnx_check.py.)

private let hidden = Activation.allCases.filter { $0 != .softmax && $0 != .exp }

private func roundTrip(_ model: MLPModel) throws -> MLPModel {
    try ONNXImport.model(serialized: try ONNXExport.serialized(model))
}

private func expectSameModel(_ back: MLPModel, _ model: MLPModel, _ label: String) throws {
    #expect(back.coefs == model.coefs, "\(label): weights")
    #expect(back.intercepts == model.intercepts, "\(label): intercepts")
    #expect(back.scaler == model.scaler, "\(label): scaler")
    #expect(back.metadata.layerSizes == model.metadata.layerSizes, "\(label): layer sizes")
    #expect(back.metadata.dtype == model.metadata.dtype, "\(label): dtype")
    #expect(back.metadata.outActivation == model.metadata.outActivation, "\(label): output activation")
    #expect(back.metadata.classes == model.metadata.classes, "\(label): classes")
    #expect(back.metadata.targetType == model.metadata.targetType, "\(label): target type")
    #expect(back.metadata.encoding == model.metadata.encoding, "\(label): encoding")
    if model.layerSizes.count > 2 { #expect(back.metadata.activation == model.metadata.activation, "\(label): activation") }
    let x = ONNXTestModels.features(Double.self, rows: 25, seed: 99)
    let expected = try ONNXTestModels.predictions(model, x)
    let actual = try ONNXTestModels.predictions(back, x)
    #expect(actual == expected, "\(label): predictions")
}

@Suite struct ONNXRoundTripTests {
    @Test(arguments: hidden)
    func classifiersOfEveryActivation(_ activation: Activation) throws {
        for target in [TargetType.multiclass, .binary, .multilabelIndicator] {
            try expectSameModel(try roundTrip(try ONNXTestModels.classifier(Double.self, activation, target: target)),
                                try ONNXTestModels.classifier(Double.self, activation, target: target),
                                "\(activation) \(target) float64")
            let float = try ONNXTestModels.classifier(Float.self, activation, target: target, scaler: .minmax)
            try expectSameModel(try roundTrip(float), float, "\(activation) \(target) float32")
        }
    }

    @Test(arguments: hidden)
    func regressorsOfEveryActivation(_ activation: Activation) throws {
        let double = try ONNXTestModels.regressor(Double.self, activation)
        try expectSameModel(try roundTrip(double), double, "\(activation) float64")
        let poisson = try ONNXTestModels.regressor(Float.self, activation, loss: .poisson, scaler: .none)
        let back = try roundTrip(poisson)
        try expectSameModel(back, poisson, "\(activation) poisson float32")
        #expect(back.metadata.loss == "poisson")
    }

    @Test func pipelineWithOneHotAndImputationKeepsItsEncoding() throws {
        let csv = """
            size,color,weight,label
            1.5,red,10,small
            2.5,blue,,large
            1.0,green,12,small
            3.5,red,30,large
            NA,blue,8,small
            4.0,green,35,large
            1.2,red,9,small
            3.8,blue,28,large
            """
        var p = ONNXTestModels.parameters(.tanh)
        p.hiddenLayerSizes = [4]
        let pipeline = MLPPipeline(estimator: .classifier(MLPClassifier(parameters: p)), scaling: .standard,
                                   oneHot: ["color"], impute: .median)
        try pipeline.fit(try pipeline.readCSV(text: csv))
        let model = try MLPModel(pipeline: pipeline)
        let proto = try ONNXExport.proto(model)
        #expect(proto.graph!.inputs.map(\.name) == ["X", "color"])
        #expect(proto.graph!.nodes.contains { $0.opType == "OneHotEncoder" && $0.domain == "ai.onnx.ml" })
        let back = try roundTrip(model)
        #expect(back.metadata.encoding == model.metadata.encoding)
        #expect(back.metadata.featureNames == model.metadata.featureNames)
        #expect(back.metadata.targetName == "label")
        let table = try pipeline.readCSV(text: "size,color,weight\n1.1,blue,\n3.9,red,31\n")
        #expect(try back.pipeline().predictProbabilities(table).storage == (try pipeline.predictProbabilities(table)).storage)
    }

    /// A float32 graph's Imputer holds float32 values; the import keeps the stored float64 statistics they round from.
    @Test func float32ImputationKeepsItsStatistics() throws {
        let csv = "a,b,y\n0.1,3,1.5\nNA,4,2.5\n0.35,NA,0.5\n0.7,5.5,3\n0.2,4.1,2\n"
        var p = ONNXTestModels.parameters(.elu)
        p.hiddenLayerSizes = [3]
        let pipeline = MLPPipeline(estimator: .floatRegressor(MLPRegressor(parameters: p)), scaling: .minmax, impute: .mean)
        try pipeline.fit(try pipeline.readCSV(text: csv))
        let model = try MLPModel(pipeline: pipeline)
        #expect(try ONNXExport.proto(model).graph!.nodes.first?.opType == "Imputer")
        let back = try roundTrip(model)
        #expect(back.metadata.encoding == model.metadata.encoding)
        let table = try pipeline.readCSV(text: "a,b\nNA,4\n0.5,NA\n")
        #expect(try back.pipeline().predictValues(table).storage == (try pipeline.predictValues(table)).storage)
    }

    @Test func exportDeclaresOpsetsOutputsAndTypes() throws {
        let model = try ONNXTestModels.classifier(Float.self, .relu, target: .multiclass)
        let proto = try ONNXExport.proto(model)
        #expect(proto.irVersion == 8)
        #expect(proto.opsets == ["": 17, "ai.onnx.ml": 3])
        let graph = proto.graph!
        #expect(graph.outputs.map(\.name) == ["label", "probabilities"])
        #expect(graph.outputs.map(\.elementType) == [ONNXDataType.string.rawValue, ONNXDataType.float.rawValue])
        #expect(graph.inputs.map(\.elementType) == [ONNXDataType.float.rawValue])
        // Decoding what was encoded gives the same message.
        let decoded = try ONNXModelProto(serialized: proto.serialized(), limits: ONNXLimits())
        #expect(decoded == proto)
    }

    @Test func estimatorsExportAndLoadThroughFiles() throws {
        let dir = try TestDirectory.make("onnx-tests")
        let model = try ONNXTestModels.classifier(Double.self, .gelu, target: .binary, scaler: .none)
        let classifier = try model.classifier(Double.self)
        try classifier.exportONNX(to: dir + "/c.onnx")
        let loaded = try MLPClassifier<Double>.load(onnx: dir + "/c.onnx")
        let x = ONNXTestModels.features(Double.self, rows: 10, seed: 5)
        #expect(try loaded.predictProbabilities(x).storage == (try classifier.predictProbabilities(x)).storage)
        // A graph with a scaler is a pipeline, not a bare estimator.
        try ONNXTestModels.regressor(Double.self, .relu).writeONNX(to: dir + "/r.onnx")
        #expect(throws: ONNXError.self) { try MLPRegressor<Double>.load(onnx: dir + "/r.onnx") }
        #expect(try MLPPipeline.load(onnx: dir + "/r.onnx").isFitted)
    }

    @Test func classesTravelAsInt64OnlyWhenEveryOneFits() {
        #expect(ONNXExport.integerClasses([-2, 5]) == [-2, 5])
        #expect(ONNXExport.integerClasses([1, 1e20]) == nil, "beyond int64: strings")
        #expect(ONNXExport.integerClasses([1, "b"]) == nil, "mixed: strings")
    }

    @Test func float64ErfQuadratureMatchesTheCLibrary() {
        let rule = GaussLegendre.erfNodes
        var worst = 0.0
        for i in -600...600 {
            let z = Double(i) / 100
            let sum = zip(rule.nodes, rule.weights).reduce(0.0) { $0 + $1.1 * Double.exp(-(z * $1.0) * (z * $1.0)) }
            worst = max(worst, abs(z * sum - erfForTest(z)))
        }
        #expect(worst < 1e-14, "largest |quadrature − erf| = \(worst)")
    }
}
