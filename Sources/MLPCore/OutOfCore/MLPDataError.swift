// Errors of the out-of-core path: a cache file that is not one, is damaged or does not fit the request, and
// training options that a stream does not support. Each names the file or the option.

/// A problem with an `.mlpdata` cache file or with streamed training.
public struct MLPDataError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What kind of problem it is.
    public enum Kind: String, Sendable, Equatable {
        /// The file cannot be opened, read, written or renamed.
        case io
        /// The file does not start with the `.mlpdata` magic bytes.
        case notACache
        /// The file is a cache of a format version this build does not read.
        case unsupportedVersion
        /// The file is shorter than its header says, or its header is inconsistent.
        case corrupted
        /// The request does not fit the cache (a regressor on a class-label cache, other encoding options).
        case mismatch
        /// A training option that streamed training does not support.
        case unsupported
    }

    /// What kind of problem it is.
    public var kind: Kind
    /// What is wrong.
    public var message: String
    /// The file, when one is concerned.
    public var file: String?

    /// Creates an error.
    ///
    /// - Parameters:
    ///   - kind: What kind of problem it is.
    ///   - message: What is wrong, without the file name.
    ///   - file: The file concerned, if any.
    public init(_ kind: Kind, _ message: String, file: String? = nil) {
        self.kind = kind
        self.message = message
        self.file = file
    }

    /// "file: message", or the message alone.
    public var description: String { file.map { "\($0): \(message)" } ?? message }
}
