import Foundation
import MLPTestSupport
import Testing
@testable import MLPCore
import MLPDatasets

// The RFC 4180 corpus, the error corpus, the number parser against strtod, a fuzz test and a write→read round trip.

private func read(_ text: String, _ options: CSVReadOptions = CSVReadOptions(),
                  encoding: FeatureEncoding? = nil) throws -> DataTable {
    try CSVReader.read(text: text, source: "t.csv", options: options, encoding: encoding)
}

private func readError(_ text: String, _ options: CSVReadOptions = CSVReadOptions(),
                       encoding: FeatureEncoding? = nil) -> DataError? {
    do { _ = try read(text, options, encoding: encoding); return nil } catch let e as DataError { return e } catch {
        Issue.record("unexpected error type \(error)"); return nil
    }
}

private func readBytes(_ bytes: [UInt8], _ options: CSVReadOptions = CSVReadOptions()) throws -> DataTable {
    try bytes.withUnsafeBufferPointer { try CSVReader.read(bytes: $0, source: "t.csv", options: options) }
}

@Suite struct CSVParsingTests {
    @Test(arguments: [
        "a,b,y\n1,2,x\n3,4,z\n",          // LF
        "a,b,y\r\n1,2,x\r\n3,4,z\r\n",    // CRLF
        "a,b,y\r1,2,x\r3,4,z\r",          // CR
        "a,b,y\n1,2,x\n3,4,z",            // no final newline
        "\u{FEFF}a,b,y\n1,2,x\n3,4,z\n",  // BOM
        "a,b,y\n1,2,x\n3,4,z\n\n\n  \n",  // blank trailing lines
        "\n\na,b,y\n\n1,2,x\n\r\n3,4,z\n", // blank lines anywhere
        "a , b ,y\n 1 , 2 ,x\n\t3,4\t,z\n", // spaces and tabs around fields
        "\"a\",\"b\",\"y\"\n\"1\",2,\"x\"\n3,\"4\",z\n", // quoted
        "a,b,y,\n1,2,x,\n3,4,z,\n",       // trailing delimiter
        "a,b,y\n1,2,x,\n3,4,z\n",         // trailing delimiter on one row
    ])
    func simpleVariants(text: String) throws {
        let t = try read(text)
        #expect(t.featureNames == ["a", "b"])
        #expect(t.targetName == "y")
        #expect(t.features == [1, 2, 3, 4])
        #expect(t.targetLabels == ["x", "z"])
        #expect(t.rowCount == 2)
    }

    @Test func quotedFieldsHoldDelimitersQuotesAndNewlines() throws {
        let text = "x,label\n1,\"a, b\"\n2,\"say \"\"hi\"\"\"\n3,\"two\r\nlines\"\n4,\"q\"\n5,\"x\ny\"\n"
        let t = try read(text)
        #expect(t.targetLabels[3] == "q")
        #expect(t.targetLabels[0] == "a, b")
        #expect(t.targetLabels[1] == "say \"hi\"")
        #expect(t.targetLabels[2] == "two\r\nlines")
        #expect(t.targetLabels[4] == "x\ny")
        // Lines are physical: the record after a quoted line break starts two lines later.
        #expect(t.lines == [2, 3, 4, 6, 7])
    }

    /// `""` alone on a line is a record of one empty field, not a blank line: a one-column file keeps the row (its
    /// prediction stays on its line), and a wider file names it as short.
    @Test func aLoneQuotedEmptyFieldIsARecord() throws {
        let fitted = try read("x,y\n1,a\n3,b\n", CSVReadOptions(impute: .mean))
        let p = try read("x\n1\n\"\"\n5\n", CSVReadOptions(targetIsOptional: true), encoding: fitted.encoding)
        #expect(p.rowCount == 3)
        #expect(p.features == [1, 2, 5])
        #expect(p.lines == [2, 3, 4])
        #expect(readError("a,y\n1,x\n\"\"\n2,z\n")?.description == "t.csv, line 3: expected 2 fields, saw 1")
    }

