import Testing
@testable import MLPCore

// A finite value that the pipeline's scaler (or the conversion to float32) makes infinite is named by its file, line
// and column, not by the estimator's "Input X contains infinity (row r, column c, 0-based)".

private func pipeline(float32: Bool = false, scaling: ScalerKind = .standard) -> MLPPipeline {
    var p = MLPParameters()
    p.hiddenLayerSizes = [3]
    p.maxIter = 5
    p.randomState = 0
    let estimator: PipelineEstimator = float32 ? .floatClassifier(MLPClassifier(parameters: p))
        : .classifier(MLPClassifier(parameters: p))
    return MLPPipeline(estimator: estimator, scaling: scaling)
}

/// Column b has a standard deviation of 0.05: 1e308 / 0.05 overflows float64.
private let trainingCSV = "a,b,y\n1,0.1,x\n2,0.2,y\n3,0.1,x\n4,0.2,y\n"

/// The DataError that `body` throws (nil, recorded as an issue, when it throws another error or none).
private func dataError(_ body: () throws -> Void, sourceLocation: SourceLocation = #_sourceLocation) -> DataError? {
    do {
        try body()
        Issue.record("no error", sourceLocation: sourceLocation)
    } catch let error as DataError {
        return error
    } catch {
        Issue.record("\(error)", sourceLocation: sourceLocation)
    }
    return nil
}

@Suite struct ScaledInputOverflowTests {
    @Test func predictingNamesTheLineTheColumnAndTheModelsScaler() throws {
        let fitted = pipeline()
        try fitted.fit(try fitted.readCSV(text: trainingCSV))
        let table = try fitted.readCSV(text: "a,b\n1,0.1\n2,1e308\n")
        let predictor = try fitted.makePredictor(maxRows: 1)
        let calls: [() throws -> Void] = [
            { _ = try fitted.predict(table) }, { _ = try fitted.predictProbabilities(table) },
            { _ = try predictor.predict(table, rows: 0..<2) }, { _ = try predictor.predict(table, rows: 1..<2) },
        ]
        for call in calls {
            let error = try #require(dataError(call))
            #expect(error.kind == .nonFinite && error.file == "<text>" && error.line == 3 && error.column == "b")
            #expect(error.message == "1e+308 overflows to infinity when scaled by the model's StandardScaler "
                    + "((x - 0.15) / 0.05); the value is far outside the data the model was trained on", "\(error)")
        }
    }

    @Test func aFloat32ModelNamesAValueBeyondItsRange() throws {
        let fitted = pipeline(float32: true)
        try fitted.fit(try fitted.readCSV(text: trainingCSV))
        let error = try #require(dataError { _ = try fitted.predict(try fitted.readCSV(text: "a,b\n1e200,0.1\n")) })
        #expect(error.line == 2 && error.column == "a")
        #expect(error.message == "1e+200 is beyond float32's range (±3.4e38), the element type of the network")
        // Within float32's range, but not once scaled in float32.
        let scaled = try #require(dataError { _ = try fitted.predict(try fitted.readCSV(text: "a,b\n1,1e38\n")) })
        #expect(scaled.message.hasPrefix("1e+38 overflows to infinity when scaled by the model's StandardScaler"))
    }

    @Test func minMaxScalingIsNamedWithItsFormula() throws {
        let fitted = pipeline(scaling: .minmax)
        try fitted.fit(try fitted.readCSV(text: "a,y\n0,x\n0.001,y\n0,x\n0.001,y\n"))
        let error = try #require(dataError { _ = try fitted.predict(try fitted.readCSV(text: "a\n1e306\n")) })
        #expect(error.line == 2 && error.column == "a")
        #expect(error.message.hasPrefix("1e+306 overflows to infinity when scaled by the model's MinMaxScaler (x * 1000 + 0)"),
                "\(error)")
    }

    /// In training the z-scores are small, but centring a value next to ±1.8e308 can still overflow (scikit-learn's
    /// StandardScaler gives NaN there, and MLPClassifier "Input X contains NaN").
    @Test func fittingNamesAValueWhoseCentringOverflows() throws {
        let fitted = pipeline()
        let table = try fitted.readCSV(text: "a,y\n1.7e308,x\n1.6e308,y\n1.7e308,x\n-1.7e308,y\n", target: "y")
        let error = try #require(dataError { try fitted.fit(table) })
        #expect(error.line == 5 && error.column == "a")
        #expect(error.message.hasPrefix("-1.7e+308 overflows to infinity when scaled by the StandardScaler ((x - 8.25e+307)"))
        #expect(error.message.hasSuffix("fitted on the training rows; values this close to float64's limit (±1.8e308) "
                                        + "cannot be scaled"))
    }

    @Test func valuesNear1e200StillFit() throws {
        let fitted = pipeline()
        try fitted.fit(try fitted.readCSV(text: "a,b,y\n1e200,2,x\n2e200,3,y\n3e200,1,x\n4e200,4,y\n-5e200,2,x\n"))
        #expect(fitted.isFitted)
    }

    /// A table holding a non-finite value itself (built in code; a CSV refuses one) keeps the estimator's error.
    @Test func aNonFiniteValueOfTheTableKeepsTheEstimatorsError() throws {
        let fitted = pipeline()
        try fitted.fit(try fitted.readCSV(text: trainingCSV))
        var table = try fitted.readCSV(text: "a,b\n1,0.1\n2,0.2\n")
        table.features[3] = .infinity
        #expect(throws: MLPError.nonFiniteInput(what: "X", row: 1, column: 1, value: .infinity)) {
            _ = try fitted.predict(table)
        }
    }

    /// crossValScore names a non-finite input by its row in x, not by its row in the fold's matrix.
    @Test func crossValScoreNamesTheRowOfX() throws {
        var p = MLPParameters()
        p.hiddenLayerSizes = [2]
        p.maxIter = 2
        var values: [Double] = (0..<10).map { Double($0) }
        values[7] = -1.7e308
        values[8] = 1.7e308
        values[9] = 1.7e308
        let x = Matrix(rows: 10, columns: 1, storage: values)
        do {
            _ = try crossValScore(regressor: p, x, values.map { _ in 1.0 }, cv: 2)
            Issue.record("no error")
        } catch let MLPError.nonFiniteInput(what, row, column, _) {
            // The first fold trains on rows 5...9, where centring -1.7e308 overflows: row 7 of x (row 2 of the fold).
            #expect(what == "X" && row == 7 && column == 0)
        }
    }
}
