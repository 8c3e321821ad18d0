import Foundation
@testable import MLPCore
import MLPTestSupport
import Testing

// Targets near the top of Double's range: the target scaler, the unscaled-target monitor and R², MAE and RMSE sum
// scaled values where their sums overflow, so a target near 1e300 trains and scores as its scaled copy does.

/// A regression CSV: feature a in [0, 1), target (a + 0.5 + 0.1·(i mod 3)) · scale, so about 0.5 to 1.7 × scale.
private func bigTargetCSV(rows: Int, scale: Double) -> String {
    var text = "a,y\n"
    for i in 0..<rows {
        let a = Double((i * 37) % rows) / Double(rows)
        text += "\(a),\((a + 0.5 + 0.1 * Double(i % 3)) * scale)\n"
    }
    return text
}

private func regressionPipeline(maxIter: Int = 30) -> MLPPipeline {
    var p = MLPParameters()
    p.hiddenLayerSizes = [8]
    p.maxIter = maxIter
    p.randomState = 0
    return MLPPipeline(estimator: .regressor(MLPRegressor<Double>(parameters: p)), targetScaling: .standard)
}

private func scratchDirectory() throws -> String {
    let dir = try TestDirectory.make("edge")
    return dir
}

@Suite struct TargetOverflowTests {
    @Test func r2AndRMSEOfValuesNear1e300AreThoseOfTheScaledValues() throws {
        let small = (1...50).map { Double($0) / 7 }, smallPredicted = small.map { $0 * 1.01 + 0.3 }
        let big = small.map { $0 * 1e299 }, bigPredicted = smallPredicted.map { $0 * 1e299 }
        let r2 = try RegressionMetrics.r2Score(big, bigPredicted)
        #expect(r2.isFinite)
        assertClose([r2], [try RegressionMetrics.r2Score(small, smallPredicted)], relative: 1e-12, "R² near 1e300")
        let report = try RegressionReport(yTrue: big, yPred: bigPredicted)
        #expect(report.r2 == r2)
        assertClose([report.rootMeanSquaredError / 1e299], [try RegressionMetrics.rootMeanSquaredError(small, smallPredicted)],
                    relative: 1e-12, "RMSE near 1e300")
        // |1.7e308 − (−0.5e308)| overflows; the mean over two rows, 1.1e308, does not.
        assertClose([try RegressionMetrics.meanAbsoluteError([1.7e308, 0], [-0.5e308, 0]) / 1e308], [1.1], relative: 1e-12,
                    "MAE")
    }

    @Test func aStandardizedTargetNear1e300TrainsAsItsScaledCopy() throws {
        let big = regressionPipeline(), small = regressionPipeline()
        let bigTable = try big.readCSV(text: bigTargetCSV(rows: 60, scale: 1e300))
        let smallTable = try small.readCSV(text: bigTargetCSV(rows: 60, scale: 1))
        try big.fit(bigTable)
        try small.fit(smallTable)
        let r2 = try big.score(bigTable)
        #expect(r2.isFinite, "training R² \(r2)")
        assertClose([r2], [try small.score(smallTable)], relative: 1e-6, "R² of the target near 1e300 and at 1")
        #expect(try big.predictValues(bigTable).storage.allSatisfy { $0.isFinite && $0 > 1e299 })
    }

    @Test func aTargetOfBothSignsNearTheTopStandardizesToFiniteValues() throws {
        var text = "a,y\n"
        for i in 0..<30 { text += "\(Double(i) / 30),\([1.7e308, -1.7e308, 1.0e308][i % 3])\n" }
        let pipeline = regressionPipeline(maxIter: 5)
        try pipeline.fit(try pipeline.readCSV(text: text))
        let curve = try #require(pipeline.estimator.perceptron.lossCurve)
        #expect(!curve.isEmpty && curve.allSatisfy { $0.isFinite }, "\(curve)")
    }

    @Test func inverseTransformIsFiniteWhereOnlyTheProductOverflows() throws {
        let scaler = StandardScaler(mean: [-1.5e308], scale: [1e308])
        let restored = try scaler.inverseTransform(Matrix<Double>(rows: 1, columns: 1, storage: [2.0]))
        assertClose(restored.storage, [0.5e308], relative: 1e-12, "2 · 1e308 − 1.5e308")
    }

    @Test func theUnscaledTargetWarningGivesTheFiniteDeviationOfATargetNear1e160() throws {
        let targets = (0..<50).map { Double($0 % 10 + 1) * 1e160 }
        let warnings = PerceptronEngine<Double>.unscaledTargetWarnings(targets, outputs: 1)
        let message = try #require(warnings.first?.message)
        let scaled = targets.map { $0 / 1e160 }, mean = scaled.reduce(0, +) / 50
        let deviation = (scaled.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 50).squareRoot() * 1e160
        #expect(!message.contains("inf"), "\(message)")
        #expect(message.contains("standard deviation \(String(format: "%.4g", deviation))"), "\(message)")
    }

    @Test func aStreamedTargetNear1e300IsStandardizedAsInMemory() throws {
        let dir = try scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let csv = dir + "/big.csv", cache = dir + "/big.mlpdata"
        try bigTargetCSV(rows: 200, scale: 1e300).write(toFile: csv, atomically: true, encoding: .utf8)
        try MLPDataConverter.convert(csvPath: csv, to: cache, options: CSVReadOptions(targetKind: .numeric))
        let memory = regressionPipeline()
        let table = try memory.readCSV(path: csv)
        try memory.fit(table)
        var p = MLPParameters()
        p.hiddenLayerSizes = [8]
        p.maxIter = 30
        p.randomState = 0
        let streamed = try MLPPipeline.fitStreamed(try MLPDataFile(path: cache),
                                                   estimator: .regressor(MLPRegressor<Double>(parameters: p)),
                                                   targetScaling: .standard)
        let scaler = try #require(streamed.targetScaler), inMemory = try #require(memory.targetScaler)
        assertClose(scaler.mean + scaler.scale, inMemory.mean + inMemory.scale, relative: 1e-12, "target scaler")
        assertClose(try streamed.predictValues(table).storage, try memory.predictValues(table).storage,
                    relative: 1e-9, "streamed vs in-memory predictions")
        #expect(try streamed.scoreStreamed(try MLPDataFile(path: cache)).isFinite)
    }
}
