/// Reads Word documents (DOCX, ECMA-376 WordprocessingML): paragraphs in body order with
/// headings from styles or outline levels, list items from numbering, tables with merged cells
/// read once, text boxes after the paragraph that anchors them, footnotes at the end (as
/// `[^n]: text`), tracked insertions kept and tracked deletions left out.
struct DOCXReader: DocumentFormatReader {
    var formats: [DocumentFormat] { [.docx] }

    func read(_ bytes: [UInt8], file: String, limits: DocumentLimits) throws(DocumentError) -> DocumentText {
        let package = try OfficePackage(bytes, file: file, limits: limits)
        let main = Self.mainPart(package)
        let document = try package.requiredXML(main, "the main document")
        let relationships = try package.relationships(of: main)
        func related(_ type: String, default fallback: String) -> String {
            relationships.values.first { $0.type == type }?.target ?? fallback
        }
        // styles.xml is scanned, not parsed into a tree (see DOCXStyleScanner), and only for the
        // styles the document's paragraphs name; a part the scanner does not recognise is parsed
        // as before.
        let stylesPart = related("styles", default: "word/styles.xml")
        var styleList: [DOCXStyles.Style] = []
        if let bytes = try package.bytes(stylesPart) {
            var needed: Set<String> = []
            Self.collectStyleIds(document, into: &needed)
            if let scanned = DOCXStyleScanner.styles(bytes, needed: needed) {
                styleList = scanned
            } else {
                styleList = DOCXStyles.styles(from: try XMLTreeBuilder.parse(bytes, file: file, entry: stylesPart))
            }
        }
        let styles = DOCXStyles(styles: styleList, numbering: try package.xml(related("numbering", default: "word/numbering.xml")))
        guard let body = document.child("body") else {
            throw DocumentError(file: file, .entry(main, byteOffset: document.offset), "the document has no <w:body>")
        }
        var walker = DOCXBodyWalker(styles: styles, file: file, maximumDepth: limits.maximumDepth)
        try walker.walk(body.children)
        if let footnotes = try package.xml(related("footnotes", default: "word/footnotes.xml")) {
            for note in footnotes.children("footnote") {
                // Ids -1 and 0 (and typed ones) are the separator lines, not notes.
                guard note.attribute("type") == nil || note.attribute("type") == "normal", let id = note.attribute("id") else { continue }
                let text = note.children("p").map { DOCXBodyWalker.paragraphText($0).text }.joined(separator: " ")
                    .trimmingCharacters(in: .whitespaces)
                if !text.isEmpty { walker.append(.paragraph("[^\(id)]: \(text)")) }
            }
        }
        let core = try package.xml("docProps/core.xml")
        let title = core?.child("title")?.text.trimmingCharacters(in: .whitespacesAndNewlines)
        return DocumentText(title: (title?.isEmpty == false ? title : nil) ?? walker.firstHeading, blocks: walker.blocks, format: .docx)
    }

    /// The values of every `w:pStyle` in `element`: the paragraph styles the document uses.
    static func collectStyleIds(_ element: XMLElement, into ids: inout Set<String>) {
        for case .element(let child) in element.children {
            if child.localName == "pStyle" {
                if let id = child.attribute("val") { ids.insert(id) }
            } else {
                collectStyleIds(child, into: &ids)
            }
        }
    }

    /// The main document part named by the package relationships (`word/document.xml` by default).
    static func mainPart(_ package: OfficePackage) -> String {
        let rels = (try? package.relationships(of: "")) ?? [:]
        return rels.values.first { $0.type == "officeDocument" }?.target ?? "word/document.xml"
    }
}
