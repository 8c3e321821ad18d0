#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension String {
    /// C `printf` formatting of numbers ("%.3f", "%5ld", "%.4g"), what Foundation's `String(format:)` does for them,
    /// without Foundation (which the library does not load: about 6 MB resident). No `%@`: interpolate.
    package init(printf format: String, _ arguments: CVarArg...) {
        let length = withVaList(arguments) { vsnprintf(nil, 0, format, $0) }
        guard length > 0 else { self = ""; return }
        var buffer = [CChar](repeating: 0, count: Int(length) + 1)
        _ = withVaList(arguments) { vsnprintf(&buffer, buffer.count, format, $0) }
        self = buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }
}
