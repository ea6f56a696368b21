import Foundation

/// Collects a slide's text from its shape tree in document order (the order PowerPoint's
/// selection pane lists, back to front), looking into groups and graphic frames holding tables.
struct PPTXShapeWalker {
    let maximumDepth: Int
    private(set) var kinds: [DocumentBlock.Kind] = []

    init(maximumDepth: Int) { self.maximumDepth = maximumDepth }

    mutating func walk(_ tree: XMLElement?, file: String, part: String, depth: Int = 1) throws(DocumentError) {
        guard let tree else { return }
        guard depth <= maximumDepth else {
            throw DocumentError(file: file, .entry(part, byteOffset: tree.offset), "shape groups nest deeper than \(maximumDepth) levels")
        }
        for shape in tree.elements {
            switch shape.localName {
            case "sp": self.shape(shape)
            case "grpSp": try walk(shape, file: file, part: part, depth: depth + 1)
            case "graphicFrame":
                for table in shape.descendants("tbl") { kinds.append(.table(Self.table(table))) }
            case "AlternateContent":
                try walk(shape.child("Choice") ?? shape.child("Fallback"), file: file, part: part, depth: depth + 1)
            default: continue
            }
        }
    }

    private mutating func shape(_ shape: XMLElement) {
        let placeholder = shape.child("nvSpPr")?.child("nvPr")?.child("ph")
        let type = placeholder?.attribute("type")
        let paragraphs = shape.child("txBody")?.children("p") ?? []
        if type == "title" || type == "ctrTitle" {
            let text = paragraphs.map(Self.paragraphText).joined(separator: " ").trimmingCharacters(in: .whitespaces)
            if !text.isEmpty { kinds.append(.heading(level: type == "ctrTitle" ? 1 : 2, text: text)) }
            return
        }
        // A body placeholder (an explicit `body` type, or an untyped one with an index) is a bulleted list.
        let isBody = placeholder != nil && (type == nil || type == "body" || type == "obj")
        for paragraph in paragraphs {
            let text = Self.paragraphText(paragraph).trimmingCharacters(in: .whitespaces)
            guard !text.isEmpty else { continue }
            let properties = paragraph.child("pPr")
            let level = (properties?.attribute("lvl").flatMap(Int.init) ?? 0) + 1
            if properties?.child("buNone") == nil, isBody || properties?.child("buChar") != nil || properties?.child("buAutoNum") != nil {
                kinds.append(.listItem(level: level, ordered: properties?.child("buAutoNum") != nil, text: text))
            } else {
                kinds.append(.paragraph(text))
            }
        }
    }

    /// The text of an `a:p`: runs, fields and line breaks.
    static func paragraphText(_ paragraph: XMLElement) -> String {
        var text = ""
        for case .element(let child) in paragraph.children {
            switch child.localName {
            case "r", "fld": text += child.child("t")?.text ?? ""
            case "br": text += "\n"
            default: continue
            }
        }
        return text
    }

    /// A DrawingML table: `gridSpan`/`rowSpan` on the origin cell, `hMerge`/`vMerge` on the
    /// covered ones, which are left out.
    static func table(_ table: XMLElement) -> DocumentTable {
        var rows: [[TableCell]] = []
        for row in table.children("tr") {
            var cells: [TableCell] = []
            for cell in row.children("tc") {
                if cell.attribute("hMerge") == "1" || cell.attribute("vMerge") == "1" { continue }
                let text = (cell.child("txBody")?.children("p") ?? []).map { paragraphText($0).trimmingCharacters(in: .whitespaces) }
                    .filter { !$0.isEmpty }.joined(separator: "\n")
                cells.append(TableCell(text, rowSpan: max(1, cell.attribute("rowSpan").flatMap(Int.init) ?? 1),
                                       colSpan: max(1, cell.attribute("gridSpan").flatMap(Int.init) ?? 1)))
            }
            rows.append(cells)
        }
        return DocumentTable(rows: rows)
    }
}
