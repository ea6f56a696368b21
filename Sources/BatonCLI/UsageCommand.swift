import Audit
import Base
import CommandKit
import Foundation
import YAML

/// `baton usage [--since DATE] [--by workflow|model|day]`: tokens (and cost, where prices are
/// known) summed from the audit store.
struct UsageCommand: Command {
    static let name = "usage"
    static let abstract = "Sum the tokens and cost of recorded runs by workflow, model or day."
    static let usage = "USAGE: baton usage [--by workflow|model|day] [--since DATE] [--db PATH] [--json]"
    static let help = """
        \(usage)

        Sums what the runs' model calls read and wrote, from the audit store: runs, calls,
        tokens in and out, and model time, one row per group, largest first. Answers reused
        from earlier runs (rerun, --reuse) sent no request and are not counted again.
        Cost is computed for server models priced in ~/.baton/config.yaml (prices per million
        tokens in and out); local models cost nothing and show their model time.

        OPTIONS:
          --by KEY       workflow (default), model or day (UTC date of the call).
          --since DATE   Only runs started on or after DATE (YYYY-MM-DD, UTC, or a full
                         timestamp such as 2026-12-01T09:00:00Z).
          --db PATH      The audit store (default: $BATON_DB, else .baton/baton.db).
          --json         An array of {group, runs, calls, tokens_in, tokens_out, model_ms, cost, currency}.
        """

    static func run(_ arguments: [String]) throws -> Int32 {
        let parsed = try ParsedArguments(arguments, valued: ["by", "since", "db"], booleans: ["json"], usage: usage)
        guard parsed.positionals.isEmpty else { throw UsageError(message: "unexpected argument '\(parsed.positionals[0])'", usage: usage) }
        let byText = parsed.value("by") ?? "workflow"
        guard let grouping = AuditStore.UsageGrouping(rawValue: byText) else {
            let names = AuditStore.UsageGrouping.allCases.map(\.rawValue)
            throw UsageError(message: "--by: unknown grouping '\(byText)'\(Suggestion.hint(for: byText, in: names)) (expected \(names.joined(separator: ", ")))", usage: usage)
        }
        var since: Date?
        if let text = parsed.value("since") {
            guard let date = parseDate(text) else {
                throw UsageError(message: "--since takes YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ (UTC), not '\(text)'", usage: usage)
            }
            since = date
        }
        let config: UserConfig
        do { config = try UserConfig.load() } catch let error as YAMLError {
            printError(error.description)
            return 1
        }
        var totals: [TokenUsage] = []
        var split: [(group: String, model: String, usage: TokenUsage)] = []
        do {
            let store = try AuditPresentation.openStore(parsed)
            totals = try store.usage(by: grouping, since: since)
            split = try store.usageByModel(by: grouping, since: since)
        } catch AuditError.noStore {
            // no store yet: nothing recorded
        }
        let prices = priceTable(config)
        var costs: [String: (amount: Double, currency: String)?] = [:]
        for group in Set(split.map(\.group)) {
            costs[group] = cost(split.filter { $0.group == group }.map { (model: $0.model, usage: $0.usage) }, prices: prices)
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
        var rows = [[grouping.rawValue.uppercased(), "RUNS", "CALLS", "TOKENS IN", "TOKENS OUT", "MODEL TIME", "COST"]]
        for total in totals {
            rows.append([total.group, String(total.runs), String(total.calls), String(total.tokensIn), String(total.tokensOut),
                         AuditPresentation.formatDuration(Double(total.latencyMs) / 1000), costText(costs[total.group] ?? nil)])
        }
        let sum = totals.reduce((0, 0, 0, 0)) { ($0.0 + $1.calls, $0.1 + $1.tokensIn, $0.2 + $1.tokensOut, $0.3 + $1.latencyMs) }
        let allCost = cost(split.map { (model: $0.model, usage: $0.usage) }, prices: prices)
        rows.append(["total", "", String(sum.0), String(sum.1), String(sum.2), AuditPresentation.formatDuration(Double(sum.3) / 1000), costText(allCost)])
        printOut(TextTable.format(rows))
        return 0
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

    /// `2026-12-01` (midnight UTC) or a full ISO 8601 timestamp.
    static func parseDate(_ text: String) -> Date? {
        if let date = AuditTime.parse(text) { return date }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = text.count == 10 ? [.withFullDate] : [.withInternetDateTime]
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.date(from: text)
    }
}
