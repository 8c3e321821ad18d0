import Foundation
import MLP
import MLPModelFile
import Testing

// Issue 13: the tool never traps, never loses output silently, never writes over a device, a FIFO, a link or its
// own input, and handles signals. Each test runs the built binary, through a shell when a redirection is needed.

/// Runs `script` with bash in `directory`, $MLP naming the binary.
@discardableResult
func shell(_ script: String, in directory: String) throws -> RunResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/bash")
    process.arguments = ["-c", script]
    process.currentDirectoryURL = URL(fileURLWithPath: directory)
    var environment = ProcessInfo.processInfo.environment
    environment["MLP"] = CLI.binary.path
    process.environment = environment
    let out = directory + "/.shell-out", err = directory + "/.shell-err"
    _ = FileManager.default.createFile(atPath: out, contents: nil)
    _ = FileManager.default.createFile(atPath: err, contents: nil)
    process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: out))
    process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: err))
    try process.run()
    process.waitUntilExit()
    defer {
        try? FileManager.default.removeItem(atPath: out)
        try? FileManager.default.removeItem(atPath: err)
    }
    return RunResult(code: process.terminationStatus, stdout: try String(contentsOfFile: out, encoding: .utf8),
                     stderr: try String(contentsOfFile: err, encoding: .utf8))
}

/// A folder with a small classification CSV (d.csv) and a model trained on it (m.mlp).
func reliabilityFolder() throws -> String {
    let dir = try CLI.temporaryDirectory()
    try CLI.write("a,b,y\n1,2,x\n2,3,y\n3,1,x\n4,4,y\n5,2,x\n6,1,y\n", to: dir + "/d.csv")
    let r = try CLI.run(["train", "d.csv", "-o", "m.mlp", "--hidden-layer-sizes", "3", "--max-iter", "5", "-q"], in: dir)
    #expect(r.code == 0, "\(r.stderr)")
    return dir
}

func fileType(_ path: String) -> mode_t? {
    var info = stat()
    guard lstat(path, &info) == 0 else { return nil }
    return info.st_mode & S_IFMT
}

func temporaryFiles(in dir: String) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).filter { $0.contains(".tmp-") }
}

@Suite struct CLIOutputFailureTests {
    @Test func fullStandardOutputIsAnErrorNotATrap() throws {
        let dir = try reliabilityFolder()
        for command in ["$MLP predict m.mlp d.csv", "$MLP evaluate m.mlp d.csv", "$MLP inspect m.mlp",
                        "$MLP inspect m.mlp --json", "$MLP seed --max-iter 10"] {
            let r = try shell(command + " > /dev/full", in: dir)
            expectCleanError(r, code: 1, contains: "cannot write to standard output: No space left on device")
        }
    }

    @Test func closedStandardOutputIsAnError() throws {
        let dir = try reliabilityFolder()
        let r = try shell("$MLP predict m.mlp d.csv >&-", in: dir)
        expectCleanError(r, code: 1, contains: "cannot write to standard output")
    }

    @Test func brokenPipeWithSIGPIPEIgnoredIsAnError() throws {
        let dir = try reliabilityFolder()
        var rows = "a,b\n"
        for i in 0..<40_000 { rows += "\(i % 7),\(i % 5)\n" }
        try CLI.write(rows, to: dir + "/many.csv")
        let r = try shell("trap '' PIPE; $MLP predict m.mlp many.csv | head -c 1 > /dev/null; exit ${PIPESTATUS[0]}", in: dir)
        expectCleanError(r, code: 1, contains: "Broken pipe")
    }

    @Test func lostTrainSummaryWritesNoModel() throws {
        let dir = try reliabilityFolder()
        let r = try shell("$MLP train d.csv -o new.mlp --max-iter 5 > /dev/full", in: dir)
        #expect(r.code == 1)
        #expect(!FileManager.default.fileExists(atPath: dir + "/new.mlp"))
        #expect(temporaryFiles(in: dir).isEmpty)
    }

    /// The model and the report are written together: a report that fails on a device (it cannot be staged in a
    /// temporary file) replaces no model, and no line says they were written.
    @Test func aReportThatFailsOnADeviceWritesNoModel() throws {
        let dir = try reliabilityFolder()
        try CLI.write("old", to: dir + "/f.mlp")
        let quiet = try CLI.run(["train", "d.csv", "-o", "f.mlp", "--report", "/dev/full", "--max-iter", "5", "-q"], in: dir)
        expectCleanError(quiet, code: 1, contains: "/dev/full: cannot write")
        for extra in [[], ["--json"]] {
            let r = try CLI.run(["train", "d.csv", "-o", "f.mlp", "--report", "/dev/full", "--max-iter", "5"] + extra, in: dir)
            #expect(r.code == 1 && r.stderr.contains("mlp: error: /dev/full: cannot write"), "\(r.stderr)")
            #expect(r.stdout.isEmpty, "\(r.stdout)")
        }
        #expect(try String(contentsOfFile: dir + "/f.mlp", encoding: .utf8) == "old")
        #expect(temporaryFiles(in: dir).isEmpty)
    }

