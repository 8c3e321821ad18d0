import Foundation
import MLPTestSupport
import Testing
@testable import MLPCore
@testable import MLPModelFile

// What held-out evaluation needs from the CSV reader and the pipeline: delimiters, dropped and id columns, an
// encoding learnt from some rows only, row subsets, and a standardized regression target stored in the model.

private let table = """
    id,size,color,weight,label
    a,1.5,red,10,small
    b,2.5,blue,,large
    c,1.0,green,12,small
    d,3.5,red,30,large
    e,,blue,8,small
    f,4.0,green,35,large
    """

@Suite struct CSVDelimiterTests {
    @Test(arguments: [(",", UInt8(0x2C)), (";", 0x3B), ("\t", 0x09), ("|", 0x7C)])
    func theDelimiterIsDetectedFromTheFirstLine(_ delimiter: String, _ byte: UInt8) throws {
        let text = "a\(delimiter)b\(delimiter)c\n1\(delimiter)\"x,y;z\"\(delimiter)3\n"
        var copy = text
        let detected = copy.withUTF8 { CSVTokenizer.detectDelimiter($0) }
        #expect(detected == byte)
        let parsed = try CSVReader.read(text: text, options: CSVReadOptions(target: "c", oneHot: ["b"]))
        #expect(parsed.featureNames == ["a", "b_x,y;z"])
        #expect(parsed.features == [1, 1])
    }

    /// A tie goes to the earlier of comma, semicolon, tab and `|`; a line with none of them is one comma-separated column.
    @Test(arguments: [("a;b,c", UInt8(0x2C)), ("a|b\tc", 0x09), ("a|b;c", 0x3B), ("a\tb;c|d,e", 0x2C),
                      ("a|b|c;d", 0x7C), ("\"x;y;z\",b", 0x2C), ("\n\nab\n", 0x2C)])
    func tiesGoToTheEarlierCandidate(_ firstLine: String, _ byte: UInt8) {
        var text = firstLine + "\n1;2|3\t4,5\n"
        #expect(text.withUTF8 { CSVTokenizer.detectDelimiter($0) } == byte, "\(firstLine.debugDescription)")
    }

    @Test func aGivenDelimiterWins() throws {
        // The first line has more commas than semicolons; the option says semicolons.
        let text = "a;b,c,d\n1;2\n"
        let parsed = try CSVReader.read(text: text, options: CSVReadOptions(target: "b,c,d", delimiter: 0x3B))
        #expect(parsed.featureNames == ["a"])
        #expect(parsed.targetLabels == ["2"])
    }

    @Test func tabsInsideTabSeparatedFieldsAreDelimitersNotPadding() throws {
        // Row 1's empty 'b' between two tabs is a missing value, not padding around 'a'.
        let parsed = try CSVReader.read(text: "a\tb\ty\n1\t\t0\n2\t5\t1\n", options: CSVReadOptions(impute: .mean))
        #expect(parsed.featureNames == ["a", "b"])
        #expect(parsed.features == [1, 5, 2, 5])
    }
}

@Suite struct CSVColumnRoleTests {
    @Test func droppedAndIdColumnsAreLeftOutOfTheFeatures() throws {
        let options = CSVReadOptions(target: "label", oneHot: ["color"], impute: .mean, drop: ["weight"], idColumn: "id")
        let parsed = try CSVReader.read(text: table, options: options)
        #expect(parsed.featureNames == ["size", "color_blue", "color_green", "color_red"])
        #expect(parsed.ids == ["a", "b", "c", "d", "e", "f"])
        #expect(parsed.encoding.inputColumns == ["size", "color"])
    }

    @Test func unknownDropOrIdColumnsAreErrors() {
        #expect(throws: DataError.self) { try CSVReader.read(text: table, options: CSVReadOptions(drop: ["nope"])) }
        #expect(throws: DataError.self) { try CSVReader.read(text: table, options: CSVReadOptions(idColumn: "label")) }
    }

    /// A column that is the id or dropped is not a feature, so one-hot encoding it is an error, not a no-op.
    @Test func oneHotOnTheIdOrADroppedColumnIsAnError() {
        for options in [CSVReadOptions(target: "label", oneHot: ["id"], idColumn: "id"),
                        CSVReadOptions(target: "label", oneHot: ["weight"], drop: ["weight"])] {
            let error = #expect(throws: DataError.self) { try CSVReader.read(text: table, options: options) }
            #expect(error?.description.contains("only features can be encoded") == true, "\(error.map { "\($0)" } ?? "")")
        }
    }

    @Test func droppingEveryFeatureSaysSo() {
        let options = CSVReadOptions(target: "label", drop: ["size", "color", "weight"], idColumn: "id")
        let error = #expect(throws: DataError.self) { try CSVReader.read(text: table, options: options) }
        #expect(error?.description.contains("every column but the target 'label' is dropped or the id") == true)
    }

