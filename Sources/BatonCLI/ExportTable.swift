import Audit
import Foundation

/// `baton export --format csv|jsonl`: a run's attempts as rows, one per step attempt (each
/// `for_each` item's attempt is its own row), for a spreadsheet or a data pipeline.
struct ExportTable {
    var run: RunRecord
    var attempts: [StepAttemptRecord]

    static let columns = ["run_id", "workflow", "step", "item", "attempt", "kind", "status", "model", "tokens_in", "tokens_out",
                          "latency_ms", "started_at", "finished_at", "error", "prompt", "output", "output_json"]

    /// Rows in the order a reader expects: steps as they first finished, a `for_each` step's items
    /// by index (they finish in any order when run concurrently), attempts in order. With
    /// `finalOnly`, only each unit's last attempt: one row per step or `for_each` item output.
    init(run: RunRecord, attempts: [StepAttemptRecord], finalOnly: Bool) {
        self.run = run
        var stepOrder: [String: Int] = [:]
        for attempt in attempts where stepOrder[attempt.stepID] == nil { stepOrder[attempt.stepID] = stepOrder.count }
        let ordered = attempts.enumerated().sorted { a, b in
            let left = (stepOrder[a.element.stepID] ?? 0, a.element.iteration ?? -1, a.element.attempt, a.offset)
            let right = (stepOrder[b.element.stepID] ?? 0, b.element.iteration ?? -1, b.element.attempt, b.offset)
            return left < right
        }.map(\.element)
        guard finalOnly else {
            self.attempts = ordered
            return
        }
        var last: [StepKey: StepAttemptRecord] = [:]
        for attempt in ordered where (last[attempt.key]?.attempt ?? 0) <= attempt.attempt { last[attempt.key] = attempt }
        self.attempts = ordered.filter { last[$0.key] == $0 }
    }

    func cells(_ attempt: StepAttemptRecord) -> [String?] {
        [run.id, run.workflow, attempt.stepID, attempt.iteration.map(String.init), String(attempt.attempt), attempt.kind,
         attempt.status.rawValue, attempt.model, attempt.tokensIn.map(String.init), attempt.tokensOut.map(String.init),
         attempt.latencyMs.map(String.init), AuditTime.format(attempt.startedAt), AuditTime.format(attempt.finishedAt),
         attempt.error, attempt.prompt, attempt.outputText, attempt.outputJSON]
    }

    /// RFC 4180 CSV with CRLF line ends; `excel` puts a UTF-8 byte order mark first, which Excel
    /// needs to read Korean as UTF-8 instead of the system code page (CP949 on Korean Windows).
    func csv(excel: Bool) -> String {
        var lines = [Self.columns.map { Self.csvField($0, excel: excel) }.joined(separator: ",")]
        for attempt in attempts { lines.append(cells(attempt).map { Self.csvField($0 ?? "", excel: excel) }.joined(separator: ",")) }
        return (excel ? "\u{FEFF}" : "") + lines.joined(separator: "\r\n") + "\r\n"
    }

    /// A field quoted when it holds a comma, quote or line break (quotes doubled). For Excel, a
    /// field that starts with `=`, `+`, `-` or `@` (and is not a number) gets a leading `'` so the
    /// spreadsheet shows the model's text instead of evaluating it as a formula (CSV injection);
    /// plain CSV keeps every byte.
    static func csvField(_ text: String, excel: Bool) -> String {
        var value = text
        if excel, let first = value.first, "=+-@".contains(first), Double(value) == nil { value = "'" + value }
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// One compact JSON object a line; numbers as numbers, absent values as `null`.
    func jsonl() -> String {
        attempts.map { attempt in
            let fields = zip(Self.columns, cells(attempt)).map { name, value -> String in
                let json: String
                switch (name, value) {
                case (_, nil): json = "null"
                case ("item", let value?), ("attempt", let value?), ("tokens_in", let value?), ("tokens_out", let value?), ("latency_ms", let value?):
                    json = value
                case ("output_json", let value?): json = value.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.joined()
                case (_, let value?): json = OutputJSON.quoted(value)
                }
                return OutputJSON.quoted(name) + ":" + json
            }
            return "{" + fields.joined(separator: ",") + "}\n"
        }.joined()
    }
}