    @Test func aModelThatFailsOnADeviceWritesNoReport() throws {
        let dir = try reliabilityFolder()
        let r = try CLI.run(["train", "d.csv", "-o", "/dev/full", "--report", "r.html", "--max-iter", "5"], in: dir)
        #expect(r.code == 1 && r.stderr.contains("mlp: error: /dev/full: cannot write"), "\(r.stderr)")
        #expect(r.stdout.isEmpty, "\(r.stdout)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/r.html"))
        #expect(temporaryFiles(in: dir).isEmpty)
    }

    @Test func fullStandardErrorEndsTrainingWithExit1() throws {
        let dir = try reliabilityFolder()
        let r = try shell("$MLP train d.csv -o new.mlp --max-iter 5 2> /dev/full", in: dir)
        #expect(r.code == 1)
        #expect(!FileManager.default.fileExists(atPath: dir + "/new.mlp"))
    }
}

@Suite struct CLINoClobberTests {
    @Test func deviceNodeIsWrittenInPlace() throws {
        let dir = try reliabilityFolder()
        #expect(mknod(dir + "/null", S_IFCHR | 0o666, (1 << 8) | 3) == 0, "mknod needs root")
        let r = try CLI.run(["train", "d.csv", "-o", "null", "--max-iter", "3", "-q"], in: dir)
        #expect(r.code == 0, "\(r.stderr)")
        #expect(fileType(dir + "/null") == S_IFCHR)
        let p = try CLI.run(["predict", "m.mlp", "d.csv", "-o", "null"], in: dir)
        #expect(p.code == 0)
        #expect(fileType(dir + "/null") == S_IFCHR)
    }

    @Test func fifoIsWrittenInPlace() throws {
        let dir = try reliabilityFolder()
        #expect(mkfifo(dir + "/pipe", 0o644) == 0)
        let r = try shell("cat pipe > received.mlp & $MLP train d.csv -o pipe --max-iter 3 -q; code=$?; wait; exit $code", in: dir)
        #expect(r.code == 0, "\(r.stderr)")
        #expect(fileType(dir + "/pipe") == S_IFIFO)
        #expect(try MLPModel.read(from: dir + "/received.mlp").metadata.layerSizes.first == 2)
    }

    @Test func symbolicLinkKeepsPointingAtItsReplacedTarget() throws {
        let dir = try reliabilityFolder()
        try FileManager.default.createSymbolicLink(atPath: dir + "/link.mlp", withDestinationPath: "m.mlp")
        let r = try CLI.run(["train", "d.csv", "-o", "link.mlp", "--hidden-layer-sizes", "7", "--max-iter", "3", "-q"], in: dir)
        #expect(r.code == 0, "\(r.stderr)")
        #expect(fileType(dir + "/link.mlp") == S_IFLNK)
        #expect(try MLPModel.read(from: dir + "/m.mlp").metadata.layerSizes == [2, 7, 1])
        #expect(temporaryFiles(in: dir).isEmpty)
    }

    @Test func anOutputThatIsAnInputIsRefused() throws {
        let dir = try reliabilityFolder()
        let data = try String(contentsOfFile: dir + "/d.csv", encoding: .utf8)
        let model = try Data(contentsOf: URL(fileURLWithPath: dir + "/m.mlp"))
        #expect(link(dir + "/d.csv", dir + "/hard.csv") == 0)
        for args in [["train", "d.csv", "-o", "d.csv"], ["train", "hard.csv", "-o", "d.csv"],
                     ["train", "d.csv", "-o", "x.mlp", "--report", "d.csv"],
                     ["predict", "m.mlp", "d.csv", "-o", "d.csv"], ["predict", "m.mlp", "d.csv", "-o", "m.mlp"],
                     ["evaluate", "m.mlp", "d.csv", "--report", "m.mlp"]] {
            let r = try CLI.run(args, in: dir)
            expectCleanError(r, code: 2, contains: "writing it would destroy the input")
        }
        #expect(try String(contentsOfFile: dir + "/d.csv", encoding: .utf8) == data)
        #expect(try Data(contentsOf: URL(fileURLWithPath: dir + "/m.mlp")) == model)
    }

    @Test func aFailingReportWritesNoModel() throws {
        let dir = try reliabilityFolder()
        let r = try CLI.run(["train", "d.csv", "-o", "new.mlp", "--report", "/nonexistent/r.html"], in: dir)
        expectCleanError(r, code: 1, contains: "/nonexistent")
        #expect(!FileManager.default.fileExists(atPath: dir + "/new.mlp"))
        // Found before training: no progress line was printed.
        #expect(!r.stderr.contains("epoch"))
        let o = try CLI.run(["train", "d.csv", "-o", "/nonexistent/m.mlp"], in: dir)
        expectCleanError(o, code: 1, contains: "/nonexistent")
        #expect(!o.stderr.contains("epoch"))
    }
}

