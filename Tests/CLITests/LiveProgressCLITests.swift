import Foundation
import Testing
import TestSupport

/// The live table (`BATON_PROGRESS=live` draws it into a pipe as on a terminal): `for_each`
/// items streaming at once each get their own line; one item's words never share a line with
/// another's (they used to be appended to one tail per step).
@Suite struct LiveProgressCLITests {
    @Test func concurrentItemsStreamOnSeparateLines() throws {
        let server = try FakeOpenAIServer(config: #"{"stream_delay": 0.03}"#)
        let (folder, path) = try fakeModelWorkflow("items", server: server, steps: """
              - id: words
                kind: generate
                for_each: ["가", "나"]
                prompt: "[[reply:{{ item }}1 {{ item }}2 {{ item }}3 {{ item }}4 {{ item }}5 {{ item }}6 {{ item }}7 {{ item }}8]]"
            """)
        let result = try BatonProcess.run(["run", path], environment: ["BATON_DB": "", "BATON_STREAM": "1", "BATON_PROGRESS": "live"],
                                          directory: folder)
        #expect(result.status == 0, "\(result.stderr)")
        let drawn = result.stderr.components(separatedBy: "\n").map { $0.replacingOccurrences(of: "\u{1B}[2K", with: "") }
        #expect(drawn.contains { $0.hasPrefix("    [0] …가1 가2") }, "\(drawn)")
        #expect(drawn.contains { $0.hasPrefix("    [1] …나1 나2") }, "\(drawn)")
        for line in drawn {
            #expect(!(line.contains("가") && line.contains("나")), "mixed: \(line)")
        }
    }
}

/// A fresh folder holding `NAME.yaml`: a workflow named `name` whose one model is `server`,
/// with the given `steps:` lines (indented two spaces).
private func fakeModelWorkflow(_ name: String, server: FakeOpenAIServer, steps: String) throws -> (folder: URL, path: String) {
    let folder = try TemporaryFolder.make(name)
    let path = folder.appendingPathComponent("\(name).yaml").path
    try """
        baton: 1
        name: \(name)
        models:
          main: { provider: openai, base_url: "\(server.baseURL.absoluteString)", model: fake-model }
        defaults: { model: main }
        steps:
        \(steps)
        """.write(toFile: path, atomically: true, encoding: .utf8)
    return (folder, path)
}

/// The format `baton show` and `baton runs` use for a duration.
enum AuditFormat {
    static func duration(_ seconds: Double) -> String { seconds < 1 ? String(format: "%.3f s", seconds) : String(format: "%.1f s", seconds) }
}

/// The progress log's seconds and tok/s are the model call's: a step that waited for the only
/// concurrency slot while another step's slow call ran does not count the wait (it showed 1.3 s
/// for a 0.6 s call).
@Suite struct ProgressTimingCLITests {
    @Test func aStepsSecondsLeaveOutTheWaitForASlot() throws {
        let server = try FakeOpenAIServer()
        let (folder, path) = try fakeModelWorkflow("slow", server: server, steps: """
              - { id: first, kind: generate, prompt: "[[slow:0.6]] a" }
              - { id: second, kind: generate, prompt: "[[slow:0.6]] b" }
            """)
        let result = try BatonProcess.run(["run", path, "--concurrency", "1"], environment: ["BATON_DB": "", "BATON_STREAM": "0"], directory: folder)
        #expect(result.status == 0, "\(result.stderr)")
        for step in ["first", "second"] {
            let line = try #require(result.stderr.components(separatedBy: "\n").first { $0.contains("] \(step): succeeded ") }, "\(result.stderr)")
            let figures = try #require(line.components(separatedBy: "succeeded ").last)
            let seconds = try #require(Double(figures.prefix { $0 != " " }), "\(line)")
            #expect(figures.hasPrefix(AuditFormat.duration(seconds)), "\(line)")
            #expect(seconds >= 0.5 && seconds < 1.0, "\(line)")
        }
    }
}
