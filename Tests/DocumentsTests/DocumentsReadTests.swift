@testable import Documents
import Testing

/// `Documents.read`: the format by magic bytes, then by extension, and the plain-text reader.
@Suite struct DocumentsReadTests {
    @Test(arguments: [
        ([UInt8](Array("%PDF-1.7\n".utf8)), "a.txt", DocumentFormat.pdf),
        ([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1], "release.bin", .hwp),
        (Array("hello".utf8), "notes.md", .markdown),
        (Array("a,b\n1,2\n".utf8), "rows.csv", .csv),
        (Array("plain".utf8), "README", .text),
    ])
    func sniffsTheFormat(_ bytes: [UInt8], _ file: String, _ expected: DocumentFormat) throws {
        #expect(try Documents.format(of: bytes, file: file) == expected)
    }

    @Test func aPDFNamedFileWithoutThePDFHeaderIsRefused() {
        #expect(throws: DocumentError(file: "x.pdf", .byteOffset(0), "not a PDF file (its first bytes are not a PDF header)")) {
            try Documents.format(of: Array("hello".utf8), file: "x.pdf")
        }
    }

    @Test func markdownGivesHeadingsAndParagraphs() throws {
        let text = try Documents.read(Array("# 보도자료\n\n서울시는 축제를 연다.\n둘째 줄.\n\n## Contact\nPR team\n".utf8), file: "r.md")
        #expect(text.title == "보도자료")
        #expect(text.blocks == [
            DocumentBlock(.heading(level: 1, text: "보도자료"), at: DocumentPosition(paragraph: 1)),
            DocumentBlock(.paragraph("서울시는 축제를 연다.\n둘째 줄."), at: DocumentPosition(paragraph: 2)),
            DocumentBlock(.heading(level: 2, text: "Contact"), at: DocumentPosition(paragraph: 3)),
            DocumentBlock(.paragraph("PR team"), at: DocumentPosition(paragraph: 4)),
        ])
        #expect(text.encoding == "UTF-8")
    }

    @Test func bytesThatAreNeitherUTF8NorCP949NameTheirOffset() {
        #expect(throws: DocumentError(file: "t.txt", .byteOffset(3), "neither UTF-8 nor CP949/EUC-KR text (bytes 0xFF)")) {
            try Documents.read([0x61, 0x62, 0x63, 0xFF], file: "t.txt")
        }
        // 0xB0 0xA1 is '가'; 0xC9 0x41 is no character in CP949.
        #expect(throws: DocumentError(file: "t.csv", .byteOffset(3), "neither UTF-8 nor CP949/EUC-KR text (bytes 0xC9 0x41)")) {
            try Documents.read([0x61, 0xB0, 0xA1, 0xC9, 0x41], file: "t.csv")
        }
        #expect(throws: DocumentError(file: "b.txt", .byteOffset(4), "not valid UTF-8 (byte 0xB0)")) {
            try Documents.read([0xEF, 0xBB, 0xBF, 0x61, 0xB0, 0xA1], file: "b.txt")
        }
    }

    @Test func cp949AndEUCKRTextIsDecodedAndTheEncodingRecorded() throws {
        let syllables = try Documents.read(DocumentFixtures.bytes("text/hangul-syllables.cp949.txt"), file: "h.txt")
        #expect(syllables.encoding == "CP949")
        #expect(syllables.plainText == String(String.UnicodeScalarView((0xAC00...0xD7A3).compactMap(Unicode.Scalar.init))))
        let csv = try Documents.read(DocumentFixtures.bytes("text/regions.cp949.csv"), file: "regions.csv")
        let utf8 = try Documents.read(DocumentFixtures.bytes("text/regions.utf8.csv"), file: "regions.csv")
        #expect(csv.encoding == "CP949")  // 똠 is outside EUC-KR
        #expect(csv.blocks == utf8.blocks)
        let notice = try Documents.read(DocumentFixtures.bytes("text/notice.euc-kr.txt"), file: "n.txt")
        #expect(notice.encoding == "EUC-KR")
        #expect(notice.plainText == "서울시는 축제를 연다.")
    }

    @Test func positionsPrintAsCitations() {
        #expect(DocumentPosition(page: 3).description == "page 3")
        #expect(DocumentPosition(sheet: "매출", cell: "B3").description == "매출!B3")
        #expect(DocumentPosition(section: 1, paragraph: 4).description == "section 1, paragraph 4")
        #expect(DocumentError(file: "a.docx", .entry("word/document.xml", byteOffset: 12), "bad").description
                == "a.docx: word/document.xml: byte 12: error: bad")
    }
}
