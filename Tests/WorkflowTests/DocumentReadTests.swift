import Foundation
import Testing
import Template
@testable import Workflow

/// `read` steps and `type: file` inputs on office files (the fixtures of `Tests/DocumentsTests`):
/// a DOCX, PPTX or PDF gives its Markdown text, an XLSX its first sheet's rows like a CSV file.
@Suite struct DocumentReadTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("DocumentsTests/Fixtures")

    static func path(_ relative: String) -> String { fixtures.appendingPathComponent(relative).path }

    @Test func aDocxReadsAsMarkdown() throws {
        guard case .string(let text) = try StepFileReader.read(path: Self.path("office/release.docx"), format: nil) else {
            Issue.record("not text")
            return
        }
        #expect(text.hasPrefix("# 보도자료: 생성형 AI 실무 센터 개소\n\n새솔대학교는 11월 24일"))
        #expect(try InputBinding.readTextFile(Self.path("office/release.docx")) == text)
    }

    @Test func anXlsxReadsAsRowsNamedByItsFirstRow() throws {
        #expect(try StepFileReader.read(path: Self.path("office/budget.xlsx"), format: nil) == .list([
            ["항목": "GPU 서버 사용료", "금액": "1,250,000", "비율": "70%", "시작일": "2027-01-08"],
            ["항목": "실무 교육", "금액": "480,000.50", "비율": "30%", "시작일": "2027-03-02 09:30"],
            ["항목": "합계", "금액": 1730000.5, "비율": "", "시작일": ""],
            ["항목": "Daon Broadcasting today announced a 12-part documentary series about regional makers.", "금액": "", "비율": "", "시작일": ""],
        ]))
    }

    /// Braces give alternatives, as in a shell: a folder of releases in several formats is one glob.
    @Test(arguments: [
        ("*.{md,docx}", ["*.md", "*.docx"]),
        ("a{b,c{d,e}}f", ["abf", "acdf", "acef"]),
        ("{x,y}/{1,2}", ["x/1", "x/2", "y/1", "y/2"]),
        ("{solo}.md", ["{solo}.md"]),
        ("plain/*.md", ["plain/*.md"]),
    ])
    func bracesExpandToAlternatives(_ pattern: String, _ expected: [String]) {
        #expect(StepFileReader.expandBraces(pattern) == expected)
    }

    @Test func aGlobWithBracesReadsEveryFormatOnce() throws {
        let files = try StepFileReader.read(glob: Self.path("{office,hwp}/notice.{hwp,hwpx,hwpx}"), format: nil)
        guard case .list(let entries) = files else { Issue.record("not a list"); return }
        #expect(entries.map { entry -> String in
            guard case .dict(let values) = entry, case .string(let name)? = values["name"] else { return "?" }
            return name
        } == ["notice.hwp", "notice.hwpx"])
        guard case .dict(let hwp) = entries[0], case .string(let text)? = hwp["text"] else { Issue.record("no text"); return }
        #expect(text.hasPrefix("# 보도자료: 생성형 AI 실무 센터 개소\n\n새솔대학교는"))
    }

    @Test func aGlobOfDocumentsCarriesTextAndRows() throws {
        let files = try StepFileReader.read(glob: Self.path("office/*.xlsx"), format: nil)
        guard case .list(let entries) = files, case .dict(let entry)? = entries.first else {
            Issue.record("no entries")
            return
        }
        #expect(entries.count == 1)
        #expect(entry["name"] == "budget.xlsx")
        guard case .list(let rows)? = entry["rows"] else { Issue.record("no rows"); return }
        #expect(rows.count == 4)
    }

    @Test func aDamagedDocumentIsADiagnosticNamingTheFile() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("baton-docread-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("broken.docx").path
        try Data("PK\u{3}\u{4}not really".utf8).write(to: URL(fileURLWithPath: path))
        let error = try #require(throws: Diagnostic.self) { try StepFileReader.read(path: path, format: nil) }
        #expect(error.message == "\(path): byte 14: error: no end-of-central-directory record: the archive is truncated or not a ZIP file")
    }
}
