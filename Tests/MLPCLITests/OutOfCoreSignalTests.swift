import Foundation
import Testing

// A signal that ends `mlp convert` or `mlp train --stream` removes the cache files they were writing or using, as
// it removes the temporary files of a model's save.

private func partialCaches(in dir: String) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).filter { $0.contains(".partial-") }
}

@Suite(.serialized) struct OutOfCoreSignalTests {
    /// A first pass that lasts long enough to catch its partial file.
    private func largeCSVFolder() throws -> String {
        let dir = try CLI.temporaryDirectory()
        var text = "a,b,c,y\n"
        text.reserveCapacity(12_000_000)
        for i in 0..<400_000 {
            let a = Double(i % 1009) / 1009, b = Double((i * 31) % 997) / 997
            text += "\(a),\(b),\(i % 7),\(a + b > 1 ? 1 : 0)\n"
        }
        try CLI.write(text, to: dir + "/big.csv")
        return dir
    }

    @Test(arguments: [SIGTERM, SIGHUP])
    func signalDuringTheFirstPassLeavesNoPartialCache(signal: Int32) throws {
        let dir = try largeCSVFolder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let run = try BackgroundRun(["convert", "big.csv", "big.mlpdata", "-q"], in: dir)
        let caught = run.send(signal) { !partialCaches(in: dir).isEmpty }
        let result = run.finish()
        #expect(partialCaches(in: dir).isEmpty, "\(result.stderr)")
        if caught {
            #expect(result.signalled && result.code == signal, "\(result.code) \(result.stderr)")
            #expect(!FileManager.default.fileExists(atPath: dir + "/big.mlpdata"))
        } else {
            #expect(result.code == 0, "\(result.stderr)")
        }
    }

    @Test func terminationDuringStreamedTrainingRemovesTheTemporaryCache() throws {
        let dir = try slowTrainingFolder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let scratch = dir + "/scratch"
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: false)
        let run = try BackgroundRun(slowTraining + ["--stream"], in: dir, environment: ["TMPDIR": scratch])
        #expect(run.waitFor("epoch 1/"))
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: scratch)) ?? []).contains { $0.hasSuffix(".mlpdata") })
        kill(run.process.processIdentifier, SIGTERM)
        let result = run.finish()
        #expect(result.signalled && result.code == SIGTERM, "\(result.code) \(result.stderr)")
        #expect((try FileManager.default.contentsOfDirectory(atPath: scratch)).isEmpty)
        #expect(!FileManager.default.fileExists(atPath: dir + "/out.mlp"))
    }

    /// An interrupted streamed fit writes its model at once: no scoring pass over the cache first.
    @Test func firstInterruptDuringStreamedTrainingSavesTheModelUnscored() throws {
        let dir = try slowTrainingFolder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let run = try BackgroundRun(slowTraining + ["--stream"], in: dir)
        #expect(run.waitFor("epoch 1/"))
        kill(run.process.processIdentifier, SIGINT)
        let result = run.finish()
        #expect(result.code == 130 && !result.signalled, "\(result.stderr)")
        #expect(result.stderr.contains("interrupted after epoch"), "\(result.stderr)")
        #expect(!result.stderr.contains("scoring the"), "\(result.stderr)")
        #expect(FileManager.default.fileExists(atPath: dir + "/out.mlp"))
    }

    @Test func firstInterruptDuringTheFirstPassSaysNoCacheIsWritten() throws {
        let dir = try largeCSVFolder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let run = try BackgroundRun(["convert", "big.csv", "big.mlpdata"], in: dir)
        let caught = run.send(SIGINT) { !partialCaches(in: dir).isEmpty }
        let result = run.finish()
        if caught {
            #expect(result.code == 130, "\(result.stderr)")
            #expect(result.stderr.contains("stopping the first pass"), "\(result.stderr)")
            #expect(!result.stderr.contains("end of this epoch"))
            #expect(!FileManager.default.fileExists(atPath: dir + "/big.mlpdata"))
        }
        #expect(partialCaches(in: dir).isEmpty)
    }
}
