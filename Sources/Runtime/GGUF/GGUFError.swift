/// A GGUF file that cannot be used: names the file, the byte offset where reading went wrong and
/// what was expected there, like `model.gguf: error: unexpected end of file: ... (at byte 24)`.
public struct GGUFError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The path as given to `GGUFFile(path:)`.
    public var file: String
    /// The byte offset in the file where the problem was found.
    public var offset: Int
    /// What was wrong and what was expected.
    public var message: String

    public init(file: String, offset: Int, message: String) {
        self.file = file
        self.offset = offset
        self.message = message
    }

    public var description: String { "\(file): error: \(message) (at byte \(offset))" }
}
