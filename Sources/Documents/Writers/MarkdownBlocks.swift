/// The Markdown that workflows write (a model's reply, a template's output) as blocks for the
/// DOCX and HWPX writers: ATX headings, paragraphs, `-`/`*`/`+` and `1.` list items (two spaces
/// or a tab of indent per level), pipe tables, fenced code kept as plain paragraphs; inline
/// `**bold**`, `*italic*`/`_italic_` and `` `code` `` become runs.
enum MarkdownBlocks {
    enum Block: Equatable {
        case heading(level: Int, runs: [Run])
        case paragraph([Run])
        case listItem(level: Int, ordered: Bool, runs: [Run])
        case table([[[Run]]])
    }

    struct Run: Equatable {
        var text: String
        var bold = false
        var italic = false
    }

    static func parse(_ markdown: String) -> [Block] {
        var blocks: [Block] = []
        var paragraph: [String] = []
        var table: [[[Run]]] = []
        var fence: [String]?
        func flush() {
            if !paragraph.isEmpty { blocks.append(.paragraph(runs(paragraph.joined(separator: " ")))); paragraph = [] }
            if !table.isEmpty { blocks.append(.table(table)); table = [] }
        }
        let lines = markdown.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false)
        for raw in lines {
            let line = String(raw)
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("```") || trimmed.hasPrefix("~~~") {
                if let code = fence {
                    for text in code { blocks.append(.paragraph([Run(text: text)])) }
                    fence = nil
                } else {
                    flush()
                    fence = []
                }
                continue
            }
            if fence != nil { fence?.append(line); continue }
            if trimmed.isEmpty { flush(); continue }
            if trimmed.hasPrefix("|") {
                if !paragraph.isEmpty { flush() }
                let cells = trimmed.dropFirst().split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
                let body = trimmed.hasSuffix("|") ? Array(cells.dropLast()) : cells
                if body.allSatisfy({ !$0.isEmpty && $0.allSatisfy { "-:".contains($0) } }) { continue }  // the |---| rule
                table.append(body.map { runs($0.replacingOccurrences(of: "\\|", with: "|")) })
                continue
            }
            if !table.isEmpty { flush() }
            let hashes = trimmed.prefix { $0 == "#" }.count
            if (1...6).contains(hashes), trimmed.dropFirst(hashes).first == " " {
                flush()
                blocks.append(.heading(level: hashes, runs: runs(trimmed.dropFirst(hashes).trimmingCharacters(in: .whitespaces))))
                continue
            }
            if let item = listItem(line) {
                flush()
                blocks.append(.listItem(level: item.level, ordered: item.ordered, runs: runs(item.text)))
                continue
            }
            paragraph.append(trimmed)
        }
        if let code = fence { for text in code { blocks.append(.paragraph([Run(text: text)])) } }
        flush()
        return blocks
    }

    /// A list item line: its level (from the indent), kind and text.
    static func listItem(_ line: String) -> (level: Int, ordered: Bool, text: String)? {
        var indent = 0
        for character in line {
            if character == " " { indent += 1 } else if character == "\t" { indent += 2 } else { break }
        }
        let rest = line.drop { $0 == " " || $0 == "\t" }
        let level = indent / 2 + 1
        if let marker = rest.first, "-*+".contains(marker), rest.dropFirst().first == " " {
            return (level, false, rest.dropFirst(2).trimmingCharacters(in: .whitespaces))
        }
        let digits = rest.prefix { $0.isASCII && $0.isNumber }
        if !digits.isEmpty, digits.count <= 9 {
            let after = rest.dropFirst(digits.count)
            if let dot = after.first, dot == "." || dot == ")", after.dropFirst().first == " " {
                return (level, true, after.dropFirst(2).trimmingCharacters(in: .whitespaces))
            }
        }
        return nil
    }

    /// Inline emphasis as runs; unmatched markers stay as text.
    static func runs(_ text: String) -> [Run] {
        var runs: [Run] = []
        var current = ""
        var bold = false, italic = false
        let characters = Array(text)
        var index = 0
        func emit() {
            if !current.isEmpty { runs.append(Run(text: current, bold: bold, italic: italic)); current = "" }
        }
        func closes(_ marker: String, from start: Int) -> Bool {
            let needle = Array(marker)
            var position = start
            while position + needle.count <= characters.count {
                if Array(characters[position..<(position + needle.count)]) == needle { return true }
                position += 1
            }
            return false
        }
        while index < characters.count {
            let character = characters[index]
            if character == "\\", index + 1 < characters.count, "*_`\\|#".contains(characters[index + 1]) {
                current.append(characters[index + 1])
                index += 2
                continue
            }
            if character == "*", index + 1 < characters.count, characters[index + 1] == "*", bold || closes("**", from: index + 2) {
                emit()
                bold.toggle()
                index += 2
                continue
            }
            if (character == "*" || character == "_"), italic || closes(String(character), from: index + 1) {
                let previous = index > 0 ? characters[index - 1] : " "
                // An underscore inside a word (snake_case) is text.
                if character == "_", previous.isLetter || previous.isNumber, !italic { current.append(character); index += 1; continue }
                emit()
                italic.toggle()
                index += 1
                continue
            }
            if character == "`", let end = characters[(index + 1)...].firstIndex(of: "`") {
                emit()
                runs.append(Run(text: String(characters[(index + 1)..<end])))
                index = end + 1
                continue
            }
            current.append(character)
            index += 1
        }
        emit()
        return runs
    }
}
