/// A position in a YAML source: 1-based line and 1-based column (counted in Unicode scalars).
///
/// Every node carries the mark of its first character so that later stages (the workflow
/// checker, template errors) can point back into the file like a compiler does.
public struct Mark: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// 1-based line number.
    public var line: Int
    /// 1-based column, counted in Unicode scalars (a Korean syllable is one column).
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    public static func < (lhs: Mark, rhs: Mark) -> Bool {
        (lhs.line, lhs.column) < (rhs.line, rhs.column)
    }

    /// `line:column`, the form used inside diagnostics.
    public var description: String { "\(line):\(column)" }
}