/// A training run in the background, its standard error read line by line.
final class BackgroundRun {
    let process = Process()
    private let errors = Pipe()
    private var buffer = Data()

    /// - Parameter standardOutput: a file in `dir` that receives standard output (default: discarded).
    init(_ args: [String], in dir: String, environment: [String: String] = [:], standardOutput: String? = nil) throws {
        process.executableURL = CLI.binary
        process.arguments = args
        process.currentDirectoryURL = URL(fileURLWithPath: dir)
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        process.standardError = errors
        if let standardOutput {
            _ = FileManager.default.createFile(atPath: dir + "/" + standardOutput, contents: nil)
            process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: dir + "/" + standardOutput))
        } else {
            process.standardOutput = FileHandle.nullDevice
        }
        try process.run()
    }

    /// Reads standard error until it holds `text`; false at end of file.
    func waitFor(_ text: String) -> Bool {
        while !String(decoding: buffer, as: UTF8.self).contains(text) {
            let chunk = errors.fileHandleForReading.availableData
            if chunk.isEmpty { return false }
            buffer += chunk
        }
        return true
    }

    /// Polls `condition` every half millisecond while the process runs (up to ten seconds) and sends `signal` once
    /// it holds; false when the process ended first, so a fast machine skips what it could not catch.
    func send(_ signal: Int32, once condition: () -> Bool) -> Bool {
        for _ in 0..<20_000 where process.isRunning {
            if condition() {
                kill(process.processIdentifier, signal)
                return true
            }
            usleep(500)
        }
        return false
    }

    /// Waits for the end; returns (status or signal, killed by a signal, all of standard error).
    func finish() -> (code: Int32, signalled: Bool, stderr: String) {
        buffer += errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, process.terminationReason == .uncaughtSignal,
                String(decoding: buffer, as: UTF8.self))
    }
}

/// A CSV big enough that training runs for seconds.
func slowTrainingFolder() throws -> String {
    let dir = try CLI.temporaryDirectory()
    var text = "a,b,c,y\n"
    var state: UInt64 = 1
    for _ in 0..<20_000 {
        var values: [Double] = []
        for _ in 0..<3 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            values.append(Double(state >> 11) / Double(1 << 53))
        }
        text += "\(values[0]),\(values[1]),\(values[2]),\(values[0] + values[1] > 1 ? 1 : 0)\n"
    }
    try CLI.write(text, to: dir + "/big.csv")
    return dir
}

let slowTraining = ["train", "big.csv", "-o", "out.mlp", "--hidden-layer-sizes", "64", "--max-iter", "400",
                    "--tol", "0", "--n-iter-no-change", "1000"]

@Suite(.serialized) struct CLISignalTests {
    @Test func firstInterruptSavesTheModelSoFar() throws {
        let dir = try slowTrainingFolder()
        let run = try BackgroundRun(slowTraining, in: dir)
        #expect(run.waitFor("epoch 1/"))
        kill(run.process.processIdentifier, SIGINT)
        let result = run.finish()
        #expect(result.code == 130 && !result.signalled, "\(result.stderr)")
        #expect(result.stderr.contains("interrupted after epoch"))
        let model = try MLPModel.read(from: dir + "/out.mlp")
        let epoch = try #require(model.metadata.interruptedAtEpoch)
        #expect(epoch >= 1 && epoch < 400 && epoch == model.metadata.nIter)
        #expect(temporaryFiles(in: dir).isEmpty)
        let inspect = try CLI.run(["inspect", "out.mlp"], in: dir)
        #expect(inspect.stdout.contains("interrupted (Ctrl-C) after epoch \(epoch), not converged"), "\(inspect.stdout)")
    }

