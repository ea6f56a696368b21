/// Turns tokens into text as they are generated without ever cutting a UTF-8 character:
/// bytes of a character split across tokens (a Korean syllable is 3 bytes, often spread over
/// byte tokens) are held back until the character is complete.
public struct StreamingDetokenizer: Sendable {
    public let tokenizer: Tokenizer
    /// Whether control tokens are shown.
    public var special: Bool
    private var pending: [UInt8] = []

    public init(tokenizer: Tokenizer, special: Bool = false) {
        self.tokenizer = tokenizer
        self.special = special
    }

    /// Adds a token and returns the text that is now complete (possibly empty).
    public mutating func append(_ id: Int) -> String {
        pending.append(contentsOf: tokenizer.piece(id, special: special))
        let complete = StreamingDetokenizer.completePrefixLength(pending)
        guard complete > 0 else { return "" }
        let text = String(decoding: pending[..<complete], as: UTF8.self)
        pending.removeFirst(complete)
        return text
    }

    /// Drops the bytes of an incomplete character still held back; for output cut off by a token
    /// limit, where the rest of the character will never come and U+FFFD would be mojibake.
    public mutating func discardIncomplete() {
        pending.removeAll()
    }

    /// The bytes still held back, as text (an incomplete character becomes U+FFFD); resets.
    public mutating func finish() -> String {
        defer { pending.removeAll() }
        return String(decoding: pending, as: UTF8.self)
    }

    /// The length of the longest prefix of `bytes` that does not end inside a character that
    /// more bytes could still complete.
    static func completePrefixLength(_ bytes: [UInt8]) -> Int {
        let n = bytes.count
        var i = n - 1
        var continuation = 0
        while i >= 0 && continuation < 3 && bytes[i] & 0xC0 == 0x80 {
            i -= 1
            continuation += 1
        }
        guard i >= 0 else { return n }
        let lead = bytes[i]
        let need: Int
        switch lead {
        case 0xC2...0xDF: need = 2
        case 0xE0...0xEF: need = 3
        case 0xF0...0xF4: need = 4
        default: need = 1
        }
        return need > 1 && n - i < need ? i : n
    }
}
