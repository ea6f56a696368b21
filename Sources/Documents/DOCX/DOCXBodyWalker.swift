import Foundation

/// Walks `w:body` (or a cell, a text box) in order and collects blocks.
struct DOCXBodyWalker {
    let styles: DOCXStyles
    let file: String
    let maximumDepth: Int
    private(set) var blocks: [DocumentBlock] = []
    private(set) var firstHeading: String?
    private var paragraphIndex = 0

    init(styles: DOCXStyles, file: String, maximumDepth: Int) {
        self.styles = styles
        self.file = file
        self.maximumDepth = maximumDepth
    }

    mutating func append(_ kind: DocumentBlock.Kind) {
        paragraphIndex += 1
        blocks.append(DocumentBlock(kind, at: DocumentPosition(paragraph: paragraphIndex)))
    }

    mutating func walk(_ nodes: [XMLNode]) throws(DocumentError) {
        for case .element(let element) in nodes {
            switch element.localName {
            case "p": try paragraph(element)
            case "tbl": append(.table(try table(element, depth: 1)))
            case "sdt": try walk(element.child("sdtContent")?.children ?? [])
            case "customXml", "ins", "smartTag": try walk(element.children)
            default: continue  // sectPr, bookmarks, deletions (w:del) and the like carry no body text
            }
        }
    }

    private mutating func paragraph(_ element: XMLElement) throws(DocumentError) {
        let properties = element.child("pPr")
        let style = properties?.child("pStyle")?.attribute("val")
        let (text, boxes) = Self.paragraphText(element)
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if !trimmed.isEmpty {
            let outline = properties?.child("outlineLvl")?.attribute("val").flatMap(Int.init).flatMap { $0 < 9 ? $0 + 1 : nil }
            let numPr = properties?.child("numPr")
            if let level = outline ?? styles.headingLevel(style: style) {
                append(.heading(level: level, text: trimmed))
                if firstHeading == nil { firstHeading = trimmed }
            } else if let item = styles.listItem(numId: numPr?.child("numId")?.attribute("val"),
                                                 level: numPr?.child("ilvl")?.attribute("val").flatMap(Int.init), style: style) {
                append(.listItem(level: item.level, ordered: item.ordered, text: trimmed))
            } else {
                append(.paragraph(trimmed))
            }
        }
        for box in boxes { try walk(box.children) }
    }

    /// A paragraph's text and the text boxes anchored in it. Runs give `w:t`, tabs and breaks;
    /// deleted runs (`w:del`, `w:delText`), field instructions and the VML fallback of a text box
    /// (a copy of the DrawingML one) are skipped.
    static func paragraphText(_ paragraph: XMLElement) -> (text: String, boxes: [XMLElement]) {
        var text = ""
        var boxes: [XMLElement] = []
        func walk(_ element: XMLElement) {
            for case .element(let child) in element.children {
                switch child.localName {
                case "t": text += child.text
                case "tab", "ptab": text += "\t"
                case "br", "cr": text += "\n"
                case "noBreakHyphen": text += "-"
                case "sym": if let code = child.attribute("char").flatMap({ UInt32($0, radix: 16) }).flatMap(Unicode.Scalar.init) { text.unicodeScalars.append(code) }
                case "del", "delText", "instrText", "pPr", "rPr", "moveFrom", "Fallback": continue
                case "txbxContent": boxes.append(child)
                default: walk(child)
                }
            }
        }
        walk(paragraph)
        return (text, boxes)
    }

    /// A table; cells spanning columns (`gridSpan`) keep one cell with its span, and a cell
    /// continuing a vertical merge (`vMerge` without `restart`) is left out after adding one to
    /// the span of the cell it continues.
    private func table(_ element: XMLElement, depth: Int) throws(DocumentError) -> DocumentTable {
        guard depth <= maximumDepth else {
            throw DocumentError(file: file, .entry("word/document.xml", byteOffset: element.offset), "tables nest deeper than \(maximumDepth) levels")
        }
        var rows: [[TableCell]] = []
        var openMerges: [Int: (row: Int, cell: Int)] = [:]  // grid column -> the cell a vertical merge started
        for row in element.children("tr") {
            var cells: [TableCell] = []
            var column = 0
            for cell in row.children("tc") {
                let properties = cell.child("tcPr")
                let span = max(1, properties?.child("gridSpan")?.attribute("val").flatMap(Int.init) ?? 1)
                let merge = properties?.child("vMerge")
                if let merge, merge.attribute("val") != "restart", let origin = openMerges[column] {
                    rows[origin.row][origin.cell].rowSpan += 1
                    column += span
                    continue
                }
                var parts: [String] = []
                for case .element(let child) in cell.children {
                    if child.localName == "p" {
                        let (text, _) = Self.paragraphText(child)
                        let trimmed = text.trimmingCharacters(in: .whitespaces)
                        if !trimmed.isEmpty { parts.append(trimmed) }
                    } else if child.localName == "tbl" {
                        parts.append(try table(child, depth: depth + 1).plainText)
                    }
                }
                if merge != nil { openMerges[column] = (rows.count, cells.count) } else { openMerges[column] = nil }
                cells.append(TableCell(parts.joined(separator: "\n"), colSpan: span))
                column += span
            }
            rows.append(cells)
        }
        return DocumentTable(rows: rows)
    }
}
