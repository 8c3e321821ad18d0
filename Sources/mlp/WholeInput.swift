import Foundation
import MLP

/// Input read whole, up to a limit: standard input and `.gz` files for the commands that need every row in memory
/// (train, cv, diagnose, evaluate --report). A pipe or a small compressed file can be unbounded (`/dev/zero`, a
/// gzip bomb); past the limit it is refused in one line instead of filling the memory.
enum WholeInput {
    /// The most bytes read whole: `CSVLimits.maxStreamBytes` (1 GiB), or `MLP_MAX_STREAM_BYTES` (bytes, 0 or more;
    /// another value is named on standard error, once, and the default applies).
    static let limit: Int = {
        let fallback = CSVLimits().maxStreamBytes
        guard let text = ProcessInfo.processInfo.environment["MLP_MAX_STREAM_BYTES"], !text.isEmpty else {
            return fallback
        }
        if let bytes = Int(text), bytes >= 0 { return bytes }
        Output.warning("MLP_MAX_STREAM_BYTES=\(text): expected a whole number of bytes, 0 or more; using \(fallback)")
        return fallback
    }()

    /// What passed the limit.
    struct TooLarge: Error {}

    /// Every byte of `source`.
    /// - Parameters:
    ///   - source: the bytes.
    ///   - expected: a guess of their count, for the first allocation.
    ///   - limit: the most bytes to read.
    /// - Throws: `TooLarge` past `limit`; the source's errors.
    static func read(_ source: any CSVByteSource, expected: Int = 0, limit: Int = limit) throws -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(min(max(expected, 1 << 16), limit))
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 64)
        defer { chunk.deallocate() }
        while true {
            let n = try source.read(into: chunk)
            if n == 0 { return bytes }
            guard n <= limit - bytes.count else { throw TooLarge() }
            bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: chunk[..<n]))
        }
    }

    /// Standard input, read once (training with --test-size reads the table twice).
    static func standardInput() throws -> [UInt8] { try standardInputBytes.get() }

    private static let standardInputBytes = Result { () throws -> [UInt8] in
        do {
            return try read(CSVFileSource(path: "/dev/stdin"))
        } catch is TooLarge {
            throw CLIError(.memory, "standard input: more than \(limit) bytes, the limit for input read whole "
                           + "(MLP_MAX_STREAM_BYTES); mlp train --stream reads it a chunk at a time")
        } catch {
            throw CLIError.wrap(error)
        }
    }
}
