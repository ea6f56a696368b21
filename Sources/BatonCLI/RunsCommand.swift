import Audit
import CommandKit

/// `baton runs`: lists recent runs from the audit store, newest first.
struct RunsCommand: Command {
    static let name = "runs"
    static let abstract = "List recent runs from the audit store."
    static let usage = "USAGE: baton runs [--workflow NAME] [--status STATUS] [--limit N] [--db PATH] [--json]"
    static let help = """
        \(usage)

        Lists runs newest first: id, workflow, status, trigger, start time, duration and the tokens
        its model calls read and wrote (answers reused from earlier runs not counted again), and
        its cost when ~/.baton/config.yaml prices server models (? for an unpriced one).

        OPTIONS:
          --workflow NAME   Only runs of this workflow.
          --status STATUS   Only runs with this status: \(RunStatus.allCases.map(\.rawValue).joined(separator: ", ")).
                            A run whose process is gone reads 'interrupted'.
          --limit N         At most N runs (default 20).
          --db PATH         The audit store (default: $BATON_DB, else .baton/baton.db).
          --json            A JSON array of objects with id, workflow, status, trigger, started_at, ...,
                            tokens_in, tokens_out
        """

    static func run(_ arguments: [String]) throws -> Int32 {
        let parsed = try ParsedArguments(arguments, valued: ["workflow", "status", "limit", "db"], booleans: ["json"], usage: usage)
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
        // A cost column only when the config prices some server model (UsageCommand's rule).
        let prices = (try? UserConfig.load()).map(UsageCommand.priceTable) ?? [:]
        var costs: [String: (amount: Double, currency: String)?] = [:]
        do {
            let store = try AuditPresentation.openStore(parsed)
            runs = try store.runs(workflow: parsed.value("workflow"), status: status, limit: limit)
            tokens = try store.tokenTotals(runs: runs.map(\.id))
            if !prices.isEmpty {
                let split = try store.tokenTotalsByModel(runs: runs.map(\.id))
                for run in runs {
                    costs[run.id] = UsageCommand.cost(split.filter { $0.run == run.id }.map { (model: $0.model, usage: $0.usage) }, prices: prices)
                }
            }
        } catch AuditError.noStore {
            // no store yet simply means no runs yet
        }
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
        var rows = [["ID", "WORKFLOW", "STATUS", "TRIGGER", "STARTED (UTC)", "DURATION", "TOKENS IN/OUT"] + (prices.isEmpty ? [] : ["COST"])]
        for run in runs {
            var row = [run.id, TerminalText.name(run.workflow), run.status.rawValue, run.trigger.rawValue, AuditTime.format(run.startedAt),
                       AuditPresentation.duration(run).map(AuditPresentation.formatDuration) ?? "-",
                       tokens[run.id].map { "\($0.tokensIn)/\($0.tokensOut)" } ?? "-"]
            if !prices.isEmpty {
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
