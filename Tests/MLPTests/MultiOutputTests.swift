import Foundation
import MLPTestSupport
import Testing
@testable import MLPCore
import MLPDatasets
@testable import MLPModelFile
import MLPKernels

// Several target columns: read from CSV in the order given, fitted by a multi-output regressor pipeline, stored in
// model format 1.3; and a one-target file of format 1.2 still loads. (The numbers against scikit-learn are checked
// through the CLI: CLIMultiOutputTests.)

private let twoTargetsCSV = """
x0,b,x1,a
0.5,10,1.0,-1
1.5,12,0.2,-3
2.0,15,0.7,-2
3.5,11,1.9,-6
4.0,19,0.1,-5
5.5,14,1.3,-8

"""

private func regressorPipeline(targetScaling: TargetScalerKind = .none) -> MLPPipeline {
    var p = MLPParameters()
    p.hiddenLayerSizes = [5]
    p.maxIter = 20
    p.randomState = 0
    return MLPPipeline(estimator: .regressor(MLPRegressor(parameters: p)), targetScaling: targetScaling)
}

@Suite struct MultiOutputTests {
    /// The targets are the columns named, in the order named (not the file's), row-major; the rest are features.
    @Test func targetsAreReadInTheOrderGiven() throws {
        let options = CSVReadOptions(targets: ["a", "b"], targetKind: .numeric)
        let table = try CSVReader.read(text: twoTargetsCSV, options: options)
        #expect(table.targetNames == ["a", "b"])
        #expect(table.targetName == "a")
        #expect(table.targetCount == 2)
        #expect(table.featureNames == ["x0", "x1"])
        #expect(table.targetValues == [-1, 10, -3, 12, -2, 15, -6, 11, -5, 19, -8, 14])
        #expect(table.targetValues(ofColumn: 1) == [10, 12, 15, 11, 19, 14])
        let subset = table.rows(at: [4, 1])
        #expect(subset.targetValues == [-5, 19, -3, 12])
        // A comma-separated list is the same; one target keeps the one-column meaning.
        let listed = try CSVReader.read(text: twoTargetsCSV, options: CSVReadOptions(target: "a,b", targetKind: .numeric))
        #expect(listed.targetValues == table.targetValues)
        let one = try CSVReader.read(text: twoTargetsCSV, options: CSVReadOptions(target: "b", targetKind: .numeric))
        #expect(one.targetValues == [10, 12, 15, 11, 19, 14] && one.featureNames == ["x0", "x1", "a"])
    }

    /// A column whose name holds a comma is one target; a list names others; a repeat and a missing name are errors.
    @Test func aNameIsLookedUpWholeBeforeItIsSplit() throws {
        let csv = "x,\"a,b\",a,b\n1,2,3,4\n2,3,5,5\n"
        let whole = try CSVReader.read(text: csv, options: CSVReadOptions(target: "a,b", targetKind: .numeric))
        #expect(whole.targetNames == ["a,b"] && whole.featureNames == ["x", "a", "b"])
        let parts = try CSVReader.read(text: csv, options: CSVReadOptions(targets: ["b", "a"], targetKind: .numeric))
        #expect(parts.targetNames == ["b", "a"] && parts.targetValues == [4, 3, 5, 5])
        for (targets, message) in [(["a", "a,b", "a"], "names the column 'a' twice"), (["a,zz"], "no column named 'zz'")] {
            #expect { try CSVReader.read(text: csv, options: CSVReadOptions(targets: targets, targetKind: .numeric)) }
                throws: { ($0 as? DataError)?.description.contains(message) == true }
        }
    }