    /// An interrupted run stopped early: it never says it converged, in --json (in memory or streamed) nor in the
    /// report.
    @Test(arguments: [["--report", "r.html"], ["--stream"]])
    func anInterruptedRunIsNotConverged(extra: [String]) throws {
        let dir = try slowTrainingFolder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let run = try BackgroundRun(slowTraining + extra + ["--json"], in: dir, standardOutput: "out.json")
        #expect(run.waitFor("epoch 1/"))
        kill(run.process.processIdentifier, SIGINT)
        let result = run.finish()
        #expect(result.code == 130 && !result.signalled, "\(result.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/out.json")))
                                as? [String: Any])
        #expect(json["converged"] as? Bool == false)
        #expect((json["stop_reason"] as? String)?.hasPrefix("Training was interrupted after epoch") == true)
        if extra.contains("--report") {
            let page = try String(contentsOfFile: dir + "/r.html", encoding: .utf8)
            #expect(page.contains("Training was interrupted after epoch"))
            #expect(page.contains("<b>converged</b></td><td>no</td>"), "the report says converged")
        }
    }

    @Test func secondInterruptAbortsAndWritesNothing() throws {
        let dir = try slowTrainingFolder()
        let run = try BackgroundRun(slowTraining, in: dir)
        #expect(run.waitFor("epoch 1/"))
        kill(run.process.processIdentifier, SIGINT)
        #expect(run.waitFor("Ctrl-C again"))
        kill(run.process.processIdentifier, SIGINT)
        let result = run.finish()
        #expect(result.signalled && result.code == SIGINT, "\(result.code) \(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/out.mlp"))
        #expect(temporaryFiles(in: dir).isEmpty)
    }

    @Test func terminationDuringTrainingWritesNothing() throws {
        let dir = try slowTrainingFolder()
        let run = try BackgroundRun(slowTraining, in: dir)
        #expect(run.waitFor("epoch 1/"))
        kill(run.process.processIdentifier, SIGTERM)
        let result = run.finish()
        #expect(result.signalled && result.code == SIGTERM)
        #expect(!FileManager.default.fileExists(atPath: dir + "/out.mlp"))
    }

    @Test func quitKeepsItsDefaultMeaning() throws {
        let dir = try slowTrainingFolder()
        let run = try BackgroundRun(slowTraining, in: dir)
        #expect(run.waitFor("epoch 1/"))
        kill(run.process.processIdentifier, SIGQUIT)
        let result = run.finish()
        #expect(result.signalled && result.code == SIGQUIT, "\(result.code)")
        #expect(!result.stderr.contains("Backtrac"))
        #expect(!FileManager.default.fileExists(atPath: dir + "/out.mlp"))
    }

    /// A large model's save takes long enough to catch its temporary file; a signal then must remove it.
    @Test(arguments: [SIGINT, SIGTERM, SIGHUP])
    func signalDuringSaveLeavesNoTemporaryFile(signal: Int32) throws {
        let dir = try reliabilityFolder()
        let run = try BackgroundRun(["train", "d.csv", "-o", "big.mlp", "--hidden-layer-sizes", "2500,2500",
                                     "--max-iter", "1", "-q"], in: dir)
        let caught = run.send(signal) { !temporaryFiles(in: dir).isEmpty }
        let result = run.finish()
        #expect(temporaryFiles(in: dir).isEmpty, "\(result.stderr)")
        if caught {
            #expect(result.signalled && result.code == signal)
            #expect(!FileManager.default.fileExists(atPath: dir + "/big.mlp"))
        }
    }
}

@Suite struct CLIResourceTests {
    @Test func hugeNetworksAreRefusedBeforeAllocating() throws {
        let dir = try reliabilityFolder()
        for sizes in ["100000,100000", "100000000"] {
            let r = try CLI.run(["train", "d.csv", "--hidden-layer-sizes", sizes, "-o", "x.mlp"], in: dir)
            expectCleanError(r, code: 1, contains: "training needs about")
        }
        let limited = try CLI.run(["train", "d.csv", "--hidden-layer-sizes", "1000", "--max-memory", "100K", "-o", "x.mlp"], in: dir)
        expectCleanError(limited, code: 1, contains: "--max-memory")
        let seed = try CLI.run(["seed", "--hidden", "100000000"], in: dir)
        expectCleanError(seed, code: 1, contains: "needs about")
        #expect(!FileManager.default.fileExists(atPath: dir + "/x.mlp"))
    }

    /// A binary output named "-" is refused (it used to become a file named "-"); /dev/stdout reaches a pipe.
    @Test func binaryOutputsRefuseADashAndPipeThroughDevStdout() throws {
        let dir = try reliabilityFolder()
        for args in [["train", "d.csv", "-o", "-"], ["export", "m.mlp", "-o", "-"], ["export", "m.mlp", "-o", "-", "--format", "npz"],
                     ["convert", "d.csv", "-"]] {
            expectCleanError(try CLI.run(args, in: dir), code: 2, contains: "this output is binary")
        }
        #expect(!FileManager.default.fileExists(atPath: dir + "/-"))
        let piped = try shell("$MLP export m.mlp -o /dev/stdout | wc -c; $MLP train d.csv -q --max-iter 5 -o /dev/stdout | wc -c",
                              in: dir)
        #expect(piped.code == 0 && piped.stderr.isEmpty, "\(piped.stderr)")
        let sizes = piped.stdout.split(separator: "\n").map { Int($0.trimmingCharacters(in: .whitespaces)) ?? 0 }
        #expect(sizes.count == 2 && sizes.allSatisfy { $0 > 100 }, "\(piped.stdout)")
    }

    /// Every command that trains checks first, with sizes up to Int.max (whose counts overflow Int).
    @Test(arguments: [["train", "d.csv", "-o", "x.mlp"], ["cv", "d.csv", "--folds", "2"], ["diagnose", "d.csv"]])
    func everyTrainingCommandRefusesHugeNetworks(command: [String]) throws {
        let dir = try reliabilityFolder()
        for sizes in ["\(Int.max)", "4294967296,4294967296", "100000000"] {
            let r = try CLI.run(command + ["--hidden-layer-sizes", sizes], in: dir)
            expectCleanError(r, code: 1, contains: "training needs about")
        }
        let limited = try CLI.run(command + ["--hidden-layer-sizes", "1000", "--max-memory", "100K"], in: dir)
        expectCleanError(limited, code: 1, contains: "--max-memory")
        expectCleanError(try CLI.run(["seed", "--hidden", "\(Int.max)"], in: dir), code: 1, contains: "needs about")
    }

