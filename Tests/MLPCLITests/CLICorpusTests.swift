import Foundation
@testable import MLPCore
@testable import MLPModelFile
import Testing

// The corrupted-model corpus and the CSV edge-case corpus, through the built binary.

@Suite struct CLICorruptModelTests {
    /// Truncations and bit flips of a real model file: every one exits 1 with a one-line message, never a crash.
    @Test func corruptedModelsAreRefused() throws {
        let dir = try CLI.temporaryDirectory()
        let bytes = try SklearnFixture.all["seed"]!.model().modelFile().encoded()
        var cases: [(String, [UInt8], String)] = []
        for n in [0, 1, 7, 8, 20, 31, 32, 100, bytes.count / 2, bytes.count - 5, bytes.count - 1] {
            let expected = n == 0 ? "empty file" : n < 8 ? "truncated model file" : "truncated model file"
            cases.append(("truncated to \(n)", Array(bytes[0..<n]), expected))
        }
        for offset in stride(from: 33, to: bytes.count - 4, by: max(1, bytes.count / 12)) {
            var b = bytes
            b[offset] ^= 0x10
            cases.append(("bit flip at \(offset)", b, "corrupted model file: checksum mismatch"))
        }
        var b = bytes
        b[0] = 0x7F
        cases.append(("wrong magic", b, "not an mlp model file (wrong magic bytes)"))
        b = bytes
        b[8] = 9
        cases.append(("future version without restamp", b, "version 9.1"))
        b = Array(bytes.dropLast(4))
        b[8] = 2
        appendLE(&b, CRC32.checksum(b))
        cases.append(("future version", b, "model file format version 2.1 is not supported; this mlp reads 1.x"))
        b = bytes + [0, 0, 0]
        cases.append(("trailing bytes", b, "trailing bytes or a damaged header"))
        var file = try SklearnFixture.all["seed"]!.model().modelFile()
        file.arrays[0].values = .float64([Double](repeating: .nan, count: file.arrays[0].values.count))
        cases.append(("NaN weights", try file.encoded(), "array 'coefs.0' holds a non-finite value (nan) at index 0"))

        for (i, (name, data, message)) in cases.enumerated() {
            let path = dir + "/c\(i).mlp"
            try Data(data).write(to: URL(fileURLWithPath: path))
            for args in [["inspect", path], ["predict", path, "--dataset", "seed"], ["evaluate", path, "--dataset", "seed"]] {
                let r = try CLI.run(args, in: dir)
                #expect(r.code == 1, "\(name): \(args[0]) exit \(r.code)")
                expectCleanError(r, code: 1, contains: message)
            }
        }
    }

    @Test func loadsFromReadOnlyDirectory() throws {
        let dir = try CLI.temporaryDirectory()
        try SklearnFixture.all["seed"]!.model().write(to: dir + "/s.mlp")
        try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: dir)
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: dir) }
        let r = try CLI.run(["predict", dir + "/s.mlp", "--dataset", "seed"])
        #expect(r.code == 0 && r.stdout.hasPrefix("sale\n"), "\(r.stderr)")
    }
}

@Suite struct CLICSVCorpusTests {
    /// The same two rows of seed data written in many legal CSV dialects give the same predictions.
    @Test func dialectsGiveIdenticalPredictions() throws {
        let dir = try CLI.temporaryDirectory()
        try SklearnFixture.all["seed"]!.model().write(to: dir + "/s.mlp")
        let corpus: [String: [UInt8]] = [
            "lf": Array("x1,x2\n7,4.7\n7.7,6.7\n".utf8),
            "crlf": Array("x1,x2\r\n7,4.7\r\n7.7,6.7\r\n".utf8),
            "cr": Array("x1,x2\r7,4.7\r7.7,6.7\r".utf8),
            "no-final-newline": Array("x1,x2\n7,4.7\n7.7,6.7".utf8),
            "bom": [0xEF, 0xBB, 0xBF] + Array("x1,x2\n7,4.7\n7.7,6.7\n".utf8),
            "blank-lines": Array("\nx1,x2\n\n7,4.7\n   \n7.7,6.7\n\n\n".utf8),
            "spaces": Array(" x1 , x2 \n 7 ,\t4.7\n7.7 , 6.7 \n".utf8),
            "quoted": Array("\"x1\",\"x2\"\n\"7\",\"4.7\"\n7.7,\"6.7\"\n".utf8),
            "trailing-delimiter": Array("x1,x2,\n7,4.7,\n7.7,6.7,\n".utf8),
            "exponents": Array("x1,x2\n7e0,47E-1\n0.77e1,+6.70\n".utf8),
            "reordered-extra": Array("note,x2,x1\n\"a, \"\"quoted\"\"\nnote\",4.7,7\nz,6.7,7.7\n".utf8),
        ]
        for (name, bytes) in corpus.sorted(by: { $0.key < $1.key }) {
            try Data(bytes).write(to: URL(fileURLWithPath: dir + "/\(name).csv"))
            let r = try CLI.run(["predict", "s.mlp", "\(name).csv"], in: dir)
            #expect(r.code == 0, "\(name): \(r.stderr)")
            #expect(r.stdout == "sale\n0\n1\n", "\(name): \(r.stdout)")
        }
        try Data("7,4.7\n7.7,6.7\n".utf8).write(to: URL(fileURLWithPath: dir + "/noheader.csv"))
        #expect(try CLI.run(["predict", "s.mlp", "noheader.csv", "--no-header"], in: dir).stdout == "sale\n0\n1\n")
        try Data(([0xEF, 0xBB, 0xBF] as [UInt8]) + Array("7,4.7\r\n7.7,6.7".utf8)).write(to: URL(fileURLWithPath: dir + "/noheader-bom.csv"))
        #expect(try CLI.run(["predict", "s.mlp", "noheader-bom.csv", "--no-header"], in: dir).stdout == "sale\n0\n1\n")
    }

    @Test func labelsWithCommasAndQuotesRoundTripThroughPredict() throws {
        // A model whose classes need CSV quoting: an edge space alone (a reader would trim it); a comma and a quote.
        var model = try SklearnFixture.all["seed"]!.model()
        model.metadata.classes = [" yes", "no, \"never\""]
        let dir = try CLI.temporaryDirectory()
        try model.write(to: dir + "/q.mlp")
        let r = try CLI.run(["predict", "q.mlp", "--dataset", "seed"], in: dir)
        // Labels hold no line breaks here, so lines are records; add an index column to read them back.
        let lines = r.stdout.split(separator: "\n").map(String.init)
        let csv = "row," + lines[0] + "\n"
            + lines.dropFirst().enumerated().map { "\($0.offset),\($0.element)" }.joined(separator: "\n") + "\n"
        let table = try CSVReader.read(text: csv)
        #expect(Set(table.targetLabels) == [" yes", "no, \"never\""])
    }
}
