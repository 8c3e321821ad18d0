import MLPKernels

// A CSV file read with a fitted encoding, a bounded run of records at a time: `mlp predict` on files larger than
// memory. The header, the column roles and the delimiter come from the first chunk (TableBuilder, as CSVReader
// reads a whole file); each chunk's records are parsed with them (one part per thread at once, SplitChunkParse) and
// numbered from the file's start, so a concatenation of the tables equals the table CSVReader reads from the file.

/// Reads a CSV file with a fitted encoding as a sequence of tables of at most about `chunkBytes` of text each.
///
/// Each table has the rows of the next run of complete records (a quoted field may span lines and chunks), the
/// encoding's features, the ids of the `idColumn` and the file's line numbers, the same values ``CSVReader`` gives
/// those rows when it reads the whole file.
public final class CSVTableStream {
    /// The CSV text read at a time: 8 MiB.
    public static let defaultChunkBytes = 8 << 20

    private let reader: CSVChunkReader
    private let path: String
    private let options: CSVReadOptions
    private let encoding: FeatureEncoding
    private var builder: TableBuilder?
    /// Rows handed out before the table the last ``next()`` returned.
    public private(set) var rowsBefore = 0
    private var rowsHandedOut = 0
    /// The target columns read, named as in the file's header (`--target c,d` scores columns c and d, whatever the
    /// model was fitted on); empty before the first ``next()``.
    public var targetNames: [String] { builder?.targetNames ?? [] }

    /// Opens `path` for reading.
    ///
    /// - Parameters:
    ///   - path: The CSV file: a regular file, or a pipe or device read once (`/dev/stdin`).
    ///   - options: Header, target column and kind, delimiter, dropped columns and the id column, as for
    ///     ``CSVReader``; one-hot columns and imputation come from `encoding`.
    ///   - encoding: The fitted encoding (``DataTable/encoding`` of the training table, or a pipeline's).
    ///   - chunkBytes: The CSV text held at a time; a longer record grows the buffer up to the field limits.
    /// - Throws: ``DataError`` when the file cannot be opened or is a directory.
    public convenience init(path: String, options: CSVReadOptions = CSVReadOptions(), encoding: FeatureEncoding,
                            chunkBytes: Int = defaultChunkBytes) throws {
        try self.init(source: CSVFileSource(path: path), name: path, options: options, encoding: encoding,
                      chunkBytes: chunkBytes)
    }

    /// Reads CSV text from `source`, such as a decompressor.
    ///
    /// - Parameters:
    ///   - source: The text; an error it throws ends the stream and is passed on unchanged.
    ///   - name: The text's name in messages (a path).
    ///   - options: As for ``init(path:options:encoding:chunkBytes:)``.
    ///   - encoding: The fitted encoding.
    ///   - chunkBytes: The CSV text held at a time.
    public init(source: any CSVByteSource, name: String, options: CSVReadOptions = CSVReadOptions(),
                encoding: FeatureEncoding, chunkBytes: Int = defaultChunkBytes) {
        reader = CSVChunkReader(source: source, name: name, chunkBytes: chunkBytes,
                                maxRecordBytes: options.limits.maxFieldBytes * 4 + (1 << 20))
        self.path = name
        self.options = options
        self.encoding = encoding
    }

    /// The next table: at least one row, until the file is over.
    ///
    /// - Returns: The rows of the next chunk, or nil after the last one.
    /// - Throws: ``DataError`` naming the file, line and column of a bad cell, as ``CSVReader`` would; a file with
    ///   no data rows throws on the first call.
    public func next() throws -> DataTable? {
        do {
            while let chunk = try reader.next() {
                var records = (bytes: chunk, lineOffset: reader.linesBefore)
                if builder == nil {
                    builder = try TableBuilder(bytes: chunk, options: options, encoding: encoding)
                    records = builder!.records(of: chunk)
                }
                let table = try SplitChunkParse.table(of: records.bytes, lineOffset: records.lineOffset, builder: &builder!,
                                                      source: path, threads: KernelConfiguration.threadCount)
                guard table.rowCount > 0 else { continue }  // the header alone, or blank lines
                rowsBefore = rowsHandedOut
                rowsHandedOut += table.rowCount
                return table
            }
            if builder == nil { throw DataError(.empty, "no columns to parse: the file is empty or holds only blank lines") }
            if rowsHandedOut == 0 { throw DataError(.empty, "no data rows: the file holds only a header") }
            return nil
        } catch let error as DataError {
            throw error.at(file: path)
        }
    }
}
