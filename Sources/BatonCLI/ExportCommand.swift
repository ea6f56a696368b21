import Audit
import Base
import CommandKit

/// `baton export RUN --format json|markdown|csv|jsonl`: a run's full record for a client or an
/// archive, or its attempts as rows for a spreadsheet.
struct ExportCommand: TableCommand {
    static let abstract = "Export a run's audit record as JSON, Markdown, CSV or JSON Lines."
    static let options = OptionTable("baton export", [
        .positional("RUN"),
        .option("format", value: "json|markdown|csv|jsonl", help: "json (one object, as `baton show --json` plus the source and hashes), markdown (a readable report), csv (one row per step attempt: run_id, workflow, step, item, attempt, kind, status, model, tokens, timing, error, prompt, output, output_json) or jsonl (the same rows as JSON, one a line).", required: true,
                missing: "missing --format (json, markdown, csv or jsonl)"),
        .flag("final", help: "csv/jsonl: only each step's (or for_each item's) last attempt, one row per output."),
        .flag("excel", help: "csv: start with a UTF-8 byte order mark, so Excel (Korean Windows included) reads the text as UTF-8."),
        .store,
    ])
    static let discussion = """
        Writes to standard output everything the store holds about the run (RUN is its id or a
        unique prefix): its inputs, the workflow source and its SHA-256, every step attempt with
        prompt, output, model, parameters, tokens and timing, the files written, and the result of
        checking the run's hash chain, with the hashes an auditor can check again.
        """

    static func run(_ parsed: ParsedArguments) throws -> Int32 {
        guard parsed.positionals.count == 1 else {
            throw UsageError(message: parsed.positionals.isEmpty ? "missing RUN" : "unexpected argument '\(parsed.positionals[1])'", usage: usage)
        }
        let formats = ["json", "markdown", "csv", "jsonl"]
        guard let format = parsed.value("format") else { throw UsageError(message: "missing --format (json, markdown, csv or jsonl)", usage: usage) }
        guard formats.contains(format) else {
            throw UsageError(message: "unknown format '\(format)'\(Suggestion.hint(for: format, in: formats)) (expected json, markdown, csv or jsonl)", usage: usage)
        }
        if parsed.flag("excel") && format != "csv" { throw UsageError(message: "--excel applies to --format csv only", usage: usage) }
        let store = try AuditPresentation.openStore(parsed)
        let run = try store.resolveRun(parsed.positionals[0])
        let attempts = try store.attempts(run: run.id)
        if format == "csv" || format == "jsonl" {
            let table = ExportTable(run: run, attempts: attempts, finalOnly: parsed.flag("final"))
            printOut(format == "csv" ? table.csv(excel: parsed.flag("excel")) : table.jsonl(), terminator: "")
            return 0
        }
        let files = try store.files(run: run.id)
        let violations = try store.verify(run: run.id)
        let reviews = try store.reviews(run: run.id)
        if format == "json" {
            printOut(json(run: run, attempts: attempts, files: files, violations: violations, reviews: reviews))
        } else {
            printOut(MarkdownReport(run: run, attempts: attempts, files: files, violations: violations, reviews: reviews).text)
        }
        return 0
    }

    static func json(run: RunRecord, attempts: [StepAttemptRecord], files: [FileRecord], violations: [AuditViolation],
                     reviews: [ReviewRecord] = []) -> String {
        var fields = AuditPresentation.runFields(run)
        fields.append(("inputs", .raw(run.inputsJSON)))
        fields.append(("workflow_source", .string(run.workflowSource)))
        fields.append(("steps", .array(attempts.map { attempt in
            .object(AuditPresentation.stepFields(attempt) + [
                ("chain_index", .int(attempt.chainIndex)), ("prev_hash", .string(attempt.prevHash)), ("row_hash", .string(attempt.rowHash)),
            ])
        })))
        fields.append(("files", .array(files.map { file in
            .object(AuditPresentation.fileFields(file) + [
                ("chain_index", .int(file.chainIndex)), ("prev_hash", .string(file.prevHash)), ("row_hash", .string(file.rowHash)),
            ])
        })))
        fields.append(("reviews", .array(reviews.map { .object(ReviewPresentation.fields($0)) })))
        fields.append(("chain", .object([
            ("run_hash", .string(run.rowHash)), ("length", .int(run.chainLength)), ("head", .string(run.chainHead)),
            ("finish_hash", .string(run.finishHash)), ("verified", .bool(violations.isEmpty)),
            ("violations", .array(violations.map { .string($0.description) })),
        ])))
        return OutputJSON.object(fields).rendered()
    }
}

