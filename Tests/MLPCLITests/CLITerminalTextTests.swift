import Foundation
import MLP
import Testing

/// The line breaks of a text, counted by Unicode scalar: Swift's `split(separator: "\n")` leaves "\r\n" whole.
private func lineBreaks(_ text: String) -> Int {
    text.unicodeScalars.filter { $0 == "\n" || $0 == "\r" || $0 == "\u{85}" || $0 == "\u{2028}" || $0 == "\u{2029}" }.count
}

/// Labels and column names come from the file, and CSV quotes let them hold line breaks. On the terminal each stays on
/// one line, its breaks escaped as the other control characters are (`\n`, `\r`, `\u{2028}`); CSV and JSON output
/// keep the real text.
@Suite struct CLITerminalTextTests {
    /// Classes "multi\nline", "x": a line break in a label, in a table of two classes.
    static let multiline = "a,b,lab\n1,2,x\n2,3,\"multi\nline\"\n1,1,x\n2,2,\"multi\nline\"\n"

    @Test func lineBreaksInLabelsStayOnOneLineInInspectAndEvaluate() throws {
        let dir = try CLI.temporaryDirectory()
        try CLI.write(Self.multiline, to: dir + "/q.csv")
        #expect(try CLI.run(["train", "q.csv", "-o", "q.mlp", "--max-iter", "3", "-q"], in: dir).code == 0)

        let inspect = try CLI.run(["inspect", "q.mlp"], in: dir)
        #expect(inspect.code == 0, "\(inspect.stderr)")
        #expect(inspect.stdout.contains("classes (2): multi\\nline, x\n"), "\(inspect.stdout)")
        #expect(!inspect.stdout.contains("multi\nline"))

        let evaluate = try CLI.run(["evaluate", "q.mlp", "q.csv"], in: dir)
        #expect(evaluate.code == 0, "\(evaluate.stderr)")
        #expect(!evaluate.stdout.contains("multi\nline"))
        let lines = evaluate.stdout.components(separatedBy: "\n")
        // The confusion matrix's header names both classes on one line, and each class has one row per table.
        #expect(lines.contains { $0.contains("multi\\nline") && $0.hasSuffix(" x") }, "\(evaluate.stdout)")
        #expect(lines.filter { $0.hasPrefix("multi\\nline ") }.count == 2, "\(evaluate.stdout)")
        #expect(!lines.contains { $0.hasPrefix("line") })
    }

    /// A label with a comma would read as two in a comma-separated list: inspect quotes every name of that list.
    @Test func labelsWithCommasAreQuotedInInspect() throws {
        let dir = try CLI.temporaryDirectory()
        try CLI.write("a,lab\n1,\"x, y\"\n2,z\n3,\"x, y\"\n4,z\n", to: dir + "/c.csv")
        #expect(try CLI.run(["train", "c.csv", "-o", "c.mlp", "--max-iter", "3", "-q"], in: dir).code == 0)
        let inspect = try CLI.run(["inspect", "c.mlp"], in: dir)
        #expect(inspect.code == 0, "\(inspect.stderr)")
        #expect(inspect.stdout.contains("classes (2): 'x, y', 'z'\n"), "\(inspect.stdout)")
        #expect(inspect.stdout.contains("features (1): a\n"), "plain names stay unquoted: \(inspect.stdout)")
    }