    /// evaluate --report reads its CSV whole (the report draws the rows): a file whose table would not fit is refused
    /// in one line first. predict and evaluate without a report read a file a chunk at a time, so the limit does not
    /// stop them.
    @Test func wholeFileReadsAreCheckedAgainstTheMemory() throws {
        let dir = try reliabilityFolder()  // d.csv: 46 bytes, about 138 as a table
        let refused = try CLI.run(["evaluate", "m.mlp", "d.csv", "--max-memory", "100", "--report", "r.html"], in: dir)
        expectCleanError(refused, code: 1, contains: "mlp evaluate needs about")
        #expect(refused.stderr.contains("table read from d.csv") && refused.stderr.contains("--max-memory"))
        #expect(!FileManager.default.fileExists(atPath: dir + "/r.html"))
        let allowed = try CLI.run(["evaluate", "m.mlp", "d.csv", "--max-memory", "1G", "--report", "r.html"], in: dir)
        #expect(allowed.code == 0, "\(allowed.stderr)")
        let evaluated = try CLI.run(["evaluate", "m.mlp", "d.csv", "--max-memory", "100"], in: dir)
        #expect(evaluated.code == 0 && evaluated.stdout.contains("accuracy"), "\(evaluated.stderr)")
        let streamed = try CLI.run(["predict", "m.mlp", "d.csv", "--max-memory", "100", "-o", "out.csv"], in: dir)
        #expect(streamed.code == 0 && FileManager.default.fileExists(atPath: dir + "/out.csv"), "\(streamed.stderr)")
    }

    /// A .gz file read whole (cross-validation; training with options a stream lacks) is decompressed up to the limit
    /// for input read whole (1 GiB, `MLP_MAX_STREAM_BYTES`), refused in one line past it instead of filling the
    /// memory: a gzip bomb stops there. Training without such options streams a .gz file whose trailer records more
    /// text than that, a chunk at a time, and predict always reads one so: the limit does not apply to them.
    @Test func aGzipFileThatExpandsPastTheLimitIsRefused() throws {
        let dir = try reliabilityFolder()  // d.csv: 46 bytes
        let made = try shell("gzip -k d.csv && head -c 2000000 /dev/zero | gzip > zeros.gz", in: dir)
        #expect(made.code == 0, "\(made.stderr)")
        for file in ["d.csv.gz", "zeros.gz"] {
            for command in ["cv", "train -q --test-size 0.5 -o x.mlp"] {
                let refused = try shell("MLP_MAX_STREAM_BYTES=40 $MLP \(command) \(file)", in: dir)
                expectCleanError(refused, code: 1, contains: "\(file): decompresses to more than 40 bytes")
            }
        }
        #expect(!FileManager.default.fileExists(atPath: dir + "/x.mlp"))
        // Streamed (read whole, the limit would be the error), the bomb's first byte is the error, after the note that
        // says it streams; the small file trains.
        let bomb = try shell("MLP_MAX_STREAM_BYTES=40 $MLP train -q -o x.mlp zeros.gz", in: dir)
        let lines = bomb.stderr.split(separator: "\n")
        #expect(bomb.code == 1 && lines.count == 2 && lines[0].hasSuffix("training out of core (--stream, docs/out-of-core.md)")
                && lines[1].hasPrefix("mlp: error: zeros.gz, line 1: NUL byte"), "\(bomb.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/x.mlp"))
        let streamedTraining = try shell("MLP_MAX_STREAM_BYTES=40 $MLP train -q -o x.mlp d.csv.gz", in: dir)
        #expect(streamedTraining.code == 0, "\(streamedTraining.stderr)")
        // Gzip's header and trailer make the 46-byte file larger compressed; that is not 4 GiB of text.
        let small = try shell("$MLP train --max-memory 1M -o y.mlp d.csv.gz", in: dir)
        #expect(small.code == 0 && !small.stderr.contains("out of core"), "\(small.stderr)")
        let allowed = try shell("MLP_MAX_STREAM_BYTES=46 $MLP train -q --test-size 0.5 -o x.mlp d.csv.gz", in: dir)
        #expect(allowed.code == 0, "\(allowed.stderr)")
        let streamed = try shell("MLP_MAX_STREAM_BYTES=40 $MLP predict m.mlp d.csv.gz", in: dir)
        #expect(streamed.code == 0 && streamed.stdout.hasPrefix("y\n"), "\(streamed.stderr)")
    }

    /// Standard input read whole (train, cv, diagnose) stops at the limit for input read whole: `/dev/zero` piped in
    /// is one line and exit 1, not an exhausted memory.
    @Test func standardInputReadWholeIsBounded() throws {
        let dir = try reliabilityFolder()
        for command in ["train -q -o x.mlp -", "cv -", "diagnose -"] {
            let r = try shell("head -c 3000000 /dev/zero | MLP_MAX_STREAM_BYTES=1000000 $MLP \(command)", in: dir)
            expectCleanError(r, code: 1, contains: "standard input: more than 1000000 bytes")
        }
        let fits = try shell("MLP_MAX_STREAM_BYTES=46 $MLP train -q -o x.mlp - < d.csv", in: dir)
        #expect(fits.code == 0, "\(fits.stderr)")
    }

    @Test func devicesAreNotReadWithoutBound() throws {
        let dir = try reliabilityFolder()
        expectCleanError(try CLI.run(["inspect", "/dev/zero"], in: dir), code: 1, contains: "not an mlp model file")
        expectCleanError(try CLI.run(["predict", "/dev/zero", "d.csv"], in: dir), code: 1, contains: "not an mlp model file")
    }

    @Test func aModelDeclaringGigabytesFailsAtOnce() throws {
        let dir = try reliabilityFolder()
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: dir + "/m.mlp")))
        let declared = UInt64(7) << 30
        for i in 0..<8 { bytes[16 + i] = UInt8(truncatingIfNeeded: declared >> (8 * UInt64(i))) }
        // A sparse file of the declared size: only its header is on disk.
        let fd = open(dir + "/sparse.mlp", O_WRONLY | O_CREAT, 0o644)
        _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress!, 32) }
        #expect(ftruncate(fd, off_t(declared)) == 0)
        close(fd)
        let start = Date()
        expectCleanError(try CLI.run(["inspect", "sparse.mlp"], in: dir), code: 1, contains: "sparse.mlp")
        #expect(Date().timeIntervalSince(start) < 10)
        try FileManager.default.removeItem(atPath: dir + "/sparse.mlp")
    }
}

