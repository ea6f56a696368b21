/// Splits template source into tokens: text between tags, tag delimiters, and expression tokens.
///
/// Follows jinja2's lexer with its default settings: newlines normalized to `\n`, one trailing
/// newline dropped (`keep_trailing_newline=False`), `trim_blocks` and `lstrip_blocks` off, and
/// `-` on a delimiter stripping all whitespace (newlines included) on that side; `trim_blocks`
/// and `lstrip_blocks` can be turned on (chat templates are rendered with both, as transformers
/// and llama-cpp-python do). Inside a tag,
/// `}}` and `%}` only close it when no bracket is open, so `{{ {'a': {'b': 1}} }}` works.
struct Lexer {
    private let scalars: [Unicode.Scalar]
    private let name: String
    private var position = 0
    private var line = 1
    private var lineStart = 0
    private(set) var tokens: [Token] = []
    private let options: Template.Options

    init(source: String, name: String, options: Template.Options = Template.Options()) {
        self.options = options
        var normalized: [Unicode.Scalar] = []
        normalized.reserveCapacity(source.unicodeScalars.count)
        var iterator = source.unicodeScalars.makeIterator()
        var pendingCR = false
        while let scalar = iterator.next() {
            if pendingCR {
                pendingCR = false
                if scalar == "\n" { continue }
            }
            if scalar == "\r" {
                normalized.append("\n")
                pendingCR = true
            } else {
                normalized.append(scalar)
            }
        }
        if normalized.last == "\n" { normalized.removeLast() }
        self.scalars = normalized
        self.name = name
    }

    /// Tokenizes the whole source.
    static func tokenize(_ source: String, name: String, options: Template.Options = Template.Options()) throws(TemplateError) -> [Token] {
        var lexer = Lexer(source: source, name: name, options: options)
        try lexer.run()
        return lexer.tokens
    }

    private var location: SourceLocation { SourceLocation(line: line, column: position - lineStart + 1) }

    private func error(_ message: String, at location: SourceLocation) -> TemplateError {
        TemplateError(name: name, line: location.line, column: location.column, message: message)
    }

    private func peek(_ offset: Int = 0) -> Unicode.Scalar? {
        let index = position + offset
        return index < scalars.count ? scalars[index] : nil
    }

    private func matches(_ text: String, at offset: Int = 0) -> Bool {
        var index = position + offset
        for scalar in text.unicodeScalars {
            guard index < scalars.count, scalars[index] == scalar else { return false }
            index += 1
        }
        return true
    }

    /// Moves forward `count` scalars, keeping the line bookkeeping.
    private mutating func advance(_ count: Int = 1) {
        for _ in 0..<count where position < scalars.count {
            if scalars[position] == "\n" {
                line += 1
                lineStart = position + 1
            }
            position += 1
        }
    }

    private mutating func run() throws(TemplateError) {
        var stripNextText = false
        // trim_blocks: the first newline after a block or comment tag is dropped.
        var trimNewline = false
        while position < scalars.count {
            // Find the next tag opening.
            var scan = position
            var opener: Unicode.Scalar?
            while scan + 1 < scalars.count {
                if scalars[scan] == "{", scalars[scan + 1] == "{" || scalars[scan + 1] == "%" || scalars[scan + 1] == "#" {
                    opener = scalars[scan + 1]
                    break
                }
                scan += 1
            }
            let textEnd = opener == nil ? scalars.count : scan
            let stripBefore = opener != nil && scan + 2 < scalars.count && scalars[scan + 2] == "-"
            var start = position
            var end = textEnd
            if stripNextText { while start < end, scalars[start].properties.isWhitespace { start += 1 } }
            if trimNewline, !stripNextText, start < end, scalars[start] == "\n" { start += 1 }
            if stripBefore { while end > start, scalars[end - 1].properties.isWhitespace { end -= 1 } }
            if let opener, opener != "{", !stripBefore, options.lstripBlocks, scan + 2 >= scalars.count || scalars[scan + 2] != "+" {
                end = lstripEnd(start: start, end: end)
            }
            if start < end {
                var text = String.UnicodeScalarView()
                text.append(contentsOf: scalars[start..<end])
                tokens.append(Token(kind: .text(String(text)), location: location))
            }
            advance(textEnd - position)
            guard let opener else { break }
            let tagLocation = location
            let markerLength = (stripBefore || (peek(2) == "+")) ? 3 : 2
            switch opener {
            case "#":
                stripNextText = try skipComment(from: tagLocation, markerLength: markerLength)
                trimNewline = options.trimBlocks && !closedWithPlus
            case "%":
                if try lexRaw(markerLength: markerLength, stripNext: &stripNextText) {
                    trimNewline = options.trimBlocks && !closedWithPlus
                    continue
                }
                advance(markerLength)
                tokens.append(Token(kind: .blockBegin, location: tagLocation))
                stripNextText = try lexTagBody(closer: "%", opened: tagLocation)
                trimNewline = options.trimBlocks && !closedWithPlus
            default:
                advance(markerLength)
                tokens.append(Token(kind: .variableBegin, location: tagLocation))
                stripNextText = try lexTagBody(closer: "}", opened: tagLocation)
                trimNewline = false
            }
        }
        tokens.append(Token(kind: .end, location: location))
    }

