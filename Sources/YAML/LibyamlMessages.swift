/// Rewrites libyaml's terse problem/context pairs into one-line messages that say what to fix.
enum LibyamlMessages {
    /// A reader error: bad encoding or a forbidden character at a byte offset.
    static func reader(problem: String, offset: Int, value: Int) -> String {
        if problem == "control characters are not allowed" {
            return "control character U+\(hex(value, digits: 4)) at byte offset \(offset) is not allowed in YAML"
        }
        return "\(problem) at byte offset \(offset)"
    }

    /// A scanner or parser error; returns the mark to point at and the message.
    static func syntax(problem: String, problemMark: Mark, context: String?, contextMark: Mark,
                       characterAtProblem: Unicode.Scalar?) -> (Mark, String) {
        if characterAtProblem == "\t" || problem.contains("tab character") {
            return (problemMark, "tab character in indentation (YAML indents with spaces only)")
        }
        if context == "while scanning a quoted scalar" {
            let what = problem.contains("end of stream") ? "the file ends" : "a document marker follows"
            return (contextMark, "unclosed quoted string: the quote opened here is never closed (\(what) at \(problemMark))")
        }
        guard let context else { return (problemMark, problem) }
        if contextMark == problemMark { return (problemMark, "\(problem) (\(context))") }
        return (problemMark, "\(problem) (\(context) that starts at \(contextMark))")
    }

    private static func hex(_ value: Int, digits: Int) -> String {
        let text = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, digits - text.count)) + text
    }
}
