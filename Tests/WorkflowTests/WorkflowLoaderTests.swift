import Base

import Foundation
import Testing
import Template
@testable import Workflow

/// A workflow that uses every section, decoded into the model.
let fullWorkflow = """
    baton: 1
    name: full
    description: 전체 기능 점검용
    inputs:
      product:  { type: string, description: 제품 }
      tone:     { type: enum, values: [friendly, formal], default: formal }
      count:    { type: integer, default: 3 }
      ratio:    number
      channels: { type: list, items: string, default: [instagram] }
      brief:    { type: file, required: false }
      token:    { type: string, secret: true, required: false }
    models:
      writer: { provider: local, path: SmolLM2-135M-Instruct.Q4_1.gguf, context: 2048, threads: 2,
                lora: [adapters/voice.gguf, { path: adapters/ko.gguf, scale: 0.5 }] }
      remote: { provider: openai, base_url: "http://localhost:11434/v1", model: "qwen2.5:7b", api_key_env: OPENAI_API_KEY }
    knowledge:
      brand: { path: brand.db, source: Examples/knowledge }
    defaults: { model: writer, temperature: 0.7, retry: { attempts: 3, backoff: 2s }, timeout: 2m, on_error: stop }
    steps:
      - id: research
        kind: rag_query
        knowledge: brand
        query: "{{ inputs.product }} 브랜드 가이드"
        top_k: 3
      - id: copy
        kind: generate
        model: remote
        temperature: 0.2
        stop: ["###"]
        system: 카피라이터
        prompt: |
          {{ inputs.product }} / {{ inputs.tone }}
          {% for doc in steps.research.documents %}- {{ doc.text }}
          {% endfor %}
      - id: facts
        kind: extract
        text: "{{ steps.copy.output }}"
        schema: { slogans: [string], body: string, score: number?, tone: [friendly, formal] }
      - id: each
        kind: translate
        for_each: { items: "{{ steps.facts.output.slogans }}", concurrency: 4 }
        text: "{{ item }}"
        from: ko
        to: en
        glossary: { 한빛시: Hanbit City }
        when: index < inputs.count
        retry: 5
        timeout: 1h30m
        files:
          - { path: "out/{{ index }}.txt", content: "{{ output }}" }
      - id: report
        kind: template
        needs: [each]
        template: "{{ run.date }}"
    outputs:
      slogans: "{{ steps.facts.output.slogans }}"
      files:
        - { path: "copy.md", content: "{{ steps.copy.output }}" }
    schedules:
      - { id: weekly, cron: "0 9 * * MON", timezone: Asia/Seoul, inputs: { product: 봄꽃 축제, ratio: 0.5 }, overlap: queue, catchup: all }
    """

@Test func everySectionIsDecoded() throws {
    let workflow = try WorkflowLoader.load(source: fullWorkflow, file: "full.yaml")
    #expect(workflow.name == "full")
    #expect(workflow.description == "전체 기능 점검용")
    #expect(workflow.inputs.map(\.name) == ["product", "tone", "count", "ratio", "channels", "brief", "token"])
    #expect(workflow.input("tone")?.type == .enumeration(["friendly", "formal"]))
    #expect(workflow.input("tone")?.defaultValue == .string("formal"))
    #expect(workflow.input("tone")?.required == false)
    #expect(workflow.input("product")?.required == true)
    #expect(workflow.input("ratio")?.type == .number)
    #expect(workflow.input("channels")?.type == .list(items: .string))
    #expect(workflow.secretInputNames == ["token"])

    #expect(workflow.model("writer")?.provider == .local(ModelSpec.LocalModel(
        path: "SmolLM2-135M-Instruct.Q4_1.gguf", context: 2048, threads: 2,
        lora: [ModelSpec.LoRAAdapter(path: "adapters/voice.gguf"), ModelSpec.LoRAAdapter(path: "adapters/ko.gguf", scale: 0.5)])))
    #expect(workflow.model("remote")?.provider == .openai(ModelSpec.RemoteModel(
        baseURL: "http://localhost:11434/v1", model: "qwen2.5:7b", apiKeyEnv: "OPENAI_API_KEY")))
    #expect(workflow.knowledgeBase("brand")?.source == "Examples/knowledge")

    let copy = try #require(workflow.step("copy"))
    #expect(copy.model == "remote")
    #expect(copy.sampling == Sampling(temperature: 0.2, stop: ["###"]))
    #expect(copy.retry == RetryPolicy(attempts: 3, backoff: .seconds(2)))
    #expect(copy.timeout == .seconds(120))
    #expect(copy.onError == .stop)
    #expect(copy.needs == ["research"])
    guard case .generate(let generate) = copy.action else { Issue.record("copy is not generate"); return }
    #expect(generate.messages.map(\.role) == [.system, .user])

    let facts = try #require(workflow.step("facts"))
    guard case .extract(let extract) = facts.action else { Issue.record("facts is not extract"); return }
    #expect(extract.schema == .object([
        .init(name: "slogans", schema: .list(.string)), .init(name: "body", schema: .string),
        .init(name: "score", schema: .number, optional: true), .init(name: "tone", schema: .enumeration(["friendly", "formal"])),
    ]))
    #expect(extract.schema.jsonSchema == #"{"type":"object","properties":{"slogans":{"type":"array","items":{"type":"string"}},"body":{"type":"string"},"score":{"type":"number"},"tone":{"type":"string","enum":["friendly","formal"]}},"required":["slogans","body","tone"]}"#)
    // What a model is shown: a `?` field may also be null.
    #expect(extract.schema.jsonSchemaAllowingNull == #"{"type":"object","properties":{"slogans":{"type":"array","items":{"type":"string"}},"body":{"type":"string"},"score":{"type":["number","null"]},"tone":{"type":"string","enum":["friendly","formal"]}},"required":["slogans","body","tone"]}"#)

    let each = try #require(workflow.step("each"))
    #expect(each.forEach?.concurrency == 4)
    #expect(each.retry == RetryPolicy(attempts: 5))
    #expect(each.timeout == .seconds(5400))
    #expect(each.needs == ["facts"])
    #expect(each.files.count == 1)
    #expect(each.references.map(\.dottedPath) == ["steps.facts.output.slogans", "index", "inputs.count", "item", "index", "output"])

    #expect(workflow.step("report")?.needs == ["each"])
    #expect(workflow.step("report")?.model == nil)
    #expect(workflow.topologicalOrder.map(\.id) == ["research", "copy", "facts", "each", "report"])
    #expect(workflow.schedules.first?.id == "weekly")
    #expect(workflow.schedules.first?.inputs == ["product": .string("봄꽃 축제"), "ratio": .double(0.5)])
    #expect(workflow.schedules.first?.overlap == .queue)
    #expect(workflow.schedules.first?.catchup == .all)
    #expect(workflow.schedules.first?.timeZone.identifier == "Asia/Seoul")
}

