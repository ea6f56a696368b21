/// Reads PDF tokens and objects (ISO 32000-1 7.2-7.3) from bytes: the file itself, an object
/// stream, or a content stream.
///
/// It works on a raw buffer so a memory-mapped 200 MB file is never copied; every read is bounds
/// checked, and nesting is limited so a file of ten thousand `[` cannot exhaust the stack.
struct PDFParser {
    let bytes: UnsafeRawBufferPointer
    var position: Int
    /// Added to positions in error messages (the stream's place in the file, or 0).
    var errorBase: Int
    /// Whether `N G R` is read as a reference (not inside content streams, where it never occurs).
    var readsReferences: Bool

    static let maximumDepth = 64

    init(_ bytes: UnsafeRawBufferPointer, at position: Int = 0, errorBase: Int = 0, readsReferences: Bool = true) {
        self.bytes = bytes
        self.position = position
        self.errorBase = errorBase
        self.readsReferences = readsReferences
    }

    /// A token: a complete simple object, a keyword (operator), or a delimiter of a compound object.
    enum Token: Equatable {
        case object(PDFObject)
        case keyword(String)
        case arrayStart, arrayEnd, dictionaryStart, dictionaryEnd
        case end
    }

    var atEnd: Bool { position >= bytes.count }

    func error(_ message: String, at offset: Int? = nil) -> PDFError {
        PDFError(at: errorBase + (offset ?? position), message)
    }