    /// Whether the tag just lexed was closed with `+%}`/`+#}` (which keeps the newline).
    private var closedWithPlus: Bool {
        position >= 3 && scalars[position - 3] == "+"
    }

    /// lstrip_blocks: spaces and tabs between the start of a line and a block or comment tag are
    /// removed (jinja2 strips them only when nothing else precedes the tag on its line).
    private func lstripEnd(start: Int, end: Int) -> Int {
        var lineBegin = end
        while lineBegin > start, scalars[lineBegin - 1] != "\n" { lineBegin -= 1 }
        let atLineStart = lineBegin > start || lineBegin == 0 || scalars[lineBegin - 1] == "\n"
        guard atLineStart, lineBegin < end else { return end }
        for index in lineBegin..<end where !scalars[index].properties.isWhitespace { return end }
        return lineBegin
    }

    /// Skips `{# ... #}`; returns whether it ended with `-#}`.
    private mutating func skipComment(from opened: SourceLocation, markerLength: Int) throws(TemplateError) -> Bool {
        advance(markerLength)
        while position < scalars.count {
            if matches("-#}") { advance(3); return true }
            if matches("#}") { advance(2); return false }
            advance()
        }
        throw error("unterminated comment: '{#' is never closed with '#}'", at: opened)
    }

    /// Handles `{% raw %}...{% endraw %}` verbatim; returns false when the tag is not `raw`.
    private mutating func lexRaw(markerLength: Int, stripNext: inout Bool) throws(TemplateError) -> Bool {
        var index = position + markerLength
        func skipSpaces() { while index < scalars.count, scalars[index] == " " || scalars[index] == "\t" || scalars[index] == "\n" { index += 1 } }
        skipSpaces()
        guard index + 3 <= scalars.count, String(String.UnicodeScalarView(scalars[index..<index + 3])) == "raw" else { return false }
        index += 3
        skipSpaces()
        var stripInside = false
        if index < scalars.count, scalars[index] == "-" { stripInside = true; index += 1 }
        guard index + 1 < scalars.count, scalars[index] == "%", scalars[index + 1] == "}" else { return false }
        let opened = location
        advance(index + 2 - position)
        // Find {% endraw %}.
        var scan = position
        while scan + 1 < scalars.count {
            if scalars[scan] == "{", scalars[scan + 1] == "%" {
                var i = scan + 2
                var stripBefore = false
                if i < scalars.count, scalars[i] == "-" || scalars[i] == "+" { stripBefore = scalars[i] == "-"; i += 1 }
                while i < scalars.count, scalars[i] == " " || scalars[i] == "\t" || scalars[i] == "\n" { i += 1 }
                if i + 6 <= scalars.count, String(String.UnicodeScalarView(scalars[i..<i + 6])) == "endraw" {
                    i += 6
                    while i < scalars.count, scalars[i] == " " || scalars[i] == "\t" || scalars[i] == "\n" { i += 1 }
                    var stripAfter = false
                    if i < scalars.count, scalars[i] == "-" { stripAfter = true; i += 1 }
                    if i + 1 < scalars.count, scalars[i] == "%", scalars[i + 1] == "}" {
                        var start = position
                        var end = scan
                        if stripInside { while start < end, scalars[start].properties.isWhitespace { start += 1 } }
                        if stripBefore { while end > start, scalars[end - 1].properties.isWhitespace { end -= 1 } }
                        if start < end {
                            tokens.append(Token(kind: .text(String(String.UnicodeScalarView(scalars[start..<end]))), location: location))
                        }
                        advance(i + 2 - position)
                        stripNext = stripAfter
                        return true
                    }
                }
            }
            scan += 1
        }
        throw error("unterminated '{% raw %}': missing '{% endraw %}'", at: opened)
    }

