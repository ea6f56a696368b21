@testable import Documents
import Foundation
import Testing

/// HWP 5.0 documents written by the test-side writer of `Fixtures/make_hwp5_fixtures.py` (from
/// Hancom's format description, cross-checked with pyhwp): every known sentence in order, the
/// structure (headings from outline paragraph shapes, a table with merged cells, two sections),
/// locked documents refused, and a damaged compound file refused with the byte offset.
@Suite struct HWPReaderTests {
    static func read(_ name: String) throws -> DocumentText {
        try Documents.read(DocumentFixtures.bytes("hwp/\(name)"), file: name)
    }

    static func error(_ name: String) throws -> DocumentError? {
        do {
            _ = try read(name)
            return nil
        } catch let error as DocumentError {
            return error
        }
    }

    @Test(arguments: [("notice.hwp", "notice"), ("notice-uncompressed.hwp", "notice"), ("long.hwp", "long")])
    func everyKnownSentenceComesOutInOrder(_ name: String, _ stem: String) throws {
        let text = try Self.read(name).plainText
        let sentences = try String(decoding: DocumentFixtures.bytes("hwp/\(stem).sentences.txt"), as: UTF8.self)
            .split(separator: "\n").map(String.init)
        #expect(KnownSentences.missing(sentences, in: text) == nil, "\(name):\n\(text)")
    }

    @Test(arguments: ["notice.hwp", "notice-uncompressed.hwp"])
    func headingsParagraphsControlsAndATableWithMergedCells(_ name: String) throws {
        let text = try Self.read(name)
        #expect(text.format == .hwp)
        #expect(text.title == "보도자료: 생성형 AI 실무 센터 개소")
        let table = DocumentTable.supportItems
        let expected: [(DocumentPosition, DocumentBlock.Kind)] = [
            (DocumentPosition(section: 1, paragraph: 1), .heading(level: 1, text: "보도자료: 생성형 AI 실무 센터 개소")),
            (DocumentPosition(section: 1, paragraph: 2), .paragraph("새솔대학교는 11월 24일 교내 미래관에서 생성형 AI 실무 센터 개소식을 열었다고 밝혔다.")),
            (DocumentPosition(section: 1, paragraph: 3), .heading(level: 2, text: "지원 내용")),
            // An inline tab (8 code units) is one tab, its width and kind never text.
            (DocumentPosition(section: 1, paragraph: 4), .paragraph("기간\t센터는 지역 중소기업 120곳을 대상으로 2년간 생성형 AI 도입 컨설팅과 실무 교육을 제공한다.")),
            // A line break and a non-breaking space are one unit each.
            (DocumentPosition(section: 1, paragraph: 5), .paragraph("참여 기업은 GPU 서버 사용료의 70%를 지원받는다.\n문의: 센터 운영팀")),
            (DocumentPosition(section: 1, paragraph: 6), .table(table)),
            (DocumentPosition(section: 1, paragraph: 7), .paragraph("Daon Broadcasting today announced a 12-part documentary series about regional makers. Each 50-minute episode pairs one manufacturer with a studio.")),
            (DocumentPosition(section: 2, paragraph: 1), .paragraph("신청은 12월 15일까지 센터 누리집에서 받는다.")),
        ]
        #expect(text.blocks.map(\.position) == expected.map(\.0))
        #expect(text.blocks.map(\.kind) == expected.map(\.1))
    }

    @Test func aStreamOverTheCutoffIsReadThroughTheFAT() throws {
        let bytes = try DocumentFixtures.bytes("hwp/long.hwp")
        let compound = try CompoundFile(bytes, file: "long.hwp")
        #expect(compound.root.children.map(\.name) == ["DocInfo", "PrvText", "BodyText", "FileHeader", "\u{5}HwpSummaryInformation"])
        let section = try #require(compound.entry(["BodyText", "Section0"]))
        #expect(section.size >= 4096)
        let header = try #require(compound.entry(["FileHeader"]))
        #expect(header.size == 256)
        #expect(Array(try compound.read(header).prefix(17)) == Array("HWP Document File".utf8))
        #expect(try Self.read("long.hwp").blocks.count == 60)
    }

    @Test(arguments: [
        ("password.hwp", "password.hwp: FileHeader: byte 36: error: the HWP document is password-protected; save a copy without the password in Hangul"),
        ("distribution.hwp", "password.hwp: FileHeader: byte 36: error: the HWP document is a distribution document (배포용 문서), whose text is encrypted; ask the sender for an editable copy"
            .replacingOccurrences(of: "password.hwp", with: "distribution.hwp")),
    ])
    func lockedDocumentsAreRefusedClearly(_ name: String, _ message: String) throws {
        #expect(try Self.error(name)?.description == message)
    }

    @Test func aCyclicFATChainIsRefusedWithTheByteOffset() throws {
        let error = try #require(try Self.error("cyclic-fat.hwp"))
        #expect(error.description == "cyclic-fat.hwp: byte 22604: error: stream 'Section0' has a cyclic FAT chain: sector 0 comes round again")
    }

    /// Control characters inside `PARA_TEXT`: char controls are one unit, inline and extended
    /// controls eight (their parameters are skipped whole, even when they look like text).
    @Test(arguments: [
        ([0x41, 0x0D], "A"),
        ([0x41, 0x0A, 0x42, 0x1E, 0x43, 0x1F, 0x44, 0x18, 0x45], "A\nB C D-E"),
        // An extended control (a table, 'tbl ') whose parameters are letters and Hangul.
        ([0x41, 0x0B, 0x6C62, 0x7462, 0xAC00, 0x0041, 0x0042, 0x0043, 0x0B, 0x42], "AB"),
        // A tab: the code, its width and kind, the code.
        ([0x41, 0x09, 0x0FA0, 0x0000, 0x0001, 0x0000, 0x0000, 0x0000, 0x09, 0x42], "A\tB"),
        // A field start (extended) and end (inline) around a hyperlink's text.
        ([0x03, 0x6B68, 0x256C, 0, 0, 0, 0, 0x03, 0xD55C, 0x04, 0, 0, 0, 0, 0, 0, 0x04], "한"),
        // A surrogate pair stays one character; a dangling high surrogate becomes U+FFFD.
        ([0xD83D, 0xDE00, 0xD83D], "😀\u{FFFD}"),
    ] as [([UInt16], String)])
    func paragraphTextSkipsControlsByTheirWidth(_ units: [UInt16], _ expected: String) {
        let bytes = units.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        #expect(HWPParagraphText.decode(bytes[...]) == expected)
    }
}
