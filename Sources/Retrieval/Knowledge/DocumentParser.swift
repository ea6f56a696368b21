import Foundation

/// A paragraph of visible text and the headings it sits under.
public struct TextBlock: Sendable, Equatable {
    /// Heading path, outermost first (`["Brand guide", "Tone"]`); empty before the first heading.
    public var headings: [String]
    public var text: String

    public init(headings: [String], text: String) {
        self.headings = headings
        self.text = text
    }
}

/// A document reduced to its title and paragraphs, ready for chunking.
public struct ParsedDocument: Sendable, Equatable {
    public var title: String
    public var blocks: [TextBlock]
    /// Blocks are records (CSV rows, JSONL objects): each becomes its own chunk rather than being
    /// packed with its neighbours, so one record's answer is not diluted by unrelated ones.
    public var blocksAreRecords = false

    public init(title: String, blocks: [TextBlock], blocksAreRecords: Bool = false) {
        self.title = title
        self.blocks = blocks
        self.blocksAreRecords = blocksAreRecords
    }
}

/// Turns the supported file types into paragraphs: `.txt`, `.md`/`.markdown`, `.html`/`.htm`
/// (visible text only), `.csv` (a row per paragraph, as `column: value` pairs) and `.jsonl`
/// (an object per paragraph). Errors name the file and, where there is one, the line.
public enum DocumentParser {
    public static let supportedExtensions: Set<String> = Set(["txt", "md", "markdown", "html", "htm", "csv", "jsonl"]).union(documentExtensions)

    /// Parses UTF-8 `text` of the file at `path` (the extension picks the format).
    public static func parse(_ text: String, path: String) throws(RetrievalError) -> ParsedDocument {
        let fallbackTitle = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        let normalized = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        var document: ParsedDocument
        switch URL(fileURLWithPath: path).pathExtension.lowercased() {
        case "md", "markdown": document = markdown(normalized)
        case "html", "htm": document = HTMLText.parse(normalized)
        case "csv": document = try csv(normalized, path: path)
        case "jsonl": document = try jsonl(normalized, path: path)
        default: document = plain(normalized)
        }
        document.blocks = document.blocks.compactMap { block in
            let text = block.text.trimmingCharacters(in: .whitespacesAndNewlines)
            return text.isEmpty ? nil : TextBlock(headings: block.headings, text: text)
        }
        if document.title.isEmpty { document.title = fallbackTitle }
        return document
    }

    /// Paragraphs separated by blank lines; the first line is the title when it is short.
    static func plain(_ text: String) -> ParsedDocument {
        let paragraphs = paragraphs(text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init))
        let first = paragraphs.first ?? ""
        let title = !first.contains("\n") && first.count <= 80 ? first : ""
        return ParsedDocument(title: title, blocks: paragraphs.map { TextBlock(headings: [], text: $0) })
    }

    /// ATX headings (`#`..`######`) open sections; paragraphs by blank lines; fenced code kept whole.
    static func markdown(_ text: String) -> ParsedDocument {
        var title = ""
        var headings: [(level: Int, text: String)] = []
        var blocks: [TextBlock] = []
        var lines: [String] = []
        var inFence = false
        func flush() {
            for paragraph in paragraphs(lines) { blocks.append(TextBlock(headings: headings.map(\.text), text: paragraph)) }
            lines = []
        }
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("```") || trimmed.hasPrefix("~~~") { inFence.toggle(); lines.append(line); continue }
            if !inFence, let level = headingLevel(trimmed) {
                flush()
                let heading = trimmed.drop(while: { $0 == "#" }).trimmingCharacters(in: .whitespaces)
                    .trimmingCharacters(in: CharacterSet(charactersIn: "#")).trimmingCharacters(in: .whitespaces)
                if title.isEmpty && level == 1 { title = heading }
                headings.removeAll { $0.level >= level }
                headings.append((level, heading))
                continue
            }
            lines.append(line)
        }
        flush()
        return ParsedDocument(title: title, blocks: blocks)
    }

    static func headingLevel(_ line: String) -> Int? {
        let hashes = line.prefix(while: { $0 == "#" }).count
        guard (1...6).contains(hashes) else { return nil }
        let rest = line.dropFirst(hashes)
        return rest.isEmpty || rest.first == " " || rest.first == "\t" ? hashes : nil
    }

    /// Groups lines into paragraphs at blank lines, keeping single line breaks inside.
    static func paragraphs(_ lines: [String]) -> [String] {
        var result: [String] = []
        var current: [String] = []
        for line in lines {
            if line.trimmingCharacters(in: .whitespaces).isEmpty {
                if !current.isEmpty { result.append(current.joined(separator: "\n")); current = [] }
            } else {
                current.append(line)
            }
        }
        if !current.isEmpty { result.append(current.joined(separator: "\n")) }
        return result
    }

    /// The first row names the columns; every later row becomes `name: value; name: value`.
    static func csv(_ text: String, path: String) throws(RetrievalError) -> ParsedDocument {
        let rows = try CSVReader.rows(text, path: path)
        guard let header = rows.first else { return ParsedDocument(title: "", blocks: []) }
        let blocks = rows.dropFirst().map { row in
            TextBlock(headings: [], text: zip(header, row).filter { !$0.1.isEmpty }.map { "\($0): \($1)" }.joined(separator: "; "))
        }
        return ParsedDocument(title: "", blocks: blocks, blocksAreRecords: true)
    }

    /// One JSON object per line; its string, number and boolean fields become `key: value` lines
    /// (a `title` field names the document when it is the first line's). A chat-format line
    /// (`{"messages": [{"role": ..., "content": ...}]}`, what `baton train lora` reads) becomes
    /// its `role: content` lines, so approved examples can be searched too.
    static func jsonl(_ text: String, path: String) throws(RetrievalError) -> ParsedDocument {
        var blocks: [TextBlock] = []
        var title = ""
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            guard !line.trimmingCharacters(in: .whitespaces).isEmpty else { continue }
            guard let object = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any] else {
                throw RetrievalError("\(path):\(index + 1): error: not a JSON object")
            }
            let turns = (object["messages"] as? [[String: Any]] ?? []).compactMap { message -> String? in
                guard let content = message["content"] as? String else { return nil }
                return "\(message["role"] as? String ?? "message"): \(content)"
            }
            let fields = turns + object.keys.sorted().compactMap { key -> String? in
                switch object[key] {
                case let string as String: return "\(key): \(string)"
                case let number as NSNumber: return "\(key): \(number)"
                default: return nil
                }
            }
            if index == 0, let first = object["title"] as? String { title = first }
            blocks.append(TextBlock(headings: [], text: fields.joined(separator: "\n")))
        }
        return ParsedDocument(title: title, blocks: blocks, blocksAreRecords: true)
    }
}
