import Foundation
import MLP
import MLPModelFile

// Output helpers: JSON on stdout, CSV fields, files written atomically.

enum Output {
    /// Prints one JSON object (sorted keys) and a newline on stdout.
    static func printJSON<T: Encodable>(_ value: T) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = try cli {
            do { return try encoder.encode(value) } catch {
                throw CLIError(.data, "cannot encode the result as JSON (a non-finite number?): \(error)")
            }
        }
        FileHandle.standardOutput.write(data + Data("\n".utf8))
    }

    /// Writes text to a file atomically, or to stdout when `path` is nil or "-".
    static func write(_ text: String, to path: String?) throws {
        guard let path, path != "-" else {
            FileHandle.standardOutput.write(Data(text.utf8))
            return
        }
        try cli { try AtomicFile.write(Array(text.utf8), to: path) }
    }

    /// A CSV field, quoted when it holds a comma, quote, line break or surrounding space.
    static func csvField(_ s: String) -> String {
        let needsQuotes = s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
            || s.first == " " || s.last == " " || s.isEmpty
        return needsQuotes ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }

    /// The shortest text that reads back as the same Double (as Python's repr).
    static func number(_ v: Double) -> String { "\(v)" }

    static func fixed(_ v: Double, _ digits: Int = 4) -> String { String(format: "%.\(digits)f", v) }
}

/// Loads a model file, turning every problem into a CLIError (exit 1).
func loadModel(_ path: String) throws -> MLPModel {
    try cli { try MLPModel.read(from: path) }
}