@Suite struct CLIValueTests {
    @Test func nonFiniteClassTargetsAreRefused() throws {
        let dir = try CLI.temporaryDirectory()
        for cell in ["inf", "-inf", "1e400"] {
            try CLI.write("a,y\n1,\(cell)\n2,x\n3,x\n", to: dir + "/t.csv")
            expectCleanError(try CLI.run(["train", "t.csv", "-o", "m.mlp"], in: dir), code: 1, contains: "not a finite number")
        }
    }

    @Test func featuresNear1e200AreScaledAndTrained() throws {
        let dir = try CLI.temporaryDirectory()
        try CLI.write("a,b,y\n1e200,2,x\n2e200,3,y\n3e200,1,x\n4e200,4,y\n-5e200,2,x\n6e200,1,y\n", to: dir + "/h.csv")
        let r = try CLI.run(["train", "h.csv", "-o", "m.mlp", "--max-iter", "20", "-q"], in: dir)
        #expect(r.code == 0, "\(r.stderr)")
        let scaler = try MLPModel.read(from: dir + "/m.mlp").scaler
        guard case .standard(let s) = scaler else { Issue.record("not standard"); return }
        #expect(s.scale[0] > 1e200 && s.scale[0].isFinite)
    }

    /// A finite value that the model's scaler makes infinite: named by file, line, column and value, in one line,
    /// never as "Input X contains infinity (row 1, column 1, 0-based) … before training".
    @Test func aValueThatOverflowsWhenScaledIsNamedByItsLine() throws {
        let dir = try CLI.temporaryDirectory()
        try CLI.write("a,b,y\n1,0.1,x\n2,0.2,y\n3,0.1,x\n4,0.2,y\n", to: dir + "/d.csv")
        #expect(try CLI.run(["train", "d.csv", "-o", "m.mlp", "--max-iter", "3", "-q"], in: dir).code == 0)
        #expect(try CLI.run(["train", "d.csv", "-o", "f.mlp", "--max-iter", "3", "-q", "--dtype", "float32"], in: dir).code == 0)
        try CLI.write("a,b,y\n1,0.1,x\n2,1e308,y\n", to: dir + "/e.csv")
        let expected = "e.csv, line 3, column 'b': 1e+308 overflows to infinity when scaled by the model's StandardScaler "
            + "((x - 0.15) / 0.05); the value is far outside the data the model was trained on"
        for args in [["predict", "m.mlp", "e.csv"], ["evaluate", "m.mlp", "e.csv"], ["evaluate", "m.mlp", "e.csv", "--report", "r.html"],
                     ["predict", "m.mlp", "e.csv", "--chunk-bytes", "8"]] {
            let r = try CLI.run(args, in: dir)
            expectCleanError(r, code: 1, contains: expected)
            #expect(r.stderr == "mlp: error: " + expected + "\n", "\(args)")
        }
        try CLI.write("a,b\n1e200,0.1\n", to: dir + "/f.csv")
        expectCleanError(try CLI.run(["predict", "f.mlp", "f.csv"], in: dir), code: 1,
                         contains: "f.csv, line 2, column 'a': 1e+200 is beyond float32's range (±3.4e38)")
    }

