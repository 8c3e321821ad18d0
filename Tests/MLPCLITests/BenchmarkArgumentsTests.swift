import Foundation
import Testing

// `mlp-bench` refuses what it does not know instead of running minutes of benchmarks with the defaults: an unknown
// option, an option without its value, a bad number or element type each give one line on standard error naming
// it, nothing on standard output and a non-zero exit, before anything runs.
@Suite struct BenchmarkArgumentsTests {
    func run(_ arguments: [String]) throws -> (status: Int32, output: String, error: String) {
        let process = Process()
        process.executableURL = CLI.binary.deletingLastPathComponent().appendingPathComponent("mlp-bench")
        process.arguments = arguments
        let output = Pipe(), error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        let out = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let err = String(decoding: error.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, out, err)
    }

    @Test(arguments: [
        (["gemm", "--threds", "2"], "unknown option --threds"),
        (["predict", "--single-row", "--dtype"], "--dtype needs a value"),
        (["gemm", "--repeats", "x"], "--repeats x: expected a positive integer"),
        (["large", "--epochs", "0"], "--epochs 0: expected a positive integer"),
        (["gemm", "--dtype", "float16"], "--dtype float16: expected float32, float64 or float32,float64"),
        (["elementwise", "--json"], "unknown option --json"),
        (["digits", "--order", "rows"], "unknown option --order"),
    ])
    func badArgumentsAreRefusedBeforeRunning(arguments: [String], message: String) throws {
        let result = try run(arguments)
        #expect(result.status != 0)
        #expect(result.output.isEmpty)
        #expect(result.error.hasPrefix("mlp-bench \(arguments[0]): \(message)"), "\(result.error)")
        #expect(result.error.split(separator: "\n").count == 1, "\(result.error)")
    }
}
