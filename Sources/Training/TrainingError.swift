/// Why training could not start or go on, naming the file (model, data or adapter) and what was
/// wrong; `line` is set for a data file's line (1-based).
public struct TrainingError: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var message: String

    public init(file: String, line: Int? = nil, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    public var description: String { "\(file)\(line.map { ":\($0)" } ?? ""): error: \(message)" }
}
