import Documents
import Foundation

extension DocumentParser {
    /// The office, PDF and Hangul formats `Documents` reads (by extension, for folder ingest).
    public static let documentExtensions: Set<String> = ["docx", "pptx", "xlsx", "pdf", "hwpx", "hwp"]

    /// A document read by `Documents` as paragraphs for chunking. The place each block came
    /// from (`page 3`, `slide 2`, `예산!A2`) heads its heading path, so every chunk's first line
    /// cites it and no chunk spans two pages or slides. Spreadsheet rows become records
    /// (`column: value; ...`, the sheet's first row naming the columns), as CSV rows do.
    public static func parse(_ text: DocumentText, path: String) -> ParsedDocument {
        var headings: [(level: Int, text: String)] = []
        var blocks: [TextBlock] = []
        var place: String?
        for block in text.blocks {
            let position = block.position
            let here = position.page.map { "page \($0)" } ?? position.slide.map { "slide \($0)" } ?? position.sheet
            if here != place {
                place = here
                if position.page != nil || position.slide != nil { headings = [] }
            }
            func path() -> [String] { (place.map { [$0] } ?? []) + headings.map(\.text) }
            switch block.kind {
            case .heading(let level, let body):
                headings.removeAll { $0.level >= level }
                headings.append((level, body))
                // A heading with nothing under it still names its section.
                blocks.append(TextBlock(headings: path(), text: ""))
            case .paragraph(let body): blocks.append(TextBlock(headings: path(), text: body))
            case .note(let body):
                // A PDF's notes are Baton's ("page 2 has no text"), not the document's; a slide's are the speaker's.
                if text.format != .pdf { blocks.append(TextBlock(headings: path(), text: body)) }
            case .listItem(_, _, let body): blocks.append(TextBlock(headings: path(), text: "- " + body))
            case .sheet: headings = []
            case .table(let table):
                let grid = table.grid
                if text.format == .xlsx, let header = grid.first, let origin = position.cell,
                   let start = XLSXWorkbook.cellReference(origin), let sheet = position.sheet {
                    for (offset, row) in grid.enumerated().dropFirst() {
                        let record = zip(header, row).filter { !$0.1.isEmpty }
                            .map { $0.0.isEmpty ? $0.1 : "\($0.0): \($0.1)" }.joined(separator: "; ")
                        let cell = "\(sheet)!\(XLSXWorkbook.columnName(start.column))\(start.row + offset)"
                        blocks.append(TextBlock(headings: [cell] + headings.map(\.text), text: record))
                    }
                } else {
                    for row in grid { blocks.append(TextBlock(headings: path(), text: row.filter { !$0.isEmpty }.joined(separator: " | "))) }
                }
            }
        }
        let fallback = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        let kept = blocks.filter { !$0.text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }
        return ParsedDocument(title: text.title ?? fallback, blocks: kept, blocksAreRecords: text.format == .xlsx)
    }
}
