// mlp-bench: `mlp-bench <benchmark> [options]`. Each benchmark is one entry in `benchmarks`;
// add training benchmarks the same way.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

struct Benchmark {
    let summary: String
    let run: ([String]) throws -> Void
}

let benchmarks: [(name: String, benchmark: Benchmark)] = [
    ("gemm", Benchmark(summary: "GEMM GFLOP/s: squares 64...2048 and the batch-200 MLP products (Float, Double; 1 and 2 threads)",
                       run: runGemmBenchmark)),
    ("seed", Benchmark(summary: "the question's 2-3-1 network: µs per iteration (numpy engine and library path)",
                       run: runSeedBenchmark)),
    ("digits", Benchmark(summary: "digits 1797x64, hidden 100, adam, batch 200: ms per epoch (--dtype, --epochs)",
                         run: runDigitsBenchmark)),
    ("large", Benchmark(summary: "100000x100, hidden (256,128), adam: s per epoch, peak RSS (--x --y --dtype --epochs)",
                        run: runLargeBenchmark)),
    ("predict", Benchmark(summary: "predict_proba of a 100-256-128-10 network: rows/s for batches 1...100000, latency, allocations",
                          run: runPredictBenchmark)),
    ("elementwise", Benchmark(summary: "vectorized exp / logistic / tanh against libm on a 200x256 batch",
                              run: runElementwiseBenchmark)),
]

@MainActor func usage() -> String {
    var text = "usage: mlp-bench <benchmark> [options]\n\nbenchmarks:\n"
    for (name, b) in benchmarks { text += "  \(name.padded(to: 12)) \(b.summary)\n" }
    text += "\ngemm options: --json  --threads 1,2  --repeats N  --quick (squares up to 512)  --serve (requests on stdin)\n              --only TEXT  --dtype float32,float64  --mc N --kc N --nc N (cache blocks)\n              --in-place 1|0 (operands stored by rows read in place where they fit, or packed)\n              --order rows|columns (loop order; default: rows first when m > MC and k > 256 on AVX-512)\n"
    text += "predict options: --json  --dtype float32,float64  --weights FILE (float64, sklearn _pack order)  --serve\n"
    text += "                 --single-row (batch 1 only)  --unpacked (single rows without weight panels)\n"
    text += "                 --split-from B (single rows split every layer of at least B bytes over the threads)\n"
    text += "                 --hidden 512,256 (other hidden layers; seeded weights)\n"
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
do {
    try entry.benchmark.run(Array(arguments.dropFirst()))
} catch {
    writeStandardError("mlp-bench \(name): \(error)\n")
    exit(1)
}
