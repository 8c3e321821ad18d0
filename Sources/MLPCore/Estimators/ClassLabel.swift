// The one label model: a class label is a number or an exact string, as numpy's `unique` sees the values of y.
//
// Swift's `String ==` is canonical equivalence: it would merge a precomposed "é" and "e" + U+0301 into one class,
// which numpy keeps apart. So string labels are equal, hashed and ordered by their Unicode scalars (byte for byte in
// UTF-8, whose byte order is the scalar order). Numbers sort numerically and before strings; classes are always
// sorted, never taken in hash order, so runs are deterministic.

/// One class label: a number (`3`, `-1`, `2.0`) or a string (`"setosa"`).
///
/// Two string labels are the same class only when their Unicode scalars are the same (`"é"` and `"e\u{301}"` are two
/// classes, as in numpy). Integral numbers are class labels; a non-integral number makes the target "continuous",
/// and a non-finite one is not a label: a classifier refuses both, as scikit-learn does.
public enum ClassLabel: Hashable, Comparable, Sendable, CustomStringConvertible,
    ExpressibleByIntegerLiteral, ExpressibleByStringLiteral, ExpressibleByFloatLiteral
{
    /// A numeric label; `3` and `3.0` are the same class.
    case number(Double)
    /// A string label, taken verbatim (`"3"` is a string, not the number 3).
    case string(String)

    /// A numeric label from an integer literal.
    /// - Parameter value: the literal's value.
    public init(integerLiteral value: Int) { self = .number(Double(value)) }
    /// A numeric label from a floating-point literal.
    /// - Parameter value: the literal's value.
    public init(floatLiteral value: Double) { self = .number(value) }
    /// A string label from a string literal, verbatim.
    /// - Parameter value: the literal's text.
    public init(stringLiteral value: String) { self = .string(value) }
    /// A numeric label.
    /// - Parameter value: the class; integers beyond ±2^53 round to the nearest float64, as in a numpy float array.
    public init(_ value: Int) { self = .number(Double(value)) }
    /// A string label, verbatim.
    /// - Parameter value: the class name.
    public init(_ value: String) { self = .string(value) }

    /// Reads a text cell with the CSV reader's number grammar (`NumberParser`), so a cell means the same here as in a
    /// CSV file: spaces and tabs around it are ignored, a decimal number (`"3"`, `" 7 "`, `"1e3"`) is `.number`,
    /// a missing-value word (`""`, `"NA"`, `"NaN"`, `"null"` …) is `.number(.nan)`, `"inf"` or a value beyond
    /// float64 (`"1e400"`) is an infinite `.number` (a classifier refuses both), and anything else (`"0x1A"`,
    /// `"setosa"`) is `.string` with the text verbatim.
    /// - Parameter text: the cell.
    public init(parsing text: String) {
        switch Self.parse(text) {
        case .number(let v): self = .number(v)
        case .missing: self = .number(.nan)
        case .nonFinite: self = .number(text.drop { $0 == " " || $0 == "\t" }.first == "-" ? -.infinity : .infinity)
        case .invalid: self = .string(text)
        }
    }

    /// The CSV grammar on one cell, after trimming spaces and tabs as the CSV tokenizer does.
    static func parse(_ text: String) -> ParsedCell {
        var copy = text
        return copy.withUTF8 { bytes in
            var start = 0, end = bytes.count
            while start < end && (bytes[start] == 0x20 || bytes[start] == 0x09) { start += 1 }
            while end > start && (bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09) { end -= 1 }
            return parseCell(UnsafeBufferPointer(rebasing: bytes[start..<end]))
        }
    }

    /// The number, if this label is one.
    public var numberValue: Double? { if case .number(let v) = self { return v } else { return nil } }

    /// The canonical text: `3` for `.number(3.0)`, `2.5` for `.number(2.5)`, the string itself for a string.
    public var description: String {
        switch self {
        case .number(let v):
            if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
            return String(v)
        case .string(let s): return s
        }
    }

    /// Numbers by value (`3 == 3.0`), strings by Unicode scalars; a number never equals a string.
    /// - Parameters:
    ///   - a: a label.
    ///   - b: another label.
    /// - Returns: whether `a` and `b` are the same class.
    public static func == (a: ClassLabel, b: ClassLabel) -> Bool {
        switch (a, b) {
        case (.number(let x), .number(let y)): return x == y
        case (.string(let x), .string(let y)): return x.utf8.elementsEqual(y.utf8)
        default: return false
        }
    }

    /// Hashes what `==` compares: the value of a number, the UTF-8 bytes of a string.
    /// - Parameter hasher: the hasher to feed.
    public func hash(into hasher: inout Hasher) {
        switch self {
        case .number(let v):
            hasher.combine(0 as UInt8)
            hasher.combine(v)
        case .string(let s):
            hasher.combine(1 as UInt8)
            hasher.combine(s.utf8.count)
            let hashed: Void? = s.utf8.withContiguousStorageIfAvailable { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
            if hashed == nil { for byte in s.utf8 { hasher.combine(byte) } }
        }
    }

    /// numpy's order: numbers numerically, then strings by Unicode scalar values.
    /// - Parameters:
    ///   - a: a label.
    ///   - b: another label.
    /// - Returns: whether `a` sorts before `b`.
    public static func < (a: ClassLabel, b: ClassLabel) -> Bool {
        switch (a, b) {
        case (.number(let x), .number(let y)): return x < y
        case (.number, .string): return true
        case (.string, .number): return false
        case (.string(let x), .string(let y)): return x.utf8.lexicographicallyPrecedes(y.utf8)
        }
    }
}

/// A number encodes as a JSON number, a string as a JSON string.
extension ClassLabel: Codable {
    /// Reads a JSON number as `.number`, a JSON string as `.string`.
    /// - Parameter decoder: the decoder holding one value.
    /// - Throws: `DecodingError` when the value is neither a number nor a string.
    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let v = try? container.decode(Double.self) { self = .number(v) } else { self = .string(try container.decode(String.self)) }
    }

    /// Writes `.number` as a JSON number, `.string` as a JSON string.
    /// - Parameter encoder: the encoder to write one value to.
    /// - Throws: the encoder's errors.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .number(let v): try container.encode(v)
        case .string(let s): try container.encode(s)
        }
    }
}
