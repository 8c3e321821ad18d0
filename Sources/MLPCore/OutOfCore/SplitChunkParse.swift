import MLPKernels

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// CSV records parsed as parts at once, one per thread (a chunk of CSVTableStream, or a whole file for CSVReader):
// number parsing is most of `mlp predict`'s time and all of reading before training. Neighbouring parts meet at a
// record start, found from an equal share's end with the quote count since the previous meeting point (a line end
// inside a quoted field is not one); each part's lines are numbered after the line ends before it. Each part is
// scanned on its own thread, each appended to the ones before as one scan would have read them (its new categories
// numbered after theirs), and one finish step imputes, sorts learnt categories and lays out the features: the table
// of a one-thread read, and an error is the first in file order.

/// Parses the records of `bytes` into a table as `builder` would, in one part per thread when they are large
/// enough to gain.
final class SplitChunkParse: ParallelWork {
    /// Below this, one thread parses the chunk: a hand-off costs more than half the parse saves. A part is at least
    /// half of it.
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
    ///   - threads: the threads to use: up to one part each, each part at least half of `minimumBytes`.
    ///   - minimumBytes: the smallest chunk split.
    ///   - cuts: where to look for the parts' meeting points, ascending; nil for equal parts (tests try every byte).
    ///   - allowEmpty: no records gives a table of no rows instead of an error.
    static func table(of bytes: UnsafeBufferPointer<UInt8>, lineOffset: Int, builder: inout TableBuilder,
                      source: String, threads: Int, minimumBytes: Int = smallestSplit,
                      cuts targets: [Int]? = nil, allowEmpty: Bool = true) throws -> DataTable {
        let parts = targets.map { $0.count + 1 } ?? min(threads, bytes.count / max(minimumBytes / 2, 1))
        var cuts: [Int] = []
        if threads > 1 && parts > 1 && bytes.count >= max(minimumBytes, 1) {
            for k in 1..<parts {
                // A cut is a record start, so the next search starts outside quotes there.
                let last = cuts.last ?? 0, target = max(targets?[k - 1] ?? bytes.count / parts * k, last)
                guard let found = recordStart(after: target - last, in: UnsafeBufferPointer(rebasing: bytes[last...])),
                      last + found < bytes.count else { break }
                cuts.append(last + found)
            }
        }
        guard !cuts.isEmpty else {
            builder.moveOn(to: bytes, lineOffset: lineOffset)
            return try builder.build(source: source, allowEmpty: allowEmpty)
        }
        var pieces: [(bytes: UnsafeBufferPointer<UInt8>, lineOffset: Int)] = []
        var start = 0, lines = lineOffset
        for end in cuts + [bytes.count] {
            let piece = UnsafeBufferPointer(rebasing: bytes[start..<end])
            pieces.append((piece, lines))
            lines += CSVChunkReader.countLineBreaks(piece)
            start = end
        }
        let work = SplitChunkParse(builder: builder, source: source, pieces: pieces)
        runParts(pieces.count, threads: threads, size: bytes.count, work)
        // In file order, so that the first error in the file is the one thrown.
        var scanned = try work.results[0]!.get()
        for part in 1..<pieces.count { scanned.append(try work.results[part]!.get()) }
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
