@testable import Documents
import Foundation
import Testing

/// DOCX, PPTX and XLSX fixtures written by python-docx, python-pptx and openpyxl
/// (`Fixtures/make_office_fixtures.py`): every known sentence in order, and the structure each
/// format promises (headings, lists, merged cells once, notes, displayed numbers and dates).
@Suite struct OfficeReaderTests {
    static func read(_ name: String) throws -> DocumentText {
        try Documents.read(DocumentFixtures.bytes("office/\(name)"), file: name)
    }

    @Test(arguments: ["release.docx", "briefing.pptx", "budget.xlsx", "notice.hwpx"])
    func everyKnownSentenceComesOutInOrder(_ name: String) throws {
        let text = try Self.read(name).plainText
        let stem = (name as NSString).deletingPathExtension
        let sentences = try String(decoding: DocumentFixtures.bytes("office/\(stem).sentences.txt"), as: UTF8.self)
            .split(separator: "\n").map(String.init)
        #expect(KnownSentences.missing(sentences, in: text) == nil, "\(name):\n\(text)")
    }

    @Test func docxHeadingsListsMergedCellsTextBoxesAndFootnotes() throws {
        let text = try Self.read("release.docx")
        #expect(text.format == .docx)
        #expect(text.title == "생성형 AI 실무 센터 보도자료")
        let table = DocumentTable.supportItems
        let expected: [DocumentBlock.Kind] = [
            .heading(level: 1, text: "보도자료: 생성형 AI 실무 센터 개소"),
            .paragraph("새솔대학교는 11월 24일 교내 미래관에서 생성형 AI 실무 센터 개소식을 열었다고 밝혔다."),
            .heading(level: 2, text: "지원 내용"),
            .listItem(level: 1, ordered: false, text: "센터는 지역 중소기업 120곳을 대상으로 2년간 생성형 AI 도입 컨설팅과 실무 교육을 제공한다."),
            .listItem(level: 1, ordered: true, text: "참여 기업은 GPU 서버 사용료의 70%를 지원받는다."),
            .table(table),
            .paragraph("Daon Broadcasting today announced a 12-part documentary series about regional makers. Each 50-minute episode pairs one manufacturer with a studio."),
            .paragraph("글상자: 신청은 12월 15일까지 센터 누리집에서 받는다."),
            .paragraph("문의: 센터 운영팀"),
            .paragraph("[^1]: 센터 누리집 주소는 추후 공지한다."),
        ]
        #expect(text.blocks.map(\.kind) == expected)
        #expect(text.blocks.map(\.position) == (1...expected.count).map { DocumentPosition(paragraph: $0) })
        #expect(!text.plainText.contains("deleted"))
    }

    @Test func pptxSlidesTitlesBodiesTablesAndNotes() throws {
        let text = try Self.read("briefing.pptx")
        #expect(text.title == "다온방송 다큐멘터리 발표")
        let blocks = text.blocks.map { ($0.position.slide ?? 0, $0.kind) }
        let expected: [(Int, DocumentBlock.Kind)] = [
            (1, .heading(level: 1, text: "다온방송 다큐멘터리 시리즈")),
            (1, .paragraph("Daon Broadcasting today announced a 12-part documentary series about regional makers.")),
            (1, .note("발표자 노트: 신청은 12월 15일까지 센터 누리집에서 받는다.")),
            (2, .heading(level: 2, text: "지원 내용")),
            (2, .listItem(level: 1, ordered: false, text: "센터는 지역 중소기업 120곳을 대상으로 2년간 생성형 AI 도입 컨설팅과 실무 교육을 제공한다.")),
            (2, .listItem(level: 2, ordered: false, text: "참여 기업은 GPU 서버 사용료의 70%를 지원받는다.")),
            (2, .paragraph("Each 50-minute episode pairs one manufacturer with a studio.")),
            (3, .heading(level: 2, text: "일정")),
            (3, .table(.schedule)),
        ]
        #expect(blocks.map(\.0) == expected.map(\.0))
        #expect(blocks.map(\.1) == expected.map(\.1))
    }

