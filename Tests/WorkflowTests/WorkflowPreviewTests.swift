import Foundation
import Testing
import Template
@testable import Workflow

@Test func previewShowsEveryPromptWithPlaceholdersAndMasksSecrets() throws {
    let workflow = try WorkflowLoader.load(source: """
        baton: 1
        name: preview
        inputs:
          product: { type: string, default: 봄꽃 축제 }
          token:   { type: string, secret: true }
          items:   { type: list, default: [가, 나] }
        knowledge:
          brand: brand.db
        steps:
          - id: research
            kind: rag_query
            knowledge: brand
            query: "{{ inputs.product }}"
            prompt: "{% for doc in documents %}[{{ loop.index }}] {{ doc.text }} {% endfor %}Q: {{ query }}"
          - id: short
            kind: summarize
            text: "{{ steps.research.output }}"
            max_words: 20
            prompt: "{{ max_words }}단어로: {{ text }} (키 {{ inputs.token }})"
          - id: facts
            kind: extract
            text: "{{ steps.short.output }}"
            schema: { slogans: [string] }
          - id: each
            kind: generate
            for_each: inputs.items
            when: item != '나'
            prompt: "{{ index }}: {{ item }} / {{ steps.facts.output.slogans | first }}"
            files:
              - { path: "out/{{ index }}.txt", content: "{{ output }}" }
        outputs:
          first: "{{ steps.each.output | first }}"
        """, file: "preview.yaml")
    let inputs = try InputBinding.resolve(workflow, values: ["token": "sk-비밀"])
    let (text, problems) = WorkflowPreview(workflow: workflow, inputs: inputs, now: Date(timeIntervalSince1970: 0)).render()
    #expect(problems.isEmpty)
    #expect(text == """
        preview · preview of every prompt, no model is called

        === research (rag_query, Baton's default model) ===
        --- query (knowledge brand, top_k 5) ---
        봄꽃 축제
        --- prompt ---
        [1] ⟨steps.research.documents[0].text⟩ [2] ⟨steps.research.documents[1].text⟩ Q: 봄꽃 축제

        === short (summarize, Baton's default model) ===
        --- text ---
        ⟨steps.research.output⟩
        --- recipe summarize ---
        format: prose
        max_words: 20
        --- prompt ---
        20단어로: ⟨steps.research.output⟩ (키 ***)

        === facts (extract, Baton's default model) ===
        --- text ---
        ⟨steps.short.output⟩
        --- recipe extract: JSON schema ---
        {"type":"object","properties":{"slogans":{"type":"array","items":{"type":"string"}}},"required":["slogans"]}

        === each (generate, Baton's default model) [item 1/2] ===
        --- user ---
        0: 가 / ⟨steps.facts.output.slogans[0]⟩
        --- file out/0.txt ---
        ⟨steps.each.output[0]⟩

        === each (generate, Baton's default model) [item 2/2]: skipped, 'when' is false ===

        === outputs ===
        first: ⟨steps.each.output[0]⟩

        """)
}

@Test func runContextProvidesTheCheckedNames() {
    let workflow = try? WorkflowLoader.load(source: """
        baton: 1
        name: ctx
        inputs:
          key: { type: string, secret: true }
        steps:
          - { id: a, kind: template, template: "{{ run.date }} {{ run.trigger }}" }
        """, file: "ctx.yaml")
    guard let workflow else { Issue.record("did not load"); return }
    let seoul = TimeZone(identifier: "Asia/Seoul") ?? .current
    var context = RunContext(workflow: workflow, inputs: ["key": "secret"], runID: "r1", trigger: "schedule",
                             startedAt: Date(timeIntervalSince1970: 1_795_000_000), timeZone: seoul)
    context.record(step: "a", output: "done text", status: .succeeded)
    let values = context.values(["item": 1])
    #expect(values["inputs"] == .dict(["key": "secret"]))
    #expect(values["steps"] == .dict(["a": ["output": "done text", "status": "succeeded"]]))
    #expect(values["item"] == 1)
    #expect(context.run["date"] == "2026-11-18")
    #expect(context.run["started_at"] == "2026-11-18T20:06:40+09:00")
    #expect(context.run["trigger"] == "schedule")
    let masked = RunContext(workflow: workflow, inputs: ["key": "secret"], runID: "r1", maskSecrets: true)
    #expect(masked.inputs["key"] == "***")
}

@Test func csvAndJSONLAndGlobReads() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("baton-read-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder.appendingPathComponent("ko"), withIntermediateDirectories: true)
    try Data("week,channel,clicks,ctr\n2026-W46,\"youtube, shorts\",3120,0.0176\n2026-W46,\"say \"\"hi\"\"\",10,\n".utf8)
        .write(to: folder.appendingPathComponent("m.csv"))
    try Data("{\"a\": 1}\n\n{\"a\": [2]}\n".utf8).write(to: folder.appendingPathComponent("r.jsonl"))
    try Data("# 하나".utf8).write(to: folder.appendingPathComponent("ko/one.ko.md"))
    try Data("# 둘".utf8).write(to: folder.appendingPathComponent("ko/two.ko.md"))
    #expect(try StepFileReader.read(path: folder.appendingPathComponent("m.csv").path, format: nil) == .list([
        ["week": "2026-W46", "channel": "youtube, shorts", "clicks": 3120, "ctr": 0.0176],
        ["week": "2026-W46", "channel": "say \"hi\"", "clicks": 10, "ctr": ""],
    ]))
    #expect(try StepFileReader.read(path: folder.appendingPathComponent("r.jsonl").path, format: nil) == .list([["a": 1], ["a": [2]]]))
    let files = try StepFileReader.read(glob: folder.path + "/ko/*.md", format: nil)
    #expect(files == .list([
        ["path": .string(folder.path + "/ko/one.ko.md"), "name": "one.ko.md", "stem": "one.ko", "text": "# 하나"],
        ["path": .string(folder.path + "/ko/two.ko.md"), "name": "two.ko.md", "stem": "two.ko", "text": "# 둘"],
    ]))
    #expect(StepFileReader.expand(glob: folder.path + "/**/*.md").count == 2)
    #expect(throws: Diagnostic.self) { try StepFileReader.read(path: folder.appendingPathComponent("missing.csv").path, format: nil) }
}

@Test func previewReportsRenderErrorsInlineAndCarriesOn() throws {
    let workflow = try WorkflowLoader.load(source: """
        baton: 1
        name: errors
        inputs:
          n: { type: integer, default: 3 }
        steps:
          - id: a
            kind: template
            template: "{{ inputs.n.missing }}"
          - id: b
            kind: generate
            prompt: "다음: {{ steps.a.output }}"
        """, file: "errors.yaml")
    let (text, problems) = WorkflowPreview(workflow: workflow, inputs: try InputBinding.resolve(workflow)).render()
    #expect(problems.map(\.headline) == ["errors.yaml:8:27: error: 'int object' has no attribute 'missing'"])
    #expect(text.contains("=== b (generate, Baton's default model) ===\n--- user ---\n다음: ‼ errors.yaml:8:27"))
}
