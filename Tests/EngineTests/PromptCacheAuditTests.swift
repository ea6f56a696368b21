import Foundation
import Testing
import Audit
import Template
import TestSupport
import Workflow
@testable import Engine
@testable import Scheduler
@testable import Providers

/// A local model's prompt cache in the audit store: `cached_prompt_tokens` in an attempt's
/// extra JSON when the model kept part of the prompt from the previous request.
@Test("extra JSON entries are added to what the step recorded", arguments: [
    (nil, #"{"cached_prompt_tokens":42}"#),
    (#"{"query":"브랜드 톤","retrieved":[{"chunk":12,"source":"brand/guide.md","score":0.83}]}"#,
     #"{"query":"브랜드 톤","retrieved":[{"chunk":12,"source":"brand/guide.md","score":0.83}],"cached_prompt_tokens":42}"#),
] as [(String?, String)])
func extraJSONEntriesAreAdded(existing: String?, expected: String) {
    #expect(Engine.extraJSON(existing, adding: ["cached_prompt_tokens": .int(42)]) == expected)
}

@Test(.requiresSmolLM2) func forEachItemsSharingTheSystemPromptRecordTheTokensTheCacheKept() async throws {
    let path = try #require(ReferenceModels.smolLM2)
    let directory = try TemporaryFolder.make("prompt-cache")
    defer { try? FileManager.default.removeItem(at: directory) }
    let store = try AuditStore(path: directory.appendingPathComponent("baton.db").path)
    // A context length no other test uses: its own loaded copy, so no other request runs on it in between.
    let workflow = try WorkflowLoader.load(source: """
        baton: 1
        name: taglines
        models:
          writer: { provider: local, path: "\(path)", context: 1000, threads: 2 }
        defaults: { model: writer, temperature: 0, max_tokens: 3 }
        steps:
          - id: tagline
            kind: generate
            for_each: { items: ["한빛 녹차", "서울 커피"], concurrency: 1 }
            system: "You write taglines for Hanbit Agency: short, warm, concrete, no exclamation marks."
            prompt: "Tagline for {{ item }}"
        """, file: "taglines.yaml")
    let engine = Engine(workflow: workflow, store: store, configuration: EngineConfiguration(output: OutputDirectory(directory.appendingPathComponent("out").path)))
    let result = try await engine.run(inputs: [:])
    #expect(result.status == .succeeded)
    let rows = try store.attempts(run: result.runID).sorted { ($0.iteration ?? 0) < ($1.iteration ?? 0) }
    #expect(rows.count == 2)
    // The second item keeps everything up to the item name: the system prompt, `<|im_start|>user\nTagline for`.
    let first = renderedPrompt(rows[0].extraJSON), second = renderedPrompt(rows[1].extraJSON)
    let shared = zip(first, second).prefix { $0 == $1 }.count
    #expect(first.prefix(shared).hasSuffix("Tagline for "))
    #expect(stepExtra(rows[0].extraJSON) == "{}")
    // The first item loaded the model: that time is recorded apart, not in its latency.
    #expect(rows[0].extraJSON?.contains(#""load_ms":"#) == true)
    #expect(stepExtra(rows[1].extraJSON) == #"{"cached_prompt_tokens":31}"#)
}
