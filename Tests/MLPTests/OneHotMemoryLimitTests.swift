import Foundation
@testable import MLPCore
import MLPTestSupport
import Testing

// The reader's one-hot memory refusal names the limit it was given (CSVLimits.maxMemoryBytes, `--max-memory`).

@Suite struct OneHotMemoryLimitTests {
    @Test func theReaderNamesTheLimitItWasGiven() throws {
        var text = "c,x,y\n"
        for i in 0..<2000 { text += "k\(i % 500),\(i),\(i % 2)\n" }
        var options = CSVReadOptions(oneHot: ["c"])
        options.limits.maxMemoryBytes = 1e6
        do {
            _ = try CSVReader.read(text: text, options: options)
            Issue.record("a one-hot table of 2000 × 501 values fitted in 1 MB")
        } catch let error as DataError {
            #expect(error.kind == .tooLarge)
            let flags = error.description(naming: .flags), code = error.description
            #expect(flags.contains("(--max-memory)") && !flags.contains("CSVLimits"), "\(flags)")
            #expect(code.contains("(CSVLimits.maxMemoryBytes)"), "\(code)")
            #expect(flags.contains("one-hot encoded features"), "\(flags)")
        }
    }
}
