/// Text from outside Baton (file names, model answers, prompts, errors quoting them) made safe to
/// print: control characters are written as escapes, so a name holding a newline cannot forge a
/// `run ... succeeded` line, and a model answer holding `ESC [` cannot move the cursor, clear the
/// screen or retitle the terminal. Bidirectional overrides are escaped too (they can make a line
/// read differently from what it says).
public enum TerminalText {
    /// A name shown on one line (a file path, a step id): every control character escaped,
    /// line breaks included (`\n`).
    public static func name(_ text: String) -> String { escape(text, keepingLines: false) }

    /// Multi-line text (a prompt, an output, an error): line breaks and tabs kept, every other
    /// control character escaped.
    public static func text(_ text: String) -> String { escape(text, keepingLines: true) }

    static func escape(_ text: String, keepingLines: Bool) -> String {
        guard text.unicodeScalars.contains(where: { needsEscape($0, keepingLines: keepingLines) }) else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 16)
        for scalar in text.unicodeScalars {
            guard needsEscape(scalar, keepingLines: keepingLines) else {
                out.unicodeScalars.append(scalar)
                continue
            }
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                let hex = String(scalar.value, radix: 16, uppercase: true)
                out += scalar.value < 0x100 ? "\\x" + (hex.count < 2 ? "0" + hex : hex) : "\\u{" + hex + "}"
            }
        }
        return out
    }

    static func needsEscape(_ scalar: Unicode.Scalar, keepingLines: Bool) -> Bool {
        switch scalar.value {
        case 0x0A, 0x09: return !keepingLines
        case 0x00...0x1F, 0x7F...0x9F: return true
        case 0x202A...0x202E, 0x2066...0x2069: return true
        default: return false
        }
    }
}
