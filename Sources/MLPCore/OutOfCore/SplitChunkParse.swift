import MLPKernels

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// CSV records parsed as two halves at once (a chunk of CSVTableStream, or a whole file for CSVReader): number
// parsing is most of `mlp predict`'s time and all of reading before training. The halves meet at a record start,
// found from the middle with the quote count since the records' start (a line end inside a quoted field is not
// one); the second half's lines are numbered after the first half's line ends. Each half is scanned on its own
// thread, the second appended to the first as one scan would have read them (its new categories numbered after
// the first half's), and one finish step imputes, sorts learnt categories and lays out the features: the table of a
// one-thread read, and an error is the first in file order.

/// Parses the records of `bytes` into a table as `builder` would, in two halves on two threads when they are
/// large enough to gain.
final class SplitChunkParse: ParallelWork {
    /// Below this, one thread parses the chunk: a hand-off costs more than half the parse saves.
    static let smallestSplit = 256 * 1024

    private let builders: UnsafeMutablePointer<TableBuilder>
    private let pieces: UnsafeMutablePointer<(bytes: UnsafeBufferPointer<UInt8>, lineOffset: Int)>
    private let results: UnsafeMutablePointer<Result<ScannedRecords, Error>?>
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
            return try builders[part].scan()
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
    ///   - allowEmpty: no records gives a table of no rows instead of an error.
    static func table(of bytes: UnsafeBufferPointer<UInt8>, lineOffset: Int, builder: inout TableBuilder,
                      source: String, threads: Int, minimumBytes: Int = smallestSplit,
                      middle: Int? = nil, allowEmpty: Bool = true) throws -> DataTable {
        guard threads > 1, bytes.count >= max(minimumBytes, 1),
              let cut = recordStart(after: middle ?? bytes.count / 2, in: bytes), cut < bytes.count else {
            builder.moveOn(to: bytes, lineOffset: lineOffset)
            return try builder.build(source: source, allowEmpty: allowEmpty)
        }
        let first = UnsafeBufferPointer(rebasing: bytes[..<cut]), second = UnsafeBufferPointer(rebasing: bytes[cut...])
        let work = SplitChunkParse(builder: builder, source: source, pieces: [
            (first, lineOffset), (second, lineOffset + CSVChunkReader.countLineBreaks(first)),
        ])
        runParts(2, threads: 2, work)
        var scanned = try work.results[0]!.get()  // the first half's error comes first in the file
        scanned.append(try work.results[1]!.get())
        return try builder.finish(scanned, source: source, allowEmpty: allowEmpty)
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
