// mlp-bench: `mlp-bench <benchmark> [options]`. Each benchmark is one entry in `benchmarks`;
// add training benchmarks the same way.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

struct Benchmark {
    let summary: String
    /// Options without a value, and options followed by one: anything else on the command line is refused.
    var flags: [String] = ["--json"], options: [String] = []
    let run: ([String]) throws -> Void

    /// What is wrong with the first argument that is neither a known flag nor a known option with its value, if any.
    func argumentError(in arguments: [String]) -> String? {
        var i = 0
        while i < arguments.count {
            if options.contains(arguments[i]) {
                if i + 1 == arguments.count { return "\(arguments[i]) needs a value" }
                i += 2
            } else if flags.contains(arguments[i]) {
                i += 1
            } else {
                return "unknown option \(arguments[i]) (mlp-bench --help lists them)"
            }
        }
        return nil
    }
}

let benchmarks: [(name: String, benchmark: Benchmark)] = [
    ("gemm", Benchmark(summary: "GEMM GFLOP/s: squares 64...2048 and the batch-200 MLP products (Float, Double; 1 and 2 threads)",
                       flags: ["--json", "--quick", "--serve"],
                       options: ["--threads", "--repeats", "--only", "--dtype", "--mc", "--kc", "--nc", "--in-place", "--order"],
                       run: runGemmBenchmark)),
    ("seed", Benchmark(summary: "the question's 2-3-1 network: µs per iteration (numpy engine and library path)",
                       run: runSeedBenchmark)),
    ("digits", Benchmark(summary: "digits 1797x64, hidden 100, adam, batch 200: ms per epoch (--dtype, --epochs)",
                         options: ["--dtype", "--epochs"], run: runDigitsBenchmark)),
    ("large", Benchmark(summary: "100000x100, hidden (256,128), adam: s per epoch, peak RSS (--x --y --dtype --epochs)",
                        flags: ["--json", "--allocations"], options: ["--x", "--y", "--dtype", "--epochs", "--features"],
                        run: runLargeBenchmark)),
    ("predict", Benchmark(summary: "predict_proba of a 100-256-128-10 network: rows/s for batches 1...100000, latency, allocations",
                          flags: ["--json", "--serve", "--single-row", "--unpacked"],
                          options: ["--dtype", "--weights", "--inputs", "--hidden", "--split-from"],
                          run: runPredictBenchmark)),
    ("elementwise", Benchmark(summary: "vectorized exp / logistic / tanh against libm on a 200x256 batch",
                              flags: [], run: runElementwiseBenchmark)),
]

@MainActor func usage() -> String {
    var text = "usage: mlp-bench <benchmark> [options]\n\nbenchmarks:\n"
    for (name, b) in benchmarks { text += "  \(name.padded(to: 12)) \(b.summary)\n" }
    text += "\ngemm options: --json  --threads 1,2  --repeats N  --quick (squares up to 512)  --serve (requests on stdin)\n              --only TEXT  --dtype float32,float64  --mc N --kc N --nc N (cache blocks)\n              --in-place 1|0 (operands stored by rows read in place where they fit, or packed)\n              --order rows|columns (loop order; default on AVX-512: rows first when m > MC, k > 256 and m <= 2n,\n                         or m <= MC and n > rows-first NC (AVX2: 2 NC) with operands packed;\n                         and k <= 64 with k <= column micro-panels)\n"
    text += "predict options: --json  --dtype float32,float64  --weights FILE (float64, sklearn _pack order)  --serve\n"
    text += "                 --single-row (batch 1 only)  --unpacked (single rows without weight panels)\n"
    text += "                 --split-from B (single rows split every layer of at least B bytes over the threads)\n"
    text += "                 --hidden 512,256 (other hidden layers; seeded weights)\n"
    text += "                 --inputs FILE (the rows, float64 row-major; single rows cycle through 1,000)\n"
    return text
}

let arguments = Array(CommandLine.arguments.dropFirst())
guard let name = arguments.first, let entry = benchmarks.first(where: { $0.name == name }) else {
    writeStandardError(usage())
    exit(arguments.isEmpty || arguments.first == "--help" ? 0 : 2)
}
if arguments.dropFirst().contains(where: { $0 == "--help" || $0 == "-h" }) {  // not a run: each run takes minutes
    writeStandardError(usage())
    exit(0)
}
if let problem = entry.benchmark.argumentError(in: Array(arguments.dropFirst())) {  // a typo would run the defaults
    writeStandardError("mlp-bench \(name): \(problem)\n")
    exit(2)
}
do {
    try entry.benchmark.run(Array(arguments.dropFirst()))
} catch {
    writeStandardError("mlp-bench \(name): \(error)\n")
    exit(1)
}