    @inline(__always) static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 || byte == 0x0C || byte == 0x00
    }

    @inline(__always) static func isDelimiter(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x28, 0x29, 0x3C, 0x3E, 0x5B, 0x5D, 0x7B, 0x7D, 0x2F, 0x25: return true
        default: return false
        }
    }

    @inline(__always) static func isRegular(_ byte: UInt8) -> Bool { !isWhitespace(byte) && !isDelimiter(byte) }

    /// Skips white space and comments.
    mutating func skipWhitespace() {
        while position < bytes.count {
            let byte = bytes[position]
            if Self.isWhitespace(byte) {
                position += 1
            } else if byte == 0x25 {  // % comment to end of line
                while position < bytes.count, bytes[position] != 0x0A, bytes[position] != 0x0D { position += 1 }
            } else {
                return
            }
        }
    }

    /// The next token.
    mutating func nextToken() throws(PDFError) -> Token {
        skipWhitespace()
        guard position < bytes.count else { return .end }
        let start = position
        let byte = bytes[position]
        switch byte {
        case 0x5B: position += 1; return .arrayStart
        case 0x5D: position += 1; return .arrayEnd
        case 0x28: return .object(.string(try literalString()))
        case 0x2F: return .object(.name(name()))
        case 0x3C:
            if position + 1 < bytes.count, bytes[position + 1] == 0x3C { position += 2; return .dictionaryStart }
            return .object(.string(try hexString()))
        case 0x3E:
            if position + 1 < bytes.count, bytes[position + 1] == 0x3E { position += 2; return .dictionaryEnd }
            position += 1
            throw error("unexpected '>'", at: start)
        case 0x29, 0x7B, 0x7D:
            position += 1
            // `{` `}` appear only in PostScript calculator functions, which text never needs.
            return .keyword(String(UnicodeScalar(byte)))
        case 0x2B, 0x2D, 0x2E, 0x30...0x39:
            if let number = number() { return .object(number) }
            return .keyword(keyword())
        default:
            let word = keyword()
            switch word {
            case "true": return .object(.bool(true))
            case "false": return .object(.bool(false))
            case "null": return .object(.null)
            default: return .keyword(word)
            }
        }
    }

    /// A run of regular characters.
    mutating func keyword() -> String {
        let start = position
        while position < bytes.count, Self.isRegular(bytes[position]) { position += 1 }
        if position == start { position += 1 }  // a stray delimiter-like byte: consume it
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
    }

    /// An integer or real; nil (position unchanged) when the characters are not a number.
    mutating func number() -> PDFObject? {
        let start = position
        var index = position
        var negative = false
        if bytes[index] == 0x2B || bytes[index] == 0x2D {
            negative = bytes[index] == 0x2D
            index += 1
        }
        var integer = 0
        var digits = 0
        var fraction = 0.0
        var scale = 1.0
        var sawPoint = false
        while index < bytes.count {
            let byte = bytes[index]
            if byte >= 0x30 && byte <= 0x39 {
                if sawPoint {
                    scale /= 10
                    fraction += Double(byte - 0x30) * scale
                } else if digits < 18 {
                    integer = integer * 10 + Int(byte - 0x30)
                } else {
                    sawPoint = sawPoint || false
                    scale = scale * 10  // digits beyond Int range: keep the magnitude as a real
                }
                digits += 1
            } else if byte == 0x2E && !sawPoint {
                sawPoint = true
            } else {
                break
            }
            index += 1
        }
        // Writers emit `--5` or `1.2.3` now and then; read what forms a number and stop there.
        guard digits > 0 else { return nil }
        while index < bytes.count, Self.isRegular(bytes[index]) { index += 1 }
        position = index
        _ = start
        if sawPoint || digits > 18 {
            var value = Double(integer) + fraction
            if digits > 18 && !sawPoint { value = Double(integer) * scale }
            return .real(negative ? -value : value)
        }
        return .integer(negative ? -integer : integer)
    }

    /// `/Name` with `#xx` escapes.
    mutating func name() -> String {
        position += 1
        var out: [UInt8] = []
        while position < bytes.count, Self.isRegular(bytes[position]) {
            let byte = bytes[position]
            if byte == 0x23, position + 2 < bytes.count, let high = Self.hexValue(bytes[position + 1]), let low = Self.hexValue(bytes[position + 2]) {
                out.append(high << 4 | low)
                position += 3
            } else {
                out.append(byte)
                position += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    @inline(__always) static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: return byte - 0x30
        case 0x41...0x46: return byte - 0x41 + 10
        case 0x61...0x66: return byte - 0x61 + 10
        default: return nil
        }
    }

    /// `( ... )` with balanced parentheses and escapes; line ends become LF.
    mutating func literalString() throws(PDFError) -> [UInt8] {
        let start = position
        position += 1
        var out: [UInt8] = []
        var depth = 1
        while position < bytes.count {
            let byte = bytes[position]
            position += 1
            switch byte {
            case 0x28:
                depth += 1
                out.append(byte)
            case 0x29:
                depth -= 1
                if depth == 0 { return out }
                out.append(byte)
            case 0x0D:
                if position < bytes.count, bytes[position] == 0x0A { position += 1 }
                out.append(0x0A)
            case 0x5C:
                guard position < bytes.count else { break }
                let escaped = bytes[position]
                position += 1
                switch escaped {
                case 0x6E: out.append(0x0A)
                case 0x72: out.append(0x0D)
                case 0x74: out.append(0x09)
                case 0x62: out.append(0x08)
                case 0x66: out.append(0x0C)
                case 0x0D: if position < bytes.count, bytes[position] == 0x0A { position += 1 }
                case 0x0A: break
                case 0x30...0x37:
                    var value = Int(escaped - 0x30)
                    var count = 1
                    while count < 3, position < bytes.count, bytes[position] >= 0x30, bytes[position] <= 0x37 {
                        value = value * 8 + Int(bytes[position] - 0x30)
                        position += 1
                        count += 1
                    }
                    out.append(UInt8(truncatingIfNeeded: value))
                default: out.append(escaped)
                }
            default:
                out.append(byte)
            }
        }
        throw error("a string that starts here is never closed", at: start)
    }

    /// `< hex digits >`; an odd final digit counts as followed by 0.
    mutating func hexString() throws(PDFError) -> [UInt8] {
        let start = position
        position += 1
        var out: [UInt8] = []
        var high: UInt8?
        while position < bytes.count {
            let byte = bytes[position]
            position += 1
            if byte == 0x3E {
                if let high { out.append(high << 4) }
                return out
            }
            if Self.isWhitespace(byte) { continue }
            guard let value = Self.hexValue(byte) else { throw error("a hex string holds '\(Character(UnicodeScalar(byte)))'", at: position - 1) }
            if let pending = high {
                out.append(pending << 4 | value)
                high = nil
            } else {
                high = value
            }
        }
        throw error("a hex string that starts here is never closed", at: start)
    }

    /// One complete object; arrays and dictionaries are read whole. `N G R` becomes a reference.
    mutating func parseObject(depth: Int = 0) throws(PDFError) -> PDFObject {
        let start = position
        let token = try nextToken()
        return try object(from: token, start: start, depth: depth)
    }

    mutating func object(from token: Token, start: Int, depth: Int) throws(PDFError) -> PDFObject {
        switch token {
        case .object(let object):
            if readsReferences, case .integer(let number) = object, number >= 0 { return referenceOrNumber(number) }
            return object
        case .arrayStart:
            guard depth < Self.maximumDepth else { throw error("arrays and dictionaries nested deeper than \(Self.maximumDepth)", at: start) }
            var items: [PDFObject] = []
            while true {
                let itemStart = position
                let next = try nextToken()
                if next == .arrayEnd { return .array(items) }
                if next == .end { throw error("an array that starts here is never closed", at: start) }
                if case .keyword(let word) = next, word == "endobj" || word == "obj" || word == "stream" {
                    throw error("an array that starts here is never closed", at: start)
                }
                items.append(try object(from: next, start: itemStart, depth: depth + 1))
            }
        case .dictionaryStart:
            guard depth < Self.maximumDepth else { throw error("arrays and dictionaries nested deeper than \(Self.maximumDepth)", at: start) }
            return .dictionary(try dictionaryBody(start: start, depth: depth))
        case .keyword(let word):
            throw error("expected an object, found '\(word.prefix(20))'", at: start)
        case .arrayEnd, .dictionaryEnd:
            throw error("unexpected end of an array or dictionary", at: start)
        case .end:
            throw error("the data ends where an object was expected", at: start)
        }
    }

    /// The entries after `<<` up to `>>`.
    mutating func dictionaryBody(start: Int, depth: Int) throws(PDFError) -> PDFDictionary {
        var entries: [String: PDFObject] = [:]
        while true {
            let keyStart = position
            let token = try nextToken()
            switch token {
            case .dictionaryEnd: return PDFDictionary(entries)
            case .object(.name(let key)):
                let valueStart = position
                let valueToken = try nextToken()
                if valueToken == .dictionaryEnd {  // a key without value: tolerated as null
                    return PDFDictionary(entries)
                }
                entries[key] = try object(from: valueToken, start: valueStart, depth: depth + 1)
            case .end:
                throw error("a dictionary that starts here is never closed", at: start)
            default:
                throw error("a dictionary key must be a name", at: keyStart)
            }
        }
    }

    /// After an integer: `N G R` if a generation and `R` follow, else the integer itself.
    mutating func referenceOrNumber(_ number: Int) -> PDFObject {
        let saved = position
        skipWhitespace()
        var probe = self
        guard position < bytes.count, bytes[position] >= 0x30, bytes[position] <= 0x39,
              case .integer(let generation)? = probe.number() else {
            position = saved
            return .integer(number)
        }
        probe.skipWhitespace()
        if probe.position < bytes.count, bytes[probe.position] == 0x52,
           probe.position + 1 >= bytes.count || !Self.isRegular(bytes[probe.position + 1]) {
            position = probe.position + 1
            return .reference(PDFReference(number: number, generation: generation))
        }
        position = saved
        return .integer(number)
    }

    /// Whether the bytes at `offset` are `word` (followed by a non-regular byte or the end).
    func matches(_ word: StaticString, at offset: Int) -> Bool {
        let count = word.utf8CodeUnitCount
        guard offset >= 0, offset + count <= bytes.count else { return false }
        let pointer = word.utf8Start
        for index in 0..<count where bytes[offset + index] != pointer[index] { return false }
        return offset + count == bytes.count || !Self.isRegular(bytes[offset + count])
    }
}
