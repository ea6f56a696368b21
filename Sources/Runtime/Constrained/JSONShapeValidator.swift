import Template

/// Decides byte by byte whether text is still the beginning of a JSON value of a given
/// `JSONShape`: object members are the shape's keys, all of them, in order; values have the
/// member's type (an integer has no fraction, an enumeration is one of its strings, a nullable
/// member may be `null`). The token mask uses it so that a small model can only write JSON
/// that the `extract` step's validation accepts.
///
/// A pushdown automaton like `JSONPrefixValidator`: a stack of open containers, each knowing
/// its shape, and the lexical state. Whitespace between tokens is capped tighter (a newline and
/// an indent): a small model wanders through blank lines when the value it wants is forbidden,
/// and every wasted token is one fewer for the answer.
struct JSONShapeValidator: JSONByteValidator {
    private enum Frame: Sendable, Equatable {
        /// `next`: the index of the member being written or to write next.
        case object(fields: [JSONShape.Field], next: Int)
        case array(item: JSONShape)
    }

    private enum State: Sendable, Equatable {
        case value(JSONShape, nullable: Bool)   // a value of this shape must start
        case arrayStart(JSONShape)              // right after '[': an item or ']'
        case arrayNext                          // after an item: ',' or ']'
        case memberStart                        // the next key's opening quote
        case memberEnd                          // after a member: ',' (more keys) or '}' (none left)
        case key(remaining: [UInt8])            // the rest of the key and its closing quote
        case colon
        case string
        case escape
        case unicode(remaining: Int)
        case enumeration(candidates: [[UInt8]], matched: Int)
        case number(JSONNumberLexer.Part, integerOnly: Bool)
        case literal(remaining: [UInt8])
        case done
    }

    private var stack: [Frame] = []
    private var state: State
    static let maxWhitespaceRun = 6
    private var whitespace = JSONWhitespaceRun(maximum: JSONShapeValidator.maxWhitespaceRun)

    init(shape: JSONShape) {
        state = .value(shape, nullable: false)
    }

    /// Whether the top-level value is complete (only the end may follow).
    var isComplete: Bool { state == .done }

    mutating func feed(_ byte: UInt8) -> Bool {
        switch state {
        case .string:
            if byte == UInt8(ascii: "\"") { return finishValue() }
            if byte == UInt8(ascii: "\\") { state = .escape; return true }
            return byte >= 0x20
        case .escape:
            if byte == UInt8(ascii: "u") { state = .unicode(remaining: 4); return true }
            guard "\"\\/bfnrt".utf8.contains(byte) else { return false }
            state = .string
            return true
        case .unicode(let remaining):
            guard JSONNumberLexer.isHexDigit(byte) else { return false }
            state = remaining == 1 ? .string : .unicode(remaining: remaining - 1)
            return true
        case .enumeration(let candidates, let matched):
            if byte == UInt8(ascii: "\"") {
                return candidates.contains { $0.count == matched } ? finishValue() : false
            }
            let left = candidates.filter { $0.count > matched && $0[matched] == byte }
            guard !left.isEmpty else { return false }
            state = .enumeration(candidates: left, matched: matched + 1)
            return true
        case .key(let remaining):
            guard let first = remaining.first, first == byte else { return false }
            state = remaining.count == 1 ? .colon : .key(remaining: Array(remaining.dropFirst()))
            return true
        case .literal(let remaining):
            guard let first = remaining.first, first == byte else { return false }
            if remaining.count == 1 { return finishValue() }
            state = .literal(remaining: Array(remaining.dropFirst()))
            return true
        case .number(let part, let integerOnly):
            if let next = JSONNumberLexer.next(part, byte, integerOnly: integerOnly) {
                state = .number(next, integerOnly: integerOnly)
                return true
            }
            guard JSONNumberLexer.canEnd(part), finishValue() else { return false }
            return feed(byte)
        default:
            break
        }
        if let accepted = whitespace.accept(byte, allowed: state != .done) { return accepted }
        switch state {
        case .value(let shape, let nullable):
            return startValue(shape, nullable: nullable, byte)
        case .arrayStart(let item):
            if byte == UInt8(ascii: "]") { return close() }
            return startValue(item, nullable: false, byte)
        case .arrayNext:
            if byte == UInt8(ascii: "]") { return close() }
            guard byte == UInt8(ascii: ","), case .array(let item)? = stack.last else { return false }
            state = .value(item, nullable: false)
            return true
        case .memberStart:
            guard byte == UInt8(ascii: "\""), case .object(let fields, let next)? = stack.last, next < fields.count else { return false }
            state = .key(remaining: JSONShape.escapedBytes(fields[next].name) + [UInt8(ascii: "\"")])
            return true
        case .memberEnd:
            guard case .object(let fields, let next)? = stack.last else { return false }
            if next < fields.count {
                guard byte == UInt8(ascii: ",") else { return false }
                state = .memberStart
                return true
            }
            return byte == UInt8(ascii: "}") ? close() : false
        case .colon:
            guard byte == UInt8(ascii: ":"), case .object(let fields, let next)? = stack.last else { return false }
            state = .value(fields[next].schema, nullable: fields[next].optional)
            return true
        default:
            return false
        }
    }

