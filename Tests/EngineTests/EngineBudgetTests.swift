import Foundation
import Testing
import Audit
import Base
import Template
import Workflow
@testable import Engine
@testable import Providers

/// `budget:`: a run stops before the call that could pass it, keeps what it finished, and a
/// resume (a new run with the same budget, finished items reused) completes it.
///
/// The loopback server counts words: "item 3" is 2 prompt tokens, "echo: item 3" 3 answer
/// tokens, so each call uses 5. The engine reserves, per call, one token per UTF-8 byte plus 8
/// per message (6 + 8 = 14) and the step's `max_tokens` (10): 24.
@Suite struct EngineBudgetTests {
    static func batch(_ budget: String, price: String = "") -> String {
        """
        baton: 1
        name: budgeted
        \(budget)
        inputs:
          items: { type: list }
        models:
          remote: { provider: openai, base_url: "BASE", model: fake-model\(price) }
        defaults: { model: remote, on_error: continue }
        steps:
          - id: each
            kind: generate
            max_tokens: 10
            for_each: { items: "{{ inputs.items }}", concurrency: 1 }
            prompt: "item {{ item }}"
        """
    }

    func load(_ harness: EngineHarness, _ yaml: String) throws -> Workflow {
        try WorkflowLoader.load(source: yaml.replacingOccurrences(of: "BASE", with: harness.server.baseURL.absoluteString), file: "test.yaml")
    }

    /// 60 tokens: calls 1-8 fit (spent 5 per call, 24 reserved: 35 + 24 = 59), the ninth would
    /// need 24 on top of 40 spent, so it is not sent and the tenth does not start.
    @Test func aTokenBudgetStopsBeforeTheCallThatCouldPassItAndAResumeFinishes() async throws {
        let harness = try EngineHarness()
        let workflow = try load(harness, Self.batch("budget: { tokens: 60 }"))
        let inputs = try InputBinding.resolve(workflow, values: ["items": .list((0..<10).map(Value.int))])
        let first = try await harness.engine(workflow).run(inputs: inputs)
        #expect(first.status == .failed)
        #expect(harness.server.requestCount == 8)
        let rows = try harness.attempts(first.runID)
        #expect(rows.filter { $0.status == .succeeded }.compactMap(\.iteration) == Array(0..<8))
        #expect(rows.filter { $0.status == .succeeded }.reduce(0) { $0 + ($1.tokensIn ?? 0) + ($1.tokensOut ?? 0) } == 40)
        let refused = try #require(rows.first { $0.status == .failed })
        #expect(refused.iteration == 8)
        #expect(refused.tokensIn == nil)
        #expect(refused.error == "budget exceeded: the next call could use 24 tokens (prompt at most 14, one per UTF-8 byte; max_tokens 10), but the run has spent 40 of its 60-token budget (budget: at test.yaml:3:9); the run stops here, finished work is kept: 'baton resume RUN' continues it in a new run with the same budget")
        #expect(!rows.contains { $0.iteration == 9 })
        #expect(first.error?.contains("budget exceeded") == true)

        let reuse = try harness.store.latestSucceededAttempts(run: first.runID)
        let second = try await harness.engine(workflow).run(inputs: inputs, trigger: .resume, parentRunID: first.runID, reuse: reuse)
        #expect(second.status == .succeeded, "\(second.error ?? "")")
        #expect(harness.server.requestCount == 10)
        #expect(harness.server.prompts().suffix(2) == ["item 8", "item 9"])
    }

    /// At 0.1 per token (100000 per million), a call costs 0.5 and reserves 2.4: six calls fit a
    /// budget of 5 (2.5 spent + 2.4 = 4.9), the seventh (3 + 2.4) does not.
    @Test func aCostBudgetUsesTheWorkflowsPrice() async throws {
        let harness = try EngineHarness()
        let workflow = try load(harness, Self.batch("budget: { cost: 5, currency: USD }",
                                                    price: ", price: { input: 100000, output: 100000, currency: USD }"))
        let inputs = try InputBinding.resolve(workflow, values: ["items": .list((0..<10).map(Value.int))])
        let result = try await harness.engine(workflow).run(inputs: inputs)
        #expect(result.status == .failed)
        #expect(harness.server.requestCount == 6)
        let refused = try #require(try harness.attempts(result.runID).first { $0.status == .failed })
        #expect(refused.error?.hasPrefix("budget exceeded: the next call could cost 2.4 USD, but the run has spent 3 of its 5 USD budget (budget: at test.yaml:3:9)") == true, "\(refused.error ?? "")")
    }

    /// A cost budget cannot bound a server model without a price: nothing is sent.
    @Test func aCostBudgetRefusesAnUnpricedServerModel() async throws {
        let harness = try EngineHarness()
        let workflow = try load(harness, Self.batch("budget: { cost: 5 }"))
        let inputs = try InputBinding.resolve(workflow, values: ["items": .list([1, 2])])
        let result = try await harness.engine(workflow).run(inputs: inputs)
        #expect(result.status == .failed)
        #expect(harness.server.requestCount == 0)
        let refused = try #require(try harness.attempts(result.runID).first)
        #expect(refused.error?.hasPrefix("budget exceeded: model 'remote' has no price, so a cost budget cannot bound it (give it 'price:' in models:)") == true)
    }

    /// The estimate counts bytes, so it never falls below what a tokenizer can produce.
    @Test func theEstimateIsOneTokenPerUTF8BytePlusEightPerMessage() {
        let estimate = BudgetLedger.estimate([ChatMessage(role: .system, content: "ab"), ChatMessage(role: .user, content: "한글")],
                                             maxTokens: 5, price: ModelPrice(input: 1_000_000, output: 2_000_000))
        #expect(estimate == BudgetLedger.Estimate(promptTokens: 2 + 8 + 6 + 8, answerTokens: 5, cost: 24 + 10))
    }
}
