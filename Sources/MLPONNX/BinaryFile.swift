// Whole-file reads and atomic writes of bytes, with a size cap on reads (a hostile path may name a huge file).

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MLPModelFile

enum BinaryFile {
    static func read(_ path: String, maxBytes: Int) throws -> [UInt8] {
        guard !path.utf8.contains(0) else {
            throw ONNXError(.io, "\(path): a NUL byte in the path: the system would read the name only up to it, another file")
        }
        guard let file = fopen(path, "rb") else {
            throw ONNXError(.io, "cannot open \(path): \(String(cString: strerror(errno)))")
        }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
            if n > 0 { bytes += chunk[0..<n] }
            guard bytes.count <= maxBytes else { throw ONNXError(.tooLarge, "\(path) is larger than \(maxBytes) bytes (limit)") }
            if n < chunk.count {
                guard ferror(file) == 0 else {
                    throw ONNXError(.io, "cannot read \(path): \(String(cString: strerror(errno)))")
                }
                return bytes
            }
        }
    }

    static func write(_ bytes: [UInt8], to path: String) throws {
        do { try AtomicFile.write(bytes, to: path) } catch { throw ONNXError(.io, "\(error)") }
    }
}
