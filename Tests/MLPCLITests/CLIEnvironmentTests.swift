import Foundation
import MLPKernels
import Testing

// The environment variables: a value a kernel variable or MLP_MAX_STREAM_BYTES does not take is named in one line on
// stderr, once, and the run goes on with the default (exit 0, the model written); the values each takes are accepted
// without a word. A malformed MLP_MPI_TIMEOUT ends a distributed run before it starts.
@Suite struct CLIEnvironmentTests {
    /// Trains on digits for three epochs with `environment` and returns the run and the model file's bytes.
    static func train(_ environment: [String: String]) throws -> (RunResult, Data) {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let run = try CLI.run(["train", "--dataset", "digits", "--max-iter", "3", "-o", "model.mlp"], in: directory,
                              environment: environment)
        let model = (try? Data(contentsOf: URL(fileURLWithPath: directory + "/model.mlp"))) ?? Data()
        return (run, model)
    }

    static func warnings(_ run: RunResult) -> [Substring] {
        run.stderr.split(separator: "\n").filter { $0.hasPrefix("swift-mlp: ") }
    }

    @Test(arguments: [
        ("MLP_KERNEL_ISA", "avx-512", "expected generic, avx2 or avx512; using "),
        ("MLP_NUM_THREADS", "two", "expected a whole number of threads from 1 to 64; using "),
        ("MLP_NUM_THREADS", "0", "expected a whole number of threads from 1 to 64; using "),
        ("MLP_NUM_THREADS", "1000", "expected a whole number of threads from 1 to 64; using 64"),
        ("MLP_CACHE_SIZES", "l1=32K;l2=512K", "expected entries such as l1=32K"),
        ("MLP_CACHE_SIZES", "l4=8M", "expected entries such as l1=32K"),
        ("MLP_CACHE_SIZES", "l2=1M:0", "expected entries such as l1=32K"),
        ("MLP_GEMM_IN_PLACE", "yes", "expected 0 or 1; using the default"),
        ("MLP_GEMM_ORDER", "row", "expected rows or columns; using the default order"),
        ("MLP_GEMM_KC", "l1", "expected model; using the streamed KC"),
        ("MLP_GEMM_NARROW", "yes", "expected 0 or 1; using the default"),
    ])
    func aValueAVariableDoesNotTakeIsNamedOnce(variable: String, value: String, message: String) throws {
        let (run, model) = try Self.train([variable: value])
        #expect(run.code == 0, "\(variable)=\(value): \(run.stderr)")
        let warnings = Self.warnings(run)
        #expect(warnings.count == 1, "\(variable)=\(value): \(warnings)")
        #expect(warnings.first?.hasPrefix("swift-mlp: \(variable)=\(value): \(message)") == true,
                "\(variable)=\(value): \(warnings)")
        #expect(!model.isEmpty, "\(variable)=\(value): no model written")
    }

    @Test func valuesTheVariablesTakeAreAcceptedQuietly() throws {
        for environment in [["MLP_NUM_THREADS": "1"], ["MLP_NUM_THREADS": "64"], ["MLP_NUM_THREADS": ""],
                            ["MLP_CACHE_SIZES": "l1=32K,l2=512K:8,L3=32m"], ["MLP_GEMM_IN_PLACE": "0"],
                            ["MLP_GEMM_ORDER": "columns"], ["MLP_GEMM_KC": "model"], ["MLP_GEMM_NARROW": "0"],
                            ["MLP_GEMM_NARROW": "1"]] {
            let (run, model) = try Self.train(environment)
            #expect(run.code == 0 && Self.warnings(run).isEmpty && !model.isEmpty, "\(environment): \(run.stderr)")
        }
    }

    /// Each instruction set by name: quiet where this CPU runs it; where it cannot, named, and the detected kernels
    /// run instead.
    @Test(arguments: InstructionSet.allCases)
    func instructionSetsByName(isa: InstructionSet) throws {
        let name = isa == .avx512 ? "avx512" : isa == .avx2 ? "avx2" : "generic"
        let (run, model) = try Self.train(["MLP_KERNEL_ISA": name])
        #expect(run.code == 0 && !model.isEmpty, "\(name): \(run.stderr)")
        // The detected set, not this process's: the suite also runs under MLP_KERNEL_ISA=generic.
        let best = [InstructionSet.avx512, .avx2].first(where: \.isSupported) ?? .generic
        let expected = isa.isSupported ? [] : ["swift-mlp: MLP_KERNEL_ISA=\(name): this CPU cannot run those kernels; "
                                               + "using \(best)"]
        #expect(Self.warnings(run).map(String.init) == expected, "\(name)")
    }

    /// Standard input is read whole up to MLP_MAX_STREAM_BYTES: a malformed limit is named and the default (1 GiB) holds.
    @Test func aMalformedStreamLimitIsNamedAndTheDefaultHolds() throws {
        let csv = "a,b,y\n" + (0..<40).map { "\($0 % 7),\($0 % 5),\($0 % 2)" }.joined(separator: "\n") + "\n"
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        for value in ["1G", "-5", "lots"] {
            let run = try CLI.run(["train", "-q", "--max-iter", "3", "-o", "model.mlp", "-"], in: directory, stdin: csv,
                                  environment: ["MLP_MAX_STREAM_BYTES": value])
            #expect(run.code == 0, "\(value): \(run.stderr)")
            let warnings = run.stderr.split(separator: "\n").filter { $0.hasPrefix("mlp: warning: MLP_MAX_STREAM_BYTES") }
            #expect(warnings == ["mlp: warning: MLP_MAX_STREAM_BYTES=\(value): expected a whole number of bytes, 0 or more; "
                                 + "using 1073741824"], "\(value): \(run.stderr)")
        }
        let quiet = try CLI.run(["train", "-q", "--max-iter", "3", "-o", "model.mlp", "-"], in: directory, stdin: csv,
                                environment: ["MLP_MAX_STREAM_BYTES": "100000"])
        #expect(quiet.code == 0 && !quiet.stderr.contains("warning"), "\(quiet.stderr)")
    }

    /// A malformed MLP_MPI_TIMEOUT is refused in one line before MPI is loaded, so every rank says the same, and no
    /// model is written; Open MPI need not be installed to see it.
    @Test(arguments: ["10m", "-1", "nan", "inf"])
    func aMalformedMPITimeoutEndsADistributedRunFirst(value: String) throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let run = try CLI.run(["train", "--dataset", "iris", "--max-iter", "2", "--distributed", "-o", "model.mlp"],
                              in: directory, environment: ["MLP_MPI_TIMEOUT": value])
        expectCleanError(run, code: 1, contains: "MLP_MPI_TIMEOUT=\(value): expected seconds, 0 or more")
        #expect(!FileManager.default.fileExists(atPath: directory + "/model.mlp"))
    }
}
