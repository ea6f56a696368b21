/// The blocks of a document read section by section (HWPX, HWP): each numbered by its section
/// and paragraph, a paragraph's text placed by its shape's role (heading, list item or body), the
/// first heading kept as a title, and footnotes and endnotes gathered for the end.
struct SectionBlocks {
    private(set) var blocks: [DocumentBlock] = []
    private(set) var firstHeading: String?
    /// Footnote and endnote texts met so far, in order.
    var notes: [String] = []
    private var section = 1
    private var paragraph = 0

    /// Starts numbering the paragraphs of section `section` (1-based).
    mutating func start(section: Int) {
        self.section = section
        paragraph = 0
    }

    mutating func append(_ kind: DocumentBlock.Kind) {
        paragraph += 1
        blocks.append(DocumentBlock(kind, at: DocumentPosition(section: section, paragraph: paragraph)))
    }

    /// A paragraph's (trimmed, non-empty) text as its shape's role makes it.
    mutating func append(_ text: String, role: HWPXParagraphShapes.Role?) {
        switch role {
        case .heading(let level):
            append(.heading(level: level, text: text))
            if firstHeading == nil { firstHeading = text }
        case .listItem(let level, let ordered): append(.listItem(level: level, ordered: ordered, text: text))
        case nil: append(.paragraph(text))
        }
    }

    /// The footnotes and endnotes met so far, numbered in order, as `[^n]: text`.
    mutating func appendNotes() {
        let collected = notes
        notes = []
        for (index, note) in collected.enumerated() { append(.paragraph("[^\(index + 1)]: \(note)")) }
    }
}
