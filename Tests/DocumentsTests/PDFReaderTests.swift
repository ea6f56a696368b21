@testable import Documents
import Foundation
import Testing

/// The PDF reader against the committed fixtures (`Fixtures/make_pdf_fixtures.py`): LibreOffice's
/// Korean CID-font PDFs and hand-built PDFs exercising one feature each. Every known sentence must
/// come out in order, and the text must be as close to pdfminer.six's as pdfminer is to the truth.
@Suite struct PDFReaderTests {
    /// The fixtures that have known sentences (all but the password-protected one).
    static let fixtures = ["libreoffice-korean", "xref-stream", "incremental", "filters-chain", "flate-predictor",
                           "differences", "rc4-empty-password", "aes-empty-password", "blank-page"]

    static func read(_ name: String) throws -> PDFReader.Result {
        try PDFReader().readPDF(DocumentFixtures.bytes("pdf/\(name).pdf"), file: "\(name).pdf")
    }

    @Test(arguments: fixtures)
    func everyKnownSentenceComesOutInOrder(_ name: String) throws {
        let text = try Self.read(name).text.plainText
        let sentences = try String(decoding: DocumentFixtures.bytes("pdf/\(name).sentences.txt"), as: UTF8.self)
            .split(separator: "\n").map(String.init)
        #expect(!sentences.isEmpty)
        try #require(KnownSentences.missing(sentences, in: text) == nil, "\(name): \(text)")
    }

    @Test(arguments: fixtures.filter { $0 != "differences" })
    func theTextIsAsCloseToPdfminersAsRequired(_ name: String) throws {
        // Baton's own notes (a page without text) are not the document's text.
        let text = try Self.read(name).text.blocks.filter { if case .note = $0.kind { false } else { true } }
            .map(\.text).joined(separator: "\n")
        let reference = try String(decoding: DocumentFixtures.bytes("pdf/\(name).pdfminer.txt"), as: UTF8.self)
        let similarity = TextSimilarity.ratio(text, reference)
        #expect(similarity >= 0.98, "\(name): similarity \(similarity)")
    }

    @Test func koreanIdentityHFontsKeepTheirSyllablesAndTheTableReadsByRows() throws {
        let result = try Self.read("libreoffice-korean")
        #expect(result.pageCount == 2)
        #expect(result.pagesWithoutText.isEmpty)
        #expect(result.text.title == "생성형 AI 실무 센터")
        #expect(result.text.blocks.first?.position == DocumentPosition(page: 1))
        #expect(result.text.blocks.last?.position == DocumentPosition(page: 2))
        let text = result.text.plainText.filter { !$0.isWhitespace }
        #expect(text.contains("항목내용기간2년대상중소기업120곳"))
    }

    @Test func aPageWithoutTextIsReportedByNumber() throws {
        let result = try Self.read("blank-page")
        #expect(result.pageCount == 2)
        #expect(result.pagesWithoutText == [2])
        #expect(result.text.blocks.last == DocumentBlock(.note("page 2 has no text (a scanned image or a blank page)"),
                                                        at: DocumentPosition(page: 2)))
    }

    @Test func aCatalogWhosePagesLeadNowhereFallsBackToThePageObjects() throws {
        // An earlier make_pdf_fixtures.py pointed /Pages at the /Info dictionary; pdfminer still
        // read the page, and so must Baton.
        let text = try Self.read("catalog-pages-wrong").text.plainText
        #expect(text.hasPrefix("Baton reads the press release of Daon Broadcasting."))
    }

    @Test func aUserPasswordIsRefused() throws {
        let error = try #require(throws: DocumentError.self) { try Self.read("aes-user-password") }
        #expect(error.file == "aes-user-password.pdf")
        #expect(error.message.contains("password"), "\(error)")
    }

    @Test func theRegistryReadsPDFs() throws {
        let text = try Documents.read(DocumentFixtures.bytes("pdf/xref-stream.pdf"), file: "x.bin")
        #expect(text.format == .pdf)
        #expect(text.plainText.contains("Baton reads the press release of Daon Broadcasting."))
    }
}
