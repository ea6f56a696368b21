import Base
import YAML
import Template

/// `models:`, `knowledge:`, `defaults:` and the settings steps share with them.
extension WorkflowDecoder {
    static let localModelKeys = ["provider", "path", "context", "threads", "lora"]
    static let remoteModelKeys = ["provider", "base_url", "model", "api_key_env", "price"]
    static let providers = ["local", "openai"]

    mutating func decodeModels(_ node: Node?) -> [ModelSpec] {
        guard let node else { return [] }
        var models: [ModelSpec] = []
        for (name, key, value) in namedEntries(node, "models") {
            let what = "model '\(name)'"
            var provider = "local"
            if let providerNode = value["provider"], let text = string(providerNode, "provider") {
                guard WorkflowDecoder.providers.contains(text) else {
                    error("unknown provider '\(text)' (expected local or openai)\(Suggestion.hint(for: text, in: WorkflowDecoder.providers))", at: providerNode.mark)
                    continue
                }
                provider = text
            } else if value["base_url"] != nil {
                provider = "openai"
            }
            if provider == "local" {
                var other = Dictionary(uniqueKeysWithValues: ["base_url", "model", "api_key_env"].map { ($0, "it is for openai models") })
                other["price"] = "a local model costs nothing; baton usage shows its model time"
                guard let fields = fields(value, what, allowed: WorkflowDecoder.localModelKeys, notApplicable: other) else { continue }
                guard let path = requiredName(fields, "path", what) else { continue }
                let local = ModelSpec.LocalModel(path: path, context: integer(fields["context"], "context", minimum: 16),
                                                 threads: integer(fields["threads"], "threads", minimum: 1),
                                                 lora: decodeLoRA(fields["lora"]))
                models.append(ModelSpec(name: name, provider: .local(local), location: location(key.mark)))
            } else {
                let other = Dictionary(uniqueKeysWithValues: ["path", "context", "threads", "lora"].map { ($0, "it is for local models") })
                guard let fields = fields(value, what, allowed: WorkflowDecoder.remoteModelKeys, notApplicable: other) else { continue }
                guard let baseURL = requiredName(fields, "base_url", what), let model = requiredName(fields, "model", what) else { continue }
                if !(baseURL.hasPrefix("http://") || baseURL.hasPrefix("https://")), let node = fields["base_url"] {
                    error("'base_url' must start with http:// or https://, found '\(baseURL)'", at: node.mark)
                }
                let remote = ModelSpec.RemoteModel(baseURL: baseURL, model: model, apiKeyEnv: nonEmpty(fields["api_key_env"], "api_key_env"),
                                                   price: decodePrice(fields["price"], what))
                models.append(ModelSpec(name: name, provider: .openai(remote), location: location(key.mark)))
            }
        }
        return models
    }

    /// `price: { input: 0.15, output: 0.60, currency: USD }`: per million tokens in and out.
    mutating func decodePrice(_ node: Node?, _ what: String) -> ModelPrice? {
        guard let node else { return nil }
        guard let fields = fields(node, "the price of \(what)", allowed: ["input", "output", "currency"]) else { return nil }
        for key in ["input", "output"] where !fields.has(key) {
            error("the price of \(what) needs '\(key)' (\(key == "input" ? "prompt" : "completion") tokens, per million)", at: node.mark)
        }
        let input = number(fields["input"], "input", range: 0...1e9)
        let output = number(fields["output"], "output", range: 0...1e9)
        let currency = currencyCode(fields["currency"])
        guard let input, let output else { return nil }
        return ModelPrice(input: input, output: output, currency: currency ?? "USD")
    }

    /// A currency: three capital letters (ISO 4217: `USD`, `KRW`, `EUR`).
    mutating func currencyCode(_ node: Node?) -> String? {
        guard let node, let text = nonEmpty(node, "currency") else { return nil }
        guard text.count == 3, text.allSatisfy({ $0.isASCII && $0.isUppercase }) else {
            error("'currency' must be a three-letter ISO 4217 code such as USD or KRW, found '\(text.shortened())'", at: node.mark)
            return nil
        }
        return text
    }

    /// `budget: { tokens: 20000 }`, `budget: { cost: 0.5, currency: USD }` or both.
    mutating func decodeBudget(_ node: Node?) -> RunBudget? {
        guard let node else { return nil }
        guard let fields = fields(node, "budget", allowed: ["tokens", "cost", "currency"]) else { return nil }
        guard fields.has("tokens") || fields.has("cost") else {
            error("'budget' needs 'tokens' (prompt and completion tokens per run) or 'cost' (per run, in 'currency', default USD)", at: node.mark)
            return nil
        }
        if fields.has("currency"), !fields.has("cost"), let mark = fields.keyMark("currency") {
            error("'currency' of 'budget' goes with 'cost'; a 'tokens' budget has none", at: mark)
        }
        let tokens = integer(fields["tokens"], "tokens", minimum: 1)
        let cost = number(fields["cost"], "cost", range: 0...1e9)
        let currency = currencyCode(fields["currency"])
        guard tokens != nil || cost != nil else { return nil }
        return RunBudget(tokens: tokens, cost: cost, currency: currency ?? "USD", location: location(node.mark))
    }

