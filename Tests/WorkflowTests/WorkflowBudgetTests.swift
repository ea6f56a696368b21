import Testing
@testable import Workflow

/// `budget:`, `client:` and a model's `price:`: what they decode to, and the whole diagnostic
/// for every malformed one (file:line:col, source line, caret), all problems at once.
@Suite struct WorkflowBudgetTests {
    static let header = """
        baton: 1
        name: priced
        """
    static let steps = """
        steps:
          - { id: a, kind: template, template: x }
        """

    @Test func budgetClientAndPriceDecodeToTheirValues() throws {
        let workflow = try WorkflowLoader.load(source: """
            \(Self.header)
            client: 한빛시
            budget: { tokens: 20000, cost: 0.5, currency: KRW }
            models:
              remote: { base_url: "http://localhost:11434/v1", model: m, price: { input: 0.15, output: 0.6 } }
            \(Self.steps)
            """, file: "priced.yaml")
        #expect(workflow.client == "한빛시")
        #expect(workflow.budget == RunBudget(tokens: 20000, cost: 0.5, currency: "KRW", location: SourceLocation(file: "priced.yaml", line: 4, column: 9)))
        #expect(workflow.budget?.description == "20000 tokens and 0.5 KRW")
        #expect(workflow.model("remote")?.provider == .openai(ModelSpec.RemoteModel(
            baseURL: "http://localhost:11434/v1", model: "m", price: ModelPrice(input: 0.15, output: 0.6, currency: "USD"))))
        #expect(abs(ModelPrice(input: 0.15, output: 0.6).cost(tokensIn: 2_000_000, tokensOut: 1_000_000) - 0.9) < 1e-12)
    }

    @Test func aWorkflowWithoutThemHasNoBudgetAndNoClient() throws {
        let workflow = try WorkflowLoader.load(source: Self.header + "\n" + Self.steps, file: "plain.yaml")
        #expect(workflow.budget == nil)
        #expect(workflow.client == nil)
    }

    @Test(arguments: [
        ("budget: {}", """
            broken.yaml:3:9: error: 'budget' needs 'tokens' (prompt and completion tokens per run) or 'cost' (per run, in 'currency', default USD)
            budget: {}
                    ^
            """),
        ("budget: { tokens: 0 }", """
            broken.yaml:3:19: error: 'tokens' must be at least 1, found 0
            budget: { tokens: 0 }
                              ^
            """),
        ("budget: { tokens: lots, cost: -1 }", """
            broken.yaml:3:19: error: expected an integer for 'tokens', found 'lots'
            budget: { tokens: lots, cost: -1 }
                              ^
            broken.yaml:3:31: error: 'cost' must be between 0 and 1000000000, found -1
            budget: { tokens: lots, cost: -1 }
                                          ^
            """),
        ("budget: { tokens: 100, currency: USD }", """
            broken.yaml:3:24: error: 'currency' of 'budget' goes with 'cost'; a 'tokens' budget has none
            budget: { tokens: 100, currency: USD }
                                   ^
            """),
        ("budget: { cost: 1, currency: dollars }", """
            broken.yaml:3:30: error: 'currency' must be a three-letter ISO 4217 code such as USD or KRW, found 'dollars'
            budget: { cost: 1, currency: dollars }
                                         ^
            """),
        ("budget: { tokenz: 100 }", """
            broken.yaml:3:9: error: 'budget' needs 'tokens' (prompt and completion tokens per run) or 'cost' (per run, in 'currency', default USD)
            budget: { tokenz: 100 }
                    ^
            broken.yaml:3:11: error: unknown key 'tokenz' in budget (did you mean 'tokens'?)
            budget: { tokenz: 100 }
                      ^
            """),
        ("budget: 500", """
            broken.yaml:3:9: error: expected a mapping for budget, found '500'
            budget: 500
                    ^
            """),
    ])
    func aMalformedBudgetIsReportedWithItsPosition(line: String, expected: String) {
        #expect(Self.diagnostics(Self.header + "\n" + line + "\n" + Self.steps + "\n") == expected)
    }

    /// The loader's whole report for `source` as `broken.yaml`, or nil when it loads.
    static func diagnostics(_ source: String) -> String? {
        do {
            _ = try WorkflowLoader.load(source: source, file: "broken.yaml")
            return nil
        } catch {
            return error.description
        }
    }

    @Test(arguments: [
        ("remote: { base_url: \"http://h/v1\", model: m, price: { input: 0.15 } }", """
            broken.yaml:4:55: error: the price of model 'remote' needs 'output' (completion tokens, per million)
              remote: { base_url: "http://h/v1", model: m, price: { input: 0.15 } }
                                                                  ^
            """),
        ("local: { path: m.gguf, price: { input: 0, output: 0 } }", """
            broken.yaml:4:26: error: 'price' does not apply to model 'local' (a local model costs nothing; baton usage shows its model time)
              local: { path: m.gguf, price: { input: 0, output: 0 } }
                                     ^
            """),
    ])
    func aMalformedPriceIsReportedWithItsPosition(model: String, expected: String) {
        #expect(Self.diagnostics(Self.header + "\nmodels:\n  " + model + "\n" + Self.steps + "\n") == expected)
    }
}