    @Test func emptyQuotedTargetIsMissing() {
        let e = readError("x,label\n1,\"\"\n")
        #expect(e?.kind == .missingValue)
    }

    @Test func bomBeforeFirstRowWithoutHeader() throws {
        let t = try read("\u{FEFF}1,2,a\n3,4,b\n", CSVReadOptions(hasHeader: false))
        #expect(t.featureNames == ["0", "1"])
        #expect(t.targetName == "2")
        #expect(t.features == [1, 2, 3, 4])
    }

    @Test func targetByNameAnywhere() throws {
        let t = try read("y,a,b\nu,1,2\nv,3,4\n", CSVReadOptions(target: "y"))
        #expect(t.featureNames == ["a", "b"])
        #expect(t.targetLabels == ["u", "v"])
    }

    @Test func numericTargetForRegression() throws {
        let t = try read("a,y\n1,0.5\n2,-1e3\n", CSVReadOptions(targetKind: .numeric))
        #expect(t.targetValues == [0.5, -1000])
    }

    @Test func floatConversion() throws {
        let t = try read("a,y\n0.1,0\n", CSVReadOptions())
        #expect(t.featuresAsFloat() == [Float(0.1)])
    }
}

@Suite struct CSVErrorTests {
    @Test func ragged() {
        let e = readError("a,b,y\n1,2,x\n1,2,3,4\n")
        #expect(e?.kind == .ragged)
        #expect(e?.line == 3)
        #expect(e?.description == "t.csv, line 3: expected 3 fields, saw 4")
        #expect(readError("a,b,y\n1,2\n")?.description == "t.csv, line 2: expected 3 fields, saw 2")
    }

    @Test func unterminatedQuote() {
        let e = readError("a,y\n1,\"open\n2,b\n")
        #expect(e?.kind == .unterminatedQuote)
        #expect(e?.line == 2)
    }

    @Test func strayCharacterAfterQuote() {
        #expect(readError("a,y\n1,\"b\"c\n")?.kind == .malformed)
    }

    @Test func nulByte() throws {
        let e = readErrorBytes(Array("a,y\n1,b\n2,".utf8) + [0] + Array("c\n".utf8))
        #expect(e?.kind == .nulByte)
        #expect(e?.line == 3)
    }

    @Test(arguments: [[0xFF], [0xC3], [0xE2, 0x28, 0xA1], [0xED, 0xA0, 0x80], [0xF5, 0x80, 0x80, 0x80]] as [[UInt8]])
    func invalidUTF8(bad: [UInt8]) {
        let e = readErrorBytes(Array("a,y\n1,b\n2,x".utf8) + bad + Array("\n".utf8))
        #expect(e?.kind == .invalidUTF8)
        #expect(e?.line == 3)
    }

    @Test func validUTF8IsAccepted() throws {
        let t = try read("a,y\n1,café\n2,日本\n3,😀\n")
        #expect(t.targetLabels == ["café", "日本", "😀"])
    }

    @Test func fieldTooLong() {
        var options = CSVReadOptions()
        options.limits.maxFieldBytes = 10
        #expect(readError("a,y\n1,\(String(repeating: "x", count: 11))\n", options)?.kind == .tooLarge)
        #expect(readError("a,y\n1,\"\(String(repeating: "x", count: 50))\n", options)?.kind == .tooLarge)
        options.limits.maxColumns = 3
        #expect(readError("a,b,c,d\n", options)?.kind == .tooLarge)
    }

    @Test(arguments: ["", "\n\n", "  \n\r\n", "\u{FEFF}"])
    func empty(text: String) {
        let e = readError(text)
        #expect(e?.kind == .empty)
        #expect(e?.message.hasPrefix("no columns to parse") == true)
    }

    @Test func headerOnly() {
        #expect(readError("a,b,y\n")?.message == "no data rows: the file holds only a header")
    }

    @Test func onlyTargetColumn() {
        #expect(readError("y\n1\n")?.message.hasPrefix("no feature columns") == true)
    }

