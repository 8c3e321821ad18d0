import MLPKernels

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// A chunk of CSV records parsed as two halves at once (CSVTableStream): number parsing is most of `mlp predict`'s
// time. The halves meet at a record start, found from the middle with the quote count since the chunk's start (a
// line end inside a quoted field is not one); the second half's lines are numbered after the first half's line ends.
// The tables put end to end are the one table of the whole chunk, and an error is the first in file order.

/// Parses the records of `bytes` into a table as `builder` would, in two halves on two threads when the chunk is
/// large enough to gain.
final class SplitChunkParse: ParallelWork {
    /// Below this, one thread parses the chunk: a hand-off costs more than half the parse saves.
    static let smallestSplit = 256 * 1024

    private let builders: UnsafeMutablePointer<TableBuilder>
    private let pieces: UnsafeMutablePointer<(bytes: UnsafeBufferPointer<UInt8>, lineOffset: Int)>
    private let results: UnsafeMutablePointer<Result<DataTable, Error>?>
    private let parts: Int
    private let source: String

    private init(builder: TableBuilder, source: String,
                 pieces: [(bytes: UnsafeBufferPointer<UInt8>, lineOffset: Int)]) {
        parts = pieces.count
        self.source = source
        builders = .allocate(capacity: parts)
        builders.initialize(repeating: builder, count: parts)
        self.pieces = .allocate(capacity: parts)
        self.pieces.initialize(from: pieces, count: parts)
        results = .allocate(capacity: parts)
        results.initialize(repeating: nil, count: parts)
    }

    deinit {
        builders.deinitialize(count: parts)
        builders.deallocate()
        pieces.deallocate()
        results.deinitialize(count: parts)
        results.deallocate()
    }

    func runPart(_ part: Int, of parts: Int) {
        let piece = pieces[part]
        results[part] = Result {
            builders[part].moveOn(to: piece.bytes, lineOffset: piece.lineOffset)
            return try builders[part].build(source: source, allowEmpty: true)
        }
    }

    /// The table of the records in `bytes`, parsed with `builder`'s header, roles and delimiter.
    /// - Parameters:
    ///   - bytes: complete records.
    ///   - lineOffset: the line ends before `bytes`.
    ///   - builder: the file's builder (its tokenizer is replaced).
    ///   - source: the file, for messages.
    ///   - threads: the threads to use.
    ///   - minimumBytes: the smallest chunk split in two.
    ///   - middle: where to look for the halves' meeting point; nil for the middle (tests try every byte).
    static func table(of bytes: UnsafeBufferPointer<UInt8>, lineOffset: Int, builder: inout TableBuilder,
                      source: String, threads: Int, minimumBytes: Int = smallestSplit,
                      middle: Int? = nil) throws -> DataTable {
        guard threads > 1, bytes.count >= max(minimumBytes, 1),
              let cut = recordStart(after: middle ?? bytes.count / 2, in: bytes), cut < bytes.count else {
            builder.moveOn(to: bytes, lineOffset: lineOffset)
            return try builder.build(source: source, allowEmpty: true)
        }
        let first = UnsafeBufferPointer(rebasing: bytes[..<cut]), second = UnsafeBufferPointer(rebasing: bytes[cut...])
        let work = SplitChunkParse(builder: builder, source: source, pieces: [
            (first, lineOffset), (second, lineOffset + CSVChunkReader.countLineBreaks(first)),
        ])
        runParts(2, threads: 2, work)
        var table = try work.results[0]!.get()  // the first half's error comes first in the file
        let rest = try work.results[1]!.get()
        table.rowCount += rest.rowCount
        table.features += rest.features
        table.targetLabels += rest.targetLabels
        table.targetValues += rest.targetValues
        table.lines += rest.lines
        table.ids += rest.ids
        return table
    }

    /// The start of the first record that begins at or after `middle`: just past the first line end outside quotes,
    /// a CR LF taken whole; nil when there is none. `bytes` starts at a record start.
    static func recordStart(after middle: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        guard let base = bytes.baseAddress else { return nil }
        let quote: UInt8 = 0x22, lf: UInt8 = 0x0A, cr: UInt8 = 0x0D
        var inQuotes = false
        var p = UnsafeRawPointer(base), left = middle
        while left > 0, let hit = memchr(p, Int32(quote), left) {
            inQuotes.toggle()
            let next = UnsafeRawPointer(hit) + 1
            left -= next - p
            p = next
        }
        // A CR just before the middle and an LF at it are one line end: the record starts after the LF.
        var i = middle > 0 && bytes[middle - 1] == cr && !inQuotes ? middle - 1 : middle
        while i < bytes.count {
            let b = bytes[i]
            i += 1
            if b == quote {
                inQuotes.toggle()
            } else if !inQuotes && (b == lf || b == cr) {
                if b == cr && i < bytes.count && bytes[i] == lf { i += 1 }
                return i
            }
        }
        return nil
    }
}
