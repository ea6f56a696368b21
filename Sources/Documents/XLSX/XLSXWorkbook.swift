/// An Excel workbook (XLSX, ECMA-376 SpreadsheetML) as rows of displayed text, sheet by sheet:
/// shared and inline strings, numbers and dates through their number formats, booleans, errors
/// and cached formula results. What `XLSXReader` shows and what a `read` step turns into rows.
public struct XLSXWorkbook: Sendable, Equatable {
    public var sheets: [Sheet]

    /// One worksheet: its name and a rectangular grid from `origin` (empty cells are "").
    public struct Sheet: Sendable, Equatable {
        public var name: String
        public var rows: [[String]]
        /// The 1-based row and column of `rows[0][0]`.
        public var originRow: Int
        public var originColumn: Int
        /// Merged ranges by their top-left cell (0-based in `rows`): the spans.
        public var merges: [GridPoint: (rows: Int, columns: Int)]

        public static func == (lhs: Sheet, rhs: Sheet) -> Bool {
            lhs.name == rhs.name && lhs.rows == rhs.rows && lhs.originRow == rhs.originRow && lhs.originColumn == rhs.originColumn
                && lhs.merges.mapValues { [$0.rows, $0.columns] } == rhs.merges.mapValues { [$0.rows, $0.columns] }
        }
    }

    /// A 0-based row and column.
    public struct GridPoint: Sendable, Hashable {
        public var row: Int
        public var column: Int
    }

    /// Reads the workbook in `bytes` (the content of `file`).
    public init(_ bytes: [UInt8], file: String, limits: DocumentLimits = .standard) throws(DocumentError) {
        let package = try OfficePackage(bytes, file: file, limits: limits)
        let main = DOCXReader.mainPart(package) == "word/document.xml" ? "xl/workbook.xml" : DOCXReader.mainPart(package)
        let workbook = try package.requiredXML(main, "the workbook")
        let relationships = try package.relationships(of: main)
        let date1904 = ["1", "true"].contains(workbook.child("workbookPr")?.attribute("date1904") ?? "")
        let shared = try Self.sharedStrings(package.xml(relationships.values.first { $0.type == "sharedStrings" }?.target ?? "xl/sharedStrings.xml"))
        let formats = try Self.cellFormats(package.xml(relationships.values.first { $0.type == "styles" }?.target ?? "xl/styles.xml"))
        var sheets: [Sheet] = []
        for sheet in workbook.child("sheets")?.children("sheet") ?? [] {
            guard let id = sheet.attribute("r:id"), let part = relationships[id]?.target else { continue }
            let name = sheet.attribute("name") ?? "Sheet\(sheets.count + 1)"
            guard let xml = try package.xml(part) else {
                throw DocumentError(file: file, .entry(part), "sheet '\(name)' is listed but its part is missing")
            }
            var grid = XLSXSheetGrid(shared: shared, formats: formats, date1904: date1904, file: file, part: part, limits: limits)
            try grid.read(xml)
            sheets.append(grid.sheet(named: name))
        }
        self.sheets = sheets
    }

    /// Shared strings (`si`): plain `t` or rich-text runs, without phonetic guides (`rPh`).
    static func sharedStrings(_ xml: XMLElement?) -> [String] {
        (xml?.children("si") ?? []).map(richText)
    }

    static func richText(_ item: XMLElement) -> String {
        var text = ""
        for case .element(let child) in item.children {
            switch child.localName {
            case "t": text += child.text
            case "r": text += child.child("t")?.text ?? ""
            default: continue
            }
        }
        return text
    }

    /// The number format of each cell style index (`cellXfs`).
    static func cellFormats(_ styles: XMLElement?) -> [XLSXNumberFormat] {
        var codes: [Int: String] = [:]
        for format in styles?.child("numFmts")?.children("numFmt") ?? [] {
            if let id = format.attribute("numFmtId").flatMap(Int.init), let code = format.attribute("formatCode") { codes[id] = code }
        }
        return (styles?.child("cellXfs")?.children("xf") ?? []).map { xf in
            let id = xf.attribute("numFmtId").flatMap(Int.init) ?? 0
            return XLSXNumberFormat(id: id, code: codes[id])
        }
    }

    /// `B3` -> (row 3, column 2), 1-based; nil for anything else.
    public static func cellReference(_ reference: String) -> (row: Int, column: Int)? {
        var column = 0
        var digits = Substring(reference)
        for character in reference {
            guard let ascii = character.asciiValue, (65...90).contains(ascii) || (97...122).contains(ascii) else { break }
            column = column * 26 + Int((ascii & 0xDF) - 64)
            digits = digits.dropFirst()
            if column > 16_384 { return nil }
        }
        guard column > 0, let row = Int(digits), row > 0, row <= 1_048_576 else { return nil }
        return (row, column)
    }

    /// 2 -> `B`, 28 -> `AB`.
    public static func columnName(_ column: Int) -> String {
        var name = ""
        var rest = column
        while rest > 0 {
            let digit = (rest - 1) % 26
            name = String(UnicodeScalar(UInt8(65 + digit))) + name
            rest = (rest - 1) / 26
        }
        return name
    }
}
