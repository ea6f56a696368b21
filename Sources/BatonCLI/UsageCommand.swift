import Audit
import Base
import CommandKit
import Foundation
import YAML

/// `baton usage [--since DATE] [--by workflow|model|day|client|run]`: tokens (and cost, where
/// prices are known) summed from the audit store.
struct UsageCommand: TableCommand {
    static let abstract = "Sum the tokens and cost of recorded runs by workflow, model, day or client."
    static let options = OptionTable("baton usage", [
        .option("by", value: "workflow|model|day|client|run", help: "workflow, model, day (UTC date of the call), client (the run's input named client, else its workflow's client:) or run.", default: "workflow"),
        .since,
        .store,
        .flag("json", help: "An array of {group, runs, calls, tokens_in, tokens_out, model_ms, cost, currency}."),
    ])
    static let discussion = """
        Sums what the runs' model calls read and wrote, from the audit store: runs, calls,
        tokens in and out, and model time, one row per group, largest first. Answers reused
        from earlier runs (rerun, --reuse) sent no request and are not counted again.
        Cost is computed for server models priced by the run's workflow (price: of its models:
        entry) or else in ~/.baton/config.yaml (prices per million tokens in and out); local
        models cost nothing and show their model time.
        """

    static func run(_ parsed: ParsedArguments) throws -> Int32 {
        guard parsed.positionals.isEmpty else { throw UsageError(message: "unexpected argument '\(parsed.positionals[0])'", usage: usage) }
        let byText = parsed.value("by") ?? "workflow"
        guard let grouping = AuditStore.UsageGrouping(rawValue: byText) ?? (byText == "client" ? .run : nil) else {
            let names = AuditStore.UsageGrouping.allCases.map(\.rawValue) + ["client"]
            throw UsageError(message: "--by: unknown grouping '\(byText)'\(Suggestion.hint(for: byText, in: names)) (expected \(names.joined(separator: ", ")))", usage: usage)
        }
        let since = try parsed.since(usage: usage)
        let config: UserConfig
        do { config = try UserConfig.load() } catch let error as YAMLError {
            printError(error.description)
            return 1
        }
        var pricing = RunPricing(config: config)
        var totals: [TokenUsage] = []
        var costs: [String: (amount: Double, currency: String)?] = [:]
        var allCost: (amount: Double, currency: String)? = (0, "")
        do {
            let store = try AuditPresentation.openStore(parsed)
            if byText == "client" {
                // Whom a run was for is read from the run (its `client` input, else its
                // workflow's `client:`), so the rows come per run and are summed here.
                let split = try store.usageByRunAndModel(by: .run, since: since)
                var clients: [String: String] = [:]
                for row in split where clients[row.run] == nil {
                    let record = pricing.record(row.run, in: store)
                    clients[row.run] = pricing.client(of: record)
                }
                totals = Self.sum(split.map { (group: clients[$0.run] ?? "-", run: $0.run, usage: $0.usage) })
                for total in totals {
                    costs[total.group] = pricing.cost(split.filter { clients[$0.run] == total.group }.map { ($0.run, $0.model, $0.usage) }, in: store)
                }
                allCost = pricing.cost(split.map { ($0.run, $0.model, $0.usage) }, in: store)
            } else {
                totals = try store.usage(by: grouping, since: since)
                let split = try store.usageByRunAndModel(by: grouping, since: since)
                for group in Set(split.map(\.group)) {
                    costs[group] = pricing.cost(split.filter { $0.group == group }.map { ($0.run, $0.model, $0.usage) }, in: store)
                }
                allCost = pricing.cost(split.map { ($0.run, $0.model, $0.usage) }, in: store)
            }
        } catch AuditError.noStore {
            // no store yet: nothing recorded
        }
        if parsed.flag("json") {
            printOut(OutputJSON.array(totals.map { total in
                let cost = costs[total.group] ?? nil
                return .object([("group", .string(total.group)), ("runs", .int(total.runs)), ("calls", .int(total.calls)),
                                ("tokens_in", .int(total.tokensIn)), ("tokens_out", .int(total.tokensOut)), ("model_ms", .int(total.latencyMs)),
                                ("cost", cost.map { $0.currency == "mixed" ? .null : .raw(JSONText.number(($0.amount * 1e12).rounded() / 1e12)) } ?? .null),
                                ("currency", .string(cost.flatMap { $0.currency.isEmpty ? nil : $0.currency }))])
            }).rendered())
            return 0
        }
        if totals.isEmpty {
            printError("no model calls recorded" + (since.map { " since \(AuditTime.format($0))" } ?? ""))
            return 0
        }
        // A cost is "?" when a server model in the group has no price (or currencies mix), "0" for local models only.
        func costText(_ entry: (amount: Double, currency: String)?) -> String {
            guard let entry, entry.currency != "mixed" else { return "?" }
            return entry.currency.isEmpty ? "0" : String(format: "%.4f %@", entry.amount, entry.currency)
        }
        var rows = [[byText.uppercased(), "RUNS", "CALLS", "TOKENS IN", "TOKENS OUT", "MODEL TIME", "COST"]]
        for total in totals {
            rows.append([total.group, String(total.runs), String(total.calls), String(total.tokensIn), String(total.tokensOut),
                         AuditPresentation.formatDuration(Double(total.latencyMs) / 1000), costText(costs[total.group] ?? nil)])
        }
        let sum = totals.reduce((0, 0, 0, 0)) { ($0.0 + $1.calls, $0.1 + $1.tokensIn, $0.2 + $1.tokensOut, $0.3 + $1.latencyMs) }
        rows.append(["total", "", String(sum.0), String(sum.1), String(sum.2), AuditPresentation.formatDuration(Double(sum.3) / 1000), costText(allCost)])
        printOut(TextTable.format(rows))
        return 0
    }

