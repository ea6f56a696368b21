/// Reads one worksheet's `sheetData` into displayed text by cell reference, then into a grid.
struct XLSXSheetGrid {
    let shared: [String]
    let formats: [XLSXNumberFormat]
    let date1904: Bool
    let file: String
    let part: String
    let limits: DocumentLimits
    private var cells: [Int: [Int: String]] = [:]  // row -> column -> text (1-based)
    private var merges: [(top: Int, left: Int, bottom: Int, right: Int)] = []
    private var cellCount = 0

    init(shared: [String], formats: [XLSXNumberFormat], date1904: Bool, file: String, part: String, limits: DocumentLimits) {
        self.shared = shared
        self.formats = formats
        self.date1904 = date1904
        self.file = file
        self.part = part
        self.limits = limits
    }

    mutating func read(_ worksheet: XMLElement) throws(DocumentError) {
        var nextRow = 1
        for row in worksheet.child("sheetData")?.children("row") ?? [] {
            let rowNumber = row.attribute("r").flatMap(Int.init) ?? nextRow
            nextRow = rowNumber + 1
            var nextColumn = 1
            for cell in row.children("c") {
                var at = (row: rowNumber, column: nextColumn)
                if let reference = cell.attribute("r") {
                    guard let parsed = XLSXWorkbook.cellReference(reference) else {
                        throw DocumentError(file: file, .entry(part, byteOffset: cell.offset), "'\(reference)' is not a cell reference")
                    }
                    at = parsed
                }
                nextColumn = at.column + 1
                let text = try value(cell)
                guard !text.isEmpty else { continue }
                cellCount += 1
                guard cellCount <= limits.maximumEntryBytes / 16 else {
                    throw DocumentError(file: file, .entry(part, byteOffset: cell.offset), "the sheet has more cells than the limit allows")
                }
                cells[at.row, default: [:]][at.column] = text
            }
        }
        for merge in worksheet.child("mergeCells")?.children("mergeCell") ?? [] {
            let ends = (merge.attribute("ref") ?? "").split(separator: ":").map { XLSXWorkbook.cellReference(String($0)) }
            guard ends.count == 2, let start = ends[0], let end = ends[1] else { continue }
            merges.append((min(start.row, end.row), min(start.column, end.column), max(start.row, end.row), max(start.column, end.column)))
        }
    }

    /// A cell's displayed text (ECMA-376 18.3.1.4 `c`, `t` attribute 18.18.11).
    private func value(_ cell: XMLElement) throws(DocumentError) -> String {
        let raw = cell.child("v")?.text ?? ""
        switch cell.attribute("t") ?? "n" {
        case "s":
            guard let index = Int(raw), shared.indices.contains(index) else {
                throw DocumentError(file: file, .entry(part, byteOffset: cell.offset), "cell \(cell.attribute("r") ?? "?") names shared string \(raw), which does not exist")
            }
            return shared[index]
        case "inlineStr": return cell.child("is").map(XLSXWorkbook.richText) ?? ""
        case "str", "e": return raw
        case "b": return raw == "1" ? "TRUE" : "FALSE"
        default:
            guard !raw.isEmpty else { return "" }
            guard let number = Double(raw) else {
                throw DocumentError(file: file, .entry(part, byteOffset: cell.offset), "cell \(cell.attribute("r") ?? "?") holds '\(raw)', which is not a number")
            }
            let style = cell.attribute("s").flatMap(Int.init) ?? 0
            let format = formats.indices.contains(style) ? formats[style] : .general
            return format.display(number, date1904: date1904)
        }
    }

    /// The used range as a grid; cells covered by a merge (other than its top-left) are empty.
    func sheet(named name: String) -> XLSXWorkbook.Sheet {
        let rowNumbers = cells.keys
        let columnNumbers = cells.values.flatMap(\.keys)
        guard let top = rowNumbers.min(), let bottom = rowNumbers.max(), let left = columnNumbers.min(), let right = columnNumbers.max() else {
            return XLSXWorkbook.Sheet(name: name, rows: [], originRow: 1, originColumn: 1, merges: [:])
        }
        var rows: [[String]] = []
        for row in top...bottom {
            let values = cells[row] ?? [:]
            rows.append((left...right).map { values[$0] ?? "" })
        }
        var spans: [XLSXWorkbook.GridPoint: (rows: Int, columns: Int)] = [:]
        for merge in merges where merge.top >= top && merge.left >= left && merge.top <= bottom && merge.left <= right {
            spans[XLSXWorkbook.GridPoint(row: merge.top - top, column: merge.left - left)] =
                (min(merge.bottom, bottom) - merge.top + 1, min(merge.right, right) - merge.left + 1)
        }
        return XLSXWorkbook.Sheet(name: name, rows: rows, originRow: top, originColumn: left, merges: spans)
    }
}
