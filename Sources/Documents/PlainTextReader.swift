/// Text, Markdown, CSV and HTML files: decoded (UTF-8 with or without a byte-order mark) and split
/// into paragraphs at blank lines; Markdown `#` lines become headings.
struct PlainTextReader: DocumentFormatReader {
    var formats: [DocumentFormat] { [.text, .markdown, .csv, .html] }

    func read(_ bytes: [UInt8], file: String, limits: DocumentLimits) throws(DocumentError) -> DocumentText {
        let decoded = try TextDecoding.decode(bytes, file: file)
        let format = DocumentFormat(extension: (file as NSString).pathExtension) ?? .text
        var blocks: [DocumentBlock] = []
        var paragraph: [Substring] = []
        var index = 0
        func flush() {
            guard !paragraph.isEmpty else { return }
            index += 1
            blocks.append(DocumentBlock(.paragraph(paragraph.joined(separator: "\n")), at: DocumentPosition(paragraph: index)))
            paragraph = []
        }
        for line in decoded.text.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { flush(); continue }
            if format == .markdown, let level = Self.headingLevel(trimmed) {
                flush()
                index += 1
                let text = trimmed.drop(while: { $0 == "#" }).trimmingCharacters(in: .whitespaces)
                blocks.append(DocumentBlock(.heading(level: level, text: text), at: DocumentPosition(paragraph: index)))
                continue
            }
            paragraph.append(line.last == "\r" ? line.dropLast() : line)
        }
        flush()
        let title = blocks.first.flatMap { if case .heading(_, let text) = $0.kind { return text } else { return nil } }
        return DocumentText(title: title, blocks: blocks, format: format, encoding: decoded.encoding)
    }

    /// The level of a Markdown ATX heading (`## Title` is 2), or nil.
    static func headingLevel(_ line: String) -> Int? {
        let hashes = line.prefix(while: { $0 == "#" }).count
        guard (1...6).contains(hashes), line.count == hashes || line.dropFirst(hashes).first == " " else { return nil }
        return hashes
    }
}

import Foundation
