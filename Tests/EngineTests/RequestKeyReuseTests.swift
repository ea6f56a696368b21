import Foundation
import Testing
import Audit
import Template
import Workflow
@testable import Engine

/// The request key decides reuse: an attempt is taken from an earlier run only when everything
/// that shapes the model's answer is the same (prompt, model, sampling, schema), and a change in
/// any of them sends the request again, for that step and the steps that read it. Time limits
/// and retry counts are not part of the key.
@Suite struct RequestKeyReuseTests {
    /// The two-step workflow with its parts replaceable: `facts` extracts, `copy` reads it.
    struct Variant: Sendable, CustomStringConvertible {
        var name: String
        var temperature = "0.2"
        var seed = "7"
        var schema = "{ city: string, price: integer? }"
        var copyPrompt = "Copy about {{ steps.facts.output.city }}"
        var model = "fake-model"
        var limits = "retry: { attempts: 2, backoff: 5ms }, timeout: 30s"
        var description: String { name }

        func yaml(_ server: URL) -> String {
            """
            baton: 1
            name: keyed
            models:
              remote: { provider: openai, base_url: "\(server.absoluteString)", model: \(model) }
            defaults: { model: remote, temperature: \(temperature), seed: \(seed), \(limits) }
            steps:
              - { id: facts, kind: extract, text: '[[reply:{"city": "Seoul", "price": 3}]] 서울', schema: \(schema) }
              - { id: copy, kind: generate, prompt: "\(copyPrompt)" }
            """
        }
    }

    /// Each change and the steps it sends again. A new schema sends `facts` again; `copy` is
    /// still reused because `facts` answered the same, so its rendered prompt did not change
    /// (reuse follows the requests actually made, not the file's text).
    static let cases: [(Variant, [String])] = [
        (Variant(name: "nothing changed"), []),
        (Variant(name: "time limit and retries", limits: "retry: { attempts: 5, backoff: 1s }, timeout: 2m"), []),
        (Variant(name: "temperature", temperature: "0.3"), ["facts", "copy"]),
        (Variant(name: "seed", seed: "8"), ["facts", "copy"]),
        (Variant(name: "schema", schema: "{ city: string, price: integer?, date: string? }"), ["facts"]),
        (Variant(name: "prompt of copy", copyPrompt: "Short copy about {{ steps.facts.output.city }}"), ["copy"]),
        (Variant(name: "model", model: "fake-model-2"), ["facts", "copy"]),
    ]

    @Test(arguments: cases)
    func aChangeSendsAgainExactlyTheStepsItReaches(_ variant: Variant, sentAgain: [String]) async throws {
        let harness = try EngineHarness()
        let first = try await run(Variant(name: "first").yaml(harness.server.baseURL), harness, reuse: nil)
        #expect(first.status == .succeeded, "\(first.error ?? "")")
        #expect(harness.server.requestCount == 2)
        let earlier = try harness.attempts(first.runID)
        let second = try await run(variant.yaml(harness.server.baseURL), harness, reuse: ReuseCache(attempts: earlier))
        #expect(second.status == .succeeded, "\(second.error ?? "")")
        #expect(harness.server.requestCount == 2 + sentAgain.count)
        let rows = try harness.attempts(second.runID)
        let reused = rows.filter { ReuseCache.origin(of: $0) != nil }.map(\.stepID).sorted()
        #expect(reused == ["copy", "facts"].filter { !sentAgain.contains($0) })
        for row in rows where reused.contains(row.stepID) {
            let original = try #require(earlier.first { $0.stepID == row.stepID })
            #expect(ReuseCache.origin(of: row)?.run == first.runID)
            #expect(ReuseCache.requestKey(of: row) == ReuseCache.requestKey(of: original))
            #expect(row.outputText == original.outputText && row.outputJSON == original.outputJSON)
        }
    }

    /// A request holding a secret input has no key and is never reused: its stored prompt and
    /// output are masked, so they could not stand in for the model's answer.
    @Test func aRequestCarryingASecretIsNeverReused() async throws {
        let harness = try EngineHarness()
        let yaml = """
            baton: 1
            name: secret
            inputs:
              code: { type: string, secret: true }
            models:
              remote: { provider: openai, base_url: "\(harness.server.baseURL.absoluteString)", model: fake-model }
            steps:
              - { id: ask, kind: generate, model: remote, prompt: "코드 {{ inputs.code }}" }
              - { id: plain, kind: generate, model: remote, prompt: "안녕" }
            """
        let workflow = try WorkflowLoader.load(source: yaml, file: "secret.yaml")
        let first = try await Engine(workflow: workflow, store: harness.store, configuration: EngineConfiguration(output: harness.output, environment: [:]))
            .run(inputs: ["code": "비밀77"])
        let rows = try harness.attempts(first.runID)
        #expect(rows.first { $0.stepID == "ask" }.flatMap(ReuseCache.requestKey(of:)) == nil)
        #expect(rows.first { $0.stepID == "plain" }.flatMap(ReuseCache.requestKey(of:)) != nil)
        var configuration = EngineConfiguration(output: harness.output, environment: [:])
        configuration.reuse = ReuseCache(attempts: rows)
        let second = try await Engine(workflow: workflow, store: harness.store, configuration: configuration).run(inputs: ["code": "비밀77"])
        #expect(second.status == .succeeded)
        #expect(harness.server.requestCount == 3)
        let again = try harness.attempts(second.runID)
        #expect(again.first { $0.stepID == "ask" }?.outputText == "echo: 코드 ***")
        #expect(again.first { $0.stepID == "plain" }.flatMap(ReuseCache.origin(of:))?.run == first.runID)
    }

    func run(_ yaml: String, _ harness: EngineHarness, reuse: ReuseCache?) async throws -> RunResult {
        let workflow = try WorkflowLoader.load(source: yaml, file: "keyed.yaml")
        var configuration = EngineConfiguration(output: harness.output, environment: [:])
        configuration.reuse = reuse
        return try await Engine(workflow: workflow, store: harness.store, configuration: configuration).run(inputs: [:])
    }
}
