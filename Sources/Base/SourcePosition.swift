/// A position in a source text: 1-based line and 1-based column (counted in Unicode scalars, so a
/// Korean syllable is one column).
///
/// The one position type: YAML nodes carry it (as `Mark`), template tokens and errors point with
/// it, and the workflow's `SourceLocation` adds the file name to it, so later stages (the workflow
/// checker, template errors at run time) can point back into the file like a compiler does.
public struct SourcePosition: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// 1-based line number.
    public var line: Int
    /// 1-based column, counted in Unicode scalars.
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    public static func < (lhs: SourcePosition, rhs: SourcePosition) -> Bool {
        (lhs.line, lhs.column) < (rhs.line, rhs.column)
    }

    /// `line:column`, the form used inside diagnostics.
    public var description: String { "\(line):\(column)" }
}
