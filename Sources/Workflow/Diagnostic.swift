import YAML

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
    /// A warning reports something that may fail at run time (a model file not found here) but
    /// does not make the workflow invalid.
    public var isWarning: Bool

    public init(location: SourceLocation?, message: String, sourceLine: String? = nil, isWarning: Bool = false) {
        self.location = location
        self.message = message
        self.sourceLine = sourceLine
        self.isWarning = isWarning
    }

    /// `error` or `warning`.
    public var severity: String { isWarning ? "warning" : "error" }

    /// The first line only: `file:line:col: error: message` (or `error: message`).
    public var headline: String {
        if let location { return "\(location): \(severity): \(message)" }
        return "\(severity): \(message)"
    }

    /// The headline, then the source line and a caret under the column when the line is known
    /// (printed by the YAML module's formatter, so every Baton diagnostic looks the same: long
    /// lines cut to a window, tabs kept, wide Hangul/CJK characters counted as two cells).
    public var description: String {
        guard let location, let sourceLine else { return headline }
        let text = YAMLError(file: location.file, mark: Mark(line: location.line, column: location.column), message: message,
                             sourceLine: sourceLine).description
        guard isWarning, let range = text.range(of: ": error: ") else { return text }
        return text.replacingCharacters(in: range, with: ": warning: ")
    }
}
