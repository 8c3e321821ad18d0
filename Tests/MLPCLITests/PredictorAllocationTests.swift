import Foundation
import Testing

// The reusable predictor makes no heap allocation on repeated single-row calls: `mlp-bench predict` counts the
// allocations of 1000 warm calls with its allocator hook (CAllocationCounter, linked into the benchmark only), for
// Float32 and Float64. A count of -1 (no hook) or any allocation fails.
@Suite struct PredictorAllocationTests {
    @Test func repeatedSingleRowCallsAllocateNothing() throws {
        let bench = CLI.binary.deletingLastPathComponent().appendingPathComponent("mlp-bench")
        let process = Process()
        process.executableURL = bench
        process.arguments = ["predict", "--single-row"]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        // "float64  single row: 2.719 us, 0.000 heap allocations per call"
        let counts = text.split(separator: "\n").filter { $0.contains("heap allocations per call") }.map {
            $0.split(separator: ",").last!.split(separator: " ").first.map(String.init)
        }
        #expect(counts == ["0.000", "0.000"], "\(text)")
    }
}