    @Test func nonNumericFeature() {
        let e = readError("a,b,y\n1,2,x\n3,abc,z\n")
        #expect(e?.kind == .nonNumeric)
        #expect(e?.description
            == "t.csv, line 3, column 'b': could not convert 'abc' to a number; use CSVReadOptions.oneHot [\"b\"] to encode it "
               + "as categories or CSVReadOptions.drop [\"b\"] to leave it out")
        #expect(e?.description(naming: .flags)
            == "t.csv, line 3, column 'b': could not convert 'abc' to a number; use --one-hot b to encode it as categories or --drop b to leave it out")
    }

    @Test(arguments: ["", "NA", "NaN", "nan", "null", "N/A"])
    func missingFeature(cell: String) {
        let e = readError("a,b,y\n1,2,x\n3,\(cell),z\n")
        #expect(e?.kind == .missingValue)
        #expect(e?.line == 3)
        #expect(e?.column == "b")
    }

    @Test(arguments: ["inf", "-inf", "Infinity", "1e400"])
    func nonFinite(cell: String) {
        let e = readError("a,y\n\(cell),x\n")
        #expect(e?.kind == .nonFinite)
        #expect(e?.line == 2)
    }

    @Test func regressionTargetErrors() {
        let options = CSVReadOptions(targetKind: .numeric)
        #expect(readError("a,y\n1,setosa\n", options)?.kind == .nonNumeric)
        #expect(readError("a,y\n1,\n", options)?.kind == .missingValue)
        #expect(readError("a,y\n1,inf\n", options)?.kind == .nonFinite)
    }

    @Test func unknownColumns() {
        #expect(readError("a,y\n1,x\n", CSVReadOptions(target: "z"))?.message.hasPrefix("no column named 'z'") == true)
        // A list of columns where one is missing names the missing one (a list of existing ones is read:
        // MultiOutputTests).
        #expect(readError("a,w,wa\n1,2,3\n", CSVReadOptions(target: "w,zz"))?.message.hasPrefix("no column named 'zz'") == true)
        #expect(readError("a,y\n1,x\n", CSVReadOptions(oneHot: ["q"]))?.kind == .unknownColumn)
        #expect(readError("a,y\n1,x\n", CSVReadOptions(oneHot: ["y"]))?.kind == .unknownColumn)
    }

    @Test func duplicateColumn() {
        #expect(readError("a,a,y\n1,2,x\n")?.kind == .duplicateColumn)
    }
}

private func readErrorBytes(_ bytes: [UInt8]) -> DataError? {
    do { _ = try readBytes(bytes); return nil } catch { return error as? DataError }
}

@Suite struct CSVEncodingTests {
    @Test func oneHotSortedAndApplied() throws {
        let text = "n,color,y\n1,red,a\n2,blue,b\n3,green,a\n4,red,b\n"
        let t = try read(text, CSVReadOptions(oneHot: ["color"]))
        #expect(t.featureNames == ["n", "color_blue", "color_green", "color_red"])
        #expect(t.features == [1, 0, 0, 1, 2, 1, 0, 0, 3, 0, 1, 0, 4, 0, 0, 1])
        // Predicting: columns matched by name, in any order, target optional and ignored.
        let p = try read("color,n\ngreen,7\n", CSVReadOptions(targetIsOptional: true), encoding: t.encoding)
        #expect(p.features == [7, 0, 1, 0])
        #expect(p.targetName == nil)
        let e = readError("color,n\npurple,7\n", CSVReadOptions(), encoding: t.encoding)
        #expect(e?.kind == .unknownCategory)
    }

    @Test func numericCategoriesSortNumerically() throws {
        let t = try read("c,y\n10,a\n9,b\n-1,a\n", CSVReadOptions(oneHot: ["c"]))
        #expect(t.featureNames == ["c_-1", "c_9", "c_10"])
    }

