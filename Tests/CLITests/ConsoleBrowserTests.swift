import Foundation
import Testing
import TestSupport

/// The marketer's journey in a real browser (Debian's chromium and chromium-driver, PyPI's
/// selenium): `Browser/console_journey.py` drives `baton serve` on loopback, with campaign-copy
/// answered by the realistic loopback model server. Screenshots of each page go to
/// `$BATON_TEST_OUTPUT/console-journey` (default `.build/test-output/console-journey`).
@Suite struct ConsoleBrowserTests {
    @Test(.requiresPythonModule("selenium"))
    func marketerRunsReviewsEditsAndApprovesInTheBrowser() throws {
        try #require(FileManager.default.isExecutableFile(atPath: "/usr/bin/chromium"), "needs Debian's chromium: bash Scripts/setup-test-tools.sh")
        try #require(FileManager.default.isExecutableFile(atPath: "/usr/bin/chromedriver"), "needs Debian's chromium-driver: bash Scripts/setup-test-tools.sh")
        let server = try FakeOpenAIServer(config: #"{"realistic": true}"#)
        let folder = try TemporaryFolder.make("browser")
        try FileManager.default.createSymbolicLink(at: folder.appendingPathComponent("Examples"),
                                                   withDestinationURL: BatonProcess.repository.appendingPathComponent("Examples"))
        let serve = try ServeProcess(["--workflows", BatonProcess.repository.appendingPathComponent("Workflows").path,
                                      "--model", "*=\(server.baseURL.absoluteString)#realistic-model"],
                                     environment: ["BATON_DB": "", "BATON_STREAM": "0", "BATON_AUTO_APPROVE": ""], directory: folder)
        defer { serve.stop() }
        let output = ProcessInfo.processInfo.environment["BATON_TEST_OUTPUT"].map { URL(fileURLWithPath: $0) }
            ?? BatonProcess.repository.appendingPathComponent(".build/test-output")
        let shots = output.appendingPathComponent("console-journey")
        try? FileManager.default.removeItem(at: shots)
        let script = BatonProcess.repository.appendingPathComponent("Tests/CLITests/Browser/console_journey.py").path
        let result = try #require(ChildProcess.run(["python3", script, "http://127.0.0.1:\(serve.port)", shots.path]))
        #expect(result.status == 0, "\(result.output)\n\(serve.stderrText)")
        #expect(result.output.contains("journey ok"), "\(result.output)")
        let names = try FileManager.default.contentsOfDirectory(atPath: shots.path).sorted()
        #expect(names == ["01-workflows.png", "02-run-form.png", "03-run-live.png", "04-run-waiting.png", "05-review-inbox.png", "06-run-detail.png", "07-diff.png", "08-progress.png"])
    }
}
