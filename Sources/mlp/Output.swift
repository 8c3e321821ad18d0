import Foundation
import MLP
import MLPModelFile

// The one output layer: every byte the tool writes goes through here. Standard output and standard error are
// written with write(2) in a loop (short writes, EINTR, EAGAIN), never with FileHandle, whose write traps on
// ENOSPC, EBADF and EPIPE. A failed write to standard output is an error (exit 1, one line on standard error);
// a failed write to standard error ends the tool at once with exit 1 (there is nowhere left to say why). With
// SIGPIPE at its default, a closed pipe ends the tool with 141, as for any Unix filter. Files are written through
// AtomicFile: never partially, never renamed over a device, FIFO or symbolic link.

enum Output {
    /// Writes `text` and `terminator` on standard output.
    /// - Throws: CLIError(.io) when the bytes cannot all be written.
    static func print(_ text: String, terminator: String = "\n") throws {
        // Anything another part of the tool printed through stdio goes first, in order.
        fflush(nil)
        if let code = writeAll(STDOUT_FILENO, Array((text + terminator).utf8)) {
            throw CLIError(.io, "cannot write to standard output: \(String(cString: strerror(code)))")
        }
    }

    /// Prints one JSON object (sorted keys) and a newline on standard output. JSON has no NaN or infinity: a
    /// non-finite number (an R² of one row, a loss that blew up) is written as `null`.
    static func printJSON<T: Encodable>(_ value: T) throws {
        try print(json(value), terminator: "")
    }

