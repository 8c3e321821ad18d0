// A small JSON reader whose numbers go through Swift's `Double(String)` (correctly rounded), so fixture
// values written by Python's repr arrive bit for bit. (Foundation's JSONSerialization on Linux may be off
// by an ulp or two.) Integers without '.', 'e' become Int; others Double.

public enum ExactJSON {
    /// Where the text stops being JSON.
    public struct ParseError: Error { public let offset: Int }

    /// Parses a whole JSON text: objects become `[String: Any]`, arrays `[Any]`, numbers `Int` or `Double`.
    public static func parse(_ bytes: [UInt8]) throws -> Any {
        var i = 0
        let value = try parseValue(bytes, &i)
        return value
    }

    private static func skip(_ b: [UInt8], _ i: inout Int) {
        while i < b.count, b[i] == 0x20 || b[i] == 0x0A || b[i] == 0x0D || b[i] == 0x09 { i += 1 }
    }

    private static func parseValue(_ b: [UInt8], _ i: inout Int) throws -> Any {
        skip(b, &i)
        guard i < b.count else { throw ParseError(offset: i) }
        switch b[i] {
        case UInt8(ascii: "{"):
            i += 1
            var object = [String: Any]()
            skip(b, &i)
            if b[i] == UInt8(ascii: "}") { i += 1; return object }
            while true {
                skip(b, &i)
                let key = try parseString(b, &i)
                skip(b, &i)
                guard b[i] == UInt8(ascii: ":") else { throw ParseError(offset: i) }
                i += 1
                object[key] = try parseValue(b, &i)
                skip(b, &i)
                if b[i] == UInt8(ascii: ",") { i += 1; continue }
                guard b[i] == UInt8(ascii: "}") else { throw ParseError(offset: i) }
                i += 1
                return object
            }
        case UInt8(ascii: "["):
            i += 1
            var array = [Any]()
            skip(b, &i)
            if b[i] == UInt8(ascii: "]") { i += 1; return array }
            while true {
                array.append(try parseValue(b, &i))
                skip(b, &i)
                if b[i] == UInt8(ascii: ",") { i += 1; continue }
                guard b[i] == UInt8(ascii: "]") else { throw ParseError(offset: i) }
                i += 1
                return array
            }
        case UInt8(ascii: "\""):
            return try parseString(b, &i)
        case UInt8(ascii: "t"): i += 4; return true
        case UInt8(ascii: "f"): i += 5; return false
        case UInt8(ascii: "n"): i += 4; return Optional<Any>.none as Any
        case UInt8(ascii: "N"): i += 3; return Double.nan
        case UInt8(ascii: "I"): i += 8; return Double.infinity
        default:
            let start = i
            var isInteger = true
            if b[i] == UInt8(ascii: "-"), i + 1 < b.count, b[i + 1] == UInt8(ascii: "I") { i += 9; return -Double.infinity }
            while i < b.count, let c = Optional(b[i]),
                  (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")) || c == UInt8(ascii: "-") || c == UInt8(ascii: "+")
                    || c == UInt8(ascii: ".") || c == UInt8(ascii: "e") || c == UInt8(ascii: "E") {
                if c == UInt8(ascii: ".") || c == UInt8(ascii: "e") || c == UInt8(ascii: "E") { isInteger = false }
                i += 1
            }
            let text = String(decoding: b[start..<i], as: UTF8.self)
            if isInteger, let v = Int(text) { return v }
            guard let v = Double(text) else { throw ParseError(offset: start) }
            return v
        }
    }

    private static func parseString(_ b: [UInt8], _ i: inout Int) throws -> String {
        guard b[i] == UInt8(ascii: "\"") else { throw ParseError(offset: i) }
        i += 1
        var out = [UInt8]()
        while b[i] != UInt8(ascii: "\"") {
            if b[i] == UInt8(ascii: "\\") {
                i += 1
                switch b[i] {
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    let hex = String(decoding: b[(i + 1)...(i + 4)], as: UTF8.self)
                    out.append(contentsOf: Array(String(UnicodeScalar(UInt32(hex, radix: 16)!)!).utf8))
                    i += 4
                default: out.append(b[i])
                }
            } else {
                out.append(b[i])
            }
            i += 1
        }
        i += 1
        return String(decoding: out, as: UTF8.self)
    }
}
