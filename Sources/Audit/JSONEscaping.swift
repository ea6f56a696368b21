/// JSON string escaping as Baton writes it: quotes, backslashes and control characters escaped,
/// everything else (Korean included) left as UTF-8.
public enum JSONEscaping {
    /// The body of a JSON string literal for `text`, without the quotes. `escapingSlash` writes
    /// `/` as `\/`, as Foundation's encoder does (the secret masker looks for both forms).
    public static func escape(_ text: String, escapingSlash: Bool = false) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "/" where escapingSlash: result += "\\/"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case let control where control.value < 0x20:
                let hex = String(control.value, radix: 16)
                result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}
