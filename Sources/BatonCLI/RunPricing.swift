import Audit
import Foundation
import Template
import Workflow

/// What a stored run's model calls cost and whom the run was for, read from the run itself: its
/// workflow's `models:` `price:` (the workflow text is stored with every run), then the prices of
/// `~/.baton/config.yaml` for servers the workflow does not price. Local models cost nothing.
struct RunPricing {
    /// The config's prices by model identity (`<base URL>#<model>`).
    let configPrices: [String: ModelPrice]
    /// The stored runs already read, by id.
    private var records: [String: RunRecord] = [:]
    /// Each workflow text decoded once, by its SHA-256 (nil: it no longer loads).
    private var workflows: [String: Workflow?] = [:]

    init(config: UserConfig?) {
        configPrices = config.map(UsageCommand.priceTable) ?? [:]
    }

    /// Whether any price is known: the config's, or a workflow's among the runs read so far.
    var hasPrices: Bool {
        !configPrices.isEmpty || workflows.values.contains { workflow in
            workflow?.models.contains { if case .openai(let remote) = $0.provider { remote.price != nil } else { false } } ?? false
        }
    }

    /// The identity a server model's calls are recorded under (`OpenAICompatibleModel.identity`).
    static func identity(_ remote: ModelSpec.RemoteModel) -> String {
        (URL(string: remote.baseURL)?.absoluteString ?? remote.baseURL) + "#" + remote.model
    }

    /// Keeps `run` so its calls are priced without reading it again.
    mutating func remember(_ run: RunRecord) {
        records[run.id] = run
        _ = workflow(of: run)
    }

    /// The run with id `id` (read once), or nil when the store has none.
    mutating func record(_ id: String, in store: AuditStore) -> RunRecord? {
        if let known = records[id] { return known }
        let found = try? store.run(id: id)
        if let found { records[id] = found }
        return found ?? nil
    }

    /// The run's workflow, decoded from the text stored with it.
    mutating func workflow(of run: RunRecord) -> Workflow? {
        if let known = workflows[run.workflowSHA256] { return known }
        let loaded = try? WorkflowLoader.load(source: run.workflowSource, file: run.workflow + ".yaml")
        workflows[run.workflowSHA256] = .some(loaded)
        return loaded
    }

    /// The prices that apply to `run`'s calls: its workflow's first, then the config's.
    mutating func prices(for run: RunRecord?) -> [String: ModelPrice] {
        guard let run, let loaded = workflow(of: run) else { return configPrices }
        var table = configPrices
        for model in loaded.models {
            if case .openai(let remote) = model.provider, let price = remote.price { table[Self.identity(remote)] = price }
        }
        return table
    }

    /// Whom `run` was for: its input named `client` (one workflow serving several clients), else
    /// its workflow's `client:`, else `-`.
    mutating func client(of run: RunRecord?) -> String {
        guard let run else { return "-" }
        if let inputs = try? Value(json: Data(run.inputsJSON.utf8)), case .dict(let values) = inputs,
           case .string(let client)? = values["client"], !client.isEmpty, client != "***" {
            return client
        }
        return workflow(of: run)?.client ?? "-"
    }

    /// The cost of one run's recorded attempts (reused answers sent nothing and cost nothing),
    /// or nil when a server model it used has no price; nil too when no price is known at all,
    /// so a run shows no cost line rather than a meaningless 0.
    mutating func cost(of run: RunRecord, attempts: [StepAttemptRecord]) -> (amount: Double, currency: String)? {
        remember(run)
        guard hasPrices else { return nil }
        var amount = 0.0
        var currencies: Set<String> = []
        let table = prices(for: run)
        for attempt in attempts where attempt.tokensIn != nil || attempt.tokensOut != nil {
            if attempt.extraJSON?.contains("\"reused_from\"") == true { continue }
            let usage = TokenUsage(group: run.id, runs: 1, calls: 1, tokensIn: attempt.tokensIn ?? 0, tokensOut: attempt.tokensOut ?? 0, latencyMs: 0)
            guard let part = UsageCommand.cost([(model: attempt.model ?? "-", usage: usage)], prices: table) else { return nil }
            amount += part.amount
            if !part.currency.isEmpty { currencies.insert(part.currency) }
        }
        return (amount, currencies.count > 1 ? "mixed" : currencies.first ?? "")
    }

    /// The cost of `rows` (each a run's tokens with one model), each priced with its run's
    /// prices: nil when a server model has no price, currency "" when all were local, "mixed"
    /// when currencies differ.
    mutating func cost(_ rows: [(run: String, model: String, usage: TokenUsage)], in store: AuditStore) -> (amount: Double, currency: String)? {
        var amount = 0.0
        var currencies: Set<String> = []
        for row in rows {
            let run = record(row.run, in: store)
            let table = prices(for: run)
            guard let part = UsageCommand.cost([(model: row.model, usage: row.usage)], prices: table) else { return nil }
            amount += part.amount
            if !part.currency.isEmpty { currencies.insert(part.currency) }
        }
        return (amount, currencies.count > 1 ? "mixed" : currencies.first ?? "")
    }
}
