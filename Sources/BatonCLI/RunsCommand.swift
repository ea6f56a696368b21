import Audit
import CommandKit

/// `baton runs`: lists recent runs from the audit store, newest first.
struct RunsCommand: TableCommand {
    static let abstract = "List recent runs from the audit store."
    static let options = OptionTable("baton runs", [
        .runsOfWorkflow,
        .option("status", value: "STATUS", help: "Only runs with this status: \(RunStatus.allCases.map(\.rawValue).joined(separator: ", ")). A run whose process is gone reads 'interrupted'."),
        .option("limit", value: "N", help: "At most N runs.", default: "20"),
        .store,
        .flag("json", help: "A JSON array of objects with id, workflow, status, trigger, started_at, ..., tokens_in, tokens_out"),
    ])
    static let discussion = """
        Lists runs newest first: id, workflow, status, trigger, start time, duration and the tokens
        its model calls read and wrote (answers reused from earlier runs not counted again), and
        its cost when server models are priced (its workflow's price:, else ~/.baton/config.yaml;
        ? for an unpriced one).
        """

    static func run(_ parsed: ParsedArguments) throws -> Int32 {
        guard parsed.positionals.isEmpty else { throw UsageError(message: "unexpected argument '\(parsed.positionals[0])'", usage: usage) }
        var status: RunStatus?
        if let text = parsed.value("status") {
            guard let value = RunStatus(rawValue: text) else {
                throw UsageError(message: "unknown status '\(text)' (expected one of \(RunStatus.allCases.map(\.rawValue).joined(separator: ", ")))", usage: usage)
            }
            status = value
        }
        var limit = 20
        if let text = parsed.value("limit") {
            guard let value = Int(text), value > 0 else { throw UsageError(message: "--limit needs a positive whole number, not '\(text)'", usage: usage) }
            limit = value
        }
        var runs: [RunRecord] = []
        var tokens: [String: TokenUsage] = [:]
        // A cost column only when some server model has a price: in the config, or in the
        // `price:` of a listed run's workflow (which comes first for that run).
        var pricing = RunPricing(config: try? UserConfig.load())
        var costs: [String: (amount: Double, currency: String)?] = [:]
        do {
            let store = try AuditPresentation.openStore(parsed)
            runs = try store.runs(workflow: parsed.value("workflow"), status: status, limit: limit)
            tokens = try store.tokenTotals(runs: runs.map(\.id))
            let split = try store.tokenTotalsByModel(runs: runs.map(\.id))
            for run in runs {
                pricing.remember(run)
                costs[run.id] = pricing.cost(split.filter { $0.run == run.id }.map { ($0.run, $0.model, $0.usage) }, in: store)
            }
        } catch AuditError.noStore {
            // no store yet simply means no runs yet
        }
        let priced = pricing.hasPrices
        if parsed.flag("json") {
            printOut(OutputJSON.array(runs.map {
                .object(AuditPresentation.runFields($0) + [("tokens_in", .int(tokens[$0.id]?.tokensIn ?? 0)), ("tokens_out", .int(tokens[$0.id]?.tokensOut ?? 0))])
            }).rendered())
            return 0
        }
        if runs.isEmpty {
            printError("no runs found")
            return 0
        }
        var rows = [["ID", "WORKFLOW", "STATUS", "TRIGGER", "STARTED (UTC)", "DURATION", "TOKENS IN/OUT"] + (priced ? ["COST"] : [])]
        for run in runs {
            var row = [run.id, TerminalText.name(run.workflow), run.status.rawValue, run.trigger.rawValue, AuditTime.format(run.startedAt),
                       AuditPresentation.duration(run).map(AuditPresentation.formatDuration) ?? "-",
                       tokens[run.id].map { "\($0.tokensIn)/\($0.tokensOut)" } ?? "-"]
            if priced {
                switch costs[run.id] {
                case .some(.some(let cost)): row.append(cost.currency.isEmpty ? "0" : String(format: "%.4f %@", cost.amount, cost.currency))
                case .some(.none): row.append("?")
                case .none: row.append("-")
                }
            }
            rows.append(row)
        }
        printOut(TextTable.format(rows))
        return 0
    }
}
