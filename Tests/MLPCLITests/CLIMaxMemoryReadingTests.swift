import Foundation
import Testing

// --max-memory reaches the CSV reader: its one-hot refusal names that limit, not the memory available.

@Suite struct CLIMaxMemoryReadingTests {
    @Test(arguments: ["train", "cv"])
    func theOneHotRefusalNamesMaxMemory(_ command: String) throws {
        let dir = try CLI.temporaryDirectory()
        var text = "c,x,y\n"
        for i in 0..<20000 { text += "k\(i % 1000),\(Double(i) / 2),\(i % 2)\n" }
        try CLI.write(text, to: dir + "/onehot.csv")
        let r = try CLI.run([command, "onehot.csv", "--one-hot", "c", "--max-memory", "100M"] + (command == "train" ? ["-o", "m.mlp"] : []),
                            in: dir)
        expectCleanError(r, code: 1, contains: "reading the data needs about")
        #expect(r.stderr.contains("more than the limit of 100 MiB (--max-memory)"), "\(r.stderr)")
        #expect(r.stderr.contains("the one-hot encoded features (20000 rows × 1001 columns)"), "\(r.stderr)")
    }
}