    /// Lexes expression tokens up to the closing `}}` or `%}`; returns whether it was `-}}`/`-%}`.
    private mutating func lexTagBody(closer: Unicode.Scalar, opened: SourceLocation) throws(TemplateError) -> Bool {
        var depth = 0
        let endKind: Token.Kind = closer == "}" ? .variableEnd : .blockEnd
        let opening = closer == "}" ? "{{" : "{%"
        let closing = closer == "}" ? "}}" : "%}"
        while true {
            while let c = peek(), c == " " || c == "\t" || c == "\n" { advance() }
            guard let c = peek() else {
                throw error("unterminated '\(opening)': expected '\(closing)' before the end of the template", at: opened)
            }
            let here = location
            if depth == 0 {
                if c == "-", peek(1) == closer, peek(2) == "}" {
                    advance(3)
                    tokens.append(Token(kind: endKind, location: here))
                    return true
                }
                if c == "+", peek(1) == closer, peek(2) == "}" {
                    advance(3)
                    tokens.append(Token(kind: endKind, location: here))
                    return false
                }
                if c == closer, peek(1) == "}" {
                    advance(2)
                    tokens.append(Token(kind: endKind, location: here))
                    return false
                }
            }
            if c == "{" && (peek(1) == "{" || peek(1) == "%") && depth == 0 {
                throw error("unterminated '\(opening)': expected '\(closing)' before the next tag", at: opened)
            }
            if c == "_" || c.properties.isAlphabetic {
                var text = String.UnicodeScalarView()
                while let n = peek(), n == "_" || n.properties.isAlphabetic || n.properties.numericType != nil {
                    text.append(n)
                    advance()
                }
                tokens.append(Token(kind: .name(String(text)), location: here))
            } else if ("0"..."9").contains(c) {
                tokens.append(Token(kind: try lexNumber(), location: here))
            } else if c == "'" || c == "\"" {
                tokens.append(Token(kind: .string(try lexString(quote: c)), location: here))
            } else {
                let two = peek(1).map { String(c) + String($0) } ?? ""
                if ["//", "**", "==", "!=", "<=", ">="].contains(two) {
                    advance(2)
                    tokens.append(Token(kind: .op(two), location: here))
                } else if "+-*/%~()[]{},.:|=<>;".unicodeScalars.contains(c) {
                    if c == "(" || c == "[" || c == "{" { depth += 1 }
                    if c == ")" || c == "]" || c == "}" { depth = max(0, depth - 1) }
                    advance()
                    tokens.append(Token(kind: .op(String(c)), location: here))
                } else {
                    throw error("unexpected character '\(c)'", at: here)
                }
            }
        }
    }

    private mutating func lexNumber() throws(TemplateError) -> Token.Kind {
        let here = location
        var text = ""
        func digits(_ lexer: inout Lexer) {
            while let d = lexer.peek(), ("0"..."9").contains(d) || (d == "_" && lexer.peek(1).map { ("0"..."9").contains($0) } == true) {
                if d != "_" { text.unicodeScalars.append(d) }
                lexer.advance()
            }
        }
        digits(&self)
        var isFloat = false
        if peek() == ".", let next = peek(1), ("0"..."9").contains(next) {
            isFloat = true
            text += "."
            advance()
            digits(&self)
        }
        if let e = peek(), e == "e" || e == "E" {
            var offset = 1
            if let sign = peek(1), sign == "+" || sign == "-" { offset = 2 }
            if let d = peek(offset), ("0"..."9").contains(d) {
                isFloat = true
                text += "e"
                if offset == 2, let sign = peek(1) { text.unicodeScalars.append(sign) }
                advance(offset)
                digits(&self)
            }
        }
        if isFloat {
            guard let value = Double(text) else { throw error("invalid number '\(text)'", at: here) }
            return .float(value)
        }
        guard let value = Int(text) else { throw error("integer '\(text)' is too large", at: here) }
        return .int(value)
    }

    /// A string literal with Python's escapes (`\n`, `\t`, `\xhh`, `\uXXXX`, ...).
    private mutating func lexString(quote: Unicode.Scalar) throws(TemplateError) -> String {
        let here = location
        advance()
        var out = String.UnicodeScalarView()
        while true {
            guard let c = peek() else { throw error("unterminated string literal", at: here) }
            advance()
            if c == quote { break }
            if c != "\\" { out.append(c); continue }
            guard let e = peek() else { throw error("unterminated string literal", at: here) }
            advance()
            switch e {
            case "n": out.append("\n")
            case "t": out.append("\t")
            case "r": out.append("\r")
            case "\\": out.append("\\")
            case "'": out.append("'")
            case "\"": out.append("\"")
            case "a": out.append("\u{07}")
            case "b": out.append("\u{08}")
            case "f": out.append("\u{0C}")
            case "v": out.append("\u{0B}")
            case "\n": break
            case "0"..."7":
                var code = Int(e.value - 48)
                var taken = 1
                while taken < 3, let d = peek(), ("0"..."7").contains(d) { code = code * 8 + Int(d.value - 48); advance(); taken += 1 }
                if let s = Unicode.Scalar(code) { out.append(s) }
            case "x", "u", "U":
                let width = e == "x" ? 2 : (e == "u" ? 4 : 8)
                var code: UInt32 = 0
                for _ in 0..<width {
                    guard let d = peek(), let v = d.properties.numericType != nil || ("a"..."f").contains(d) || ("A"..."F").contains(d) ? UInt32(String(d), radix: 16) : nil else {
                        throw error("truncated \\\(e) escape in string literal", at: here)
                    }
                    code = code * 16 + v
                    advance()
                }
                guard let s = Unicode.Scalar(code) else { throw error("invalid \\\(e) escape in string literal", at: here) }
                out.append(s)
            default:
                out.append("\\")
                out.append(e)
            }
        }
        return String(out)
    }
}