    /// Per-run token counts summed by group: runs counted once per group, largest total first
    /// (the order `AuditStore.usage(by:since:)` gives).
    static func sum(_ rows: [(group: String, run: String, usage: TokenUsage)]) -> [TokenUsage] {
        var totals: [String: TokenUsage] = [:]
        var runs: [String: Set<String>] = [:]
        for row in rows {
            var total = totals[row.group] ?? TokenUsage(group: row.group, runs: 0, calls: 0, tokensIn: 0, tokensOut: 0, latencyMs: 0)
            total.calls += row.usage.calls
            total.tokensIn += row.usage.tokensIn
            total.tokensOut += row.usage.tokensOut
            total.latencyMs += row.usage.latencyMs
            runs[row.group, default: []].insert(row.run)
            total.runs = runs[row.group]?.count ?? 0
            totals[row.group] = total
        }
        return totals.values.sorted { ($0.tokensIn + $0.tokensOut, $1.group) > ($1.tokensIn + $1.tokensOut, $0.group) }
    }

    /// The cost of token counts by model identity: `nil` when a server model has no price (local
    /// models cost nothing), with the currency ("" when all were local, "mixed" across currencies).
    static func cost(_ rows: [(model: String, usage: TokenUsage)], prices: [String: UserConfig.Price]) -> (amount: Double, currency: String)? {
        var amount = 0.0
        var currencies: Set<String> = []
        for row in rows {
            if let price = prices[row.model] {
                amount += Double(row.usage.tokensIn) * price.input / 1e6 + Double(row.usage.tokensOut) * price.output / 1e6
                currencies.insert(price.currency)
            } else if !row.model.hasPrefix("gguf:") {
                return nil
            }
        }
        return (amount, currencies.count > 1 ? "mixed" : currencies.first ?? "")
    }

    /// Prices by the model identity the store records for a server (`<base URL>#<model>`).
    static func priceTable(_ config: UserConfig) -> [String: UserConfig.Price] {
        var table: [String: UserConfig.Price] = [:]
        for server in config.servers {
            for (model, price) in server.prices { table[server.baseURL + "#" + model] = price }
        }
        return table
    }
}
