import MLPCore
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

// The model file container (docs/model-format.md). Independent of any estimator: JSON metadata plus named
// little-endian Float32/Float64 arrays, a version, and a CRC-32 over everything.
//
//   offset  size  field
//   0       8     magic 89 4D 4C 50 0D 0A 1A 0A  ("\x89MLP\r\n\x1a\n", PNG-style: catches text-mode mangling)
//   8       2     format major version (UInt16 LE)   — a reader refuses an unknown major
//   10      2     format minor version (UInt16 LE)   — additions an older 1.x reader may ignore
//   12      4     flags (UInt32 LE), 0
//   16      8     total file length in bytes, checksum included (UInt64 LE)
//   24      8     header length H (UInt64 LE)
//   32      H     header: UTF-8 JSON {"arrays": [{name, dtype, shape, offset, length}], "metadata": {...}}
//   32+H    pad   zeros to a multiple of 8
//   D       ...   array data; array i at D + offset_i, each 8-byte aligned, zero padded, no gaps or overlap
//   end-4   4     CRC-32 (IEEE) of bytes [0, end-4) (UInt32 LE)

/// A problem with a model file: unreadable, not a model, truncated, corrupted, or from an unknown version.
public struct ModelFileError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What went wrong: io (cannot open, read or write), notAModel (wrong magic bytes), truncated, corrupted
    /// (checksum or length mismatch), unsupportedVersion (another major version), invalid (inconsistent content).
    public enum Kind: String, Sendable {
        /// The file cannot be opened, read or written.
        case io
        /// The magic bytes are wrong.
        case notAModel
        /// The file is shorter than it declares.
        case truncated
        /// The checksum or the length does not match.
        case corrupted
        /// Another major version of the format.
        case unsupportedVersion
        /// The content is inconsistent (shapes, metadata, limits).
        case invalid
    }
    /// The kind of problem.
    public var kind: Kind
    /// One line for a person.
    public var message: String
    /// The file, when known.
    public var path: String?

    /// Creates an error.
    /// - Parameters:
    ///   - kind: The kind of problem.
    ///   - message: One line for a person.
    ///   - path: The file, when known.
    public init(_ kind: Kind, _ message: String, path: String? = nil) {
        self.kind = kind
        self.message = message
        self.path = path
    }

    /// "path: message", or the message alone.
    public var description: String { path.map { "\($0): \(message)" } ?? message }
}

/// One named array of weights or statistics.
public struct NamedArray: Equatable, Sendable {
    /// The values, in the element type they are stored in.
    public enum Values: Equatable, Sendable {
        /// Float32 values.
        case float32([Float])
        /// Float64 values.
        case float64([Double])

        /// The number of values.
        public var count: Int {
            switch self { case .float32(let v): v.count; case .float64(let v): v.count }
        }
        /// "float32" or "float64".
        public var dtype: String {
            switch self { case .float32: "float32"; case .float64: "float64" }
        }
        /// The values widened to Double (exact for Float).
        public var doubles: [Double] {
            switch self { case .float32(let v): v.map(Double.init); case .float64(let v): v }
        }
        /// Bit-exact equality, so that NaN payloads and −0.0 compare as stored.
        public static func == (a: Values, b: Values) -> Bool {
            switch (a, b) {
            case (.float32(let x), .float32(let y)): x.map(\.bitPattern) == y.map(\.bitPattern)
            case (.float64(let x), .float64(let y)): x.map(\.bitPattern) == y.map(\.bitPattern)
            default: false
            }
        }
    }

    /// The array's name in the file ("coefs.0").
    public var name: String
    /// Row-major shape; the product of its dimensions equals the number of values.
    public var shape: [Int]
    /// The values.
    public var values: Values

    /// Creates an array.
    /// - Parameters:
    ///   - name: The name in the file.
    ///   - shape: Row-major shape; its product is the number of values.
    ///   - values: The values.
    public init(name: String, shape: [Int], values: Values) {
        self.name = name
        self.shape = shape
        self.values = values
    }
}

/// A model file: metadata and arrays. `write(to:)` saves atomically; `read(from:)` validates everything.
public struct ModelFile: Equatable, Sendable {
    /// The first eight bytes of every model file.
    public static let magic: [UInt8] = [0x89, 0x4D, 0x4C, 0x50, 0x0D, 0x0A, 0x1A, 0x0A]
    /// The format's major version: a reader refuses another one.
    public static let majorVersion: UInt16 = 1
    /// The format's minor version: additions an older 1.x reader may ignore.
    public static let minorVersion: UInt16 = 3

