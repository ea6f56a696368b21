/// Where in a document a block came from: the page (PDF), slide (PPTX), sheet and cell (XLSX),
/// or section and paragraph (DOCX, HWP, HWPX; 1-based). Unused parts are nil.
///
/// Not `Base.SourcePosition` (a line:column in a source text): a block's place is a page, slide or
/// cell, the unit a citation names.
public struct DocumentPosition: Sendable, Equatable, Hashable, CustomStringConvertible {
    public var page: Int?
    public var slide: Int?
    public var sheet: String?
    /// A cell reference such as `B3`.
    public var cell: String?
    public var section: Int?
    public var paragraph: Int?

    /// `page 3`, `slide 2`, `Sheet1!B3`, `section 1, paragraph 4`: the form citations print.
    public var description: String {
        var parts: [String] = []
        if let page { parts.append("page \(page)") }
        if let slide { parts.append("slide \(slide)") }
        if let sheet { parts.append(cell.map { "\(sheet)!\($0)" } ?? "sheet \(sheet)") }
        if let section { parts.append("section \(section)") }
        if let paragraph { parts.append("paragraph \(paragraph)") }
        return parts.joined(separator: ", ")
    }
}
