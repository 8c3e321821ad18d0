// Errors raised while reading tabular data. Each one names the place (file, line, column) and, where there is
// one, the offending value, so the command-line tool can print it in one or two lines.

/// A problem with input data: a malformed CSV file, a non-numeric or missing feature value, a bad target.
public struct DataError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What kind of problem it is, so a caller can react without parsing the message.
    public enum Kind: String, Sendable, Equatable {
        /// The file cannot be opened or read.
        case io
        /// The input has no columns or no rows.
        case empty
        /// A row has a different number of fields than the header.
        case ragged
        /// A quoted field is still open at the end of the input.
        case unterminatedQuote
        /// The input contains a NUL byte (it is probably not a text file).
        case nulByte
        /// The input is not valid UTF-8.
        case invalidUTF8
        /// A field or the column count is over its limit in ``CSVLimits``.
        case tooLarge
        /// A stray character follows a closing quote.
        case malformed
        /// The header names a column twice.
        case duplicateColumn
        /// A requested column (target, one-hot) that the header does not have.
        case unknownColumn
        /// A feature cell that is not a number.
        case nonNumeric
        /// An empty, `NA` or `NaN` feature cell while no ``ImputeStrategy`` is set.
        case missingValue
        /// An infinite value, or a number that overflows `Double`.
        case nonFinite
        /// A target that does not fit the estimator, e.g. a continuous target given to a classifier.
        case invalidTarget
        /// A one-hot category or class label never seen in training.
        case unknownCategory
        /// Data that does not match what a model expects (columns, encoding, feature count).
        case featureMismatch
    }

    /// What kind of problem it is.
    public var kind: Kind
    /// What is wrong, without the place (e.g. "could not convert 'abc' to a number"), naming the settings it advises
    /// as code (``message(naming:)`` names them as `mlp` flags).
    public var message: String {
        get { AdvisedSetting.render(template, .code) }
        set { template = newValue }
    }
    /// The message as written: advised settings as markers (``AdvisedSetting``).
    var template: String
    /// The file (or source, such as "dataset iris") the data came from, when known.
    public var file: String?
    /// 1-based physical line of the file (a quoted field may span lines; this is where the record starts).
    public var line: Int?
    /// Column name (or 0-based index, as text, with --no-header).
    public var column: String?

    /// Creates an error.
    ///
    /// - Parameters:
    ///   - kind: What kind of problem it is.
    ///   - message: What is wrong, without the place; ``description`` prepends the place.
    ///   - file: The file or source the data came from.
    ///   - line: The 1-based physical line where the offending record starts.
    ///   - column: The column's name (or its 0-based index, as text, when the file has no header).
    public init(_ kind: Kind, _ message: String, file: String? = nil, line: Int? = nil, column: String? = nil) {
        self.kind = kind
        self.template = message
        self.file = file
        self.line = line
        self.column = column
    }

    /// The place and the message in one line, such as
    /// "iris.csv, line 7, column 'petal_width': could not convert 'abc' to a number".
    public var description: String { description(naming: .code) }

    /// What is wrong, naming the settings it advises as code or as `mlp` flags.
    public func message(naming: AdvisedSetting.Naming) -> String { AdvisedSetting.render(template, naming) }

    /// ``description`` naming the settings it advises as code or as `mlp` flags.
    public func description(naming: AdvisedSetting.Naming) -> String {
        var place: [String] = []
        if let file { place.append(file) }
        if let line { place.append("line \(line)") }
        if let column { place.append("column '\(column)'") }
        let message = message(naming: naming)
        return place.isEmpty ? message : place.joined(separator: ", ") + ": " + message
    }

    /// The same error, naming `file` if it names none yet.
    ///
    /// - Parameter file: The file to name; nil leaves the error as it is.
    /// - Returns: A copy of this error with ``file`` set.
    public func at(file: String?) -> DataError {
        var copy = self
        if copy.file == nil { copy.file = file }
        return copy
    }
}

/// Shortens a value for an error message, escaping control characters and the private-use characters that mark
/// advised settings (``AdvisedSetting``).
func quoted(_ bytes: UnsafeBufferPointer<UInt8>, limit: Int = 40) -> String {
    let clipped = UnsafeBufferPointer(rebasing: bytes[0..<min(bytes.count, limit)])
    var s = "'"
    for scalar in String(decoding: clipped, as: UTF8.self).unicodeScalars {
        let plain = scalar.value >= 0x20 && scalar.value != 0x7F && !(0xE000...0xE002).contains(scalar.value)
        s += plain ? String(scalar) : scalar.escaped(asASCII: true)
    }
    return s + (bytes.count > limit ? "…'" : "'")
}
