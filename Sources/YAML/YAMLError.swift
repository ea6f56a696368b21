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
    /// width, and two columns for East Asian wide characters (Hangul, CJK) as terminals draw them.
    static func caretLine(for line: String, column: Int) -> String {
        var padding = ""
        var index = 1
        for scalar in line.unicodeScalars {
            guard index < column else { break }
            if scalar == "\t" {
                padding.append("\t")
            } else {
                padding.append(isWide(scalar) ? "  " : " ")
            }
            index += 1
        }
        if index < column { padding.append(String(repeating: " ", count: column - index)) }
        return padding + "^"
    }

    /// East Asian Wide and Fullwidth ranges that matter in practice (Hangul, CJK, kana, fullwidth forms).
    private static func isWide(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
             0xA000...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
             0xFFE0...0xFFE6, 0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x20000...0x3FFFD:
            return true
        default:
            return false
        }
    }
}
