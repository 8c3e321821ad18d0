// Settings that error messages advise ("use --one-hot b to encode it"). A library caller sets them in code, a user of
// the `mlp` tool as flags, so a message holds each as a marker and is rendered for its reader: `description` names the
// code, `description(naming: .flags)` the flags.

/// A setting an error message advises changing, with the value to give it.
public enum AdvisedSetting: Sendable, Equatable {
    /// The target column (``CSVReadOptions/target``).
    case target
    /// Leaving a column out of the features (``CSVReadOptions/drop``); nil: the setting alone.
    case drop(column: String?)
    /// The id column (``CSVReadOptions/idColumn``).
    case idColumn
    /// One-hot encoding a column (``CSVReadOptions/oneHot``); nil: the setting alone.
    case oneHot(column: String?)
    /// The field delimiter (``CSVReadOptions/delimiter``).
    case delimiter
    /// Filling missing values (``CSVReadOptions/impute``), with the strategies to name ("mean", "mean|median"); nil: the
    /// setting alone.
    case impute(strategies: String?)
    /// Fitting a regressor: a numeric target (``TargetKind/numeric``, an ``MLPRegressor``).
    case regression
    /// A memory limit (``CSVLimits/maxMemoryBytes``).
    case maxMemory
    /// Continuing from a fitted model (``MLPParameters/warmStart``).
    case warmStart
    /// Fitting out of core, from an `.mlpdata` cache (``MLPDataConverter``) rather than a table in memory.
    case outOfCore
    /// Holding rows out for testing (a test fraction, ``trainTestSplit(count:testFraction:randomState:stratify:)``).
    case testSize

    /// How a message names the settings it advises.
    public enum Naming: Sendable {
        /// As a caller sets them in code: `CSVReadOptions.oneHot ["b"]`.
        case code
        /// As flags of the `mlp` tool: `--one-hot b`.
        case flags
    }

    /// The setting named for `naming`.
    public func name(_ naming: Naming) -> String {
        switch (self, naming) {
        case (.target, .code): "CSVReadOptions.target"
        case (.target, .flags): "--target"
        case (.drop(let column), .code): "CSVReadOptions.drop" + (column.map { " [\"\($0)\"]" } ?? "")
        case (.drop(let column), .flags): "--drop" + (column.map { " \($0)" } ?? "")
        case (.idColumn, .code): "CSVReadOptions.idColumn"
        case (.idColumn, .flags): "--id"
        case (.oneHot(let column), .code): "CSVReadOptions.oneHot" + (column.map { " [\"\($0)\"]" } ?? "")
        case (.oneHot(let column), .flags): "--one-hot" + (column.map { " \($0)" } ?? "")
        case (.delimiter, .code): "CSVReadOptions.delimiter"
        case (.delimiter, .flags): "--delimiter"
        case (.impute(let strategies), .code):
            "CSVReadOptions.impute"
                + (strategies.map { " (" + $0.split(separator: "|").map { ".\($0)" }.joined(separator: " or ") + ")" } ?? "")
        case (.impute(let strategies), .flags): "--impute" + (strategies.map { " \($0)" } ?? "")
        case (.regression, .code): "an MLPRegressor (TargetKind.numeric)"
        case (.regression, .flags): "--regression"
        case (.maxMemory, .code): "CSVLimits.maxMemoryBytes"
        case (.maxMemory, .flags): "--max-memory"
        case (.warmStart, .code): "warmStart"
        case (.warmStart, .flags): "--warm-start"
        case (.outOfCore, .code): "an out-of-core fit (MLPDataConverter and its .mlpdata cache)"
        case (.outOfCore, .flags): "streamed training (--stream, --cache, an .mlpdata file, mlp convert)"
        case (.testSize, .code): "the test fraction"
        case (.testSize, .flags): "--test-size"
        }
    }

    // A marker holds both names, code then flags, between private-use characters (dropped from the names, which may
    // hold a column's name): rendering picks one, with no table of settings to parse back.
    private static let open: Character = "\u{E000}", close: Character = "\u{E001}", separator: Character = "\u{E002}"

    private var marker: String {
        let plain = { (name: String) in name.filter { $0 != Self.open && $0 != Self.close && $0 != Self.separator } }
        return String(Self.open) + plain(name(.code)) + String(Self.separator) + plain(name(.flags)) + String(Self.close)
    }

    /// `message` with each setting marker (written by `"\(advising: setting)"`) named for `naming`.
    public static func render(_ message: String, _ naming: Naming) -> String {
        guard message.contains(open) else { return message }
        var result = "", rest = Substring(message)
        while let start = rest.firstIndex(of: open), let end = rest[start...].firstIndex(of: close) {
            result += rest[..<start]
            let body = rest[rest.index(after: start)..<end]
            if let middle = body.firstIndex(of: separator) {
                result += naming == .code ? body[..<middle] : body[body.index(after: middle)...]
            } else {
                result += rest[start...end]  // not a marker: text of its own
            }
            rest = rest[rest.index(after: end)...]
        }
        return result + rest
    }

    /// The marker of `setting`, for string interpolation.
    fileprivate static func marker(_ setting: AdvisedSetting) -> String { setting.marker }
}

extension DefaultStringInterpolation {
    /// Writes a marker that ``AdvisedSetting/render(_:_:)`` names as code or as a flag.
    public mutating func appendInterpolation(advising setting: AdvisedSetting) {
        appendLiteral(AdvisedSetting.marker(setting))
    }
}
