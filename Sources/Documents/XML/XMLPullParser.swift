/// A small XML 1.0 pull parser for the parts of office documents: start tags with attributes,
/// end tags, text with the predefined and numeric character references decoded, CDATA; comments,
/// processing instructions and the XML declaration skipped. A DOCTYPE is refused, so no entity
/// can expand (no "billion laughs"). Input is UTF-8, as OOXML and OWPML parts are.
///
/// Errors name the byte offset in the part; the caller adds the file and the entry. Chosen over
/// Foundation's `XMLParser` so one parser behaves the same on Linux and macOS and never resolves
/// external entities.
struct XMLPullParser {
    enum Event: Equatable {
        case start(name: String, attributes: [XMLAttribute], selfClosing: Bool, offset: Int)
        case end(name: String, offset: Int)
        case text(String)
    }

    struct Failure: Error, Equatable {
        var offset: Int
        var message: String
    }

    private let bytes: [UInt8]
    private(set) var position = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { position = 3 }
    }

    /// The next event, or nil at the end of the input.
    mutating func next() throws(Failure) -> Event? {
        while position < bytes.count {
            if bytes[position] != UInt8(ascii: "<") { return .text(try text()) }
            let start = position
            guard position + 1 < bytes.count else { throw Failure(offset: start, message: "the part ends inside a tag") }
            switch bytes[position + 1] {
            case UInt8(ascii: "?"):
                try skip(past: Array("?>".utf8), what: "a processing instruction", from: start)
            case UInt8(ascii: "!"):
                if matches("<!--") {
                    try skip(past: Array("-->".utf8), what: "a comment", from: start)
                } else if matches("<![CDATA[") {
                    position += 9
                    let body = position
                    try skip(past: Array("]]>".utf8), what: "a CDATA section", from: start)
                    return .text(String(decoding: bytes[body..<(position - 3)], as: UTF8.self))
                } else {
                    throw Failure(offset: start, message: "a DOCTYPE or declaration, which office documents never need (refused so no entity can expand)")
                }
            case UInt8(ascii: "/"):
                position += 2
                let name = try self.name()
                skipSpace()
                guard position < bytes.count, bytes[position] == UInt8(ascii: ">") else {
                    throw Failure(offset: position, message: "expected '>' to close the end tag </\(name)>")
                }
                position += 1
                return .end(name: name, offset: start)
            default:
                position += 1
                let name = try self.name()
                var attributes: [XMLAttribute] = []
                while true {
                    let hadSpace = skipSpace()
                    guard position < bytes.count else { throw Failure(offset: start, message: "the part ends inside the tag <\(name)>") }
                    if bytes[position] == UInt8(ascii: ">") {
                        position += 1
                        return .start(name: name, attributes: attributes, selfClosing: false, offset: start)
                    }
                    if bytes[position] == UInt8(ascii: "/") {
                        guard position + 1 < bytes.count, bytes[position + 1] == UInt8(ascii: ">") else {
                            throw Failure(offset: position, message: "expected '/>' in the tag <\(name)>")
                        }
                        position += 2
                        return .start(name: name, attributes: attributes, selfClosing: true, offset: start)
                    }
                    guard hadSpace else { throw Failure(offset: position, message: "expected a space before an attribute of <\(name)>") }
                    attributes.append(try attribute(in: name))
                }
            }
        }
        return nil
    }

    private func matches(_ literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard bytes.count - position >= count else { return false }
        return literal.withUTF8Buffer { literal in
            for index in 0..<count where bytes[position + index] != literal[index] { return false }
            return true
        }
    }

    private mutating func skip(past terminator: [UInt8], what: String, from start: Int) throws(Failure) {
        var index = position
        while index + terminator.count <= bytes.count {
            if bytes[index] == terminator[0], bytes[index..<(index + terminator.count)].elementsEqual(terminator) {
                position = index + terminator.count
                return
            }
            index += 1
        }
        throw Failure(offset: start, message: "\(what) that never ends")
    }

    @discardableResult
    private mutating func skipSpace() -> Bool {
        let start = position
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x09, 0x0A, 0x0D: position += 1
            default: return position > start
            }
        }
        return position > start
    }

    private static func isNameByte(_ byte: UInt8) -> Bool {
        !(byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == UInt8(ascii: ">") || byte == UInt8(ascii: "/")
            || byte == UInt8(ascii: "=") || byte == UInt8(ascii: "<") || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'"))
    }

    private mutating func name() throws(Failure) -> String {
        let start = position
        while position < bytes.count, Self.isNameByte(bytes[position]) { position += 1 }
        guard position > start else { throw Failure(offset: start, message: "expected a name") }
        return String(decoding: bytes[start..<position], as: UTF8.self)
    }

    private mutating func attribute(in element: String) throws(Failure) -> XMLAttribute {
        let name = try self.name()
        skipSpace()
        guard position < bytes.count, bytes[position] == UInt8(ascii: "=") else {
            throw Failure(offset: position, message: "expected '=' after the attribute \(name) of <\(element)>")
        }
        position += 1
        skipSpace()
        guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") || bytes[position] == UInt8(ascii: "'") else {
            throw Failure(offset: position, message: "expected a quoted value for the attribute \(name) of <\(element)>")
        }
        let quote = bytes[position]
        position += 1
        let start = position
        while position < bytes.count, bytes[position] != quote {
            if bytes[position] == UInt8(ascii: "<") { throw Failure(offset: position, message: "'<' inside the value of the attribute \(name)") }
            position += 1
        }
        guard position < bytes.count else { throw Failure(offset: start - 1, message: "the value of the attribute \(name) never ends") }
        let value = try decode(start, position)
        position += 1
        return XMLAttribute(name: name, value: value)
    }

    private mutating func text() throws(Failure) -> String {
        let start = position
        while position < bytes.count, bytes[position] != UInt8(ascii: "<") { position += 1 }
        return try decode(start, position)
    }

    /// The text of `bytes[start..<end]` with character references decoded.
    private func decode(_ start: Int, _ end: Int) throws(Failure) -> String {
        guard bytes[start..<end].contains(UInt8(ascii: "&")) else { return String(decoding: bytes[start..<end], as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(end - start)
        var index = start
        while index < end {
            let byte = bytes[index]
            guard byte == UInt8(ascii: "&") else { out.append(byte); index += 1; continue }
            guard let semicolon = bytes[index..<min(end, index + 12)].firstIndex(of: UInt8(ascii: ";")) else {
                throw Failure(offset: index, message: "'&' that does not start a character reference")
            }
            let reference = String(decoding: bytes[(index + 1)..<semicolon], as: UTF8.self)
            let scalar: Unicode.Scalar?
            switch reference {
            case "lt": scalar = "<"
            case "gt": scalar = ">"
            case "amp": scalar = "&"
            case "quot": scalar = "\""
            case "apos": scalar = "'"
            default:
                if reference.hasPrefix("#x") || reference.hasPrefix("#X") {
                    scalar = UInt32(reference.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init)
                } else if reference.hasPrefix("#") {
                    scalar = UInt32(reference.dropFirst(), radix: 10).flatMap(Unicode.Scalar.init)
                } else {
                    throw Failure(offset: index, message: "unknown entity &\(reference); (only XML's five and numeric references are defined)")
                }
            }
            guard let scalar else { throw Failure(offset: index, message: "&\(reference); is not a Unicode character") }
            out.append(contentsOf: Array(String(scalar).utf8))
            index = semicolon + 1
        }
        return String(decoding: out, as: UTF8.self)
    }
}
