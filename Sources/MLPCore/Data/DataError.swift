// Errors raised while reading tabular data. Each one names the place (file, line, column) and, where there is
// one, the offending value, so the command-line tool can print it in one or two lines.

/// A problem with input data: a malformed CSV file, a non-numeric or missing feature value, a bad target.
public struct DataError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable, Equatable {
        case io               // the file cannot be opened or read
        case empty            // no columns or no rows
        case ragged           // a row with the wrong number of fields
        case unterminatedQuote
        case nulByte
        case invalidUTF8
        case tooLarge         // a field, line, header or column count over its limit
        case malformed        // a stray character after a closing quote
        case duplicateColumn
        case unknownColumn    // a requested column that the header does not have
        case nonNumeric       // a feature cell that is not a number
        case missingValue     // empty, NA, NaN ... without --impute
        case nonFinite        // inf, or a number that overflows Double
        case invalidTarget    // e.g. a continuous target given to a classifier
        case unknownCategory  // a one-hot category or label never seen in training
        case featureMismatch  // data that does not match what a model expects
    }

    public var kind: Kind
    /// What is wrong, without the place (e.g. "could not convert 'abc' to a number").
    public var message: String
    public var file: String?
    /// 1-based physical line of the file (a quoted field may span lines; this is where the record starts).
    public var line: Int?
    /// Column name (or 0-based index, as text, with --no-header).
    public var column: String?

    public init(_ kind: Kind, _ message: String, file: String? = nil, line: Int? = nil, column: String? = nil) {
        self.kind = kind
        self.message = message
        self.file = file
        self.line = line
        self.column = column
    }

    /// "iris.csv, line 7, column 'petal_width': could not convert 'abc' to a number"
    public var description: String {
        var place: [String] = []
        if let file { place.append(file) }
        if let line { place.append("line \(line)") }
        if let column { place.append("column '\(column)'") }
        return place.isEmpty ? message : place.joined(separator: ", ") + ": " + message
    }

    /// The same error, naming `file` if it names none yet.
    public func at(file: String?) -> DataError {
        var copy = self
        if copy.file == nil { copy.file = file }
        return copy
    }
}

/// Shortens a value for an error message, escaping control characters.
func quoted(_ bytes: UnsafeBufferPointer<UInt8>, limit: Int = 40) -> String {
    let clipped = UnsafeBufferPointer(rebasing: bytes[0..<min(bytes.count, limit)])
    var s = "'"
    for scalar in String(decoding: clipped, as: UTF8.self).unicodeScalars {
        s += scalar.value < 0x20 || scalar.value == 0x7F ? scalar.escaped(asASCII: true) : String(scalar)
    }
    return s + (bytes.count > limit ? "…'" : "'")
}
