import Testing
@testable import MLPCore

// Error messages advise settings (a column to one-hot encode, an imputation strategy): a library caller reads them
// as code, a user of the `mlp` tool as flags, from the same error.
@Suite struct AdvisedSettingTests {
    /// Each setting rendered both ways inside a sentence, the text around it unchanged.
    @Test func everySettingIsNamedAsCodeAndAsAFlag() {
        let cases: [(AdvisedSetting, code: String, flag: String)] = [
            (.target, "CSVReadOptions.target", "--target"),
            (.drop(column: "b c"), "CSVReadOptions.drop [\"b c\"]", "--drop b c"),
            (.idColumn, "CSVReadOptions.idColumn", "--id"),
            (.oneHot(column: "color"), "CSVReadOptions.oneHot [\"color\"]", "--one-hot color"),
            (.delimiter, "CSVReadOptions.delimiter", "--delimiter"),
            (.impute(strategies: "mean|median"), "CSVReadOptions.impute (.mean or .median)", "--impute mean|median"),
            (.impute(strategies: nil), "CSVReadOptions.impute", "--impute"),
            (.oneHot(column: nil), "CSVReadOptions.oneHot", "--one-hot"),
            (.drop(column: ""), "CSVReadOptions.drop [\"\"]", "--drop "),
            (.regression, "an MLPRegressor (TargetKind.numeric)", "--regression"),
            (.maxMemory, "CSVLimits.maxMemoryBytes", "--max-memory"),
            (.warmStart, "warmStart", "--warm-start"),
            (.testSize, "the test fraction", "--test-size"),
            (.outOfCore, "an out-of-core fit (MLPDataConverter and its .mlpdata cache)",
             "streamed training (--stream, --cache, an .mlpdata file, mlp convert)"),
        ]
        for (setting, code, flag) in cases {
            let message = "use \(advising: setting) here; then \(advising: setting)."
            #expect(AdvisedSetting.render(message, .code) == "use \(code) here; then \(code).")
            #expect(AdvisedSetting.render(message, .flags) == "use \(flag) here; then \(flag).")
        }
    }

    /// A data error keeps one message and names the settings for whoever reads it; the place comes first either way.
    @Test func aDataErrorNamesSettingsForItsReader() throws {
        var caught: DataError?
        do { _ = try CSVReader.read(text: "a,b,y\n1,2,x\n3,,z\n", source: "t.csv") } catch let error as DataError { caught = error }
        let error = try #require(caught)
        #expect(error.message == "missing value (an empty cell); use CSVReadOptions.impute (.mean or .median) to fill it")
        #expect(error.message(naming: .flags) == "missing value (an empty cell); use --impute mean|median to fill it")
        #expect(error.description(naming: .flags) == "t.csv, line 3, column 'b': " + error.message(naming: .flags))
        #expect(!error.description.contains("--"))
    }

    /// A cell holding the marker characters is shown escaped, so it can neither pose as a setting nor swallow text.
    @Test func aCellCannotPoseAsASetting() throws {
        let cell = "\u{E000}drop\u{E002}q\u{E001}"
        var caught: DataError?
        do { _ = try CSVReader.read(text: "a,y\n\(cell),x\n", source: "t.csv") } catch let error as DataError { caught = error }
        let error = try #require(caught)
        #expect(error.kind == .nonNumeric)
        #expect(error.message(naming: .flags).hasPrefix("could not convert '\\u{E000}drop\\u{E002}q\\u{E001}' to a number"))
        #expect(AdvisedSetting.render("keep \u{E000}no separator\u{E001} as is", .flags) == "keep \u{E000}no separator\u{E001} as is")
        // A column name holding the marker characters loses them in the marker, not the text around it.
        let named = "use \(advising: .drop(column: "a\u{E001}b")) here"
        #expect(AdvisedSetting.render(named, .flags) == "use --drop ab here")
    }
}