    @Test func carriageReturnsAndUnicodeLineSeparatorsAreEscapedToo() throws {
        let dir = try CLI.temporaryDirectory()
        try CLI.write("a,b,y\n1,2,\"p\rq\"\n2,3,\"u\u{2028}v\"\n3,1,\"n\u{85}l\"\n1,1,\"p\rq\"\n2,2,\"u\u{2028}v\"\n3,3,\"n\u{85}l\"\n",
                      to: dir + "/r.csv")
        #expect(try CLI.run(["train", "r.csv", "-o", "r.mlp", "--max-iter", "3", "-q"], in: dir).code == 0)
        for args in [["inspect", "r.mlp"], ["evaluate", "r.mlp", "r.csv"]] {
            let r = try CLI.run(args, in: dir)
            #expect(r.code == 0, "\(r.stderr)")
            #expect(!r.stdout.unicodeScalars.contains { $0 == "\r" || $0 == "\u{2028}" || $0 == "\u{85}" }, "\(args)")
            for shown in ["p\\rq", "u\\u{2028}v", "n\\u{85}l"] { #expect(r.stdout.contains(shown), "\(args): \(r.stdout)") }
        }
    }

    @Test func anErrorNamingALabelOrAColumnWithALineBreakIsOneLine() throws {
        let dir = try CLI.temporaryDirectory()
        try CLI.write(Self.multiline, to: dir + "/q.csv")
        #expect(try CLI.run(["train", "q.csv", "-o", "q.mlp", "--max-iter", "3", "-q"], in: dir).code == 0)
        try CLI.write("a,b,lab\n1,2,\"brand\nnew\"\n", to: dir + "/u.csv")
        let unseen = try CLI.run(["evaluate", "q.mlp", "u.csv"], in: dir)
        expectCleanError(unseen, code: 1, contains: "u.csv, line 2, column 'lab': unknown label 'brand\\nnew'; "
                         + "the model's classes are 'multi\\nline', 'x'")
        #expect(lineBreaks(unseen.stderr) == 1, "\(unseen.stderr)")

        try CLI.write("a,\"b\nc\",y\n1,2,0\n", to: dir + "/n.csv")
        let column = try CLI.run(["train", "n.csv", "--target", "zz"], in: dir)
        expectCleanError(column, code: 1, contains: "no column named 'zz' for the target (columns: 'a', 'b\\nc', 'y')")
        #expect(lineBreaks(column.stderr) == 1, "\(column.stderr)")

        let option = try CLI.run(["train", "n.csv", "--target", "z\r\nz"], in: dir)
        expectCleanError(option, code: 1, contains: "no column named 'z\\r\\nz'")
        #expect(lineBreaks(option.stderr) == 1, "\(option.stderr)")
    }

    /// predict's CSV keeps the label as it is, quoted, so that a CSV reader reads it back; --json keeps it too.
    @Test func predictAndJSONKeepTheRealText() throws {
        let dir = try CLI.temporaryDirectory()
        try CLI.write(Self.multiline, to: dir + "/q.csv")
        #expect(try CLI.run(["train", "q.csv", "-o", "q.mlp", "--max-iter", "3", "-q"], in: dir).code == 0)
        let predicted = try CLI.run(["predict", "q.mlp", "q.csv", "--proba", "-o", "p.csv"], in: dir)
        #expect(predicted.code == 0, "\(predicted.stderr)")
        // Read back as CSV: the label column and the header's class columns hold the label with its line break.
        let text = try String(contentsOfFile: dir + "/p.csv", encoding: .utf8)
        #expect(text.hasPrefix("lab,\"multi\nline\",x\n"), "\(text)")
        let table = try CSVReader.read(text: text, options: CSVReadOptions(target: "lab"))
        #expect(table.rowCount == 4)
        #expect(table.featureNames == ["multi\nline", "x"])
        #expect(Set(table.targetLabels).isSubset(of: ["multi\nline", "x"]), "\(table.targetLabels)")

        let json = try CLI.run(["evaluate", "q.mlp", "q.csv", "--json"], in: dir)
        #expect(json.code == 0, "\(json.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["classes"] as? [String] == ["multi\nline", "x"])
    }

    /// L-BFGS's ConvergenceWarning is scikit-learn's several lines; `mlp cv` prints it on one, as `mlp train` does.
    @Test func cvPrintsEachWarningOnOneLine() throws {
        let r = try CLI.run(["cv", "--dataset", "iris", "--solver", "lbfgs", "--max-iter", "3", "--folds", "2"])
        #expect(r.code == 0, "\(r.stderr)")
        let lines = r.stderr.components(separatedBy: "\n").filter { !$0.isEmpty }
        #expect(lines.count == 2, "\(r.stderr)")
        #expect(lines.allSatisfy { $0.hasPrefix("mlp: warning: fold ") && $0.hasSuffix("REACHED LIMIT") }, "\(r.stderr)")
    }

    /// `mlp compare` shows what the files hold: a value with an escape sequence or a line break stays one cell.
    @Test func compareEscapesTheCellsItShows() throws {
        let dir = try CLI.temporaryDirectory()
        try CLI.write("{\"n_iter\": 3, \"loss\": \"\\u001b[31mred\\nline\"}", to: dir + "/run.json")
        let r = try CLI.run(["compare", "run.json"], in: dir)
        #expect(r.code == 0, "\(r.stderr)")
        #expect(!r.stdout.contains("\u{1B}"))
        #expect(r.stdout.contains("\\u{1B}[31mred\\nline"), "\(r.stdout)")
        #expect(lineBreaks(r.stdout) == 2, "\(r.stdout)")
    }

    /// `mlp diagnose` ends with a command to paste: a target name with a line break or an escape sequence is quoted
    /// as bash's $'…', on one line, and pastes back to the same name.
    @Test func diagnoseQuotesATargetNameWithControlCharactersForTheShell() throws {
        let dir = try CLI.temporaryDirectory()
        var csv = "a,b,\"the\nlabel\u{1B}[31m\"\n"
        for i in 0..<40 { csv += "\(i % 7),\(i % 3),\(i % 2 == 0 ? "y" : "x")\n" }
        try CLI.write(csv, to: dir + "/d.csv")
        let r = try CLI.run(["diagnose", "d.csv", "--max-iter", "5", "--random-states", "2", "--time-budget", "2", "-q"],
                            in: dir)
        #expect(r.code == 0, "\(r.stderr)")
        #expect(!r.stdout.contains("\u{1B}"))
        let line = try #require(r.stdout.components(separatedBy: "\n").first { $0.hasPrefix("recommended: mlp train ") })
        #expect(line.contains("--target $'the\\nlabel\\x1B[31m'"), "\(line)")
        let echoed = try shell("printf '%s' \(line.components(separatedBy: " --target ")[1].components(separatedBy: " ")[0])",
                               in: dir)
        #expect(echoed.stdout == "the\nlabel\u{1B}[31m")
    }
}
