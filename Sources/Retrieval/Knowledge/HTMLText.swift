/// The visible text of an HTML page as paragraphs under their `<h1>`..`<h6>` headings: tags
/// dropped, `script`/`style`/`noscript`/`template` and comments skipped, block elements ending
/// paragraphs, character references decoded, whitespace collapsed. `<title>` (or the first `<h1>`)
/// names the document. A tolerant scanner, not a validating parser: broken markup still yields text.
enum HTMLText {
    static let blockTags: Set<String> = [
        "p", "div", "section", "article", "header", "footer", "main", "nav", "aside", "li", "ul", "ol", "br",
        "tr", "table", "blockquote", "pre", "dd", "dt", "dl", "figure", "figcaption", "hr", "form", "address",
        "h1", "h2", "h3", "h4", "h5", "h6", "td", "th",
    ]
    static let hiddenTags: Set<String> = ["script", "style", "noscript", "template", "svg", "head"]

    static func parse(_ html: String) -> ParsedDocument {
        let scalars = Array(html.unicodeScalars)
        var title = ""
        var headings: [(level: Int, text: String)] = []
        var blocks: [TextBlock] = []
        var text = String.UnicodeScalarView()
        var headingLevel: Int?
        var inTitle = false
        var titleText = ""
        var index = 0

        func flush() {
            let paragraph = collapse(String(text))
            text = String.UnicodeScalarView()
            guard !paragraph.isEmpty else { return }
            if let level = headingLevel {
                if title.isEmpty && level == 1 { title = paragraph }
                headings.removeAll { $0.level >= level }
                headings.append((level, paragraph))
            } else {
                blocks.append(TextBlock(headings: headings.map(\.text), text: paragraph))
            }
        }

        while index < scalars.count {
            let scalar = scalars[index]
            if scalar == "<" {
                if matches(scalars, index, "<!--") {
                    index = find(scalars, from: index + 4, "-->").map { $0 + 3 } ?? scalars.count
                    continue
                }
                guard let end = scalars[index...].firstIndex(of: ">") else { break }
                let (name, closing) = tagName(scalars[(index + 1)..<end])
                index = end + 1
                if !closing && hiddenTags.contains(name) {
                    if name == "head" {
                        // The head holds the title; everything else in it is invisible.
                        if let close = find(scalars, from: index, "</head") {
                            let head = String(String.UnicodeScalarView(scalars[index..<close]))
                            if let open = head.range(of: "<title", options: .caseInsensitive),
                               let start = head[open.upperBound...].firstIndex(of: ">"),
                               let stop = head.range(of: "</title", options: .caseInsensitive, range: start..<head.endIndex) {
                                titleText = collapse(decodeEntities(String(head[head.index(after: start)..<stop.lowerBound])))
                            }
                            index = close
                        }
                        continue
                    }
                    index = find(scalars, from: index, "</" + name).flatMap { close in
                        scalars[close...].firstIndex(of: ">").map { $0 + 1 }
                    } ?? scalars.count
                    continue
                }
                if name == "title" { inTitle = !closing; continue }
                if blockTags.contains(name) {
                    flush()
                    if name.count == 2, name.first == "h", let level = Int(String(name.dropFirst())) {
                        headingLevel = closing ? nil : level
                    }
                }
                continue
            }
            if inTitle { titleText.unicodeScalars.append(scalar) } else { text.append(scalar) }
            index += 1
        }
        flush()
        let decodedTitle = collapse(decodeEntities(titleText))
        let blocksDecoded = blocks.map { TextBlock(headings: $0.headings.map(decodeEntities), text: decodeEntities($0.text)) }
        return ParsedDocument(title: decodedTitle.isEmpty ? decodeEntities(title) : decodedTitle, blocks: blocksDecoded)
    }

    /// Lowercased element name and whether it is a closing tag.
    static func tagName(_ inside: ArraySlice<Unicode.Scalar>) -> (String, Bool) {
        var slice = inside
        let closing = slice.first == "/"
        if closing { slice = slice.dropFirst() }
        let name = slice.prefix { $0.properties.isAlphabetic || ("0"..."9").contains($0) }
        return (String(String.UnicodeScalarView(name)).lowercased(), closing)
    }

    static func matches(_ scalars: [Unicode.Scalar], _ index: Int, _ pattern: String) -> Bool {
        let pattern = Array(pattern.unicodeScalars)
        guard index + pattern.count <= scalars.count else { return false }
        for (offset, expected) in pattern.enumerated() where scalars[index + offset].properties.lowercaseMapping != String(expected) {
            return false
        }
        return true
    }

    /// Case-insensitive search for `pattern` from `index`.
    static func find(_ scalars: [Unicode.Scalar], from index: Int, _ pattern: String) -> Int? {
        var position = index
        while position < scalars.count {
            if matches(scalars, position, pattern) { return position }
            position += 1
        }
        return nil
    }

    /// Whitespace runs (newlines included) become one space.
    static func collapse(_ text: String) -> String {
        text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    static let entities: [String: String] = [
        "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": " ", "middot": "·", "hellip": "…",
        "mdash": "—", "ndash": "–", "lsquo": "‘", "rsquo": "’", "ldquo": "“", "rdquo": "”", "copy": "©", "reg": "®",
        "trade": "™", "bull": "•", "laquo": "«", "raquo": "»",
    ]

    /// `&amp;`, `&#39;`, `&#x27;` and the common named references.
    static func decodeEntities(_ text: String) -> String {
        guard text.contains("&") else { return text }
        var result = ""
        var rest = Substring(text)
        while let amp = rest.firstIndex(of: "&") {
            result += rest[..<amp]
            let after = rest[rest.index(after: amp)...]
            if let semicolon = after.prefix(10).firstIndex(of: ";") {
                let name = String(after[..<semicolon])
                var decoded: String?
                if name.hasPrefix("#x") || name.hasPrefix("#X") {
                    decoded = UInt32(name.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init).map { String($0) }
                } else if name.hasPrefix("#") {
                    decoded = UInt32(name.dropFirst()).flatMap(Unicode.Scalar.init).map { String($0) }
                } else {
                    decoded = entities[name]
                }
                if let decoded {
                    result += decoded
                    rest = after[after.index(after: semicolon)...]
                    continue
                }
            }
            result += "&"
            rest = after
        }
        return result + rest
    }
}
