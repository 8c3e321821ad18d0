// Errors of the out-of-core path: a cache file that is not one, is damaged or does not fit the request, and
// training options that a stream does not support. Each case carries what its message names.

/// A problem with an `.mlpdata` cache file or with streamed training.
public enum MLPDataError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file cannot be opened, mapped, written or renamed, or must not be written (`reason` says why).
    case io(file: String, reason: String)
    /// The file does not start with the `.mlpdata` magic bytes.
    case notACache(file: String)
    /// The file is a cache of a format version this build does not read.
    case unsupportedVersion(file: String, version: UInt32)
    /// The file is shorter than its header says, its header is inconsistent, or a row holds an impossible code.
    case corrupted(file: String?, detail: String)
    /// The request does not fit the cache (a regressor on a cache of class labels, or the reverse).
    case mismatch(file: String, detail: String)
    /// A training or encoding option that the streamed path does not support; the message names it.
    case unsupported(String)
    /// The conversion was asked to stop; the partial file was removed.
    case cancelled(file: String)

    /// One line naming the file (when there is one) and the problem.
    public var description: String { description(naming: .code) }

    /// ``description`` naming the settings it advises as code or as `mlp` flags.
    public func description(naming: AdvisedSetting.Naming) -> String {
        let text: String = switch self {
        case .io(let file, let reason): "\(file): \(reason)"
        case .notACache(let file): "\(file): not an .mlpdata file (no MLPDATA magic); make one with mlp convert"
        case .unsupportedVersion(let file, let version):
            "\(file): .mlpdata format version \(version); this build reads version \(MLPDataFile.version)"
        case .corrupted(let file, let detail): (file.map { "\($0): " } ?? "") + detail + " (damaged cache file)"
        case .mismatch(let file, let detail): "\(file): \(detail)"
        case .unsupported(let message): message
        case .cancelled(let file): "\(file): interrupted; the partial cache was removed"
        }
        return AdvisedSetting.render(text, naming)
    }
}
