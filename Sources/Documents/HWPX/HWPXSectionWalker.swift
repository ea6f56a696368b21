import Foundation

/// Walks the paragraphs of HWPX sections in order and collects blocks.
struct HWPXSectionWalker {
    let shapes: HWPXParagraphShapes
    let file: String
    let maximumDepth: Int
    private(set) var output = SectionBlocks()

    init(shapes: HWPXParagraphShapes, file: String, maximumDepth: Int) {
        self.shapes = shapes
        self.file = file
        self.maximumDepth = maximumDepth
    }

    mutating func walk(_ root: XMLElement, section: Int, part: String) throws(DocumentError) {
        output.start(section: section)
        for element in root.children("p") { try self.paragraph(element, part: part) }
    }

    private mutating func paragraph(_ element: XMLElement, part: String) throws(DocumentError) {
        var text = ""
        var tables: [XMLElement] = []
        var boxes: [XMLElement] = []
        var found: [String] = []
        func walkRun(_ run: XMLElement) {
            for case .element(let child) in run.children {
                switch child.localName {
                case "t": text += Self.runText(child)
                case "tbl": tables.append(child)
                case "drawText": if let list = child.child("subList") { boxes.append(list) }
                case "footNote", "endNote":
                    let note = (child.child("subList")?.children("p") ?? []).map { Self.plainParagraph($0) }.joined(separator: " ")
                        .trimmingCharacters(in: .whitespaces)
                    if !note.isEmpty { found.append(note) }
                case "secPr", "fieldBegin", "fieldEnd", "header", "footer", "autoNum": continue
                default: walkRun(child)  // shapes (rect, ellipse) hold drawText deeper down
                }
            }
        }
        for case .element(let child) in element.children where child.localName == "run" { walkRun(child) }
        output.notes += found
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if !trimmed.isEmpty { output.append(trimmed, role: shapes.role(element.attribute("paraPrIDRef"))) }
        for table in tables { output.append(.table(try self.table(table, depth: 1, part: part))) }
        for box in boxes { for inner in box.children("p") { try paragraph(inner, part: part) } }
    }

    /// A `hp:t`'s text: character data, tabs and line breaks (`hp:tab`, `hp:lineBreak`), the
    /// non-breaking and fixed-width spaces as spaces; tracked-change markers carry no text.
    static func runText(_ t: XMLElement) -> String {
        var text = ""
        for child in t.children {
            switch child {
            case .text(let characters): text += characters
            case .element(let element):
                switch element.localName {
                case "tab": text += "\t"
                case "lineBreak": text += "\n"
                case "nbSpace", "fwSpace": text += " "
                case "hyphen": text += "-"
                default: continue
                }
            }
        }
        return text
    }

    /// A paragraph's text only (for cells and notes), without its controls.
    static func plainParagraph(_ paragraph: XMLElement) -> String {
        var text = ""
        for run in paragraph.children("run") { for t in run.children("t") { text += runText(t) } }
        return text.trimmingCharacters(in: .whitespaces)
    }

    private func table(_ element: XMLElement, depth: Int, part: String) throws(DocumentError) -> DocumentTable {
        guard depth <= maximumDepth else {
            throw DocumentError(file: file, .entry(part, byteOffset: element.offset), "tables nest deeper than \(maximumDepth) levels")
        }
        var rows: [[TableCell]] = []
        for row in element.children("tr") {
            var cells: [TableCell] = []
            for cell in row.children("tc") {
                var parts: [String] = []
                for paragraph in cell.child("subList")?.children("p") ?? [] {
                    let text = Self.plainParagraph(paragraph)
                    if !text.isEmpty { parts.append(text) }
                    for run in paragraph.children("run") {
                        for inner in run.children("tbl") { parts.append(try table(inner, depth: depth + 1, part: part).plainText) }
                    }
                }
                let span = cell.child("cellSpan")
                cells.append(TableCell(parts.joined(separator: "\n"), rowSpan: max(1, span?.attribute("rowSpan").flatMap(Int.init) ?? 1),
                                       colSpan: max(1, span?.attribute("colSpan").flatMap(Int.init) ?? 1)))
            }
            rows.append(cells)
        }
        return DocumentTable(rows: rows)
    }
}