    /// The pipeline fits one output per target, standardizes each target column apart (StandardScaler on a 2-D y),
    /// and scores R² as the uniform average of each target's.
    @Test func aPipelineFitsEveryTargetColumn() throws {
        let table = try CSVReader.read(text: twoTargetsCSV, options: CSVReadOptions(target: "a,b", targetKind: .numeric))
        let pipeline = regressorPipeline(targetScaling: .standard)
        try pipeline.fit(table)
        #expect(pipeline.targetNames == ["a", "b"])
        #expect(pipeline.estimator.perceptron.nOutputs == 2)
        let scaler = try #require(pipeline.targetScaler)
        assertClose(scaler.mean, [-25.0 / 6, 81.0 / 6], relative: 1e-15, "per-column means")
        let predicted = try pipeline.predictValues(table)
        #expect(predicted.rows == 6 && predicted.columns == 2)
        guard case .regression(let report) = try pipeline.evaluate(table) else { Issue.record("not a regression"); return }
        let each = try #require(report.perOutput)
        let r2 = try RegressionMetrics.r2Scores(table.targetValues, predicted.storage, outputs: 2)
        assertClose(each.map(\.r2), r2, relative: 1e-15, "per-target R²")
        assertClose([report.r2, try pipeline.score(table)], [(r2[0] + r2[1]) / 2, (r2[0] + r2[1]) / 2], relative: 1e-15,
                    "uniform average")
        assertClose([report.meanAbsoluteError], [(each[0].meanAbsoluteError + each[1].meanAbsoluteError) / 2],
                    relative: 1e-15, "MAE")
        // A classifier's several target columns are 0/1 indicators: these numbers are refused.
        var p = MLPParameters()
        p.maxIter = 2
        let classifier = MLPPipeline(estimator: .classifier(MLPClassifier(parameters: p)))
        #expect(throws: DataError.self) { try classifier.fit(table) }
    }

    /// A multi-output pipeline saved and loaded keeps its target names (format 1.3); one target writes format 1.2 or
    /// older, as before; a file whose names do not match its outputs is refused.
    @Test func modelFilesStoreEveryTargetName() throws {
        let table = try CSVReader.read(text: twoTargetsCSV, options: CSVReadOptions(target: "a,b", targetKind: .numeric))
        let pipeline = regressorPipeline()
        try pipeline.fit(table)
        let model = try MLPModel(pipeline: pipeline)
        #expect(model.metadata.targetNames == ["a", "b"] && model.metadata.targetName == "a")
        #expect(model.modelFile().formatMinorVersion == 3)
        let path = try TestDirectory.make("multi") + "/model.mlp"
        try pipeline.save(to: path)
        let loaded = try MLPPipeline.load(from: path)
        #expect(loaded.targetNames == ["a", "b"])
        let again = try loaded.readCSV(text: twoTargetsCSV)
        #expect(again.targetNames == ["a", "b"])
        #expect(try loaded.predictValues(again) == (try pipeline.predictValues(table)))

        let single = regressorPipeline()
        try single.fit(try CSVReader.read(text: twoTargetsCSV, options: CSVReadOptions(target: "a", targetKind: .numeric)))
        let singleModel = try MLPModel(pipeline: single)
        #expect(singleModel.metadata.targetNames == nil)
        #expect(singleModel.modelFile().formatMinorVersion == 1)

        var metadata = model.metadata
        metadata.targetNames = ["a", "b", "c"]
        #expect(throws: ModelFileError.self) {
            try MLPModel(metadata: metadata, coefs: model.coefs, intercepts: model.intercepts, scaler: model.scaler)
        }
    }

    /// A one-target regressor written by format 1.2 (before target names) loads as one target and predicts as then.
    @Test func aFormat1_2FileLoadsAsOneTarget() throws {
        let fixture = { (name: String) in FixtureFiles.url("model-format-1.2/\(name)", in: "MLPTests").path }
        let pipeline = try MLPPipeline.load(from: fixture("regressor-scaled-target.mlp"))
        #expect(pipeline.targetNames == ["sale"])
        #expect(pipeline.targetScaler != nil)
        let table = try BundledDataset.seed.read(options: CSVReadOptions(target: pipeline.targetName, targetKind: .numeric,
                                                                         targetIsOptional: true),
                                                 encoding: pipeline.encoding)
        let predicted = try pipeline.predictValues(table)
        let stored = try String(contentsOfFile: fixture("regressor-scaled-target.predict.csv"), encoding: .utf8)
            .split(separator: "\n").dropFirst().map { Double($0)! }
        #expect(predicted.columns == 1)
        if KernelConfiguration.instructionSet == .generic {
            assertClose(predicted.storage, stored, relative: 1e-13, "generic kernels round elsewhere")
        } else {
            #expect(predicted.storage == stored)
        }
    }
}
