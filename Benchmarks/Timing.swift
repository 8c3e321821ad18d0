#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// mlp-bench loads no Foundation, so that the memory it reports is the library's: Foundation adds about 6 MB
// resident at start, FoundationEssentials 2.6 MB.

/// `MLP_BENCH_CLOCK=thread`: time with the calling thread's CPU clock instead of the wall clock, so single-threaded
/// figures on an oversubscribed machine count only the time this thread ran (Scripts/compare.py --clock thread).
let timingClock: clockid_t = getenv("MLP_BENCH_CLOCK").map { String(cString: $0) == "thread" } == true
    ? CLOCK_THREAD_CPUTIME_ID : CLOCK_MONOTONIC

/// Seconds on the timing clock (monotonic wall time unless `MLP_BENCH_CLOCK=thread`).
func now() -> Double {
    var t = timespec()
    clock_gettime(timingClock, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
}

/// Median seconds per call of `body`: one warm-up call, then `repeats` samples, each of enough calls to
/// last about `sampleSeconds` (so microsecond-sized calls are not dominated by the clock).
func measure(repeats: Int = 7, sampleSeconds: Double = 0.02, _ body: () -> Void) -> Double {
    body()
    let start = now()
    body()
    let once = max(now() - start, 1e-9)
    let calls = max(1, Int(sampleSeconds / once))
    var samples: [Double] = []
    for _ in 0..<repeats {
        let t0 = now()
        for _ in 0..<calls { body() }
        samples.append((now() - t0) / Double(calls))
    }
    samples.sort()
    return samples[samples.count / 2]
}

struct BenchmarkError: Error, CustomStringConvertible {
    let description: String
}

/// Value of `--flag value` in `arguments`, if present.
func option(_ flag: String, in arguments: [String]) -> String? {
    guard let i = arguments.firstIndex(of: flag), i + 1 < arguments.count else { return nil }
    return arguments[i + 1]
}

/// The element types of `--dtype float32,float64` (both by default).
func dtypeListOption(_ arguments: [String]) throws -> [Substring] {
    let text = option("--dtype", in: arguments) ?? "float32,float64", list = text.split(separator: ",")
    guard !list.isEmpty, list.allSatisfy({ $0 == "float32" || $0 == "float64" }) else {
        throw BenchmarkError(description: "--dtype \(text): expected float32, float64 or float32,float64")
    }
    return list
}

/// The positive integer value of `--flag N`, if present; anything else is an error, not the default.
func integerOption(_ flag: String, in arguments: [String]) throws -> Int? {
    try option(flag, in: arguments).map { text in
        guard let value = Int(text), value > 0 else { throw BenchmarkError(description: "\(flag) \(text): expected a positive integer") }
        return value
    }
}

/// The bytes of a file (read to its end: /proc files report size 0), or nil when it cannot be opened.
func readFile(_ path: String) -> [UInt8]? {
    guard let file = fopen(path, "rb") else { return nil }
    defer { fclose(file) }
    var bytes: [UInt8] = [], chunk = [UInt8](repeating: 0, count: 65536)
    while true {
        let read = fread(&chunk, 1, chunk.count, file)
        bytes += chunk.prefix(read)
        if read < chunk.count { return bytes }
    }
}

/// Sends buffered standard output on now (a reader on a pipe waits for each answer).
func flushStandardOutput() { fflush(nil) }

/// Writes to file descriptor 2 (glibc's `stderr` is a mutable global, which Swift 6 refuses to read).
func writeStandardError(_ text: String) {
    var text = text
    text.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
}

extension String {
    /// The string padded on the right with spaces to `width` characters (a table column).
    func padded(to width: Int) -> String { self + String(repeating: " ", count: Swift.max(0, width - count)) }
}