    @Test func imputeMeanAndMedian() throws {
        let text = "a,b,y\n1,10,x\nNA,20,x\n3,,x\n5,60,x\n"
        let mean = try read(text, CSVReadOptions(impute: .mean))
        #expect(mean.features == [1, 10, 3, 20, 3, 30, 5, 60])
        #expect(mean.encoding.imputeValues == [3, 30])
        let median = try read(text, CSVReadOptions(impute: .median))
        #expect(median.features == [1, 10, 3, 20, 3, 20, 5, 60])
        // Stored statistics are applied when predicting.
        let p = try read("a,b\n,\n", CSVReadOptions(), encoding: mean.encoding)
        #expect(p.features == [3, 30])
        // A model trained without imputation refuses missing values.
        let plain = try read("a,b,y\n1,2,x\n")
        #expect(readError("a,b\n1,NA\n", CSVReadOptions(), encoding: plain.encoding)?.kind == .missingValue)
        #expect(readError("a,y\nNA,x\n", CSVReadOptions(impute: .mean))?.message.hasPrefix("only missing") == true)
    }

    @Test func predictMissingColumnAndCountMismatch() throws {
        let t = try read("a,b,y\n1,2,x\n")
        #expect(readError("a,y\n1,x\n", CSVReadOptions(), encoding: t.encoding)?.kind == .featureMismatch)
        let e = readError("1,2,3\n", CSVReadOptions(hasHeader: false), encoding: t.encoding)
        #expect(e?.message == "X has 3 features, but the model expects 2")
        let ok = try read("5,6\n", CSVReadOptions(hasHeader: false), encoding: t.encoding)
        #expect(ok.features == [5, 6])
    }

    @Test func labelsSortNumericallyAndRefuseContinuous() throws {
        let labels = try ClassLabels(["10", "9", "-1", "9.0", "10"])
        #expect(labels.classes == ["-1", "9", "10"])
        #expect(labels.indices == [2, 1, 0, 1, 2])
        let strings = try ClassLabels(["b", "a", "B"])
        #expect(strings.classes == ["B", "a", "b"])
        #expect(labels.classLabels == [.number(-1), .number(9), .number(10)])
        #expect(strings.classLabels == [.string("B"), .string("a"), .string("b")])
        #expect(throws: DataError.self) { try ClassLabels(["0.5", "1"]) }
        #expect(try ClassLabels.encode(["9.0", "-1"], classes: labels.classes) == [1, 0])
        #expect(throws: DataError.self) { try ClassLabels.encode(["7"], classes: labels.classes) }
    }
}

@Suite struct NumberParserTests {
    private func parse(_ s: String) -> ParsedCell {
        var copy = s
        return copy.withUTF8 { parseCell($0) }
    }

    @Test func agreesWithStrtodOnRandomDecimals() {
        var generator = SeededGenerator(seed: 42)
        for _ in 0..<200_000 {
            let mantissa = generator.next() >> UInt64(generator.next() % 64)
            let exponent = Int(generator.next() % 80) - 40
            let digits = String(mantissa)
            let point = Int(generator.next() % UInt64(digits.count + 1))
            var text = String(digits.prefix(point)) + "." + String(digits.dropFirst(point))
            if generator.next() % 2 == 0 { text += "e\(exponent)" }
            if generator.next() % 3 == 0 { text = "-" + text }
            guard case .number(let v) = parse(text) else { Issue.record("did not parse \(text)"); return }
            let expected = strtod(text, nil)
            if v.bitPattern != expected.bitPattern { Issue.record("\(text): got \(v), strtod \(expected)"); return }
        }
    }

    @Test func edgeCases() {
        func value(_ s: String) -> Double? { if case .number(let v) = parse(s) { return v } else { return nil } }
        #expect(value("0")?.bitPattern == 0.0.bitPattern)
        #expect(value("-0")?.bitPattern == (-0.0).bitPattern)
        #expect(value("+1.5") == 1.5)
        #expect(value(".5") == 0.5)
        #expect(value("5.") == 5)
        #expect(value("1E3") == 1000)
        #expect(value("4.9406564584124654e-324") == Double.leastNonzeroMagnitude)
        #expect(value("2.2250738585072014e-308") == Double.leastNormalMagnitude)
        #expect(value("1.7976931348623157e308") == Double.greatestFiniteMagnitude)
        #expect(value("123456789012345678901234567890") == 123456789012345678901234567890.0)
        #expect(value("12345678901234567890000") == 12345678901234567890000.0)
        #expect(value("0.000000000000000000000000000001") == 1e-30)
        #expect(value("1e-400") == 0)
        for bad in ["abc", "1.2.3", "1e", "e5", "-", ".", "0x10", "1,5", "1 2", "--1", "1e+"] {
            if case .invalid = parse(bad) {} else { Issue.record("\(bad) should be invalid") }
        }
    }
}

