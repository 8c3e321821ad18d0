// One error type for everything ONNX and NPZ: a kind a caller can switch on and a message a user can act on.

/// An error reading, writing or converting an ONNX model or an NPZ archive.
public struct ONNXError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What went wrong.
    public enum Kind: String, Sendable {
        /// The bytes are not a well-formed protobuf message (truncated, bad tag, length past the end).
        case malformed
        /// A declared size is over the reader's limits (`ONNXLimits`).
        case tooLarge
        /// A well-formed graph that is not an MLP this library can run; the message names the first unsupported node.
        case unsupported
        /// The model cannot be written as standard ONNX (see docs/interop.md).
        case notExportable
        /// Reading or writing a file failed.
        case io
    }

    /// What went wrong.
    public var kind: Kind
    /// The message, naming the field, node or file.
    public var message: String

    /// Creates an error.
    /// - Parameters:
    ///   - kind: what went wrong.
    ///   - message: a message a user can act on.
    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    /// The message.
    public var description: String { message }
}

/// Caps on what a decoded ONNX file may declare, so a hostile file cannot make the reader allocate without bound.
/// Every array the reader builds is also bounded by the bytes actually present.
public struct ONNXLimits: Sendable {
    /// The largest file read (bytes).
    public var maxFileBytes: Int = 1 << 30
    /// The most nodes in a graph.
    public var maxNodes: Int = 100_000
    /// The most elements in one tensor.
    public var maxTensorElements: Int = 1 << 28
    /// The most dimensions of one tensor.
    public var maxRank: Int = 8

    /// The default limits: 1 GiB files, 100 000 nodes, 2^28 elements per tensor, rank 8.
    public init() {}
}