    @Test func xlsxSheetsWithDisplayedNumbersDatesAndCellPositions() throws {
        let text = try Self.read("budget.xlsx")
        let budget = DocumentTable(rows: [
            ["항목", "금액", "비율", "시작일"].map { TableCell($0) },
            ["GPU 서버 사용료", "1,250,000", "70%", "2027-01-08"].map { TableCell($0) },
            ["실무 교육", "480,000.50", "30%", "2027-03-02 09:30"].map { TableCell($0) },
            ["", "", "", ""].map { TableCell($0) },
            ["합계", "1730000.5", "", ""].map { TableCell($0) },
            ["", "", "", ""].map { TableCell($0) },
            [TableCell("Daon Broadcasting today announced a 12-part documentary series about regional makers.", colSpan: 4)],
        ])
        let notes = DocumentTable(rows: [
            [TableCell("신청은 12월 15일까지 센터 누리집에서 받는다."), TableCell("")],
            [TableCell(""), TableCell("TRUE")],
            [TableCell("3.25"), TableCell("")],
            [TableCell("인라인 문자열 셀"), TableCell("")],
        ])
        #expect(text.blocks == [
            DocumentBlock(.sheet(name: "예산"), at: DocumentPosition(sheet: "예산")),
            DocumentBlock(.table(budget), at: DocumentPosition(sheet: "예산", cell: "A1")),
            DocumentBlock(.sheet(name: "Notes"), at: DocumentPosition(sheet: "Notes")),
            DocumentBlock(.table(notes), at: DocumentPosition(sheet: "Notes", cell: "B3")),
        ])
    }

    @Test func hwpxSectionsOutlineHeadingsListsTablesAndFootnotes() throws {
        let text = try Self.read("notice.hwpx")
        #expect(text.format == .hwpx)
        let blocks = text.blocks.map { ($0.position.section ?? 0, $0.kind) }
        let expected: [(Int, DocumentBlock.Kind)] = [
            (1, .heading(level: 1, text: "보도자료: 생성형 AI 실무 센터 개소")),
            (1, .paragraph("새솔대학교는 11월 24일 교내 미래관에서 생성형 AI 실무 센터 개소식을 열었다고 밝혔다.")),
            (1, .heading(level: 2, text: "지원 내용")),
            (1, .listItem(level: 1, ordered: false, text: "센터는 지역 중소기업 120곳을 대상으로 2년간 생성형 AI 도입 컨설팅과 실무 교육을 제공한다.")),
            (1, .paragraph("참여 기업은 GPU 서버 사용료의 70%를 지원받는다.")),
            (1, .table(.schedule)),
            (1, .paragraph("신청은 12월 15일까지 센터 누리집에서 받는다.")),
            (2, .paragraph("Daon Broadcasting today announced a 12-part documentary series about regional makers.")),
            (2, .paragraph("[^1]: 센터 누리집 주소는 추후 공지한다.")),
        ]
        #expect(blocks.map(\.0) == expected.map(\.0))
        #expect(blocks.map(\.1) == expected.map(\.1))
        #expect(text.blocks.first?.position == DocumentPosition(section: 1, paragraph: 1))
    }

    @Test func xlsxRowsServeAsABatchSource() throws {
        let workbook = try XLSXWorkbook(DocumentFixtures.bytes("office/budget.xlsx"), file: "budget.xlsx")
        #expect(workbook.sheets.map(\.name) == ["예산", "Notes"])
        #expect(workbook.sheets[0].rows[1] == ["GPU 서버 사용료", "1,250,000", "70%", "2027-01-08"])
        #expect(workbook.sheets[0].rows.count == 7)  // rows 1-7, the empty 4th and 6th included
    }

    @Test(arguments: [
        (1.0, XLSXNumberFormat(id: 14, code: nil), "1900-01-01"),
        (61.0, XLSXNumberFormat(id: 14, code: nil), "1900-03-01"),
        (46_363.5, XLSXNumberFormat(id: 22, code: nil), "2026-12-07 12:00"),
        (0.75, XLSXNumberFormat(id: 164, code: "h:mm"), "18:00"),
        (1234567.891, XLSXNumberFormat(id: 4, code: nil), "1,234,567.89"),
        (-1234.5, XLSXNumberFormat(id: 3, code: nil), "-1,235"),
        (0.125, XLSXNumberFormat(id: 170, code: "0.0%"), "12.5%"),
        (1.0 / 3.0, XLSXNumberFormat(id: 0, code: nil), "0.3333333333"),
        (42_000.0, XLSXNumberFormat(id: 171, code: "[Red]\"₩\"#,##0;-#,##0"), "₩42,000"),
        (3.0, XLSXNumberFormat(id: 172, code: "0\"개\""), "3개"),
    ])
    func numbersAreShownAsTheirFormatSays(_ value: Double, _ format: XLSXNumberFormat, _ shown: String) {
        #expect(format.display(value, date1904: false) == shown)
    }
}
