import Foundation

/// Writes Markdown as a Hangul HWPX document (OWPML): headings as outline paragraph shapes
/// (levels 1-6, which Hangul's outline view and Baton's HWPX reader see as headings), paragraphs,
/// bulleted and numbered list items by level, tables with a cell per Markdown cell, bold and
/// italic runs; every language slot uses a Korean font set (`OWPML.header`).
///
/// The package is laid out as Hangul writes it: `mimetype` first and stored, then the version,
/// the manifest (`Contents/content.hpf`), header, one section, settings and a text preview.
public enum HWPXWriter {
    /// The HWPX bytes of `markdown`; `title` goes to the manifest's metadata.
    public static func document(fromMarkdown markdown: String, title: String? = nil) -> [UInt8] {
        let blocks = MarkdownBlocks.parse(markdown)
        var section = SectionBuilder()
        // A section holds at least one paragraph (the one with the section properties).
        if blocks.isEmpty { section.paragraph([], shape: 0) }
        for block in blocks {
            switch block {
            case .heading(let level, let runs):
                section.paragraph(runs, shape: OWPML.paragraphShape(heading: level), heading: level)
            case .paragraph(let runs):
                section.paragraph(runs, shape: 0)
            case .listItem(let level, let ordered, let runs):
                section.paragraph(runs, shape: OWPML.paragraphShape(listLevel: level, ordered: ordered))
            case .table(let rows):
                section.table(rows)
            }
        }
        let preview = blocks.map { block -> String in
            switch block {
            case .heading(_, let runs), .paragraph(let runs), .listItem(_, _, let runs): return runs.map(\.text).joined()
            case .table(let rows): return rows.map { $0.map { $0.map(\.text).joined() }.joined(separator: "\t") }.joined(separator: "\n")
            }
        }.joined(separator: "\n")
        var zip = ZIPWriter()
        // The part names are constants, so adding them cannot fail.
        try? zip.add("mimetype", Array(OWPML.mimetype.utf8), stored: true)
        try? zip.add("version.xml", Array(OWPML.version.utf8))
        try? zip.add("META-INF/container.xml", Array(OWPML.container.utf8))
        try? zip.add("META-INF/manifest.xml", Array(OWPML.manifest.utf8))
        try? zip.add("Contents/content.hpf", Array(OWPML.content(title: title ?? DOCXWriter.firstHeading(blocks)).utf8))
        try? zip.add("Contents/header.xml", Array(OWPML.header.utf8))
        try? zip.add("Contents/section0.xml", Array(section.xml.utf8))
        try? zip.add("settings.xml", Array(OWPML.settings.utf8))
        try? zip.add("Preview/PrvText.txt", Array(preview.utf8))
        return zip.archive()
    }

    /// Builds `Contents/section0.xml`: paragraphs with sequential ids, the section properties
    /// in the first one.
    struct SectionBuilder {
        private var body = ""
        private var nextID = 1
        private var wroteSectionProperties = false

        var xml: String { OWPML.declaration + "<hs:sec \(OWPML.namespaces)>" + body + "</hs:sec>" }

        mutating func paragraph(_ runs: [MarkdownBlocks.Run], shape: Int, heading: Int? = nil) {
            body += paragraphXML(runs, shape: shape, characterShape: heading.map(OWPML.characterShape(heading:)))
        }

