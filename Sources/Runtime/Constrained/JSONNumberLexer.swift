/// JSON's number grammar (RFC 8259) one byte at a time, and its whitespace and hex digits:
/// the lexical pieces both constrained-decoding validators share.
enum JSONNumberLexer {
    /// Where in `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?` the text is.
    enum Part: Sendable, Equatable { case sign, zero, integer, point, fraction, exponentMark, exponentSign, exponent }

    /// The part after a number's first byte, or nil when the byte cannot start a number.
    static func start(_ byte: UInt8) -> Part? {
        switch byte {
        case UInt8(ascii: "-"): return .sign
        case UInt8(ascii: "0"): return .zero
        case UInt8(ascii: "1")...UInt8(ascii: "9"): return .integer
        default: return nil
        }
    }

    /// The part after `byte`, or nil when the byte does not continue the number (it may still
    /// end it: see `canEnd`). `integerOnly` refuses a fraction and an exponent.
    static func next(_ part: Part, _ byte: UInt8, integerOnly: Bool = false) -> Part? {
        let digit = byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
        let exponent = !integerOnly && (byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E"))
        switch part {
        case .sign: return byte == UInt8(ascii: "0") ? .zero : (digit ? .integer : nil)
        case .zero, .integer:
            if part == .integer && digit { return .integer }
            if !integerOnly && byte == UInt8(ascii: ".") { return .point }
            return exponent ? .exponentMark : nil
        case .point, .fraction:
            if digit { return .fraction }
            return part == .fraction && exponent ? .exponentMark : nil
        case .exponentMark:
            if byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-") { return .exponentSign }
            return digit ? .exponent : nil
        case .exponentSign, .exponent:
            return digit ? .exponent : nil
        }
    }

    /// Whether a number may end after `part`.
    static func canEnd(_ part: Part) -> Bool {
        [.zero, .integer, .fraction, .exponent].contains(part)
    }

    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }

    static func isHexDigit(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x46) || (byte >= 0x61 && byte <= 0x66)
    }
}
