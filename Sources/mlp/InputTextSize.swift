import Foundation
import MLP

/// The bytes of CSV text a data file holds, which decide whether it is read whole or streamed: a plain file's size,
/// or a .gz file's decompressed length as its gzip trailer records it (its compressed size would make a 300 MB file
/// of 3 GB of text look small).
enum InputTextSize {
    /// The text bytes of the file at `path`; nil for standard input or a file that cannot be sized.
    static func of(_ path: String) -> Int? {
        guard path != "-", let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int
        else { return nil }
        guard path.hasSuffix(".gz"), let ends = headAndTrailer(of: path, size: size),
              ends.head == 0x8b1f  // gzip's magic bytes, 1f 8b: anything else is refused as it is read
        else { return size }
        return gzipText(trailer: ends.trailer, compressed: size) ?? size
    }

    /// Deflate's densest output: 258 bytes from a few bits, about 1,032 to 1.
    static let densestRatio = 1032

    /// A .gz file's text length from its last member's ISIZE, the length modulo 2^32, raised by whole 2^32 steps
    /// while the compressed file would be larger than the text plus what gzip can add (its header, which may hold a
    /// file name, and deflate's stored blocks, 5 bytes a 64 KiB): a 46-byte file compresses to 70 bytes. nil where
    /// no deflate stream could expand that far (a truncated file ends in other bytes). For text of 4 GiB or more, or
    /// several members, it is a lower bound: reading whole still stops at `WholeInput.limit`.
    /// - Parameters:
    ///   - trailer: The file's last four bytes, little-endian.
    ///   - compressed: The file's size.
    static func gzipText(trailer: UInt32, compressed: Int) -> Int? {
        let framing = (64 << 10) + compressed / 1000
        var text = Int(trailer)
        while text + framing < compressed { text += 1 << 32 }
        return text <= compressed * densestRatio + framing ? text : nil
    }

    /// The first two bytes and the last four of a file, each little-endian.
    private static func headAndTrailer(of path: String, size: Int) -> (head: UInt16, trailer: UInt32)? {
        guard size >= 18, let handle = FileHandle(forReadingAtPath: path) else { return nil }  // 18: gzip's framing
        defer { try? handle.close() }
        guard let head = try? handle.read(upToCount: 2), head.count == 2,
              (try? handle.seek(toOffset: UInt64(size - 4))) != nil,
              let tail = try? handle.read(upToCount: 4), tail.count == 4 else { return nil }
        return (UInt16(head[head.startIndex]) | UInt16(head[head.startIndex + 1]) << 8,
                tail.reversed().reduce(0) { $0 << 8 | UInt32($1) })
    }

    /// Why the CSV file `path` should not be read whole, or nil: its table's estimate is above the memory threshold
    /// (`AutomaticStreaming`), or it is a .gz file of more text than input read whole may hold.
    /// - Parameters:
    ///   - path: The file ('-' and nil: standard input or none, never refused here).
    ///   - limit: --max-memory in bytes, or nil.
    static func readWholeRefusal(csv path: String?, limit: Double?) -> String? {
        guard let path, let text = of(path) else { return nil }
        if AutomaticStreaming.shouldStream(csvBytes: text, limit: limit, available: MemoryEstimate.availableBytes()) {
            let estimate = MemoryEstimate.describe(bytes: AutomaticStreaming.inMemoryEstimate(csvBytes: text))
            return "would need about \(estimate) in memory"
        }
        if path.hasSuffix(".gz"), text > WholeInput.limit {
            return "holds about \(MemoryEstimate.describe(bytes: Double(text))) of text, more than input read whole "
                + "may hold (\(MemoryEstimate.describe(bytes: Double(WholeInput.limit))), MLP_MAX_STREAM_BYTES)"
        }
        return nil
    }
}
