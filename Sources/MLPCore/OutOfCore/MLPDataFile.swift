#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// An `.mlpdata` cache, memory-mapped read-only. Layout (little-endian):
//   0   magic "MLPDATA\0"        8  version (UInt32: 1, or 2 for several targets) + 4 reserved     16 rowCount (UInt64)   24 rowWidth (UInt64)
//   32  dataOffset (UInt64)      40 schemaOffset (UInt64)             48 schemaLength (UInt64)  56 reserved
//   dataOffset (4096): rowCount × rowWidth Float64, row-major        schemaOffset: the schema (MLPDataSchema)
// Blocks are read from the mapping and released with madvise(MADV_DONTNEED), so the resident set stays at
// about one block however large the file is.

/// A memory-mapped `.mlpdata` cache: the schema and the raw rows.
public final class MLPDataFile {
    /// The file's path, for messages.
    public let path: String
    /// What the first pass learnt: columns, categories, statistics, classes.
    public let schema: MLPDataSchema
    private let base: UnsafeRawPointer
    private let mappedBytes: Int
    private let dataOffset: Int

    static let magic: [UInt8] = Array("MLPDATA\0".utf8)
    /// The newest format version read and written (2: several target columns); version 1 files still load.
    static let version: UInt32 = 2
    static let prefixBytes = 64
    static let dataOffset = 4096

    /// Opens and checks a cache file.
    ///
    /// - Parameter path: The `.mlpdata` file.
    /// - Throws: ``MLPDataError`` when it cannot be read, is not a cache, has another version, or is truncated or
    ///   inconsistent.
    public init(path: String) throws {
        self.path = path
        guard !path.utf8.contains(0) else { throw MLPDataError.io(file: path, reason: "a NUL byte in the path: the system would read the name only up to it, another file") }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw MLPDataError.io(file: path, reason: "cannot open: \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            throw MLPDataError.io(file: path, reason: "not a regular file")
        }
        let size = Int(info.st_size)
        guard size >= Self.prefixBytes else { throw MLPDataError.notACache(file: path) }
        guard let p = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), p != MAP_FAILED else {
            throw MLPDataError.io(file: path, reason: "cannot map: \(String(cString: strerror(errno)))")
        }
        base = UnsafeRawPointer(p)
        mappedBytes = size
        do {
            let prefix = UnsafeRawBufferPointer(start: base, count: Self.prefixBytes)
            guard Array(prefix[0..<8]) == Self.magic else {
                throw MLPDataError.notACache(file: path)
            }
            var r = ByteReader(UnsafeRawBufferPointer(rebasing: prefix[8...]), file: path)
            let version = try r.integer(UInt32.self)
            guard (1...Self.version).contains(version) else {
                throw MLPDataError.unsupportedVersion(file: path, version: version)
            }
            _ = try r.integer(UInt32.self)
            let rows = try r.count(limit: size), width = try r.count(limit: size)
            let data = try r.count(limit: size), schemaAt = try r.count(limit: size), schemaLength = try r.count(limit: size)
            let (rowBytes, overflow) = (rows * width).multipliedReportingOverflow(by: 8)
            guard !overflow, data == Self.dataOffset, schemaAt == data + rowBytes, schemaAt + schemaLength == size else {
                throw MLPDataError.corrupted(file: path, detail: "the file's size does not match its header")
            }
            dataOffset = data
            schema = try MLPDataSchema(decoding: UnsafeRawBufferPointer(start: base + schemaAt, count: schemaLength),
                                       version: version, file: path)
            guard schema.rowCount == rows, schema.rowWidth == width else {
                throw MLPDataError.corrupted(file: path, detail: "the schema does not match the header's row layout")
            }
        } catch {
            munmap(UnsafeMutableRawPointer(mutating: base), size)
            throw error
        }
    }

    deinit { munmap(UnsafeMutableRawPointer(mutating: base), mappedBytes) }

    /// The number of rows.
    public var rowCount: Int { schema.rowCount }

    /// Rows `range` as raw Float64 values, `range.count × schema.rowWidth`, valid while the file is alive.
    ///
    /// - Parameter range: Row indices within `0..<rowCount`.
    /// - Returns: The rows, row-major.
    public func rows(_ range: Range<Int>) -> UnsafeBufferPointer<Double> {
        precondition(range.lowerBound >= 0 && range.upperBound <= rowCount, "rows out of range")
        let width = schema.rowWidth
        let start = (base + dataOffset + range.lowerBound * width * 8).assumingMemoryBound(to: Double.self)
        return UnsafeBufferPointer(start: start, count: range.count * width)
    }

    /// Drops the pages of rows `range` from this process's memory (they are read again from the file if needed).
    ///
    /// - Parameter range: Row indices within `0..<rowCount`; the part outside is ignored (madvise on it would drop
    ///   the pages of whatever memory lies beside the mapping).
    public func release(_ range: Range<Int>) {
        let range = range.clamped(to: 0..<rowCount)
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let width = schema.rowWidth * 8
        let start = (dataOffset + range.lowerBound * width) / page * page
        let end = dataOffset + range.upperBound * width
        guard end > start else { return }
        madvise(UnsafeMutableRawPointer(mutating: base + start), end - start, MADV_DONTNEED)
    }
}
