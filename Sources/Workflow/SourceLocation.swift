/// A position in a workflow file: 1-based line and column (columns count characters, not bytes).
///
/// Every part of a decoded workflow keeps the location it came from, so a problem found at load
/// time or at run time can be reported as `file:line:col` like a compiler does.
public struct SourceLocation: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The file as the user named it (`Workflows/campaign-copy.yaml`).
    public var file: String
    /// 1-based line.
    public var line: Int
    /// 1-based column, in characters.
    public var column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// `file:line:col`
    public var description: String { "\(file):\(line):\(column)" }

    public static func < (a: SourceLocation, b: SourceLocation) -> Bool {
        (a.file, a.line, a.column) < (b.file, b.line, b.column)
    }
}