/// The Markdown form of `baton export`: headings per step, prompts and outputs in fenced blocks
/// long enough that text containing backticks cannot close them early.
struct MarkdownReport {
    var run: RunRecord
    var attempts: [StepAttemptRecord]
    var files: [FileRecord]
    var violations: [AuditViolation]
    /// The review history of the run and the runs it continues.
    var reviews: [ReviewRecord] = []

    var text: String {
        var out: [String] = ["# Run \(run.id): \(run.workflow)", ""]
        var facts: [(String, String)] = [("Status", run.status.rawValue), ("Trigger", run.trigger.rawValue),
                                          ("Started (UTC)", AuditTime.format(run.startedAt))]
        if let finished = run.finishedAt { facts.append(("Finished (UTC)", AuditTime.format(finished))) }
        if let scheduled = run.scheduledFor { facts.append(("Scheduled for (UTC)", AuditTime.format(scheduled))) }
        if let parent = run.parentRunID { facts.append(("Resumes", parent)) }
        if let error = run.error { facts.append(("Error", error)) }
        facts.append(("Workflow SHA-256", "`\(run.workflowSHA256)`"))
        out += ["| Field | Value |", "| --- | --- |"] + facts.map { "| \($0.0) | \(cell($0.1)) |" }
        out += ["", "## Inputs", "", fenced(run.inputsJSON, language: "json"), "", "## Steps", ""]
        if attempts.isEmpty { out += ["No step attempts were recorded.", ""] }
        for attempt in attempts {
            out.append("### \(AuditPresentation.stepLabel(attempt)) (\(attempt.kind)): \(attempt.status.rawValue)")
            out.append("")
            var items: [String] = []
            if let model = attempt.model { items.append("Model: `\(model)`") }
            if let parameters = attempt.parametersJSON { items.append("Parameters: `\(parameters)`") }
            if attempt.tokensIn != nil || attempt.tokensOut != nil {
                items.append("Tokens: \(attempt.tokensIn.map(String.init) ?? "?") in, \(attempt.tokensOut.map(String.init) ?? "?") out")
            }
            if let latency = attempt.latencyMs { items.append("Latency: \(latency) ms") }
            items.append("Finished (UTC): \(AuditTime.format(attempt.finishedAt))")
            if let error = attempt.error { items.append("Error: \(error)") }
            out += items.map { "- " + $0 } + [""]
            for (title, body, language) in [("Prompt", attempt.prompt, "text"), ("Output", attempt.outputText, "text"),
                                            ("Output JSON", attempt.outputJSON, "json"), ("Details", attempt.extraJSON, "json")] {
                guard let body else { continue }
                out += ["#### \(title)", "", fenced(body, language: language), ""]
            }
        }
        if !files.isEmpty {
            out += ["## Files", "", "| Path | Bytes | SHA-256 | Step |", "| --- | --- | --- | --- |"]
            out += files.map { "| \(cell($0.path)) | \($0.bytes) | `\($0.sha256)` | \(cell($0.stepID ?? "outputs")) |" }
            out.append("")
        }
        out += ReviewPresentation.markdown(reviews, fenced: { fenced($0, language: $1) })
        out += ["## Integrity", ""]
        if violations.isEmpty {
            out.append("The run's hash chain verifies: \(attempts.count + files.count) rows, run hash `\(run.rowHash)`"
                + (run.chainHead.map { ", last row `\($0)`" } ?? "") + ".")
        } else {
            out.append("The run's hash chain does NOT verify:")
            out.append("")
            out += violations.map { "- " + $0.description }
        }
        out += ["", "## Workflow source", "", fenced(run.workflowSource, language: "yaml")]
        return out.joined(separator: "\n")
    }

    /// `text` in a fenced code block whose fence is longer than any backtick run inside it.
    func fenced(_ text: String, language: String) -> String {
        var longest = 0, current = 0
        for character in text {
            current = character == "`" ? current + 1 : 0
            longest = max(longest, current)
        }
        let fence = String(repeating: "`", count: max(3, longest + 1))
        return fence + language + "\n" + text + (text.hasSuffix("\n") ? "" : "\n") + fence
    }

    /// Text safe inside a table cell (pipes escaped, line breaks as `<br>`).
    func cell(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: "<br>")
    }
}
