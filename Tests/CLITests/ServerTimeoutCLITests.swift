import Foundation
import Testing
import TestSupport

/// Issue 19 item 6: a step's `timeout` bounds the whole exchange with the server, whatever
/// length it announced. The loopback server sends headers, then one byte every 0.2 s for 30 s:
/// with `timeout: 1s` the run must end in seconds (main's baton waited the 30 s, until the
/// server closed). Timed around the real binary, so the test process's own load cannot blur it.
@Suite struct ServerTimeoutCLITests {
    @Test func aTrickledBodyCannotOutlastTheTimeout() throws {
        let server = try FakeOpenAIServer()
        let folder = try TemporaryFolder.make("trickle")
        defer { try? FileManager.default.removeItem(at: folder) }
        try """
            baton: 1
            name: trickle
            models:
              remote: { provider: openai, base_url: "\(server.baseURL.absoluteString)", model: fake-model }
            defaults: { model: remote, timeout: 1s }
            steps:
              - { id: small, kind: generate, prompt: "카피 [[drip:30]]" }
              - { id: huge, kind: generate, prompt: "카피 [[trickle:30]]" }
            """.write(to: folder.appendingPathComponent("w.yaml"), atomically: true, encoding: .utf8)
        let started = Date()
        let run = try BatonProcess.run(["run", "w.yaml", "--json"], environment: ["BATON_DB": ""], directory: folder)
        let elapsed = Date().timeIntervalSince(started)
        print("two trickled answers (4,000 and 64 MiB announced), timeout 1s: the run ended after \(String(format: "%.2f", elapsed)) s")
        #expect(run.status == 1)
        #expect(elapsed < 10, "the run took \(elapsed) s")
        let runID = try #require((try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])?["run_id"] as? String)
        let shown = try BatonProcess.run(["show", runID, "--json"], environment: ["BATON_DB": ""], directory: folder)
        let steps = try #require((try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [String: Any])?["steps"] as? [[String: Any]])
        let errors = Dictionary(steps.compactMap { step in (step["id"] as? String).map { ($0, step["error"] as? String ?? "") } }) { $1 }
        #expect(errors["small"]?.contains("no complete answer within 1 s") == true, "\(errors)")
        #expect(errors["huge"]?.contains("larger than the 16 MiB limit") == true || errors["huge"]?.contains("within 1 s") == true, "\(errors)")
    }
}
