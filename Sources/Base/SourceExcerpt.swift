/// The source line and caret under a diagnostic, drawn the same way by every Baton error
/// (YAML, workflow, template, cron): long lines cut to a window around the column, tabs kept,
/// wide Hangul/CJK characters counted as two cells.
///
///     	tone: 밝게
///     ^
public enum SourceExcerpt {
    /// The (windowed) source line, a line break, and the caret line under `column` (1-based, in
    /// Unicode scalars).
    public static func lines(_ line: String, column: Int) -> String {
        let (shown, caret) = window(line, column: column)
        return shown + "\n" + caretLine(for: shown, column: caret)
    }

    /// Longest source line shown in full; longer ones (minified or generated input) are cut to a
    /// window around the column so one diagnostic cannot flood a terminal.
    public static let maxShownColumns = 120

    /// The part of `line` to show and the caret's column inside it.
    public static func window(_ line: String, column: Int) -> (String, Int) {
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
    public static func caretLine(for line: String, column: Int) -> String {
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
