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
        let (shown, column) = YAMLError.window(sourceLine, column: mark.column)
        return head + "\n" + shown + "\n" + YAMLError.caretLine(for: shown, column: column)
    }

    /// Longest source line shown in full; longer ones (minified or generated input) are cut to a
    /// window around the column so one diagnostic cannot flood a terminal.
    static let maxShownColumns = 120

    /// The part of `line` to show and the caret's column inside it.
    static func window(_ line: String, column: Int) -> (String, Int) {
        let scalars = Array(line.unicodeScalars)
        guard scalars.count > maxShownColumns else { return (line, column) }
        let start = max(0, min(column - 1 - maxShownColumns / 2, scalars.count - maxShownColumns))
        let end = min(scalars.count, start + maxShownColumns)
        var shown = String(String.UnicodeScalarView(scalars[start..<end]))
        var caret = column - start
        if start > 0 {
            shown = "…" + shown
            caret += 1
        }
        if end < scalars.count { shown += "…" }
        return (shown, caret)
    }

    /// The caret line: tabs copied from the source so the caret lines up whatever the tab
    /// width, and each character's terminal cells (`DisplayWidth`: two for Hangul and CJK).
    static func caretLine(for line: String, column: Int) -> String {
        var padding = ""
        var index = 1
        for scalar in line.unicodeScalars {
            guard index < column else { break }
            if scalar == "\t" {
                padding.append("\t")
            } else {
                padding.append(String(repeating: " ", count: DisplayWidth.cells(scalar)))
            }
            index += 1
        }
        if index < column { padding.append(String(repeating: " ", count: column - index)) }
        return padding + "^"
    }
}
