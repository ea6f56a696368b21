/// Why a model file could not be read, loaded or run: names the file, what was wrong and, for
/// problems found while parsing it, the byte offset, like a compiler's
/// `model.gguf: error: unexpected end of file: ... (at byte 24)`.
///
/// One type for the whole runtime (GGUF parsing, tokenizer, chat template, model loading and
/// generation), so callers catch one thing and every message reads the same way.
public struct RuntimeError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The model file (the path as given).
    public var file: String
    /// What was wrong and what was expected.
    public var message: String
    /// The byte offset in the file where the problem was found, when reading it.
    public var offset: Int?

    public init(file: String, offset: Int? = nil, message: String) {
        self.file = file
        self.offset = offset
        self.message = message
    }

    public var description: String {
        "\(file): error: \(message)" + (offset.map { " (at byte \($0))" } ?? "")
    }
}
