import Foundation
import MLPTestSupport
import Testing
@testable import MLPCore
import MLPDatasets
@testable import MLPModelFile
import MLPKernels

// MLPPipeline on CSV tables: one-hot encoding, imputation, scaling and an estimator; fit, predict, score,
// save, load, warm start; and model files written by format 1.0 (`mlp train` before format 1.1).

private let trainingCSV = """
    size,color,weight,label
    1.5,red,10,small
    2.5,blue,,large
    1.0,green,12,small
    3.5,red,30,large
    NA,blue,8,small
    4.0,green,35,large
    1.2,red,9,small
    3.8,blue,28,large
    0.9,green,11,small
    4.2,red,,large
    """

private let newCSV = """
    color,size,weight
    blue,1.1,
    red,3.9,31
    green,,10
    """

private func temporaryPath(_ name: String) throws -> String {
    try TestDirectory.make("pipeline") + "/" + name
}

private func classifierPipeline<T: KernelFloat>(_: T.Type) -> MLPPipeline {
    var p = MLPParameters()
    p.hiddenLayerSizes = [6]
    p.activation = .silu
    p.maxIter = 30
    p.randomState = 0
    p.learningRateInit = 0.02
    let estimator: PipelineEstimator = T.self == Float.self
        ? .floatClassifier(MLPClassifier(parameters: p)) : .classifier(MLPClassifier(parameters: p))
    return MLPPipeline(estimator: estimator, scaling: .standard, oneHot: ["color"], impute: .median)
}

private func fixture(_ name: String) -> String {
    FixtureFiles.url("model-format-1.0/\(name)", in: "MLPTests").path
}

/// The values of a CSV written by `mlp predict`: header, then rows of numbers or labels.
private func csvRows(_ path: String) throws -> [[String]] {
    try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").dropFirst()
        .map { $0.split(separator: ",").map(String.init) }
}

@Suite struct PipelineTests {
    @Test(arguments: [false, true])
    func fitPredictSaveLoadOnCSV(float32: Bool) throws {
        let pipeline = float32 ? classifierPipeline(Float.self) : classifierPipeline(Double.self)
        let train = try pipeline.readCSV(text: trainingCSV, target: "label")
        try pipeline.fit(train)
        #expect(pipeline.featureNames == ["size", "color_blue", "color_green", "color_red", "weight"])
        #expect(pipeline.classes == ["large", "small"])
        #expect(pipeline.scaler?.kind == .standard)
        let score = try pipeline.score(train)
        #expect(score >= 0.8, "training accuracy \(score)")

        let rows = try pipeline.readCSV(text: newCSV)
        #expect(rows.rowCount == 3)
        let labels = try pipeline.predict(rows)
        let probabilities = try pipeline.predictProbabilities(rows)
        #expect(probabilities.columns == 2)

        let path = try temporaryPath("pipeline.mlp")
        try pipeline.save(to: path)
        let loaded = try MLPPipeline.load(from: path)
        #expect(loaded.estimator.dtype == (float32 ? "float32" : "float64"))
        #expect(loaded.encoding == pipeline.encoding)
        #expect(loaded.scaler == pipeline.scaler)
        #expect(loaded.targetName == "label")
        let again = try loaded.readCSV(text: newCSV)
        #expect(again.features.map(\.bitPattern) == rows.features.map(\.bitPattern))
        #expect(try loaded.predict(again) == labels)
        #expect(try loaded.predictProbabilities(again).storage.map(\.bitPattern) == probabilities.storage.map(\.bitPattern))
        #expect(try loaded.score(try loaded.readCSV(text: trainingCSV)) == score)
        // A bare estimator cannot be loaded from a file that scales first.
        #expect(throws: ModelFileError.self) { _ = try MLPClassifier<Double>.load(from: path) }
    }

    @Test func regressorPipelineWithMinMax() throws {
        var p = MLPParameters()
        p.hiddenLayerSizes = [4]
        p.maxIter = 20
        p.randomState = 1
        let pipeline = MLPPipeline(estimator: .floatRegressor(MLPRegressor(parameters: p)), scaling: .minmax,
                                   oneHot: ["color"], impute: .mean)
        let train = try pipeline.readCSV(text: trainingCSV.replacingOccurrences(of: ",small", with: ",0")
            .replacingOccurrences(of: ",large", with: ",1"), target: "label")
        try pipeline.fit(train)
        let values = try pipeline.predictValues(train)
        #expect(values.rows == 10 && values.columns == 1)
        let path = try temporaryPath("regressor.mlp")
        try pipeline.save(to: path)
        let loaded = try MLPPipeline.load(from: path)
        #expect(loaded.scaler?.kind == .minmax)
        #expect(try loaded.predictValues(train).storage.map(\.bitPattern) == values.storage.map(\.bitPattern))
        #expect(try loaded.score(train) == pipeline.score(train))
        #expect(throws: MLPError.self) { _ = try loaded.predict(train) }
    }

