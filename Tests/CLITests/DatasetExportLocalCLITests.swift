import Foundation
import Testing
import TestSupport

/// A local model's attempt keeps the messages it sent (its chat-template rendering beside them,
/// in `extra_json.rendered_prompt`), so `baton dataset export` takes its approved outputs too.
@Test(.requiresSmolLM2) func anApprovedLocalModelStepIsExportedAsMessages() throws {
    let model = try #require(ReferenceModels.smolLM2)
    let folder = try TemporaryFolder.make("dataset-local")
    defer { try? FileManager.default.removeItem(at: folder) }
    try """
        baton: 1
        name: local-copy
        models:
          writer: { provider: local, path: "\(model)", context: 256, threads: 2 }
        steps:
          - { id: copy, kind: generate, model: writer, temperature: 0, max_tokens: 8, system: "You write taglines.", prompt: "Tagline for green tea" }
          - { id: approval, kind: review, show: "{{ steps.copy.output }}" }
        outputs:
          copy: "{{ steps.copy.output }}"
        """.write(to: folder.appendingPathComponent("local.yaml"), atomically: true, encoding: .utf8)
    let environment = ["BATON_DB": "", "BATON_STREAM": "0"]
    let run = try BatonProcess.run(["run", "local.yaml", "--approve-all", "--json"], environment: environment, directory: folder)
    #expect(run.status == 0, "\(run.stderr)")
    let object = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
    #expect(object["status"] as? String == "succeeded")
    let reply = try #require((object["outputs"] as? [String: Any])?["copy"] as? String)

    let out = folder.appendingPathComponent("data.jsonl").path
    let export = try BatonProcess.run(["dataset", "export", "--out", out, "--approved-only", "--valid-fraction", "0"],
                                      environment: environment, directory: folder)
    #expect(export.status == 0, "\(export.stderr)")
    let lines = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n")
    #expect(lines.count == 1)
    let line = try #require(try JSONSerialization.jsonObject(with: Data((lines.first ?? "").utf8)) as? [String: [[String: String]]])
    #expect(line == ["messages": [
        ["role": "system", "content": "You write taglines."],
        ["role": "user", "content": "Tagline for green tea"],
        ["role": "assistant", "content": reply],
    ]])
}