    /// The oldest minor version that holds this file: 3 with several target names (format 1.3), 2 with a target
    /// scaler (format 1.2), else 1, so that files without the additions stay readable as before.
    public var formatMinorVersion: UInt16 {
        if metadata.targetNames != nil { return 3 }
        return arrays.contains { $0.name == "target_scaler.mean" } ? 2 : 1
    }
    static let fixedHeaderBytes = 32
    static let checksumBytes = 4

    /// Limits that keep a hostile file from making the reader allocate absurd amounts of memory.
    public struct Limits: Sendable {
        /// Largest file accepted (8 GiB).
        public var maxFileBytes: UInt64 = 8 << 30
        /// Largest JSON header accepted (64 MiB).
        public var maxHeaderBytes: UInt64 = 64 << 20
        /// Most arrays in one file.
        public var maxArrays = 4096
        /// Most dimensions of one array.
        public var maxRank = 8
        /// The default limits.
        public init() {}
    }

    /// Everything but the arrays.
    public var metadata: ModelMetadata
    /// The weights and statistics.
    public var arrays: [NamedArray]

    /// Creates a file's contents.
    /// - Parameters:
    ///   - metadata: Everything but the arrays.
    ///   - arrays: The weights and statistics, uniquely named.
    public init(metadata: ModelMetadata, arrays: [NamedArray]) {
        self.metadata = metadata
        self.arrays = arrays
    }

    /// The array called `name`, if any.
    /// - Parameter name: The array's name.
    public func array(named name: String) -> NamedArray? { arrays.first { $0.name == name } }

    // MARK: Encoding

    struct ArrayEntry: Codable {
        var name: String
        var dtype: String
        var shape: [Int]
        var offset: UInt64
        var length: UInt64
    }

    struct Header: Codable {
        var arrays: [ArrayEntry]
        var metadata: ModelMetadata
    }

