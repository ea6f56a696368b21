/// Why a model could not be loaded or run, naming the file and what was wrong.
public struct ModelError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The model file.
    public var file: String
    /// What was wrong.
    public var message: String

    public init(file: String, message: String) {
        self.file = file
        self.message = message
    }

    public var description: String { "\(file): error: \(message)" }
}