    /// The shortest text that closes what is open, so output cut off by `max_tokens` still
    /// parses: the open token finished, `null` where a value is due, the containers closed.
    /// Members not yet written stay missing (the step's validation then names them).
    func closingSuffix() -> String {
        var suffix: [UInt8] = []
        var needsValue = false
        switch state {
        case .string: suffix += Array("\"".utf8)
        case .escape: suffix += Array("\\\"".utf8)
        case .unicode(let remaining): suffix += Array(String(repeating: "0", count: remaining).utf8) + [UInt8(ascii: "\"")]
        case .enumeration(let candidates, let matched): suffix += (candidates.first.map { Array($0[matched...]) } ?? []) + [UInt8(ascii: "\"")]
        case .literal(let remaining): suffix += remaining
        case .number(let part, _): if !JSONNumberLexer.canEnd(part) { suffix += Array("0".utf8) }
        case .key(let remaining): suffix += remaining + [UInt8(ascii: ":")]; needsValue = true
        case .colon: suffix += Array(":".utf8); needsValue = true
        case .value: needsValue = true
        case .memberStart:
            if case .object(let fields, let next)? = stack.last, next < fields.count {
                suffix += [UInt8(ascii: "\"")] + JSONShape.escapedBytes(fields[next].name) + Array("\":".utf8)
                needsValue = true
            }
        case .arrayStart, .arrayNext, .memberEnd, .done: break
        }
        if needsValue { suffix += Array("null".utf8) }
        for frame in stack.reversed() {
            if case .object = frame { suffix.append(UInt8(ascii: "}")) } else { suffix.append(UInt8(ascii: "]")) }
        }
        return String(decoding: suffix, as: UTF8.self)
    }

    private mutating func startValue(_ shape: JSONShape, nullable: Bool, _ byte: UInt8) -> Bool {
        if nullable && byte == UInt8(ascii: "n") { state = .literal(remaining: Array("ull".utf8)); return true }
        switch shape {
        case .string:
            guard byte == UInt8(ascii: "\"") else { return false }
            state = .string
        case .enumeration(let values):
            guard byte == UInt8(ascii: "\"") else { return false }
            state = .enumeration(candidates: values.map(JSONShape.escapedBytes), matched: 0)
        case .number, .integer:
            guard let part = JSONNumberLexer.start(byte) else { return false }
            state = .number(part, integerOnly: shape == .integer)
        case .boolean:
            switch byte {
            case UInt8(ascii: "t"): state = .literal(remaining: Array("rue".utf8))
            case UInt8(ascii: "f"): state = .literal(remaining: Array("alse".utf8))
            default: return false
            }
        case .list(let item):
            guard byte == UInt8(ascii: "[") else { return false }
            stack.append(.array(item: item))
            state = .arrayStart(item)
        case .object(let fields):
            guard byte == UInt8(ascii: "{") else { return false }
            stack.append(.object(fields: fields, next: 0))
            state = fields.isEmpty ? .memberEnd : .memberStart
        }
        return true
    }

    /// A value just ended: move to what its container expects next.
    private mutating func finishValue() -> Bool {
        switch stack.last {
        case nil:
            state = .done
        case .object(let fields, let next)?:
            stack[stack.count - 1] = .object(fields: fields, next: next + 1)
            state = .memberEnd
        case .array?:
            state = .arrayNext
        }
        return true
    }

    private mutating func close() -> Bool {
        guard !stack.isEmpty else { return false }
        stack.removeLast()
        return finishValue()
    }
}
