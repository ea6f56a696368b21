import Foundation
import Testing
import TestSupport

/// `translate-press-releases` on a folder of office releases (DOCX, HWPX and HWP from the
/// Documents fixtures) against the loopback server in its realistic mode: every release is read
/// through `Documents`, translated with the glossary terms its text holds, and written beside the
/// Markdown as `.docx` (read back by python-docx) and `.hwpx` (read back by Baton).
@Suite struct PressReleaseOfficeCLITests {
    static let fixtures = BatonProcess.repository.appendingPathComponent("Tests/DocumentsTests/Fixtures")

    @Test(.requiresPythonModule("docx")) func officeReleasesComeBackAsWordAndHangulFiles() throws {
        let server = try FakeOpenAIServer(config: #"{"realistic": true, "slow_seconds": 0}"#)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("baton-office-releases-\(UUID().uuidString)")
        let sources = folder.appendingPathComponent("ko")
        try FileManager.default.createDirectory(at: sources, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let releases = ["office/release.docx": "a-release.docx", "office/notice.hwpx": "b-notice.hwpx", "hwp/notice.hwp": "c-notice.hwp"]
        for (fixture, name) in releases {
            try FileManager.default.copyItem(at: Self.fixtures.appendingPathComponent(fixture), to: sources.appendingPathComponent(name))
        }
        try "ignored: not a release format".write(to: sources.appendingPathComponent("notes.txt"), atomically: true, encoding: .utf8)
        let workflow = BatonProcess.repository.appendingPathComponent("Workflows/translate-press-releases.yaml").path
        let run = try BatonProcess.run(["run", workflow, "--model", "*=\(server.baseURL.absoluteString)#realistic-model", "--json", "--input", "folder=\(sources.path)"],
                                       environment: ["BATON_DB": "", "BATON_STREAM": "0"], directory: folder)
        #expect(run.status == 0, "\(run.stdout)\n\(run.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any], "\(run.stdout)")
        #expect(object["status"] as? String == "succeeded", "\(object["error"] ?? "")")
        let stems = ["a-release", "b-notice", "c-notice"]
        let written = stems.flatMap { stem in ["md", "docx", "hwpx"].map { "out/press-releases/en/\(stem).en.\($0)" } }
        #expect((object["files"] as? [String])?.sorted() == (written + ["out/press-releases/en/INDEX.md"]).sorted())
        // Each prompt carried the release's own text, read from the office file.
        let prompts = server.prompts()
        #expect(prompts.count == 3)
        #expect(prompts.allSatisfy { $0.contains("새솔대학교는 11월 24일 교내 미래관에서") }, "\(prompts)")
        #expect(prompts.contains { $0.contains("참여 기업은 GPU 서버 사용료의 70%를 지원받는다.\n문의: 센터 운영팀") }, "the HWP release")

        let out = folder.appendingPathComponent("out/press-releases/en")
        let script = """
            import sys, docx
            for path in sys.argv[1:]:
                d = docx.Document(path)
                paragraphs = [p for p in d.paragraphs if p.text]
                print(paragraphs[0].style.name + '|' + paragraphs[0].text + '|' + paragraphs[-1].text)
            """
        let (status, output) = try #require(ChildProcess.run(["python3", "-c", script] + stems.map { out.appendingPathComponent("\($0).en.docx").path }))
        #expect(status == 0)
        let line = "Heading 1|English version|It names Saesol University, Center for Applied Generative AI."
        #expect(output == [line, line, line].joined(separator: "\n") + "\n")
        // The HWPX translation reads back (through Baton) as the Markdown said.
        for stem in stems {
            let markdown = try String(contentsOf: out.appendingPathComponent("\(stem).en.md"), encoding: .utf8)
            let text = try BatonProcess.run(["text", out.appendingPathComponent("\(stem).en.hwpx").path], environment: ["BATON_DB": ""], directory: folder)
            #expect(text.status == 0, "\(text.stderr)")
            #expect(text.stdout.hasPrefix("# English version\n\n"), "\(stem): \(text.stdout)")
            #expect(text.stdout.hasSuffix("It names Saesol University, Center for Applied Generative AI.\n"), "\(stem): \(text.stdout)")
            #expect(markdown.hasSuffix("It names Saesol University, Center for Applied Generative AI.\n"))
        }
    }
}
