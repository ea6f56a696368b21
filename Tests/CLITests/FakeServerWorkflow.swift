/// The lines a workflow of the CLI tests that talks to the loopback server starts with: its
/// name, one OpenAI-compatible model serving `fake-model` at `baseURL`, and that model as the
/// default. The tests write the steps after it.
enum FakeServerWorkflow {
    static func header(name: String, model: String = "remote", baseURL: String) -> String {
        """
        baton: 1
        name: \(name)
        models:
          \(model): { provider: openai, base_url: "\(baseURL)", model: fake-model }
        defaults: { model: \(model) }
        """
    }
}
