/// Markdown for what a document holds: what `baton text` prints, what a `read` step of a DOCX,
/// PPTX, PDF or HWPX file gives a prompt, and what a model's reply is compared with.
///
/// Headings become `#` lines, list items `-`/`1.` lines indented by level, tables pipe tables
/// (a merged cell's text once, the cells it covers empty), speaker notes `> ` quotes, sheets
/// `## name` headings; a new page or slide starts with an HTML comment (`<!-- page 2 -->`), so
/// a user can tell where text came from without it showing when the Markdown is rendered.
extension DocumentText {
    public var markdown: String {
        var parts: [String] = []
        var place: String?
        var listRun: [String] = []
        func flushList() {
            if !listRun.isEmpty { parts.append(listRun.joined(separator: "\n")); listRun = [] }
        }
        for block in blocks {
            let here = block.position.page.map { "page \($0)" } ?? block.position.slide.map { "slide \($0)" }
            if let here, here != place {
                flushList()
                parts.append("<!-- \(here) -->")
                place = here
            }
            switch block.kind {
            case .listItem(let level, let ordered, let text):
                listRun.append(String(repeating: "  ", count: max(0, level - 1)) + (ordered ? "1. " : "- ") + Self.oneLine(text))
                continue
            default: flushList()
            }
            switch block.kind {
            case .heading(let level, let text): parts.append(String(repeating: "#", count: min(6, max(1, level))) + " " + Self.oneLine(text))
            case .paragraph(let text): parts.append(text)
            case .note(let text): parts.append(text.split(separator: "\n", omittingEmptySubsequences: false).map { "> " + $0 }.joined(separator: "\n"))
            case .sheet(let name): parts.append("## " + Self.oneLine(name))
            case .table(let table): parts.append(table.markdown)
            case .listItem: break
            }
        }
        flushList()
        return parts.joined(separator: "\n\n") + (parts.isEmpty ? "" : "\n")
    }

    static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).joined(separator: " ")
    }
}

extension DocumentTable {
    /// A pipe table on the grid the spans describe; the first row is the header.
    public var markdown: String {
        let grid = self.grid
        let width = grid.map(\.count).max() ?? 0
        guard width > 0 else { return "" }
        func line(_ cells: [String]) -> String {
            "| " + (cells + Array(repeating: "", count: width - cells.count)).map {
                DocumentText.oneLine($0).replacingOccurrences(of: "|", with: "\\|")
            }.joined(separator: " | ") + " |"
        }
        var lines = [line(grid[0]), "|" + String(repeating: " --- |", count: width)]
        lines += grid.dropFirst().map(line)
        return lines.joined(separator: "\n")
    }

    /// The cells laid on a full grid: a merged cell's text at its top-left, "" where it spans.
    public var grid: [[String]] {
        var grid: [[String?]] = Array(repeating: [], count: rows.count)
        for (rowIndex, row) in rows.enumerated() {
            var column = 0
            for cell in row {
                while column < grid[rowIndex].count, grid[rowIndex][column] != nil { column += 1 }
                for r in rowIndex..<min(rows.count, rowIndex + max(1, cell.rowSpan)) {
                    for c in column..<(column + max(1, cell.colSpan)) {
                        while grid[r].count <= c { grid[r].append(nil) }
                        grid[r][c] = (r == rowIndex && c == column) ? cell.text : ""
                    }
                }
                column += max(1, cell.colSpan)
            }
        }
        return grid.map { $0.map { $0 ?? "" } }
    }
}