    /// Training data whose centring overflows (scikit-learn: "Input X contains NaN"), in memory, streamed and in cv.
    @Test func trainingDataThatOverflowsWhenStandardizedIsNamed() throws {
        let dir = try CLI.temporaryDirectory()
        try CLI.write("a,y\n1.7e308,x\n1.6e308,y\n1.7e308,x\n-1.7e308,y\n", to: dir + "/t.csv")
        let memory = try CLI.run(["train", "t.csv", "-o", "m.mlp", "--max-iter", "3"], in: dir)
        expectCleanError(memory, code: 1, contains: "t.csv, line 5, column 'a': -1.7e+308 overflows to infinity when "
                         + "scaled by the StandardScaler ((x - 8.25e+307) / 1.458e+308) fitted on the training rows")
        #expect(!memory.stderr.contains("0-based"))
        let streamed = try CLI.run(["train", "t.csv", "-o", "m.mlp", "--max-iter", "3", "--stream", "-q"], in: dir)
        expectCleanError(streamed, code: 1, contains: "mlp: error: t.csv, column 'a': -1.7e+308 overflows to infinity")
        #expect(!FileManager.default.fileExists(atPath: dir + "/m.mlp"))
        let cv = try CLI.run(["cv", "t.csv", "--folds", "2", "--max-iter", "3"], in: dir)
        expectCleanError(cv, code: 1, contains: "t.csv, line 5, column 'a': -1.7e+308 overflows to infinity when scaled "
                         + "by the StandardScaler fitted on a training fold")
    }

    @Test func featuresBeyondFloat32AreRefusedAtReadTime() throws {
        let dir = try CLI.temporaryDirectory()
        try CLI.write("a,b,y\n1,2,x\n2,3,y\n3,1e200,x\n4,4,y\n", to: dir + "/h.csv")
        let r = try CLI.run(["train", "h.csv", "--dtype", "float32", "-o", "m.mlp"], in: dir)
        expectCleanError(r, code: 1, contains: "h.csv, line 4, column 'b': 1e+200 is beyond float32's range")
    }

    @Test func warmStartRefusesChangedSettingsAndOtherClasses() throws {
        let dir = try reliabilityFolder()
        let activation = try CLI.run(["train", "d.csv", "-o", "m.mlp", "--warm-start", "--hidden-layer-sizes", "3",
                                      "--activation", "tanh"], in: dir)
        expectCleanError(activation, code: 2, contains: "--activation relu")
        let scale = try CLI.run(["train", "d.csv", "-o", "m.mlp", "--warm-start", "--hidden-layer-sizes", "3",
                                 "--scale", "minmax"], in: dir)
        expectCleanError(scale, code: 2, contains: "--scale standard")
        let sizes = try CLI.run(["train", "d.csv", "-o", "m.mlp", "--warm-start", "--hidden-layer-sizes", "4"], in: dir)
        expectCleanError(sizes, code: 2, contains: "--hidden-layer-sizes 3")
        try CLI.write("a,b,y\n1,2,x\n2,3,x\n3,1,x\n", to: dir + "/one.csv")
        let subset = try CLI.run(["train", "one.csv", "-o", "m.mlp", "--warm-start", "--hidden-layer-sizes", "3"], in: dir)
        expectCleanError(subset, code: 1, contains: "warm_start can only be used where `y` has the same classes as in "
                         + "the previous call to fit. Previously got ['x' 'y'], `y` has ['x']")
    }

    @Test func predictDoesNotSuggestAnOptionItRefuses() throws {
        let dir = try reliabilityFolder()
        try CLI.write("a,b\n1,\n", to: dir + "/e.csv")
        let r = try CLI.run(["predict", "m.mlp", "e.csv"], in: dir)
        expectCleanError(r, code: 1, contains: "trained without --impute")
        #expect(!r.stderr.contains("use --impute"))
    }

    @Test func earlyStoppingNamesTooSmallClassesByLabel() throws {
        let dir = try CLI.temporaryDirectory()
        var text = "a,y\n"
        for i in 0..<30 { text += "\(i),cat\n" }
        try CLI.write(text + "5,bird\n", to: dir + "/e.csv")
        let r = try CLI.run(["train", "e.csv", "--early-stopping", "-o", "m.mlp"], in: dir)
        expectCleanError(r, code: 1, contains: "Classes with too few members are: ['bird']")
    }