    /// One JSON object (sorted keys, non-finite numbers as `null`) and a newline, as `printJSON` prints it.
    static func json<T: Encodable>(_ value: T) throws -> String {
        // The encoder writes non-finite numbers as this string; no text read from a file can hold a NUL.
        let sentinel = "\u{0}non-finite\u{0}"
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: sentinel,
                                                                      negativeInfinity: sentinel, nan: sentinel)
        do {
            let token = String(decoding: try encoder.encode([sentinel]), as: UTF8.self).dropFirst().dropLast()
            let text = String(decoding: try encoder.encode(value), as: UTF8.self)
            return text.replacingOccurrences(of: token, with: "null") + "\n"
        } catch {
            throw CLIError(.data, "cannot encode the result as JSON: \(error)")
        }
    }

    /// Writes `text` on standard error as it is (progress bars). When it cannot be written the tool stops at once
    /// with exit 1, removing its temporary files: output was lost and nothing else can report it.
    static func diagnostic(_ text: String) {
        fflush(nil)
        if writeAll(STDERR_FILENO, Array(text.utf8)) != nil { Signals.exitNow(code: 1) }
    }

    /// One "mlp: warning: …" line on standard error, control characters and line breaks escaped.
    static func warning(_ message: String) { diagnostic("mlp: warning: \(terminalLine(message))\n") }

    /// One "mlp: error: …" line on standard error, control characters and line breaks escaped.
    static func error(_ message: String) { diagnostic("mlp: error: \(terminalLine(message))\n") }

    /// Writes text to a file (see `AtomicFile`), or to standard output when `path` is nil or "-".
    static func write(_ text: String, to path: String?) throws {
        guard let path, path != "-" else { return try print(text, terminator: "") }
        try cli { try AtomicFile.write(Array(text.utf8), to: path) }
    }

    /// Checks, before any work, that `path` can be written and is none of the command's `inputs` (the same file
    /// under another name or through a link included). "-" (standard output) is fine for text; a `binary` output
    /// (a model, ONNX, NPZ, a cache) refuses it rather than write a file named "-".
    /// - Throws: CLIError(.usage) (exit 2) when the output is an input or a binary "-"; CLIError(.io) when it
    ///   cannot be written.
    /// Refuses a model file named as an interchange format: `-o model.onnx` wrote swift-mlp's own format there,
    /// which onnxruntime and numpy cannot read.
    /// - Parameter path: the model file to write.
    static func checkModelFileName(_ path: String) throws {
        for format in ExportCommand.Format.allCases where path.lowercased().hasSuffix("." + format.rawValue) {
            throw CLIError(.usage, "--output \(path): a model file is swift-mlp's own format, not \(format.name); "
                           + "write it as a .mlp file and run 'mlp export MODEL -o \(path)'")
        }
    }

    static func checkWritable(_ path: String?, option: String, inputs: [String?], binary: Bool = false) throws {
        if binary && path == "-" {
            throw CLIError(.usage, "\(option) -: this output is binary and is written to a file, not to standard "
                           + "output; give a file name (/dev/stdout, to pipe it)")
        }
        guard let path, path != "-" else { return }
        for case let input? in inputs {
            let name = input == "-" ? "/dev/stdin" : input
            if AtomicFile.sameFile(path, name) {
                throw CLIError(.usage, "\(option) \(path) is the input \(input == "-" ? "standard input" : input); "
                               + "writing it would destroy the input, choose another file")
            }
        }
        _ = try cli { try AtomicFile.destination(of: path) }
    }

    /// `text` with control characters (C0 but newline and tab, DEL, C1), bidirectional overrides and the Unicode
    /// line and paragraph separators shown as escapes (`\r`, `\u{1B}`, `\u{2028}`), so a label or column name from a
    /// file cannot move the cursor or recolour the terminal. Newlines stay: `text` may be a table of several lines
    /// whose labels went through ``terminalLine(_:)``.
    static func terminalSafe(_ text: String) -> String { escaped(text, keepingNewlines: true) }

    /// `text` on one line of the terminal: ``terminalSafe(_:)`` with newlines escaped too (`\n`), so a label or
    /// column name holding a line break cannot split an error, a warning or a row of a table.
    static func terminalLine(_ text: String) -> String { escaped(text, keepingNewlines: false) }

    /// Whether ``terminalLine(_:)`` escapes `scalar`: a control character but tab (newline included), a
    /// bidirectional override, or a line or paragraph separator.
    static func isEscapedOnOneLine(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        return (v < 0x20 && v != 0x09) || (0x7F...0x9F).contains(v) || (0x202A...0x202E).contains(v)
            || (0x2066...0x2069).contains(v) || v == 0x2028 || v == 0x2029
    }

    private static func escaped(_ text: String, keepingNewlines: Bool) -> String {
        func unsafe(_ scalar: Unicode.Scalar) -> Bool {
            isEscapedOnOneLine(scalar) && (scalar != "\n" || !keepingNewlines)
        }
        guard text.unicodeScalars.contains(where: unsafe) else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case _ where !unsafe(scalar): out.append(scalar)
            case 0x0A: out.append(contentsOf: "\\n".unicodeScalars)
            case 0x0D: out.append(contentsOf: "\\r".unicodeScalars)
            case let v: out.append(contentsOf: "\\u{\(String(v, radix: 16, uppercase: true))}".unicodeScalars)
            }
        }
        return String(out)
    }

    /// A CSV field, quoted when it holds a comma, quote, line break or surrounding space.
    static func csvField(_ s: String) -> String {
        let needsQuotes = s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
            || s.first == " " || s.last == " " || s.isEmpty
        return needsQuotes ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }

    /// The shortest text that reads back as the same Double (as Python's repr).
    static func number(_ v: Double) -> String { "\(v)" }

    /// Names for a message, each quoted: 'a', 'b'.
    static func quotedList(_ names: [String]) -> String { names.map { "'\($0)'" }.joined(separator: ", ") }

    /// `digits` decimals ("0.6716"), or as many significant digits in scientific notation ("1.235e+300") where fixed
    /// point would print hundreds of digits or round to zero: from 1e6 up and below 1e-4. scikit-learn's own lines
    /// (--verbose's `loss = %.8f`) do not come through here and keep its format.
    static func fixed(_ v: Double, _ digits: Int = 4) -> String {
        if v.isNaN { return "nan" }
        let magnitude = abs(v)
        if magnitude.isFinite && magnitude != 0 && (magnitude >= 1e6 || magnitude < 1e-4) {
            return String(format: "%.\(max(digits - 1, 0))e", v)
        }
        return String(format: "%.\(digits)f", v)
    }

    /// Writes all of `bytes` to `fd`; nil on success, else the errno of the failure (EIO for a write of 0 bytes).
    static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Int32? {
        bytes.withUnsafeBytes { raw -> Int32? in
            var done = 0
            while done < raw.count {
                let r = Foundation.write(fd, raw.baseAddress! + done, raw.count - done)
                if r > 0 { done += r; continue }
                if r < 0 && errno == EINTR { continue }
                if r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) {
                    var ready = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
                    _ = poll(&ready, 1, -1)
                    continue
                }
                return r < 0 ? errno : EIO
            }
            return nil
        }
    }
}

/// True when what is still buffered by stdio (`print`) reached standard output (stdio's buffer fails again at
/// the end when its earlier flushes failed).
func standardOutputStreamIsIntact() -> Bool { fflush(nil) == 0 }

/// Loads a model file, turning every problem into a CLIError (exit 1).
func loadModel(_ path: String) throws -> MLPModel {
    try cli { try MLPModel.read(from: path) }
}
