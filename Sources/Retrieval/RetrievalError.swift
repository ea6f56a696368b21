/// An error from the Retrieval module whose message already says where (file, model, database) and
/// what was wrong, in the compiler-like `path: error: message` form the CLI prints as is.
public struct RetrievalError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
