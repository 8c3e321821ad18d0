/// Why the MPI run could not start or continue, with what to do about it.
public struct MPIError: Error, CustomStringConvertible, Sendable {
    /// The message, one or two lines a user can act on.
    public let description: String

    /// - Parameter description: the message.
    public init(_ description: String) { self.description = description }
}
