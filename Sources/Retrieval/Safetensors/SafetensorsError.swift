/// A safetensors file that cannot be read: names the file, the byte offset where the problem is
/// (when there is one) and what was wrong, so a truncated download or a wrong file is obvious.
public struct SafetensorsError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file's path as given to the reader.
    public var path: String
    /// The byte offset in the file the problem concerns, if any.
    public var offset: Int?
    /// What was wrong.
    public var message: String

    public var description: String {
        if let offset { return "\(path): error: at byte \(offset): \(message)" }
        return "\(path): error: \(message)"
    }
}
