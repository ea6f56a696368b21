import Base

/// Writes Markdown as a Word document (DOCX): headings as the built-in `Heading N` styles (so
/// Word's navigation pane and Baton's own reader see them), paragraphs, bulleted and numbered
/// lists through `numbering.xml`, tables with a grid, bold and italic runs; every style sets an
/// East Asian font (맑은 고딕) so Korean text renders as Korean in Word and LibreOffice.
public enum DOCXWriter {
    /// The DOCX bytes of `markdown`; `title` goes to the document's core properties.
    public static func document(fromMarkdown markdown: String, title: String? = nil) -> [UInt8] {
        let blocks = MarkdownBlocks.parse(markdown)
        var body = ""
        for block in blocks {
            switch block {
            case .heading(let level, let runs):
                body += paragraph(runs, properties: "<w:pStyle w:val=\"Heading\(level)\"/>")
            case .paragraph(let runs):
                body += paragraph(runs, properties: "")
            case .listItem(let level, let ordered, let runs):
                body += paragraph(runs, properties: "<w:pStyle w:val=\"ListParagraph\"/><w:numPr><w:ilvl w:val=\"\(min(level, 9) - 1)\"/><w:numId w:val=\"\(ordered ? 2 : 1)\"/></w:numPr>")
            case .table(let rows):
                let columns = rows.map(\.count).max() ?? 0
                body += "<w:tbl><w:tblPr><w:tblStyle w:val=\"TableGrid\"/><w:tblW w:w=\"0\" w:type=\"auto\"/></w:tblPr><w:tblGrid>"
                body += String(repeating: "<w:gridCol/>", count: columns) + "</w:tblGrid>"
                for row in rows {
                    body += "<w:tr>"
                    for column in 0..<columns {
                        body += "<w:tc><w:tcPr><w:tcW w:w=\"0\" w:type=\"auto\"/></w:tcPr>"
                        body += paragraph(column < row.count ? row[column] : [], properties: "") + "</w:tc>"
                    }
                    body += "</w:tr>"
                }
                body += "</w:tbl>"
            }
        }
        let document = """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <w:document xmlns:w="\(OOXML.w)" xmlns:r="\(OOXML.r)"><w:body>\(body)<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1701" w:right="1440" w:bottom="1440" w:left="1440" w:header="851" w:footer="992" w:gutter="0"/></w:sectPr></w:body></w:document>
            """
        var zip = ZIPWriter()
        // The part names are constants, so adding them cannot fail.
        try? zip.add("[Content_Types].xml", Array(OOXML.contentTypes.utf8))
        try? zip.add("_rels/.rels", Array(OOXML.packageRelationships.utf8))
        try? zip.add("docProps/core.xml", Array(OOXML.core(title: title ?? firstHeading(blocks)).utf8))
        try? zip.add("word/document.xml", Array(document.utf8))
        try? zip.add("word/_rels/document.xml.rels", Array(OOXML.documentRelationships.utf8))
        try? zip.add("word/styles.xml", Array(OOXML.styles.utf8))
        try? zip.add("word/numbering.xml", Array(OOXML.numbering.utf8))
        return zip.archive()
    }

    static func firstHeading(_ blocks: [MarkdownBlocks.Block]) -> String? {
        for case .heading(_, let runs) in blocks { return runs.map(\.text).joined() }
        return nil
    }

    static func paragraph(_ runs: [MarkdownBlocks.Run], properties: String) -> String {
        var xml = "<w:p>" + (properties.isEmpty ? "" : "<w:pPr>\(properties)</w:pPr>")
        for run in runs {
            let format = (run.bold ? "<w:b/>" : "") + (run.italic ? "<w:i/>" : "")
            xml += "<w:r>" + (format.isEmpty ? "" : "<w:rPr>\(format)</w:rPr>") + "<w:t xml:space=\"preserve\">\(escape(run.text))</w:t></w:r>"
        }
        return xml + "</w:p>"
    }

    /// Text for an XML element or attribute; characters XML 1.0 forbids are dropped
    /// (`MarkupEscaping.xml`).
    static func escape(_ text: String) -> String { MarkupEscaping.xml.escape(text) }
}
