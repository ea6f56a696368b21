/// A model file whose tokenizer cannot be built: names the file and what is missing or wrong.
public struct TokenizerError: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var message: String

    public init(file: String, message: String) {
        self.file = file
        self.message = message
    }

    public var description: String { "\(file): error: \(message)" }
}