    /// The file's bytes.
    public func encoded() throws -> [UInt8] {
        var entries: [ArrayEntry] = []
        var offset: UInt64 = 0
        for array in arrays {
            // The product with overflow checked: a shape such as [Int.max, 3] is an error, not a trap.
            let elements = array.shape.reduce(Optional(1)) { product, n in
                product.flatMap { p in n < 0 ? nil : p.multipliedReportingOverflow(by: n).overflow ? nil : p * n }
            }
            guard elements == array.values.count else {
                throw ModelFileError(.invalid, "array '\(array.name)' has shape \(array.shape) but \(array.values.count) values")
            }
            let length = UInt64(array.values.count * (array.values.dtype == "float32" ? 4 : 8))
            entries.append(ArrayEntry(name: array.name, dtype: array.values.dtype, shape: array.shape,
                                      offset: offset, length: length))
            offset += (length + 7) / 8 * 8
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let header: [UInt8]
        do { header = Array(try encoder.encode(Header(arrays: entries, metadata: metadata))) } catch {
            throw ModelFileError(.invalid, "cannot encode the model metadata: \(error)")
        }
        let dataStart = (Self.fixedHeaderBytes + header.count + 7) / 8 * 8
        let total = dataStart + Int(offset) + Self.checksumBytes
        var out = [UInt8]()
        out.reserveCapacity(total)
        out += Self.magic
        appendLE(&out, Self.majorVersion)
        appendLE(&out, formatMinorVersion)
        appendLE(&out, UInt32(0))
        appendLE(&out, UInt64(total))
        appendLE(&out, UInt64(header.count))
        out += header
        out += [UInt8](repeating: 0, count: dataStart - out.count)
        for array in arrays {
            switch array.values {
            case .float32(let v): for x in v { appendLE(&out, x.bitPattern) }
            case .float64(let v): for x in v { appendLE(&out, x.bitPattern) }
            }
            out += [UInt8](repeating: 0, count: (8 - out.count % 8) % 8)
        }
        appendLE(&out, CRC32.checksum(out))
        return out
    }

    /// Saves atomically: a temporary file in the same directory, flushed, then renamed over `path`.
    /// A failure leaves the old file (or none) and no temporary file.
    public func write(to path: String) throws {
        try AtomicFile.write(try encoded(), to: path)
    }

    // MARK: Decoding

    /// Reads and validates a model file. Nothing in it is executed or resolved as a path.
    ///
    /// The fixed header is checked first (magic bytes, declared length against the file's size, the limit and the
    /// memory available), so a device such as /dev/zero or a file declaring absurd sizes is refused before
    /// anything large is read. A regular file's checksum is then verified while streaming, holding no copy; only
    /// a file whose checksum matches is read into memory and decoded.
    /// - Parameters:
    ///   - path: The model file.
    ///   - limits: Bounds on the sizes the file may declare.
    /// - Returns: The validated file.
    /// - Throws: `ModelFileError` naming the path.
    public static func read(from path: String, limits: Limits = Limits()) throws -> ModelFile {
        do {
            return try decode(try ModelFileStream.readVerified(path, limits: limits), limits: limits)
        } catch var error as ModelFileError {
            error.path = path
            throw error
        }
    }

    /// The error for a file of `n` bytes whose header declares `declared`; nil when they agree.
    static func lengthMismatch(bytes n: UInt64, declared: UInt64, major: UInt16, minor: UInt16) -> ModelFileError? {
        guard declared != n else { return nil }
        let what = declared > n ? "truncated model file" : "model file has trailing bytes or a damaged header"
        return ModelFileError(declared > n ? .truncated : .corrupted,
                              "\(what): \(n) bytes, but the header declares \(declared)\(versionNote(major, minor))")
    }

    /// A hint appended to length and checksum errors when the major version is not this reader's.
    static func versionNote(_ major: UInt16, _ minor: UInt16) -> String {
        major == majorVersion ? "" : " (or a model file format version \(major).\(minor), which this mlp cannot read)"
    }

    /// Validates and decodes a whole file held in memory: magic, length, checksum, version, header and arrays.
    /// - Parameters:
    ///   - bytes: The file's bytes.
    ///   - limits: Bounds on the sizes the file may declare.
    /// - Returns: The decoded file.
    /// - Throws: `ModelFileError` naming the first problem.
    public static func decode(_ bytes: [UInt8], limits: Limits = Limits()) throws -> ModelFile {
        let n = bytes.count
        // Magic first: a short file that starts like a model is truncated; anything else is not a model.
        guard n >= magic.count else {
            if n > 0 && Array(magic.prefix(n)) == bytes {
                throw ModelFileError(.truncated, "truncated model file: \(n) bytes, shorter than its header")
            }
            throw ModelFileError(.notAModel, n == 0 ? "empty file, not an mlp model" : "not an mlp model file (wrong magic bytes)")
        }
        guard Array(bytes[0..<8]) == magic else {
            throw ModelFileError(.notAModel, "not an mlp model file (wrong magic bytes)")
        }
        guard n >= fixedHeaderBytes + checksumBytes else {
            throw ModelFileError(.truncated, "truncated model file: \(n) bytes, shorter than its header")
        }
        let major: UInt16 = readLE(bytes, 8), minor: UInt16 = readLE(bytes, 10)
        let note = versionNote(major, minor)
        let declared: UInt64 = readLE(bytes, 16)
        if let mismatch = lengthMismatch(bytes: UInt64(n), declared: declared, major: major, minor: minor) { throw mismatch }
        let stored: UInt32 = readLE(bytes, n - 4)
        let actual = bytes.withUnsafeBytes { CRC32.checksum(UnsafeRawBufferPointer(rebasing: $0[0..<(n - 4)])) }
        guard stored == actual else {
            throw ModelFileError(.corrupted, "corrupted model file: checksum mismatch\(note)")
        }
        guard major == majorVersion else {
            throw ModelFileError(.unsupportedVersion,
                                 "model file format version \(major).\(minor) is not supported; this mlp reads \(majorVersion).x")
        }
        let headerLength: UInt64 = readLE(bytes, 24)
        let room = UInt64(n - fixedHeaderBytes - checksumBytes)
        guard headerLength <= room, headerLength <= limits.maxHeaderBytes else {
            throw ModelFileError(.invalid, "model header length \(headerLength) exceeds the file")
        }
        let headerEnd = fixedHeaderBytes + Int(headerLength)
        var header: Header
        do {
            header = try JSONDecoder().decode(Header.self, from: Data(bytes[fixedHeaderBytes..<headerEnd]))
        } catch {
            throw ModelFileError(.invalid, "model metadata is not valid: \(describe(error))")
        }
        if minor == 0 { header.metadata.upgradeFromVersion1_0() }
        let dataStart = (headerEnd + 7) / 8 * 8
        guard dataStart <= n - checksumBytes else {
            throw ModelFileError(.invalid, "model header overruns the data section")
        }
        let dataLength = UInt64(n - checksumBytes - dataStart)
        guard header.arrays.count <= limits.maxArrays else {
            throw ModelFileError(.invalid, "model file declares \(header.arrays.count) arrays (limit \(limits.maxArrays))")
        }
        // Validate every entry before allocating anything: contiguous, aligned, in bounds, no overflow.
        var expectedOffset: UInt64 = 0
        var names = Set<String>()
        for entry in header.arrays {
            guard names.insert(entry.name).inserted else {
                throw ModelFileError(.invalid, "array '\(entry.name)' is declared twice")
            }
            let width: UInt64
            switch entry.dtype {
            case "float32": width = 4
            case "float64": width = 8
            default: throw ModelFileError(.invalid, "array '\(entry.name)' has unknown dtype '\(entry.dtype)'")
            }
            guard entry.shape.count <= limits.maxRank, entry.shape.allSatisfy({ $0 >= 0 }) else {
                throw ModelFileError(.invalid, "array '\(entry.name)' has an invalid shape \(entry.shape)")
            }
            var count: UInt64 = 1
            for d in entry.shape {
                let (product, overflow) = count.multipliedReportingOverflow(by: UInt64(d))
                guard !overflow, product <= dataLength else {
                    throw ModelFileError(.invalid, "array '\(entry.name)' shape \(entry.shape) exceeds the file")
                }
                count = product
            }
            guard count * width == entry.length else {
                throw ModelFileError(.invalid, "array '\(entry.name)' declares \(entry.length) bytes for shape \(entry.shape)")
            }
            guard entry.offset == expectedOffset else {
                throw ModelFileError(.invalid, "array '\(entry.name)' starts at offset \(entry.offset), expected \(expectedOffset) (gap or overlap)")
            }
            let padded = (entry.length + 7) / 8 * 8
            guard padded <= dataLength - expectedOffset else {
                throw ModelFileError(.invalid, "array '\(entry.name)' extends past the end of the file")
            }
            expectedOffset += padded
        }
        guard expectedOffset == dataLength else {
            throw ModelFileError(.invalid, "model data section is \(dataLength) bytes, but the arrays account for \(expectedOffset)")
        }
        var arrays: [NamedArray] = []
        for entry in header.arrays {
            let start = dataStart + Int(entry.offset)
            let count = Int(entry.length) / (entry.dtype == "float32" ? 4 : 8)
            let values: NamedArray.Values
            if entry.dtype == "float32" {
                values = .float32((0..<count).map { Float(bitPattern: readLE(bytes, start + 4 * $0)) })
            } else {
                values = .float64((0..<count).map { Double(bitPattern: readLE(bytes, start + 8 * $0)) })
            }
            let doubles = values.doubles
            if let bad = doubles.firstIndex(where: { !$0.isFinite }) {
                throw ModelFileError(.invalid, "array '\(entry.name)' holds a non-finite value (\(doubles[bad])) at index \(bad)")
            }
            arrays.append(NamedArray(name: entry.name, shape: entry.shape, values: values))
        }
        return ModelFile(metadata: header.metadata, arrays: arrays)
    }
}

private func describe(_ error: Error) -> String {
    switch error {
    case DecodingError.keyNotFound(let key, _): "missing key '\(key.stringValue)'"
    case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context),
         DecodingError.dataCorrupted(let context):
        context.codingPath.map(\.stringValue).joined(separator: ".") + ": " + context.debugDescription
    default: "\(error)"
    }
}

func appendLE<T: FixedWidthInteger>(_ out: inout [UInt8], _ value: T) {
    var v = value.littleEndian
    withUnsafeBytes(of: &v) { out += $0 }
}

func readLE<T: FixedWidthInteger>(_ bytes: [UInt8], _ offset: Int) -> T {
    var v = T.zero
    withUnsafeMutableBytes(of: &v) { dst in
        for i in 0..<MemoryLayout<T>.size { dst[i] = bytes[offset + i] }
    }
    return T(littleEndian: v)
}