@Test func templatesEvaluateToTypedValues() throws {
    let workflow = try WorkflowLoader.load(source: fullWorkflow, file: "full.yaml")
    let slogans = try #require(workflow.outputs.values.first)
    #expect(slogans.value.expression == "steps.facts.output.slogans")
    let context: [String: Value] = ["steps": ["facts": ["output": ["slogans": ["봄이 온다", "퇴근 후의 봄"]]]]]
    #expect(try slogans.value.evaluate(context) == .list(["봄이 온다", "퇴근 후의 봄"]))
    let when = try #require(workflow.step("each")?.when)
    #expect(try when.evaluate(["index": 1, "inputs": ["count": 3]]) == .bool(true))
    #expect(try when.evaluate(["index": 3, "inputs": ["count": 3]]) == .bool(false))
}

@Test func runTimeTemplateErrorsPointIntoTheWorkflowFile() throws {
    let workflow = try WorkflowLoader.load(source: fullWorkflow, file: "full.yaml")
    guard case .generate(let generate)? = workflow.step("copy")?.action, case .text(let prompt) = generate.prompt else {
        Issue.record("copy has no prompt")
        return
    }
    do {
        _ = try prompt.render(["inputs": ["product": "봄꽃 축제", "tone": "formal"]])
        Issue.record("rendered without steps")
    } catch {
        #expect(workflow.attachingSource(to: error).description == """
            full.yaml:33:21: error: 'steps' is undefined
                  {% for doc in steps.research.documents %}- {{ doc.text }}
                                ^
            """)
    }
}

@Test(arguments: [
    ("500ms", Duration.milliseconds(500)), ("30s", .seconds(30)), ("2m", .seconds(120)), ("1h30m", .seconds(5400)),
    ("1h 30m", .seconds(5400)), ("1.5s", .milliseconds(1500)), ("2d", .seconds(172_800)),
])
func durationsParse(_ text: String, _ expected: Duration) {
    #expect(DurationText.parse(text) == expected)
}

@Test(arguments: ["", "30", "2 minutes", "2x", "m", "1h30", "-5s"])
func nonDurationsAreRefused(_ text: String) {
    #expect(DurationText.parse(text) == nil)
}

@Test func durationsFormatCompactly() {
    #expect(DurationText.format(.seconds(5400)) == "1h30m")
    #expect(DurationText.format(.milliseconds(2500)) == "2s500ms")
}

@Test func modelPathsResolveThroughBatonModels() {
    let local = ModelSpec.LocalModel(path: "SmolLM2.gguf")
    let found = local.resolvedPath(environment: ["BATON_MODELS": "/opt/models"]) { $0 == "/opt/models/SmolLM2.gguf" }
    #expect(found == "/opt/models/SmolLM2.gguf")
    #expect(local.resolvedPath(environment: [:]) { _ in false } == "SmolLM2.gguf")
}

@Test(arguments: [
    ("{{ steps.a.output }}", "steps.a.output"), ("  {{- inputs.x | upper -}}\n", "inputs.x | upper"), ("{{ '한' ~ x }}", "'한' ~ x"),
    ("{{ a }} {{ b }}", nil), ("x {{ a }}", nil), ("{{}}", nil), ("{{ }}", nil), ("{% if a %}{{ a }}{% endif %}", nil), ("plain", nil),
] as [(String, String?)])
func singleExpressionsAreRecognised(_ text: String, _ expected: String?) {
    #expect(WorkflowDecoder.singleExpression(text) == expected)
}
