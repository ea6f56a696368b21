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

    @Test(arguments: ["<w:document xmlns:w=\"w\"/>", "<styles/>", ""])
    func aPartThatIsNotPrefixedStylesIsLeftToTheTree(_ xml: String) {
        #expect(DOCXStyleScanner.styles(Array(xml.utf8)) == nil)
    }
}
