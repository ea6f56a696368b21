/// Reads Excel workbooks into `DocumentText`: for each sheet a `sheet` block and one table of its
/// used range (merged cells once, with their spans), placed at `Sheet!A1`-style positions.
struct XLSXReader: DocumentFormatReader {
    var formats: [DocumentFormat] { [.xlsx] }

    func read(_ bytes: [UInt8], file: String, limits: DocumentLimits) throws(DocumentError) -> DocumentText {
        let workbook = try XLSXWorkbook(bytes, file: file, limits: limits)
        var blocks: [DocumentBlock] = []
        for sheet in workbook.sheets {
            blocks.append(DocumentBlock(.sheet(name: sheet.name), at: DocumentPosition(sheet: sheet.name)))
            guard !sheet.rows.isEmpty else { continue }
            var covered: Set<XLSXWorkbook.GridPoint> = []
            for (point, span) in sheet.merges {
                for row in point.row..<(point.row + span.rows) {
                    for column in point.column..<(point.column + span.columns) where row != point.row || column != point.column {
                        covered.insert(XLSXWorkbook.GridPoint(row: row, column: column))
                    }
                }
            }
            // Empty rows stay, so a row's place in the table is its place in the sheet.
            let rows = sheet.rows.enumerated().map { rowIndex, row in
                row.enumerated().compactMap { columnIndex, text -> TableCell? in
                    let point = XLSXWorkbook.GridPoint(row: rowIndex, column: columnIndex)
                    if covered.contains(point) { return nil }
                    let span = sheet.merges[point]
                    return TableCell(text, rowSpan: span?.rows ?? 1, colSpan: span?.columns ?? 1)
                }
            }
            let origin = XLSXWorkbook.columnName(sheet.originColumn) + String(sheet.originRow)
            blocks.append(DocumentBlock(.table(DocumentTable(rows: rows)), at: DocumentPosition(sheet: sheet.name, cell: origin)))
        }
        return DocumentText(title: nil, blocks: blocks, format: .xlsx)
    }
}
