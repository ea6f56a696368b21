/// Decides byte by byte whether text is still the beginning of a JSON object, so a sampler can
/// forbid every token that would make the output unparseable (JSON-constrained decoding).
///
/// A pushdown automaton over UTF-8 bytes: a stack of open containers and the current lexical
/// state. The top-level value must be an object (OpenAI's `json_object` mode, what `extract`
/// asks for). Whitespace runs outside strings are capped so a model cannot stall on newlines.
struct JSONPrefixValidator: JSONByteValidator {
    private enum Container: Sendable, Equatable { case object, array }
    private enum State: Sendable, Equatable {
        case start                 // before the top-level object
        case value                 // a value must come (after ':' or ',' in an array)
        case valueOrArrayEnd       // right after '['
        case keyOrObjectEnd        // right after '{'
        case key                   // after ',' in an object
        case colon                 // after a key
        case commaOrEnd            // after a value inside a container
        case string(isKey: Bool)
        case escape(isKey: Bool)
        case unicode(isKey: Bool, remaining: Int)
        case number(JSONNumberLexer.Part)
        case literal(remaining: [UInt8])
        case done                  // the top-level object is closed
    }

    private var stack: [Container] = []
    private var state = State.start
    static let maxWhitespaceRun = 16
    private var whitespace = JSONWhitespaceRun(maximum: JSONPrefixValidator.maxWhitespaceRun)

    /// Whether the top-level object is complete (only the end may follow).
    var isComplete: Bool { state == .done }

    mutating func feed(_ byte: UInt8) -> Bool {
        switch state {
        case .string(let isKey):
            if byte == UInt8(ascii: "\"") { state = isKey ? .colon : afterValue(); return true }
            if byte == UInt8(ascii: "\\") { state = .escape(isKey: isKey); return true }
            return byte >= 0x20
        case .escape(let isKey):
            if byte == UInt8(ascii: "u") { state = .unicode(isKey: isKey, remaining: 4); return true }
            guard "\"\\/bfnrt".utf8.contains(byte) else { return false }
            state = .string(isKey: isKey)
            return true
        case .unicode(let isKey, let remaining):
            guard JSONNumberLexer.isHexDigit(byte) else { return false }
            state = remaining == 1 ? .string(isKey: isKey) : .unicode(isKey: isKey, remaining: remaining - 1)
            return true
        case .literal(let remaining):
            guard let first = remaining.first, first == byte else { return false }
            state = remaining.count == 1 ? afterValue() : .literal(remaining: Array(remaining.dropFirst()))
            return true
        case .number(let part):
            if let next = JSONNumberLexer.next(part, byte) { state = .number(next); return true }
            guard JSONNumberLexer.canEnd(part) else { return false }
            state = afterValue()
            return feed(byte)
        default:
            break
        }
        if let accepted = whitespace.accept(byte, allowed: state != .done) { return accepted }
        switch state {
        case .start:
            guard byte == UInt8(ascii: "{") else { return false }
            stack.append(.object)
            state = .keyOrObjectEnd
            return true
        case .value:
            return startValue(byte)
        case .valueOrArrayEnd:
            if byte == UInt8(ascii: "]") { return close(.array) }
            return startValue(byte)
        case .keyOrObjectEnd:
            if byte == UInt8(ascii: "}") { return close(.object) }
            fallthrough
        case .key:
            guard byte == UInt8(ascii: "\"") else { return false }
            state = .string(isKey: true)
            return true
        case .colon:
            guard byte == UInt8(ascii: ":") else { return false }
            state = .value
            return true
        case .commaOrEnd:
            guard let top = stack.last else { return false }
            if byte == UInt8(ascii: ",") { state = top == .object ? .key : .value; return true }
            if byte == UInt8(ascii: "}") { return close(.object) }
            if byte == UInt8(ascii: "]") { return close(.array) }
            return false
        default:
            return false
        }
    }

    /// The shortest text that closes what is open (strings, numbers, containers), so output cut
    /// off by `max_tokens` still parses; empty when the object is already complete.
    func closingSuffix() -> String {
        var suffix = ""
        var state = self.state
        switch state {
        case .escape(let isKey): suffix += "\\\""; state = isKey ? .colon : .commaOrEnd
        case .unicode(let isKey, let remaining): suffix += String(repeating: "0", count: remaining) + "\""; state = isKey ? .colon : .commaOrEnd
        case .string(let isKey): suffix += "\""; state = isKey ? .colon : .commaOrEnd
        case .literal(let remaining): suffix += String(decoding: remaining, as: UTF8.self); state = .commaOrEnd
        case .number(let part): if !JSONNumberLexer.canEnd(part) { suffix += "0" }; state = .commaOrEnd
        default: break
        }
        switch state {
        case .start: return "{}"
        case .key: suffix += "\"\":null"
        case .colon: suffix += ":null"
        case .value: suffix += "null"
        default: break
        }
        for container in stack.reversed() { suffix += container == .object ? "}" : "]" }
        return suffix
    }

    private mutating func startValue(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "{"): stack.append(.object); state = .keyOrObjectEnd
        case UInt8(ascii: "["): stack.append(.array); state = .valueOrArrayEnd
        case UInt8(ascii: "\""): state = .string(isKey: false)
        case UInt8(ascii: "t"): state = .literal(remaining: Array("rue".utf8))
        case UInt8(ascii: "f"): state = .literal(remaining: Array("alse".utf8))
        case UInt8(ascii: "n"): state = .literal(remaining: Array("ull".utf8))
        default:
            guard let part = JSONNumberLexer.start(byte) else { return false }
            state = .number(part)
        }
        return true
    }

    private mutating func close(_ container: Container) -> Bool {
        guard stack.last == container else { return false }
        stack.removeLast()
        state = afterValue()
        return true
    }

    private func afterValue() -> State { stack.isEmpty ? .done : .commaOrEnd }
}
