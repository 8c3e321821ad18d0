// Build tool of the EmbedDatasets plugin: writes a Swift file holding each CSV file's bytes as a string literal.
// usage: embed-datasets OUTPUT.swift NAME=FILE.csv...
import Foundation

/// A Swift multi-line string literal whose value is `text`: backslashes, quotes and carriage returns escaped.
/// The newline before the closing quotes is not part of the value, so a file ending in a newline ends the
/// literal with an empty line.
func literal(_ text: String) -> String {
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
        line.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\r", with: "\\r")
    }
    return "\"\"\"\n" + lines.joined(separator: "\n") + "\n\"\"\""
}

let arguments = CommandLine.arguments.dropFirst()
guard let output = arguments.first, arguments.count >= 2 else {
    FileHandle.standardError.write(Data("usage: embed-datasets OUTPUT.swift NAME=FILE.csv...\n".utf8))
    exit(2)
}
var cases = "", literals = ""
for argument in arguments.dropFirst() {
    let parts = argument.split(separator: "=", maxSplits: 1).map(String.init)
    guard parts.count == 2, let text = try? String(contentsOfFile: parts[1], encoding: .utf8) else {
        FileHandle.standardError.write(Data("embed-datasets: cannot read '\(argument)' as NAME=UTF-8 FILE\n".utf8))
        exit(1)
    }
    cases += "        case .\(parts[0]): return \(parts[0])CSV\n"
    literals += "\nprivate let \(parts[0])CSV: StaticString = \(literal(text))\n"
}
let source = """
    // Generated at build time by the EmbedDatasets plugin from Datasets/*.csv.
    extension BundledDataset {
        /// The CSV file's bytes, exactly.
        var csvText: StaticString {
            switch self {
    \(cases)        }
        }
    }

    """ + literals
do {
    try source.write(toFile: output, atomically: true, encoding: .utf8)
} catch {
    FileHandle.standardError.write(Data("embed-datasets: cannot write \(output): \(error)\n".utf8))
    exit(1)
}