    /// A warm start keeps the encoding and the scaler and continues the loss curve, in memory and after loading.
    @Test func warmStartContinuesWithTheSameScaler() throws {
        let pipeline = classifierPipeline(Double.self)
        try pipeline.fit(try pipeline.readCSV(text: trainingCSV, target: "label"))
        let path = try temporaryPath("warm.mlp")
        try pipeline.save(to: path)
        let loaded = try MLPPipeline.load(from: path)
        for p in [pipeline, loaded] {
            let scaler = p.scaler
            p.parameters.warmStart = true
            // Other rows (so a refitted scaler would differ), read with the fitted encoding.
            let more = try p.readCSV(text: trainingCSV.split(separator: "\n").prefix(6).joined(separator: "\n"), target: "label")
            try p.fit(more)
            #expect(p.scaler == scaler)
            #expect(p.estimator.perceptron.lossCurve?.count == 60)
        }
        #expect(loaded.estimator.perceptron.lossCurve == pipeline.estimator.perceptron.lossCurve)
        let rows = try pipeline.readCSV(text: newCSV)
        #expect(try loaded.predictProbabilities(rows) == pipeline.predictProbabilities(rows))
    }

    @Test func mismatchedTablesAreErrors() throws {
        let pipeline = classifierPipeline(Double.self)
        #expect(throws: MLPError.self) { _ = try pipeline.predict(try CSVReader.read(text: "a,b\n1,2\n")) }
        try pipeline.fit(try pipeline.readCSV(text: trainingCSV, target: "label"))
        #expect(throws: DataError.self) { _ = try pipeline.predict(try CSVReader.read(text: "a,b\n1,2\n")) }
        #expect(throws: DataError.self) { _ = try pipeline.readCSV(text: "color,size,weight\npurple,1,2\n") }
        let unseen = try pipeline.readCSV(text: "color,size,weight,label\nred,1,2,medium\n")
        #expect(throws: DataError.self) { _ = try pipeline.score(unseen) }
        let one = MLPPipeline(estimator: .classifier(MLPClassifier()))
        #expect(throws: DataError.self) { try one.fit(try CSVReader.read(text: "x,y\n1,a\n2,a\n")) }
    }

    /// Files written by `mlp train` in format 1.0 load and predict what mlp predicted from them then.
    @Test(arguments: [("classifier.mlp", "onehot.csv", "classifier.proba.csv"),
                      ("iris-float32.mlp", nil, "iris-float32.proba.csv"),
                      ("regressor.mlp", nil, "regressor.predict.csv")] as [(String, String?, String)])
    func formatVersion1_0FilesLoad(model: String, data: String?, expected: String) throws {
        let pipeline = try MLPPipeline.load(from: fixture(model))
        let table: DataTable
        if let data {
            table = try pipeline.readCSV(path: fixture(data))
        } else {
            let dataset: BundledDataset = model.hasPrefix("iris") ? .iris : .seed
            table = try dataset.read(options: CSVReadOptions(target: pipeline.targetName,
                                                             targetKind: pipeline.isClassifier ? .labels : .numeric,
                                                             targetIsOptional: true), encoding: pipeline.encoding)
        }
        let predicted = pipeline.isClassifier ? try pipeline.predictProbabilities(table) : try pipeline.predictValues(table)
        let stored = try csvRows(fixture(expected)).flatMap { $0.map { Double($0)! } }
        if KernelConfiguration.instructionSet == .generic {
            // The files were predicted through the FMA kernels (AVX2 and AVX-512 give the same bits); the generic
            // kernels of a CPU without them (MLP_KERNEL_ISA=generic) round elsewhere, a few ulps apart.
            assertClose(predicted.storage, stored, relative: pipeline.estimator.dtype == "float32" ? 1e-6 : 1e-13,
                        model)
        } else {
            #expect(predicted.storage == stored)
        }
        #expect(pipeline.parameters.randomState != nil)
        let metadata = try MLPModel.read(from: fixture(model)).metadata
        #expect(metadata.parameters.maxIter == 5)
        #expect(metadata.parameters.hiddenLayerSizes.count == 1)
    }

    @Test func formatVersion1_0NumericClassesBecomeNumbers() throws {
        // The seed regressor fixture is a 1.0 file; a 1.0 classifier with classes "0", "1" reads them as numbers.
        var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: fixture("classifier.mlp"))))
        var file = try ModelFile.decode(bytes)
        file.metadata.classes = ["0", "1"]
        bytes = try file.encoded()
        bytes[10] = 0  // minor version 0
        bytes = Array(bytes.dropLast(4))
        appendLE(&bytes, CRC32.checksum(bytes))
        let model = try MLPModel(file: ModelFile.decode(bytes))
        #expect(model.metadata.classes == [0, 1])
        file.metadata.classes = ["0", "1"]
        #expect(try MLPModel(file: ModelFile.decode(try file.encoded())).metadata.classes == ["0", "1"])
    }
}