        /// A table in its own paragraph: one row per Markdown row, as many columns as the widest
        /// row (short rows padded with empty cells), on a 42,520-unit text width.
        mutating func table(_ rows: [[[MarkdownBlocks.Run]]]) {
            let columns = max(1, rows.map(\.count).max() ?? 1)
            let width = 42_520 / columns
            var xml = "<hp:tbl id=\"\(takeID())\" zOrder=\"0\" numberingType=\"TABLE\" textWrap=\"TOP_AND_BOTTOM\" textFlow=\"BOTH_SIDES\" lock=\"0\" dropcapstyle=\"None\" pageBreak=\"CELL\" repeatHeader=\"1\" rowCnt=\"\(rows.count)\" colCnt=\"\(columns)\" cellSpacing=\"0\" borderFillIDRef=\"2\" noAdjust=\"0\">"
                + "<hp:sz width=\"\(width * columns)\" widthRelTo=\"ABSOLUTE\" height=\"\(1_000 * rows.count)\" heightRelTo=\"ABSOLUTE\" protect=\"0\"/>"
                + "<hp:pos treatAsChar=\"1\" affectLSpacing=\"0\" flowWithText=\"1\" allowOverlap=\"0\" holdAnchorAndSO=\"0\" vertRelTo=\"PARA\" horzRelTo=\"COLUMN\" vertAlign=\"TOP\" horzAlign=\"LEFT\" vertOffset=\"0\" horzOffset=\"0\"/>"
                + "<hp:outMargin left=\"0\" right=\"0\" top=\"0\" bottom=\"0\"/><hp:inMargin left=\"510\" right=\"510\" top=\"141\" bottom=\"141\"/>"
            for (rowIndex, row) in rows.enumerated() {
                xml += "<hp:tr>"
                for column in 0..<columns {
                    let cell = column < row.count ? row[column] : []
                    xml += "<hp:tc name=\"\" header=\"\(rowIndex == 0 ? 1 : 0)\" hasMargin=\"0\" protect=\"0\" editable=\"0\" dirty=\"0\" borderFillIDRef=\"2\">"
                        + "<hp:subList id=\"\" textDirection=\"HORIZONTAL\" lineWrap=\"BREAK\" vertAlign=\"CENTER\" linkListIDRef=\"0\" linkListNextIDRef=\"0\" textWidth=\"0\" textHeight=\"0\" hasTextRef=\"0\" hasNumRef=\"0\">"
                        + paragraphXML(cell, shape: 0, characterShape: nil, first: false) + "</hp:subList>"
                        + "<hp:cellAddr colAddr=\"\(column)\" rowAddr=\"\(rowIndex)\"/><hp:cellSpan colSpan=\"1\" rowSpan=\"1\"/>"
                        + "<hp:cellSz width=\"\(width)\" height=\"1000\"/><hp:cellMargin left=\"510\" right=\"510\" top=\"141\" bottom=\"141\"/></hp:tc>"
                }
                xml += "</hp:tr>"
            }
            xml += "</hp:tbl>"
            body += paragraphXML([], shape: 0, characterShape: nil, inline: xml)
        }

        private mutating func takeID() -> Int {
            defer { nextID += 1 }
            return nextID
        }

        /// One `hp:p`: a run per Markdown run (its character shape from bold/italic, or the
        /// heading's), `inline` (a table) in a run of its own. The document's first paragraph
        /// carries the section properties.
        private mutating func paragraphXML(_ runs: [MarkdownBlocks.Run], shape: Int, characterShape: Int?, inline: String = "", first: Bool = true) -> String {
            var xml = "<hp:p id=\"\(takeID())\" paraPrIDRef=\"\(shape)\" styleIDRef=\"0\" pageBreak=\"0\" columnBreak=\"0\" merged=\"0\">"
            if first && !wroteSectionProperties {
                xml += "<hp:run charPrIDRef=\"0\">\(OWPML.sectionProperties)</hp:run>"
                wroteSectionProperties = true
            }
            for run in runs {
                let shapeID = characterShape ?? OWPML.characterShape(bold: run.bold, italic: run.italic)
                xml += "<hp:run charPrIDRef=\"\(shapeID)\"><hp:t>\(DOCXWriter.escape(run.text.replacingOccurrences(of: "\t", with: " ")))</hp:t></hp:run>"
            }
            if !inline.isEmpty { xml += "<hp:run charPrIDRef=\"0\">\(inline)<hp:t/></hp:run>" }
            if runs.isEmpty && inline.isEmpty { xml += "<hp:run charPrIDRef=\"0\"><hp:t/></hp:run>" }
            return xml + "</hp:p>"
        }
    }
}