    @Test func theEncodingIsLearntFromTheGivenRowsOnly() throws {
        // Rows 0, 1, 3 and 5: the weight mean is (10 + 30 + 35) / 3 (row 1's is missing), the size mean 2.875.
        let options = CSVReadOptions(target: "label", oneHot: ["color"], impute: .mean, idColumn: "id",
                                     encodingRows: [3, 0, 1, 5])
        let parsed = try CSVReader.read(text: table, options: options)
        #expect(parsed.encoding.imputeValues == [2.875, nil, 25])
        #expect(parsed.row(1).last == 25)
        #expect(parsed.row(4).first == 2.875)
        // Over every row the statistics differ: the encoding did not look at rows 2 and 4.
        let all = try CSVReader.read(text: table, options: CSVReadOptions(target: "label", oneHot: ["color"],
                                                                          impute: .mean, idColumn: "id"))
        #expect(all.encoding.imputeValues != parsed.encoding.imputeValues)
    }

    @Test func aCategoryOutsideTheLearningRowsIsRefused() {
        // 'green' appears only in rows 2 and 5.
        let options = CSVReadOptions(target: "label", oneHot: ["color"], impute: .mean, idColumn: "id",
                                     encodingRows: [0, 1, 3, 4])
        #expect(throws: DataError.self) { try CSVReader.read(text: table, options: options) }
    }

    @Test func rowSubsetsKeepEveryColumnInStep() throws {
        let parsed = try CSVReader.read(text: table, options: CSVReadOptions(target: "label", oneHot: ["color"],
                                                                             impute: .median, idColumn: "id"))
        let subset = parsed.rows(at: [4, 0])
        #expect(subset.rowCount == 2)
        #expect(subset.ids == ["e", "a"])
        #expect(subset.targetLabels == ["small", "small"])
        #expect(Array(subset.row(1)) == Array(parsed.row(0)))
        #expect(subset.lines == [parsed.lines[4], parsed.lines[0]])
    }
}

@Suite struct TargetScalingTests {
    private func data() -> DataTable {
        var csv = "a,b,y\n"
        for i in 0..<60 {
            let a = Double(i % 6) / 3 - 1, b = Double(i % 5) / 2 - 1
            csv += "\(a),\(b),\(2500 + 700 * a - 400 * b)\n"
        }
        return try! CSVReader.read(text: csv, options: CSVReadOptions(target: "y", targetKind: .numeric))
    }

    @Test func theTargetIsStandardizedForFitAndRestoredOnPredict() throws {
        let table = data()
        let scaled = MLPPipeline(estimator: .regressor(MLPRegressor(hiddenLayerSizes: [8], maxIter: 200, randomState: 0)),
                                 targetScaling: .standard)
        try scaled.fit(table)
        let target = try #require(scaled.targetScaler)
        assertClose(target.mean, [table.targetValues.reduce(0, +) / 60], "target mean")
        // The network was fitted on the standardized target: its raw outputs are near unit scale.
        guard case .regressor(let network) = scaled.estimator else { Issue.record("not a Double regressor"); return }
        let raw = try network.predict(scaled.scaler!.transform(Matrix(rows: 60, columns: 2, storage: table.features)))
        #expect(raw.storage.map(abs).max()! < 10)
        let restored = try scaled.predictValues(table)
        assertClose(restored.storage, try target.inverseTransform(raw).storage, relative: 0, absolute: 0, "inverse transform")
        #expect(try scaled.score(table) > 0.9)

        let bare = MLPPipeline(estimator: .regressor(MLPRegressor(hiddenLayerSizes: [8], maxIter: 200, randomState: 0)))
        try bare.fit(table)
        #expect(bare.targetScaler == nil)
        #expect(try bare.score(table) < (try scaled.score(table)))
    }

    @Test func theTargetScalerIsSavedAndLoaded() throws {
        let table = data()
        let pipeline = MLPPipeline(estimator: .floatRegressor(MLPRegressor(hiddenLayerSizes: [4], maxIter: 30, randomState: 1)),
                                   targetScaling: .standard)
        try pipeline.fit(table)
        let model = try MLPModel(pipeline: pipeline)
        let file = model.modelFile()
        #expect(file.formatMinorVersion == 2)
        let loaded = try MLPModel(file: ModelFile.decode(file.encoded())).pipeline()
        #expect(loaded.targetScaler == pipeline.targetScaler)
        #expect(try loaded.predictValues(table) == (try pipeline.predictValues(table)))

        // Without target scaling the file stays format 1.1, readable by older readers.
        let bare = MLPPipeline(estimator: .regressor(MLPRegressor(hiddenLayerSizes: [4], maxIter: 5, randomState: 1)))
        try bare.fit(table)
        #expect(try MLPModel(pipeline: bare).modelFile().formatMinorVersion == 1)
    }
}
