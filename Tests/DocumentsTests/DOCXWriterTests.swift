@testable import Documents
import Foundation
import Testing
import TestSupport

/// Markdown -> Baton's DOCX (and HWPX) -> Baton's reader and python-docx: the text and structure survive.
@Suite struct DOCXWriterTests {
    static let markdown = """
        # 보도자료: 생성형 AI 실무 센터 개소

        새솔대학교는 **11월 24일** 교내 미래관에서 *개소식*을 열었다고 밝혔다.
        둘째 줄은 같은 문단이다.

        ## 지원 내용

        - 센터는 지역 중소기업 120곳을 지원한다.
          - 참여 기업은 GPU 서버 사용료의 70%를 지원받는다.
        1. 신청은 12월 15일까지 받는다.

        | 항목 | 내용 |
        |---|---|
        | 기간 | 2년 |
        | 대상 | 중소기업 120곳 & 대학 |

        Daon Broadcasting <announced> a snake_case_name series.
        """

    static let expected: [DocumentBlock.Kind] = [
        .heading(level: 1, text: "보도자료: 생성형 AI 실무 센터 개소"),
        .paragraph("새솔대학교는 11월 24일 교내 미래관에서 개소식을 열었다고 밝혔다. 둘째 줄은 같은 문단이다."),
        .heading(level: 2, text: "지원 내용"),
        .listItem(level: 1, ordered: false, text: "센터는 지역 중소기업 120곳을 지원한다."),
        .listItem(level: 2, ordered: false, text: "참여 기업은 GPU 서버 사용료의 70%를 지원받는다."),
        .listItem(level: 1, ordered: true, text: "신청은 12월 15일까지 받는다."),
        .table(DocumentTable(rows: [[TableCell("항목"), TableCell("내용")], [TableCell("기간"), TableCell("2년")],
                                    [TableCell("대상"), TableCell("중소기업 120곳 & 대학")]])),
        .paragraph("Daon Broadcasting <announced> a snake_case_name series."),
    ]

    /// Both writers (DOCX, and HWPX from `HWPXWriterTests`' side) keep the structure and write
    /// the same bytes each time.
    @Test(arguments: [("out.docx", DocumentFormat.docx), ("out.hwpx", .hwpx)])
    func batonReadsBackTheStructureItWrote(_ path: String, _ format: DocumentFormat) throws {
        let bytes = try #require(DocumentWriters.document(forPath: path, fromMarkdown: Self.markdown))
        let text = try Documents.read(bytes, file: path)
        #expect(text.format == format)
        #expect(text.title == "보도자료: 생성형 AI 실무 센터 개소")
        #expect(text.blocks.map(\.kind) == Self.expected)
        #expect(DocumentWriters.document(forPath: path, fromMarkdown: Self.markdown) == bytes)  // reproducible bytes
    }

    @Test func boldAndItalicBecomeRuns() throws {
        let bytes = DOCXWriter.document(fromMarkdown: "a **b** *c* `d*e`")
        let archive = try ZIPArchive(bytes, file: "x.docx")
        var budget = archive.budget
        let xml = String(decoding: try #require(try archive.data("word/document.xml", budget: &budget)), as: UTF8.self)
        #expect(xml.contains("<w:r><w:rPr><w:b/></w:rPr><w:t xml:space=\"preserve\">b</w:t></w:r>"))
        #expect(xml.contains("<w:r><w:rPr><w:i/></w:rPr><w:t xml:space=\"preserve\">c</w:t></w:r>"))
        #expect(xml.contains("<w:t xml:space=\"preserve\">d*e</w:t>"))
    }

    @Test(.requiresPythonModule("docx")) func pythonDocxReadsTheSameText() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("baton-docxwriter-\(UUID().uuidString).docx")
        try Data(DOCXWriter.document(fromMarkdown: Self.markdown)).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let script = """
            import sys, docx
            d = docx.Document(sys.argv[1])
            for p in d.paragraphs: print(p.style.name + '|' + p.text)
            for t in d.tables:
                for r in t.rows: print('row|' + '\\t'.join(c.text for c in r.cells))
            """
        let (status, output) = try #require(ChildProcess.run(["python3", "-c", script, file.path]))
        #expect(status == 0)
        #expect(output == """
            Heading 1|보도자료: 생성형 AI 실무 센터 개소
            Normal|새솔대학교는 11월 24일 교내 미래관에서 개소식을 열었다고 밝혔다. 둘째 줄은 같은 문단이다.
            Heading 2|지원 내용
            List Paragraph|센터는 지역 중소기업 120곳을 지원한다.
            List Paragraph|참여 기업은 GPU 서버 사용료의 70%를 지원받는다.
            List Paragraph|신청은 12월 15일까지 받는다.
            Normal|Daon Broadcasting <announced> a snake_case_name series.
            row|항목\t내용
            row|기간\t2년
            row|대상\t중소기업 120곳 & 대학

            """)
    }
}
