@testable import Documents
import Testing

/// `DOCXStyleScanner` (bytes scanned, no tree) against the reference it replaces: the styles
/// read from the parsed element tree, on Word's own styles.xml (350 KB, from python-docx's
/// template), Baton's, and hand-made parts with another prefix, entities, self-closing styles
/// and look-alike tags.
@Suite struct DOCXStyleScannerTests {
    static func stylesPart(_ docx: [UInt8]) throws -> [UInt8] {
        let archive = try ZIPArchive(docx, file: "x.docx")
        var budget = archive.budget
        return try #require(try archive.data("word/styles.xml", budget: &budget))
    }

    static func reference(_ bytes: [UInt8]) throws -> [DOCXStyles.Style] {
        DOCXStyles.styles(from: try XMLTreeBuilder.parse(bytes, file: "x.docx", entry: "word/styles.xml"))
    }

    @Test func wordsStylesPartScansAsTheTreeReadsIt() throws {
        let bytes = try Self.stylesPart(DocumentFixtures.bytes("office/release.docx"))
        let scanned = try #require(DOCXStyleScanner.styles(bytes))
        #expect(scanned.count > 100)
        #expect(scanned == (try Self.reference(bytes)))
        #expect(scanned.first { $0.id == "Heading2" } == DOCXStyles.Style(id: "Heading2", name: "heading 2", basedOn: "Normal", outlineLevel: 1))
    }

    @Test func batonsStylesPartScansAsTheTreeReadsIt() throws {
        let bytes = try Self.stylesPart(DOCXWriter.document(fromMarkdown: "# a"))
        #expect(DOCXStyleScanner.styles(bytes) == (try Self.reference(bytes)))
    }

    @Test(arguments: [
        // Another prefix, attributes in single quotes, an entity in a name, a `>` inside a value.
        """
        <?xml version="1.0"?><!-- made by hand --><x:styles xmlns:x="\(OOXML.w)"><x:style x:type='paragraph' x:styleId='Big'><x:name x:val='Heading &amp; 1'/><x:pPr><x:outlineLvl x:val="0"/></x:pPr></x:style><x:style x:styleId="a>b"><x:name x:val="heading 3"/><x:basedOn x:val="Big"/></x:style></x:styles>
        """,
        // A self-closing style, look-alike tags (`w:styleLink`, `w:nameX`), numbering in a style.
        """
        <w:styles xmlns:w="\(OOXML.w)"><w:style w:styleId="Empty"/><w:style w:styleId="List"><w:styleLink w:val="x"/><w:nameX w:val="no"/><w:name w:val="List Bullet"/><w:pPr><w:numPr><w:ilvl w:val="2"/><w:numId w:val="7"/></w:numPr></w:pPr></w:style></w:styles>
        """,
    ])
    func handMadePartsScanAsTheTreeReadsThem(_ xml: String) throws {
        let bytes = Array(xml.utf8)
        #expect(DOCXStyleScanner.styles(bytes) == (try Self.reference(bytes)))
    }

    /// Given the styles a document names, the scan returns those, plus the parents a style without
    /// a level of its own inherits from (read at once when they came earlier), and gives the same
    /// headings and lists as reading every style.
    @Test func onlyTheNamedStylesAndTheParentsTheyInheritFromAreRead() throws {
        let bytes = try Self.stylesPart(DocumentFixtures.bytes("office/release.docx"))
        let needed: Set<String> = ["ListBullet", "Heading1", "Heading2", "ListNumber", "NoSuchStyle"]
        let scanned = try #require(DOCXStyleScanner.styles(bytes, needed: needed))
        #expect(scanned.map(\.id) == ["Heading1", "Heading2", "ListBullet", "Normal", "ListNumber"])
        let all = try Self.reference(bytes)
        #expect(scanned.allSatisfy { style in all.contains(style) })
        let partial = DOCXStyles(styles: scanned, numbering: nil), full = DOCXStyles(styles: all, numbering: nil)
        for id in needed.sorted() {
            #expect(partial.headingLevel(style: id) == full.headingLevel(style: id))
        }
        #expect(partial.headingLevel(style: "Heading2") == 2)
    }

    @Test func aStyleInheritsTheLevelOfParentsDefinedBeforeOrAfterIt() throws {
        let xml = """
            <w:styles xmlns:w="\(OOXML.w)"><w:style w:styleId="Quote"><w:basedOn w:val="Mine"/></w:style><w:style w:styleId="Other"/><w:style w:styleId="Mine"><w:basedOn w:val="Top"/></w:style><w:style w:styleId="Top"><w:name w:val="heading 3"/></w:style><w:style w:styleId="Late"><w:basedOn w:val="Quote"/></w:style><w:style w:styleId="Loop"><w:basedOn w:val="Loop"/></w:style></w:styles>
            """
        let bytes = Array(xml.utf8)
        let after = try #require(DOCXStyleScanner.styles(bytes, needed: ["Mine"]))
        #expect(after == [DOCXStyles.Style(id: "Mine", basedOn: "Top"), DOCXStyles.Style(id: "Top", name: "heading 3")])
        let before = try #require(DOCXStyleScanner.styles(bytes, needed: ["Late", "Loop"]))
        #expect(before.map(\.id) == ["Late", "Quote", "Mine", "Top", "Loop"])
        let styles = DOCXStyles(styles: before, numbering: nil)
        #expect([styles.headingLevel(style: "Late"), styles.headingLevel(style: "Quote"), styles.headingLevel(style: "Loop")] == [3, 3, nil])
        #expect(DOCXStyleScanner.styles(bytes, needed: []) == [])
    }

    @Test(arguments: ["<w:document xmlns:w=\"w\"/>", "<styles/>", ""])
    func aPartThatIsNotPrefixedStylesIsLeftToTheTree(_ xml: String) {
        #expect(DOCXStyleScanner.styles(Array(xml.utf8)) == nil)
    }
}
