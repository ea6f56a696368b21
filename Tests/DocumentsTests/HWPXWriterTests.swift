@testable import Documents
import Foundation
import Testing
import TestSupport

/// Markdown -> Baton's HWPX -> Baton's HWPX reader (`DOCXWriterTests` reads back both writers'
/// structure) and python-hwpx: the text survives, and python-hwpx's OWPML schema check finds no
/// error.
@Suite struct HWPXWriterTests {
    @Test func theMimetypeComesFirstAndStored() throws {
        let bytes = HWPXWriter.document(fromMarkdown: "본문")
        // A local file header (PK\3\4), method 0 (stored) at byte 8, the name at byte 30.
        #expect(Array(bytes[0..<4]) == [0x50, 0x4B, 0x03, 0x04])
        #expect(bytes[8] == 0 && bytes[9] == 0)
        #expect(Array(bytes[30..<38]) == Array("mimetype".utf8))
        #expect(Array(bytes[38..<57]) == Array("application/hwp+zip".utf8))
    }

    @Test(arguments: [
        ("", [DocumentBlock.Kind]()),
        ("| a | b |\n|---|---|\n| c |", [.table(DocumentTable(rows: [[TableCell("a"), TableCell("b")], [TableCell("c"), TableCell("")]]))]),
        ("**굵게** 그리고 _기울임_", [.paragraph("굵게 그리고 기울임")]),
    ] as [(String, [DocumentBlock.Kind])])
    func edgeCasesReadBack(_ markdown: String, _ expected: [DocumentBlock.Kind]) throws {
        let text = try Documents.read(HWPXWriter.document(fromMarkdown: markdown), file: "edge.hwpx")
        #expect(text.blocks.map(\.kind) == expected)
    }

    @Test func anOutputPathChoosesTheWriter() {
        #expect(DocumentWriters.document(forPath: "en/release.HWPX", fromMarkdown: "a") == HWPXWriter.document(fromMarkdown: "a"))
        #expect(DocumentWriters.document(forPath: "en/release.docx", fromMarkdown: "a") == DOCXWriter.document(fromMarkdown: "a"))
        #expect(DocumentWriters.document(forPath: "en/release.md", fromMarkdown: "a") == nil)
    }

    @Test(.requiresPythonModule("hwpx")) func pythonHwpxValidatesAndReadsTheSameText() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("baton-hwpxwriter-\(UUID().uuidString).hwpx")
        try Data(HWPXWriter.document(fromMarkdown: DOCXWriterTests.markdown)).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let script = """
            import sys, warnings
            warnings.simplefilter('ignore')
            import hwpx
            d = hwpx.HwpxDocument.open(sys.argv[1])
            errors = [i for i in d.validate().issues if i.severity == 'error']
            print('errors|%d' % len(errors))
            for e in errors: print('error|' + e.message)
            for p in d.paragraphs:
                if p.text: print('p|' + p.text)
            for t in d.tables:
                for r in range(t.row_count):
                    print('row|' + '\\t'.join(t.cell(r, c).text for c in range(t.column_count)))
            """
        let (status, output) = try #require(ChildProcess.run(["python3", "-c", script, file.path]))
        #expect(status == 0)
        #expect(output == """
            errors|0
            p|보도자료: 생성형 AI 실무 센터 개소
            p|새솔대학교는 11월 24일 교내 미래관에서 개소식을 열었다고 밝혔다. 둘째 줄은 같은 문단이다.
            p|지원 내용
            p|센터는 지역 중소기업 120곳을 지원한다.
            p|참여 기업은 GPU 서버 사용료의 70%를 지원받는다.
            p|신청은 12월 15일까지 받는다.
            p|Daon Broadcasting <announced> a snake_case_name series.
            row|항목\t내용
            row|기간\t2년
            row|대상\t중소기업 120곳 & 대학

            """)
    }
}
