import Foundation

/// The token counts a server reports in `usage`, checked before they are stored as fact: a count
/// is a whole number from 0 to `maximum`. Anything else (`-5`, `2^63-1`, `1.5`, a string) is not
/// stored, and a note says what the server sent, so `baton show` never prints an absurd rate.
struct UsageFigures: Sendable, Equatable {
    /// More tokens than any model's context holds (128 Mi): beyond it a count is not believable.
    static let maximum = 1 << 27

    var tokensIn: Int?
    var tokensOut: Int?
    /// What was refused, in words (nil when everything was valid or absent).
    var note: String?

    init(tokensIn: Int? = nil, tokensOut: Int? = nil, note: String? = nil) {
        self.tokensIn = tokensIn
        self.tokensOut = tokensOut
        self.note = note
    }

    /// Reads `prompt_tokens` and `completion_tokens` from a `usage` object.
    init(_ usage: [String: Any]?) {
        var problems: [String] = []
        func count(_ key: String) -> Int? {
            guard let raw = usage?[key], !(raw is NSNull) else { return nil }
            if let number = raw as? NSNumber {
                let value = number.doubleValue
                if value == value.rounded(), value >= 0, value <= Double(Self.maximum) { return number.intValue }
                problems.append("\(key) \(number.stringValue)")
            } else {
                problems.append("\(key) \(String(describing: raw).prefix(40))")
            }
            return nil
        }
        tokensIn = count("prompt_tokens")
        tokensOut = count("completion_tokens")
        note = problems.isEmpty ? nil : "the server's usage figures were not valid counts and were not stored: " + problems.joined(separator: ", ")
    }
}
