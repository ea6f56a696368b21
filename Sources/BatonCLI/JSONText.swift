/// Minimal JSON text building for command output (`--json`), keeping floats in their shortest form.
enum JSONText {
    /// A JSON string literal.
    static func quoted(_ string: String) -> String {
        var result = "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            default:
                if scalar.value < 0x20 {
                    result += "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count) + String(scalar.value, radix: 16)
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result + "\""
    }

    /// A JSON number for a float (`0.5`, `-1e-05`); non-finite values become `null`.
    static func number(_ value: Float) -> String {
        value.isFinite ? "\(value)" : "null"
    }

    static func number(_ value: Double) -> String {
        value.isFinite ? "\(value)" : "null"
    }
}
