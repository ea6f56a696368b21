/// What Baton reads from a document of any format: a title and the blocks in reading order.
///
/// One shape for every format so that retrieval, `read` steps and `baton text` never care where
/// the text came from; each block keeps its `DocumentPosition` so a citation or an error message can
/// point back into the file (page, slide, sheet!cell, section/paragraph).
public struct DocumentText: Sendable, Equatable {
    /// The document's title (core properties, the first heading, or nil when it has none).
    public var title: String?
    /// The blocks in reading order.
    public var blocks: [DocumentBlock] = []
    /// The format the text was read from.
    public var format: DocumentFormat
    /// The text encoding a plain-text file was decoded from (`UTF-8`, `CP949`); nil for containers.
    public var encoding: String?
}

/// One unit of a document's text with the place it came from.
public struct DocumentBlock: Sendable, Equatable {
    public var kind: Kind
    public var position: DocumentPosition

    init(_ kind: Kind, at position: DocumentPosition = DocumentPosition()) {
        self.kind = kind
        self.position = position
    }

    /// What kind of text a block holds.
    public enum Kind: Sendable, Equatable {
        /// A heading; level 1 is the top.
        case heading(level: Int, text: String)
        case paragraph(String)
        /// A list item; level 1 is the outermost list.
        case listItem(level: Int, ordered: Bool, text: String)
        case table(DocumentTable)
        /// A slide's speaker notes.
        case note(String)
        /// The start of a spreadsheet's sheet: the blocks up to the next `sheet` belong to it.
        case sheet(name: String)
    }

    /// The block's plain text (a table's cells joined by tabs and rows by newlines).
    public var text: String {
        switch kind {
        case .heading(_, let text), .paragraph(let text), .listItem(_, _, let text), .note(let text): return text
        case .sheet(let name): return name
        case .table(let table): return table.plainText
        }
    }
}

/// A table: rows of cells. A merged cell appears once, at its top-left position, with its spans;
/// the positions it covers are not repeated (so its text is read once).
public struct DocumentTable: Sendable, Equatable {
    public var rows: [[TableCell]]

    public init(rows: [[TableCell]]) { self.rows = rows }

    /// Cells joined by tabs, rows by newlines.
    public var plainText: String {
        rows.map { $0.map(\.text).joined(separator: "\t") }.joined(separator: "\n")
    }
}

/// One table cell: its text (paragraphs joined by newlines) and how many rows/columns it spans.
public struct TableCell: Sendable, Equatable {
    public var text: String
    public var rowSpan: Int
    public var colSpan: Int

    public init(_ text: String, rowSpan: Int = 1, colSpan: Int = 1) {
        self.text = text
        self.rowSpan = rowSpan
        self.colSpan = colSpan
    }
}

extension DocumentText {
    /// All blocks' text joined by blank lines: what retrieval indexes and a `read` step returns.
    public var plainText: String {
        blocks.map(\.text).filter { !$0.isEmpty }.joined(separator: "\n\n")
    }
}