    /// `lora: [adapters/a.gguf, { path: adapters/b.gguf, scale: 0.5 }]`
    private mutating func decodeLoRA(_ node: Node?) -> [ModelSpec.LoRAAdapter] {
        guard let node else { return [] }
        let items = node.sequence ?? [node]
        var adapters: [ModelSpec.LoRAAdapter] = []
        for item in items {
            if let path = item.scalar?.value, !(item.scalar?.isNull ?? true) {
                adapters.append(ModelSpec.LoRAAdapter(path: path))
            } else if let fields = fields(item, "a LoRA adapter", allowed: ["path", "scale"]),
                      let path = requiredName(fields, "path", "a LoRA adapter") {
                adapters.append(ModelSpec.LoRAAdapter(path: path, scale: number(fields["scale"], "scale", range: -4...4) ?? 1))
            }
        }
        return adapters
    }

    mutating func decodeKnowledge(_ node: Node?) -> [KnowledgeSpec] {
        guard let node else { return [] }
        var bases: [KnowledgeSpec] = []
        for (name, key, value) in namedEntries(node, "knowledge") {
            if let path = value.scalar?.value, value.scalar?.isNull == false {
                bases.append(KnowledgeSpec(name: name, path: path, location: location(key.mark)))
                continue
            }
            let what = "knowledge base '\(name)'"
            guard let fields = fields(value, what, allowed: ["path", "source", "embedding"]),
                  let path = requiredName(fields, "path", what) else { continue }
            bases.append(KnowledgeSpec(name: name, path: path, source: nonEmpty(fields["source"], "source"),
                                       embedding: nonEmpty(fields["embedding"], "embedding"), location: location(key.mark)))
        }
        return bases
    }

    static let defaultsKeys = ["model", "retry", "timeout", "on_error", "concurrency", "render_budget"] + Sampling.keys

    mutating func decodeDefaults(_ node: Node?) -> Defaults {
        guard let node, node.scalar?.isNull != true else { return Defaults() }
        guard let fields = fields(node, "defaults", allowed: WorkflowDecoder.defaultsKeys) else { return Defaults() }
        return Defaults(model: nonEmpty(fields["model"], "model"), sampling: sampling(fields), retry: retry(fields["retry"]),
                        timeout: duration(fields["timeout"], "timeout"), onError: choice(fields["on_error"], "on_error", as: ErrorPolicy.self),
                        concurrency: integer(fields["concurrency"], "concurrency", minimum: 1),
                        renderBudget: renderBudget(fields["render_budget"]), location: location(node.mark))
    }

    /// `render_budget: { output_bytes: 1048576, items: 10000, steps: 100000, time: 5s }`: each
    /// key left out keeps `RenderBudget.standard`'s value.
    mutating func renderBudget(_ node: Node?) -> RenderBudget? {
        guard let node else { return nil }
        guard let fields = fields(node, "render_budget", allowed: ["output_bytes", "items", "steps", "time"]) else { return nil }
        var budget = RenderBudget.standard
        if let bytes = integer(fields["output_bytes"], "output_bytes", minimum: 1) { budget.outputBytes = bytes }
        if let items = integer(fields["items"], "items", minimum: 1) { budget.items = items }
        if let steps = integer(fields["steps"], "steps", minimum: 1) { budget.steps = steps }
        if let time = duration(fields["time"], "time") {
            let (seconds, attoseconds) = time.components
            budget.seconds = Double(seconds) + Double(attoseconds) / 1e18
        }
        return budget
    }

    /// The sampling parameters among `fields`.
    mutating func sampling(_ fields: Fields) -> Sampling {
        Sampling(temperature: number(fields["temperature"], "temperature", range: 0...5),
                 topP: number(fields["top_p"], "top_p", range: 0...1),
                 topK: integer(fields["top_k"], "top_k", minimum: 0),
                 minP: number(fields["min_p"], "min_p", range: 0...1),
                 repetitionPenalty: number(fields["repetition_penalty"], "repetition_penalty", range: 0...10),
                 maxTokens: integer(fields["max_tokens"], "max_tokens", minimum: 1),
                 seed: integer(fields["seed"], "seed"),
                 stop: stringList(fields["stop"], "stop"),
                 think: boolean(fields["think"], "think"))
    }

    /// `retry: 3` or `retry: { attempts: 3, backoff: 2s }`.
    mutating func retry(_ node: Node?) -> RetryPolicy? {
        guard let node else { return nil }
        if node.scalar != nil {
            return integer(node, "retry", minimum: 1).map { RetryPolicy(attempts: $0) }
        }
        guard let fields = fields(node, "retry", allowed: ["attempts", "backoff"]) else { return nil }
        return RetryPolicy(attempts: integer(fields["attempts"], "attempts", minimum: 1) ?? 1,
                           backoff: duration(fields["backoff"], "backoff") ?? .seconds(1))
    }

    /// A required non-empty string field; reports "X is missing required key 'k'" when absent.
    mutating func requiredName(_ fields: Fields, _ key: String, _ what: String) -> String? {
        guard let node = fields[key] else {
            error("\(what) is missing required key '\(key)'", at: fields.node.mark)
            return nil
        }
        return nonEmpty(node, key)
    }
}
