import Base

/// A YAML problem at a place in a file, printed like a compiler diagnostic:
///
///     campaign.yaml:3:1: error: tab character in indentation (YAML indents with spaces only)
///     	tone: 밝게
///     ^
public struct YAMLError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file name as given to the parser (used verbatim in the message).
    public var file: String
    /// Where the problem is (1-based).
    public var mark: Mark
    /// What is wrong, in one line.
    public var message: String
    /// The source line at `mark`, without its line break, when there is a source to show.
    public var sourceLine: String?

    public init(file: String, mark: Mark, message: String, sourceLine: String? = nil) {
        self.file = file
        self.mark = mark
        self.message = message
        self.sourceLine = sourceLine
    }

    /// `file:line:col: error: message`, then the source line and a caret under the column.
    public var description: String {
        let head = "\(file):\(mark.line):\(mark.column): error: \(message)"
        guard let sourceLine else { return head }
        return head + "\n" + SourceExcerpt.lines(sourceLine, column: mark.column)
    }
}
