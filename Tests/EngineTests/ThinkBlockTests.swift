import Foundation
import TestSupport
import Testing
import Audit
import Template
import Workflow
@testable import Engine
@testable import Providers

/// `<think>` blocks of reasoning models never reach a step's output: `ThinkBlocks` takes them
/// out of the final text and of the stream, and the engine keeps them in the audit record's
/// `extra_json` (hash-chained with the row).
@Suite("Think blocks")
struct ThinkBlockTests {
    @Test("split takes every block out of the answer", arguments: [
        ("<think>계획: 짧게</think>\n\n답: 텀블러", "답: 텀블러", "계획: 짧게"),
        ("no thoughts here", "no thoughts here", nil),
        ("<think>\n\n</think>\n\n빈 생각", "빈 생각", ""),
        ("앞 <think>a</think>뒤 <think>b</think>끝", "앞 뒤 끝", "a\n\nb"),
        ("<think>멈춘 생각", "", "멈춘 생각"),
        ("열린 태그는 프롬프트에\n</think>\n\n답", "답", "열린 태그는 프롬프트에"),
        ("  leading spaces stay without blocks", "  leading spaces stay without blocks", nil),
    ] as [(String, String, String?)])
    func split(text: String, answer: String, thinking: String?) {
        let result = ThinkBlocks.split(text)
        #expect(result.answer == answer)
        #expect(result.thinking == thinking)
    }

    /// Every way of cutting the text into two or three pieces streams the same visible text as
    /// `split` gives (blocks whose tags arrive cut in half included). A `</think>` without its
    /// opening tag is the one case a stream cannot hide in time (the text before it was already
    /// shown); Qwen3's templates never open a block in the prompt when thinking is on.
    @Test("the stream filter shows what split keeps, however the pieces are cut", arguments: [
        "<think>계획: 짧게</think>\n\n답: 텀블러",
        "앞 <think>a</think>뒤 <thi",
        "x <th y <think>w</thin</think> z </thi",
        "<think>멈춘 생각",
        "plain <b>html</b> text",
    ])
    func stream(text: String) {
        let characters = Array(text)
        let expected = ThinkBlocks.split(text).answer
        for first in 0...characters.count {
            for second in first...characters.count {
                let stream = ThinkBlocks.Stream()
                let pieces = [characters[..<first], characters[first..<second], characters[second...]].map { String($0) }
                let shown = pieces.map { stream.feed($0) }.joined() + stream.finish()
                #expect(shown == expected, "pieces \(pieces)")
            }
        }
    }

    @Test("a server's think block is kept out of the output and the stream and recorded apart") func serverThinkBlock() async throws {
        let harness = try EngineHarness()
        let streamed = Pieces()
        let workflow = try harness.load("""
            baton: 1
            name: think
            MODELS
            defaults: { model: remote }
            steps:
              - { id: copy, kind: generate, think: true, prompt: "카피 [[reply:<think>계획: 짧고 따뜻하게</think>\\n\\n슬로건: 한 잔의 여유]]" }
              - { id: echo, kind: template, template: "{{ steps.copy.output }}" }
            outputs: { copy: "{{ steps.echo.output }}" }
            """)
        // Streamed (SSE, one event per word), so the filter sees the tags in pieces.
        let configuration = EngineConfiguration(output: harness.output, environment: ["FAKE_KEY": "sk-fake"], stream: true)
        let result = try await Engine(workflow: workflow, store: harness.store, configuration: configuration) { event in
            if case .token(_, let piece) = event { streamed.add(piece) }
        }.run(inputs: [:])
        #expect(result.status == .succeeded)
        #expect(result.outputs.first?.value == "슬로건: 한 잔의 여유")
        #expect(streamed.text == "슬로건: 한 잔의 여유")
        let row = try #require(try harness.attempts(result.runID).first { $0.stepID == "copy" })
        #expect(row.outputText == "슬로건: 한 잔의 여유")
        // The thoughts are kept apart (beside the request key that re-runs compare).
        let extraText = try #require(row.extraJSON)
        let extra = try #require(try JSONSerialization.jsonObject(with: Data(extraText.utf8)) as? [String: Any])
        #expect(extra["thinking"] as? String == "계획: 짧고 따뜻하게")
        #expect(row.parametersJSON == #"{"think":true}"#)
        #expect(try harness.store.verify(run: result.runID) == [])
    }
}

/// A workflow step on a local qwen3 model (`think/qwen3-thinks.gguf`, whose every greedy token
/// writes `<think>plan</think>ok`): thinking off by default (the chat template writes the empty
/// block), on with `think: true`, and the output carries no think text either way.
@Test("a local qwen3 step: enable_thinking follows `think`, and the output has no think text", arguments: [nil, true, false] as [Bool?])
func localQwen3StepHasNoThinkText(think: Bool?) async throws {
    let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("RuntimeTests/Fixtures/think/qwen3-thinks.gguf").path
    let directory = try TemporaryFolder.make("think")
    defer { try? FileManager.default.removeItem(at: directory) }
    let store = try AuditStore(path: directory.appendingPathComponent("baton.db").path)
    let option = think.map { ", think: \($0)" } ?? ""
    let workflow = try WorkflowLoader.load(source: """
        baton: 1
        name: local-think
        models:
          thinker: { provider: local, path: "\(path)", context: 128, threads: 1 }
        steps:
          - { id: answer, kind: generate, model: thinker, temperature: 0, max_tokens: 3\(option), prompt: "안녕" }
        outputs: { answer: "{{ steps.answer.output }}" }
        """, file: "local-think.yaml")
    let streamed = Pieces()
    let engine = Engine(workflow: workflow, store: store, configuration: EngineConfiguration(output: OutputDirectory(directory.appendingPathComponent("out").path))) { event in
        if case .token(_, let piece) = event { streamed.add(piece) }
    }
    let result = try await engine.run(inputs: [:])
    #expect(result.status == .succeeded)
    // Three tokens, each `<think>plan</think>ok` or `…ok!`: the answer pieces alone remain.
    let output = try #require(result.outputs.first?.value.string)
    #expect(output.wholeMatch(of: try Regex("(ok!?){3}")) != nil, "\(output)")
    #expect(streamed.text == output)
    let row = try #require(try store.attempts(run: result.runID).first)
    #expect(row.outputText?.contains("<think>") == false)
    // Beside what the prompt cache recorded (the three cases share the loaded model).
    let extra = try #require(try JSONSerialization.jsonObject(with: Data((row.extraJSON ?? "{}").utf8)) as? [String: Any])
    #expect(extra["thinking"] as? String == "plan\n\nplan\n\nplan")
    // The message sent (a lone user message is kept as its text), and beside it the rendering: Qwen3's template closes an empty think
    // block unless thinking is on.
    #expect(row.prompt == "안녕")
    #expect(extra["rendered_prompt"] as? String == "<|im_start|>user\n안녕<|im_end|>\n<|im_start|>assistant\n" + (think == true ? "" : "<think>\n\n</think>\n\n"))
}