@Suite struct CSVFuzzTests {
    @Test func randomBytesParseOrThrowDataError() {
        var rng = SeededGenerator(seed: 7)
        let alphabet: [UInt8] = Array("0123456789.,-e\"\r\n \tabNA".utf8) + [0, 0xEF, 0xBB, 0xBF, 0xFF, 0xC3, 0xA9]
        for round in 0..<40 {
            let count = round == 0 ? 1 << 16 : Int(rng.next() % 4096)
            let bytes = (0..<count).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }
            for hasHeader in [true, false] {
                do { _ = try readBytes(bytes, CSVReadOptions(hasHeader: hasHeader)) } catch is DataError {} catch {
                    Issue.record("round \(round): unexpected \(error)")
                }
            }
        }
    }

    @Test func writeThenReadIsIdentity() throws {
        var rng = SeededGenerator(seed: 11)
        for _ in 0..<50 {
            let rows = Int(rng.next() % 20) + 1, cols = Int(rng.next() % 6) + 1
            var values: [Double] = []
            var labels: [String] = []
            var text = (0..<cols).map { "c\($0)" }.joined(separator: ",") + ",\"the, \"\"label\"\"\"\r\n"
            for _ in 0..<rows {
                var fields: [String] = []
                for _ in 0..<cols {
                    let v = Double(bitPattern: rng.next() >> 2) * (rng.next() % 2 == 0 ? 1 : -1)
                    let finite = v.isFinite ? v : 1.5
                    values.append(finite)
                    fields.append("\(finite)")
                }
                let label = ["a", "b,c", "d\"e", "f\ng", " spaced"][Int(rng.next() % 5)]
                labels.append(label.hasPrefix(" ") ? label.trimmingCharacters(in: .whitespaces) : label)
                fields.append("\"" + label.replacingOccurrences(of: "\"", with: "\"\"") + "\"")
                text += fields.joined(separator: ",") + (rng.next() % 2 == 0 ? "\n" : "\r\n")
            }
            let t = try read(text)
            #expect(t.targetName == "the, \"label\"")
            #expect(t.features.map(\.bitPattern) == values.map(\.bitPattern))
            // Quoted fields keep their inner spaces.
            #expect(t.targetLabels.map { $0.trimmingCharacters(in: .whitespaces) } == labels)
        }
    }
}

@Suite struct BundledDatasetTests {
    @Test func allLoad() throws {
        let seed = try BundledDataset.seed.read()
        #expect(seed.rowCount == 10 && seed.featureNames == ["x1", "x2"] && seed.targetName == "sale")
        let iris = try BundledDataset.iris.read()
        #expect(iris.rowCount == 150 && iris.featureCount == 4)
        #expect(try ClassLabels(iris.targetLabels).classes == ["setosa", "versicolor", "virginica"])
        let digits = try BundledDataset.digits.read()
        #expect(digits.rowCount == 1797 && digits.featureCount == 64 && digits.targetName == "digit")
        #expect(try ClassLabels(digits.targetLabels).classes == (0...9).map(String.init))
    }

    /// The compiled-in text is the CSV file in Datasets/, byte for byte (rerun Scripts/embed_datasets.py if not).
    @Test(arguments: BundledDataset.allCases)
    func embeddedTextEqualsTheCSVFile(_ dataset: BundledDataset) throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let file = try Data(contentsOf: root.appendingPathComponent("Datasets/\(dataset.rawValue).csv"))
        #expect(Array(dataset.csv.utf8) == Array(file))
    }
}
