import Documents
import Foundation
import Testing
import TestSupport

/// LibreOffice (Debian `libreoffice-writer-nogui`, headless) opens Baton's DOCX: converted to text it has every paragraph and cell, converted to PDF (with
/// `fonts-nanum`) Baton's PDF reader finds the Korean sentences again. Skipped where LibreOffice
/// is not installed; CI does not install it (hundreds of MB for one check).
@Suite(.enabled(if: LibreOffice.soffice != nil, "needs LibreOffice: apt-get install libreoffice-writer-nogui fonts-nanum"))
struct LibreOfficeTests {

    /// Converts `document` to `format` (`txt:Text`, `pdf`) in a fresh folder with its own
    /// LibreOffice profile (so tests running at once do not share one) and returns the result.
    static func convert(_ document: [UInt8], name: String, to format: String, extension ext: String) throws -> [UInt8] {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("baton-lo-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = folder.appendingPathComponent(name)
        try Data(document).write(to: input)
        let soffice = try #require(LibreOffice.soffice)
        let run = try #require(ChildProcess.run([soffice, "-env:UserInstallation=file://\(folder.path)/profile", "--headless",
                                                 "--convert-to", format, "--outdir", folder.path, input.path]))
        #expect(run.status == 0, "\(run.output)")
        let output = folder.appendingPathComponent((name as NSString).deletingPathExtension + "." + ext)
        return [UInt8](try Data(contentsOf: output))
    }

    @Test func libreOfficeReadsBatonsDOCXAsText() throws {
        let docx = DOCXWriter.document(fromMarkdown: DOCXWriterTests.markdown)
        let text = String(decoding: try Self.convert(docx, name: "release.docx", to: "txt:Text", extension: "txt"), as: UTF8.self)
        let lines = text.replacingOccurrences(of: "\u{FEFF}", with: "").split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        for expected in ["보도자료: 생성형 AI 실무 센터 개소", "새솔대학교는 11월 24일 교내 미래관에서 개소식을 열었다고 밝혔다. 둘째 줄은 같은 문단이다.",
                         "지원 내용", "센터는 지역 중소기업 120곳을 지원한다.", "참여 기업은 GPU 서버 사용료의 70%를 지원받는다.",
                         "신청은 12월 15일까지 받는다.", "중소기업 120곳 & 대학", "Daon Broadcasting <announced> a snake_case_name series."] {
            #expect(lines.contains { $0.hasSuffix(expected) }, "\(expected) in\n\(text)")
        }
    }

    @Test func libreOfficePrintsBatonsDOCXToAPDFBatonReadsBack() throws {
        let docx = DOCXWriter.document(fromMarkdown: DOCXWriterTests.markdown)
        let pdf = try Self.convert(docx, name: "release.docx", to: "pdf", extension: "pdf")
        let text = try Documents.read(pdf, file: "release.pdf").plainText
        let sentences = ["보도자료: 생성형 AI 실무 센터 개소", "새솔대학교는 11월 24일 교내 미래관에서 개소식을 열었다고 밝혔다.", "지원 내용",
                         "센터는 지역 중소기업 120곳을 지원한다.", "항목", "내용", "기간", "2년", "대상", "중소기업 120곳 & 대학"]
        #expect(KnownSentences.missing(sentences, in: text) == nil, "\(text)")
    }
}

/// Where LibreOffice's `soffice` is installed, if it is.
enum LibreOffice {
    static let soffice: String? = ["/usr/bin/soffice", "/usr/lib/libreoffice/program/soffice", "/opt/homebrew/bin/soffice"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }
}