    /// --test-size stratifies by class: a class of one row is named by its label, as scikit-learn's train_test_split
    /// names it (`['C']`, `[9]` for a numeric target), not by its index.
    @Test func testSizeNamesTooSmallClassesByLabel() throws {
        let dir = try CLI.temporaryDirectory()
        var text = "a,b,y\n", numeric = "a,b,y\n"
        for i in 0..<20 {
            text += "\(i),\(i % 3),\(i % 2 == 0 ? "A" : "B")\n"
            numeric += "\(i),\(i % 3),\(i % 2 + 5)\n"
        }
        try CLI.write(text + "5,1,C\n", to: dir + "/s.csv")
        try CLI.write(numeric + "5,1,9\n", to: dir + "/n.csv")
        let labelled = try CLI.run(["train", "s.csv", "--test-size", "0.3", "-o", "m.mlp"], in: dir)
        expectCleanError(labelled, code: 1, contains: "s.csv: The least populated classes in y have only 1 member, which is "
                         + "too few. The minimum number of groups for any class cannot be less than 2. Classes with too few "
                         + "members are: ['C']; remove that class's rows or leave out --test-size")
        let numbered = try CLI.run(["train", "n.csv", "--test-size", "0.3", "-o", "m.mlp"], in: dir)
        expectCleanError(numbered, code: 1, contains: "Classes with too few members are: [9];")
        // cv's folds, whose classifiers stratify their early-stopping split (both of cv's paths).
        for extra in [[], ["--impute", "mean"]] {
            let cv = try CLI.run(["cv", "s.csv", "--folds", "3", "--early-stopping", "--stratify-validation-split",
                                  "--max-iter", "3"] + extra, in: dir)
            expectCleanError(cv, code: 1, contains: "s.csv: The least populated classes in y have only 1 member")
            #expect(cv.stderr.contains("Classes with too few members are: ['C']"), "\(extra): \(cv.stderr)")
        }
    }

    @Test func seedGivesNoRateForZeroIterations() throws {
        let r = try CLI.run(["seed", "--hidden", "100000", "--max-iter", "10"])
        #expect(r.stdout.contains("0 iterations in"))
        #expect(!r.stdout.contains("µs per iteration"))
    }

    @Test func seedValidatesNegativeNumbers() throws {
        let r = try CLI.run(["seed", "--learning-rate", "-1"])
        expectCleanError(r, code: 2, contains: "--learning-rate must be a positive finite number")
    }

    @Test func controlCharactersInLabelsAreEscapedOnTheTerminal() throws {
        let dir = try CLI.temporaryDirectory()
        try CLI.write("a,b,y\n1,2,\u{1B}[31mred\n2,3,ok\n3,1,\u{1B}[31mred\n4,4,ok\n", to: dir + "/c.csv")
        #expect(try CLI.run(["train", "c.csv", "-o", "m.mlp", "--max-iter", "3", "-q"], in: dir).code == 0)
        for args in [["inspect", "m.mlp"], ["evaluate", "m.mlp", "c.csv"]] {
            let r = try CLI.run(args, in: dir)
            #expect(r.code == 0)
            #expect(!r.stdout.contains("\u{1B}"))
            #expect(r.stdout.contains("\\u{1B}[31mred"))
        }
    }

    @Test func oneRowRegressionR2IsNaNWithAWarning() throws {
        let dir = try CLI.temporaryDirectory()
        try CLI.write("a,y\n1,1.5\n2,2.5\n3,3.5\n", to: dir + "/r.csv")
        try CLI.write("a,y\n1,1.5\n", to: dir + "/one.csv")
        #expect(try CLI.run(["train", "r.csv", "--regression", "-o", "m.mlp", "--max-iter", "3", "-q"], in: dir).code == 0)
        let human = try CLI.run(["evaluate", "m.mlp", "one.csv"], in: dir)
        #expect(human.code == 0)
        #expect(human.stdout.contains("nan"))
        #expect(human.stderr.contains("R^2 score is not well-defined with less than two samples."))
        let json = try CLI.run(["evaluate", "m.mlp", "one.csv", "--json"], in: dir)
        #expect(json.code == 0, "\(json.stderr)")
        #expect(json.stdout.contains("\"r2\":null"))
    }

    /// JSON has no NaN: a metric that is not finite (R² over one row) is null, and the command still succeeds.
    /// Metrics whose squares overflow (errors near 1e160) are summed scaled and stay finite.
    @Test func nonFiniteMetricsAreNullInJSONAndOverflowingSquaresAreNot() throws {
        let dir = try CLI.temporaryDirectory()
        try CLI.write("a,y\n1,5\n2,5\n3,5\n", to: dir + "/c.csv")
        try CLI.write("a,y\n0.1,1e160\n0.5,3e160\n0.9,-2e160\n", to: dir + "/huge.csv")
        try CLI.write("a,y\n0.1,1\n", to: dir + "/one.csv")
        #expect(try CLI.run(["train", "c.csv", "--regression", "-o", "m.mlp", "--max-iter", "3", "-q"], in: dir).code == 0)
        let json = try CLI.run(["evaluate", "m.mlp", "huge.csv", "--json"], in: dir)
        #expect(json.code == 0, "\(json.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        let rmse = try #require(object?["rmse"] as? Double), mae = try #require(object?["mae"] as? Double)
        #expect(abs(rmse / (14.0 / 3).squareRoot() / 1e160 - 1) < 1e-9, "\(json.stdout)")
        #expect(abs(mae / 2e160 - 1) < 1e-9, "\(json.stdout)")
        let one = try CLI.run(["evaluate", "m.mlp", "one.csv", "--json"], in: dir)
        #expect(one.code == 0, "\(one.stderr)")
        #expect(one.stdout.contains("\"r2\":null"), "\(one.stdout)")
    }
}
