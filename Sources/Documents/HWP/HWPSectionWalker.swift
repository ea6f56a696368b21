import Foundation

/// Walks the records of HWP 5.0 body sections in order and collects blocks: paragraphs (headings
/// and list items by their paragraph shape), tables from `tbl ` controls (cells from their list
/// headers, merged cells once), text boxes from drawing objects after the paragraph that anchors
/// them, and footnotes and endnotes at the end as `[^n]: text`.
struct HWPSectionWalker {
    let shapes: HWPParagraphShapes
    let file: String
    let maximumDepth: Int
    private(set) var output = SectionBlocks()
    private var stream = ""

    init(shapes: HWPParagraphShapes, file: String, maximumDepth: Int) {
        self.shapes = shapes
        self.file = file
        self.maximumDepth = maximumDepth
    }

    mutating func walk(_ records: [HWPRecord], section: Int, stream: String) throws(DocumentError) {
        self.stream = stream
        output.start(section: section)
        for record in records where record.tag == HWPRecord.paraHeader { try self.paragraph(record) }
    }

    private mutating func paragraph(_ header: HWPRecord) throws(DocumentError) {
        let text = Self.text(of: header).trimmingCharacters(in: .whitespaces)
        if !text.isEmpty { output.append(text, role: shapes.role(Int(header.uint16(at: 8) ?? 0))) }
        for control in header.children where control.tag == HWPRecord.ctrlHeader {
            switch control.controlID {
            case "tbl ": output.append(.table(try table(control, depth: 1)))
            case "fn  ", "en  ":
                let note = try cellText(control.children, depth: 1).replacingOccurrences(of: "\n", with: " ")
                if !note.isEmpty { output.notes.append(note) }
            case "gso ":
                for inner in Self.paragraphs(under: control, depth: 0, limit: maximumDepth) { try paragraph(inner) }
            default: continue  // section and column definitions, headers, footers, fields, page controls
            }
        }
    }

    /// A paragraph's own text (its `PARA_TEXT` record), without controls.
    static func text(of header: HWPRecord) -> String {
        guard let text = header.children.first(where: { $0.tag == HWPRecord.paraText }) else { return "" }
        return HWPParagraphText.decode(text.data)
    }

    /// The paragraph headers somewhere under a drawing object (a text box's list), not looking
    /// inside paragraphs (their own controls are walked with them).
    static func paragraphs(under record: HWPRecord, depth: Int, limit: Int) -> [HWPRecord] {
        guard depth < limit else { return [] }
        var found: [HWPRecord] = []
        for child in record.children {
            if child.tag == HWPRecord.paraHeader { found.append(child) } else { found += paragraphs(under: child, depth: depth + 1, limit: limit) }
        }
        return found
    }

    /// A table: its `TABLE` record, then for each cell a `LIST_HEADER` (column, row and spans at
    /// bytes 8-15) followed by the cell's paragraphs. Rows are the distinct row addresses in order.
    private func table(_ control: HWPRecord, depth: Int) throws(DocumentError) -> DocumentTable {
        guard depth <= maximumDepth else {
            throw DocumentError(file: file, .entry(stream, byteOffset: control.offset), "tables nest deeper than \(maximumDepth) levels")
        }
        var cells: [(row: Int, column: Int, cell: TableCell)] = []
        var index = control.children.startIndex
        let children = control.children
        while index < children.endIndex {
            let list = children[index]
            index += 1
            guard list.tag == HWPRecord.listHeader else { continue }
            var end = index
            while end < children.endIndex, children[end].tag == HWPRecord.paraHeader { end += 1 }
            let text = try cellText(Array(children[index..<end]), depth: depth)
            index = end
            let column = Int(list.uint16(at: 8) ?? UInt16(cells.count))
            let row = Int(list.uint16(at: 10) ?? 0)
            cells.append((row, column, TableCell(text, rowSpan: max(1, Int(list.uint16(at: 14) ?? 1)), colSpan: max(1, Int(list.uint16(at: 12) ?? 1)))))
        }
        cells.sort { ($0.row, $0.column) < ($1.row, $1.column) }
        var rows: [[TableCell]] = []
        var currentRow: Int?
        for cell in cells {
            if cell.row != currentRow { rows.append([]); currentRow = cell.row }
            rows[rows.count - 1].append(cell.cell)
        }
        return DocumentTable(rows: rows)
    }

    /// The text of a list of paragraphs (a cell or a note): each paragraph's text, and the plain
    /// text of tables nested in them, joined by newlines.
    private func cellText(_ records: [HWPRecord], depth: Int) throws(DocumentError) -> String {
        var parts: [String] = []
        for header in records where header.tag == HWPRecord.paraHeader {
            let text = Self.text(of: header).trimmingCharacters(in: .whitespaces)
            if !text.isEmpty { parts.append(text) }
            for control in header.children where control.tag == HWPRecord.ctrlHeader && control.controlID == "tbl " {
                parts.append(try table(control, depth: depth + 1).plainText)
            }
        }
        return parts.joined(separator: "\n")
    }
}
