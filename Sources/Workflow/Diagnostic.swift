/// One problem found in a workflow, printed like a compiler's message:
///
/// ```
/// Workflows/campaign.yaml:12:7: error: step 'copy' reads unknown step 'sumary' (did you mean 'summary'?)
///     text: "{{ steps.sumary.output }}"
///       ^
/// ```
///
/// Problems that have no place in a file (a missing `--input`, say) have no `location` and print
/// as `error: message`.
public struct Diagnostic: Error, Sendable, Hashable, CustomStringConvertible {
    /// Where the problem is; `nil` for problems outside any file.
    public var location: SourceLocation?
    /// The message, without the `error:` prefix.
    public var message: String
    /// The whole source line the location points into, when known.
    public var sourceLine: String?

    public init(location: SourceLocation?, message: String, sourceLine: String? = nil) {
        self.location = location
        self.message = message
        self.sourceLine = sourceLine
    }

    /// The first line only: `file:line:col: error: message` (or `error: message`).
    public var headline: String {
        if let location { return "\(location): error: \(message)" }
        return "error: \(message)"
    }

    /// The headline, then the source line and a caret under the column when the line is known.
    public var description: String {
        guard let location, let sourceLine else { return headline }
        let (shown, column) = Diagnostic.window(sourceLine, column: location.column)
        return headline + "\n" + shown + "\n" + Diagnostic.caretPadding(shown, column: column) + "^"
    }

    /// Longest source line shown whole; a longer one (minified or generated input) is cut to a
    /// window around the column, so one diagnostic cannot flood a terminal.
    static let maxShownColumns = 120

    /// The part of `line` to show and the caret's column inside it (columns count Unicode scalars,
    /// as YAML marks do).
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

    /// The blanks that put a caret under `column` of `line` in a terminal: tabs are kept as tabs
    /// and East Asian wide characters (Hangul, CJK) count two cells, so the caret lines up under
    /// Korean text too.
    static func caretPadding(_ line: String, column: Int) -> String {
        var padding = ""
        var index = 1
        for scalar in line.unicodeScalars {
            guard index < column else { break }
            if scalar == "\t" {
                padding += "\t"
            } else {
                padding += isWide(scalar) ? "  " : " "
            }
            index += 1
        }
        if index < column { padding += String(repeating: " ", count: column - index) }
        return padding
    }

    /// Whether a terminal draws this scalar two cells wide (Hangul, CJK, fullwidth forms).
    static func isWide(_ scalar: Unicode.Scalar) -> Bool {
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
