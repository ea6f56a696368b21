import Foundation
import Testing
import TestSupport

/// `baton render` shows the messages recipe steps send, built by the engine's own code: each
/// must equal, byte for byte, what the loopback server receives when the workflow runs.
@Suite struct RenderRecipeCLITests {
    static func workflow(_ url: String) -> String {
        """
        baton: 1
        name: recipes
        inputs:
          release: { type: string, default: "새솔대학교가 생성형 AI 센터를 연다. 센터장은 김하늘 교수다." }
        models:
          remote: { base_url: "\(url)", model: fake-model }
        steps:
          - { id: short, kind: summarize, text: "{{ inputs.release }}", max_words: 20, language: ko }
          - id: english
            kind: translate
            text: "{{ inputs.release }}"
            to: en
            glossary: { 새솔대학교: Saesol University, 온누리식품: Onnuri Foods }
          - id: facts
            kind: extract
            text: "{{ inputs.release }}"
            schema: { org: string, head: string }
          - id: custom
            kind: translate
            text: "{{ inputs.release }}"
            to: ja
            prompt: "{{ to }}로: {{ text }} / {{ glossary | tojson(ensure_ascii=false) }}"
            glossary: { 김하늘: Kim Haneul }
        """
    }

    /// The sections `--- sent: ROLE ---` of a render, in order, without the line end
    /// `baton render` adds to a text that has none.
    static func sentSections(_ render: String) -> [String] {
        var sections: [String] = []
        var current: [Substring]?
        for line in render.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("--- ") || line.hasPrefix("=== ") {
                if let current { sections.append(current.joined(separator: "\n")) }
                current = line.hasPrefix("--- sent: ") ? [] : nil
                continue
            }
            current?.append(line)
        }
        if let current { sections.append(current.joined(separator: "\n")) }
        return sections.map { $0.hasSuffix("\n") ? String($0.dropLast()) : $0 }
    }

    @Test func renderShowsExactlyTheMessagesARunSends() throws {
        let server = try FakeOpenAIServer()
        let folder = try TemporaryFolder.make("render-recipes")
        try Self.workflow(server.baseURL.absoluteString).write(to: folder.appendingPathComponent("recipes.yaml"), atomically: true, encoding: .utf8)
        let render = try BatonProcess.run(["render", "recipes.yaml"], environment: ["BATON_DB": ""], directory: folder)
        #expect(render.status == 0, "\(render.stderr)")
        let shown = Self.sentSections(render.stdout)
        try #require(shown.count == 4, "\(render.stdout)")
        // Only the glossary term that occurs in the text is asked for.
        #expect(shown[1].contains("- 새솔대학교 → Saesol University") && !shown[1].contains("온누리식품"), "\(shown[1])")
        #expect(shown[3].hasSuffix(#" / {"김하늘": "Kim Haneul"}"#), "\(shown[3])")

        let run = try BatonProcess.run(["run", "recipes.yaml", "--concurrency", "1", "--json"], environment: ["BATON_DB": "", "BATON_STREAM": "0"], directory: folder)
        // The loopback server answers "echo: ...", which the glossary and JSON checks refuse with
        // a follow-up (so the run fails): only the first request of each step is compared.
        #expect(run.stdout.contains("run_id"), "\(run.stderr)")
        let sent = server.bodies().compactMap { body -> String? in
            guard let messages = body["messages"] as? [[String: Any]], messages.count == 1 else { return nil }
            return messages[0]["content"] as? String
        }
        for (index, text) in shown.enumerated() {
            #expect(sent.contains(text), "step \(index): \(text)\nsent: \(sent)\n\(run.stderr)")
        }
        #expect(Set(sent).count >= 4)
    }
}
