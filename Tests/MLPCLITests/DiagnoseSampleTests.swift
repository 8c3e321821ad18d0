import Foundation
import MLPTestSupport
import Testing

/// `mlp diagnose` on a random sample of the rows: --sample-rows, a .mlpdata cache, and data too large to diagnose
/// whole (a CSV file read once into a temporary cache, or a table whose diagnosis the memory limit refuses).
@Suite struct DiagnoseSampleTests {
    /// 4,000 rows, four features, a rare class (about a fifth of the rows).
    static func csv() -> String {
        var g = SeededGenerator(seed: 21)
        var text = "a,b,c,d,y\n"
        for _ in 0..<4000 {
            let x = (0..<4).map { _ in Double.random(in: -2...2, using: &g) }
            text += x.map { String(format: "%.5f", $0) }.joined(separator: ",") + (x[0] + 0.5 * x[1] > 1.2 ? ",rare\n" : ",common\n")
        }
        return text
    }

    static let quick = ["--hidden-layer-sizes", "8", "--max-iter", "20", "--random-states", "2", "--time-budget", "60"]

    private func json(_ r: RunResult) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], "\(r.stderr)")
    }

    /// The findings and the recommendation: what must not depend on how the rows were read.
    private func verdict(_ object: [String: Any]) -> String {
        let findings = (object["findings"] as? [[String: Any]] ?? []).map { f in
            let effect = (f["effect"] as? [String: Any]).map { e in e.keys.sorted().map { "\($0)=\(e[$0]!)" } } ?? []
            return "\(f["id"] ?? "") \(f["severity"] ?? "") \(effect)"
        }
        let recommendation = object["recommendation"] as? [String: Any]
        return findings.joined(separator: "; ") + " | " + "\(recommendation?["flags"] ?? "")"
    }

    @Test("--sample-rows gives the same rows, so the same diagnosis, from the CSV in memory and from its cache")
    func sampleInMemoryEqualsSampleOfTheCache() throws {
        let dir = try CLI.temporaryDirectory()
        try CLI.write(Self.csv(), to: dir + "/d.csv")
        #expect(try CLI.run(["convert", "d.csv", "d.mlpdata", "--target", "y"], in: dir).code == 0)
        let memory = try CLI.run(["diagnose", "d.csv", "--target", "y", "--sample-rows", "700", "--json", "-q"] + Self.quick, in: dir)
        let cache = try CLI.run(["diagnose", "d.mlpdata", "--sample-rows", "700", "--json", "-q"] + Self.quick, in: dir)
        let (a, b) = (try json(memory), try json(cache))
        #expect(a["rows"] as? Int == 700 && a["data_rows"] as? Int == 4000)
        #expect(b["rows"] as? Int == 700 && b["data_rows"] as? Int == 4000)
        #expect(verdict(a) == verdict(b))
        #expect(!(a["findings"] as? [[String: Any]] ?? []).isEmpty)
        // Without --sample-rows a small cache is read whole, and the table names no sample.
        let whole = try CLI.run(["diagnose", "d.mlpdata", "-q"] + Self.quick, in: dir)
        #expect(whole.code == 0, "\(whole.stderr)")
        #expect(!whole.stdout.contains("random sample"))
        let sampled = try CLI.run(["diagnose", "d.csv", "--target", "y", "--sample-rows", "700", "-q", "--report", "r.html"]
                                  + Self.quick, in: dir)
        #expect(sampled.stdout.hasPrefix("rows: a random sample of 700 of the 4000 rows\n"), "\(sampled.stdout)")
        let page = try String(contentsOfFile: dir + "/r.html", encoding: .utf8)
        #expect(page.contains("a random sample of 700 of the 4000 rows"))
    }

    @Test("data too large to diagnose whole is sampled to what the limit allows, said on stderr, no cache left behind")
    func tooLargeDataIsSampled() throws {
        let dir = try CLI.temporaryDirectory()
        try CLI.write(Self.csv(), to: dir + "/d.csv")
        try FileManager.default.createDirectory(atPath: dir + "/tmp", withIntermediateDirectories: true)
        let args = Self.quick.joined(separator: " ")
        // 100K: the CSV is too large to read whole (a temporary cache); 600K: it is read, but its diagnosis is not.
        for (limit, note) in [("100K", "diagnosing a random sample of its rows, read through a temporary cache"),
                              ("600K", "would need more memory than --max-memory allows; diagnosing a random sample of")] {
            let r = try shell("TMPDIR=\"$PWD/tmp\" \"$MLP\" diagnose d.csv --target y --max-memory \(limit) --json \(args)",
                              in: dir)
            #expect(r.code == 0, "\(limit): \(r.stderr)")
            #expect(r.stderr.contains(note), "\(limit): \(r.stderr)")
            let object = try json(r)
            let rows = try #require(object["rows"] as? Int)
            #expect(rows > 100 && rows < 4000, "\(limit): \(rows) rows")
            #expect(object["data_rows"] as? Int == 4000)
            #expect(try FileManager.default.contentsOfDirectory(atPath: dir + "/tmp").isEmpty, "\(limit): a cache was left")
        }
        // An explicit sample too large for the limit is the limit's error, as for a table read whole.
        let r = try CLI.run(["diagnose", "d.csv", "--target", "y", "--max-memory", "600K", "--sample-rows", "4000"] + Self.quick,
                            in: dir)
        expectCleanError(r, code: 1, contains: "--max-memory")
    }

    /// 300K is over the compressed file's estimate and under its text's: the text decides.
    @Test("a .gz file too large to diagnose whole, by the text it holds, is sampled through a cache")
    func compressedDataIsSizedByItsText() throws {
        let dir = try CLI.temporaryDirectory()
        try CLI.write(Self.csv(), to: dir + "/d.csv")
        let args = Self.quick.joined(separator: " ")
        let r = try shell("gzip -k d.csv && \"$MLP\" diagnose d.csv.gz --target y --max-memory 300K --json \(args)", in: dir)
        #expect(r.code == 0, "\(r.stderr)")
        let compressed = try #require(try FileManager.default.attributesOfItem(atPath: dir + "/d.csv.gz")[.size] as? Int)
        #expect(compressed * 3 < 300 << 10, "the compressed file alone would be read whole: \(compressed) bytes")
        #expect(r.stderr.contains("d.csv.gz would need about")
                && r.stderr.contains("diagnosing a random sample of its rows, read through a temporary cache"), "\(r.stderr)")
        #expect(try json(r)["data_rows"] as? Int == 4000)
    }

    @Test func sampleRowsMustBePositiveAndACacheKeepsItsTargets() throws {
        let dir = try CLI.temporaryDirectory()
        try CLI.write(Self.csv(), to: dir + "/d.csv")
        expectCleanError(try CLI.run(["diagnose", "d.csv", "--sample-rows", "0"], in: dir), code: 2,
                         contains: "--sample-rows must be a positive number of rows")
        // A sample too small to diagnose says it is one.
        expectCleanError(try CLI.run(["diagnose", "d.csv", "--sample-rows", "5"], in: dir), code: 1,
                         contains: "the diagnosis read a random sample of 5 of the 4000 rows (--sample-rows)")
        #expect(try CLI.run(["convert", "d.csv", "d.mlpdata", "--target", "y"], in: dir).code == 0)
        expectCleanError(try CLI.run(["diagnose", "d.mlpdata", "--target", "a"], in: dir), code: 2,
                         contains: "d.mlpdata was encoded by mlp convert")
        expectCleanError(try CLI.run(["diagnose", "d.mlpdata", "--regression"], in: dir), code: 2,
                         contains: "d.mlpdata holds class labels; drop --regression")
    }
}
