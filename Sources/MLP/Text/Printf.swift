#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension String {
    /// C `printf` formatting of numbers ("%.3f", "%5ld", "%.4g"), what Foundation's `String(format:)` does for them,
    /// without Foundation (which the library does not load on Linux: about 6 MB resident). No `%@`: interpolate.
    package init(printf format: String, _ arguments: CVarArg...) {
        let length = withVaList(arguments) { vsnprintf(nil, 0, format, $0) }
        guard length > 0 else { self = ""; return }
        var buffer = [CChar](repeating: 0, count: Int(length) + 1)
        _ = withVaList(arguments) { vsnprintf(&buffer, buffer.count, format, $0) }
        self = buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }

    /// The string padded with spaces to `width` characters, on the right (`leftAligned`) or the left.
    package func padded(to width: Int, leftAligned: Bool = true) -> String {
        let padding = String(repeating: " ", count: Swift.max(0, width - count))
        return leftAligned ? self + padding : padding + self
    }
}
