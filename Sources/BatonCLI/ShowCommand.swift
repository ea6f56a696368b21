import Audit
import CommandKit
import Foundation
import Template

/// `baton show RUN`: every step attempt of a run with its rendered prompt and its output.
struct ShowCommand: TableCommand {
    static let abstract = "Show a run's steps with their prompts, outputs, models and tokens."
    static let options = OptionTable("baton show", [
        .positional("RUN"),
        .option("step", value: "ID|ID[N]", help: "Only the attempts of this step (all its for_each items and retries); ID[N] for for_each item N only."),
        .store,
        .flag("json", help: "A JSON object: the run's fields, `steps` (each with id, iteration, attempt, status, prompt, output, model, tokens_in, tokens_out, ...) and `files`."),
    ])
    static let discussion = """
        Prints the run (RUN is its id or a unique prefix of it), then every attempt of every step in
        the order they finished: status, model, parameters, tokens, latency, the rendered prompt,
        the output and any error; then the files the run wrote.
        """

    static func run(_ parsed: ParsedArguments) throws -> Int32 {
        guard parsed.positionals.count == 1 else {
            throw UsageError(message: parsed.positionals.isEmpty ? "missing RUN" : "unexpected argument '\(parsed.positionals[1])'", usage: usage)
        }
        let store = try AuditPresentation.openStore(parsed)
        let run = try store.resolveRun(parsed.positionals[0])
        var attempts = try store.attempts(run: run.id)
        var files = try store.files(run: run.id)
        if let selector = parsed.value("step") {
            let (step, iteration) = parseStep(selector)
            let known = attempts.map(\.stepID).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
            guard known.contains(step) else {
                printError("error: run \(run.id) has no step '\(step)'" + (known.isEmpty ? " (no steps were recorded)" : "; its steps: \(known.joined(separator: ", "))"))
                return 1
            }
            attempts = attempts.filter { $0.stepID == step && (iteration == nil || $0.iteration == iteration) }
            guard !attempts.isEmpty else {
                printError("error: step '\(step)' of run \(run.id) has no item \(iteration ?? 0)")
                return 1
            }
            files = files.filter { $0.stepID == step }
            if iteration != nil {
                // An item's attempts name the files it wrote (older runs did not: then all of the step's).
                let named = Set(attempts.flatMap(Self.writtenFiles))
                if !named.isEmpty { files = files.filter { named.contains($0.path) } }
            }
        }
        if parsed.flag("json") {
            var fields = AuditPresentation.runFields(run)
            fields.append(("inputs", .raw(run.inputsJSON)))
            fields.append(("steps", .array(attempts.map { .object(AuditPresentation.stepFields($0)) })))
            fields.append(("files", .array(files.map { .object(AuditPresentation.fileFields($0)) })))
            printOut(OutputJSON.object(fields).rendered())
        } else {
            // Prompts, outputs and errors keep their lines; any other control character is escaped.
            printOut(TerminalText.text(text(run: run, attempts: attempts, files: files)))
        }
        return 0
    }

    /// `copy` → ("copy", nil); `translate[3]` → ("translate", 3), one `for_each` item.
    static func parseStep(_ selector: String) -> (String, Int?) {
        guard selector.hasSuffix("]"), let open = selector.lastIndex(of: "["),
              let index = Int(selector[selector.index(after: open)..<selector.index(before: selector.endIndex)]) else {
            return (selector, nil)
        }
        return (String(selector[..<open]), index)
    }

    /// The files an attempt's extra JSON lists as written by its unit (`for_each` items).
    static func writtenFiles(_ attempt: StepAttemptRecord) -> [String] {
        guard let json = attempt.extraJSON, case .dict(let extra)? = try? Value(json: Data(json.utf8)),
              case .list(let paths)? = extra["files"] else { return [] }
        return paths.compactMap { if case .string(let path) = $0 { path } else { nil } }
    }

    /// An attempt's extra JSON, one line per key; a list of objects (such as the chunks a
    /// `rag_query` retrieved) one line per item, numbered as the answer cites them.
    static func extraLines(_ json: String) -> [String] {
        guard let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] else { return ["    " + json] }
        var lines: [String] = []
        for key in object.keys.sorted() {
            guard let value = object[key] else { continue }
            if let items = value as? [[String: Any]], !items.isEmpty {
                lines.append("    \(key):")
                for (index, item) in items.enumerated() {
                    let fields = item.keys.sorted().compactMap { field in item[field].map { "\(field)=\(compact($0))" } }
                    lines.append("      [\(index + 1)] " + fields.joined(separator: " "))
                }
            } else {
                lines.append("    \(key): \(compact(value))")
            }
        }
        return lines
    }

    /// A JSON value on one line; strings without quotes.
    static func compact(_ value: Any) -> String {
        if let text = value as? String { return text.replacingOccurrences(of: "\n", with: " ") }
        guard let data = try? JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed, .sortedKeys, .withoutEscapingSlashes]) else {
            return "\(value)"
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// The plain-text report.
    static func text(run: RunRecord, attempts: [StepAttemptRecord], files: [FileRecord]) -> String {
        var lines = ["run \(run.id) · \(run.workflow) · \(run.status.rawValue)"]
        var header: [[String]] = [["trigger", run.trigger.rawValue + (run.scheduledFor.map { " (scheduled for \(AuditTime.format($0)))" } ?? "")]]
        // A resume finishes its parent; any other run with a parent is a `baton rerun` of it.
        if let parent = run.parentRunID { header.append([run.trigger == .resume ? "resumes" : "re-runs", parent]) }
        header.append(["started", AuditTime.format(run.startedAt)])
        if let finished = run.finishedAt {
            header.append(["finished", AuditTime.format(finished) + " (" + AuditPresentation.formatDuration(finished.timeIntervalSince(run.startedAt)) + ")"])
        }
        header.append(["inputs", AuditPresentation.shortInputs(run.inputsJSON)])
        header.append(["workflow", "sha256 \(run.workflowSHA256)"])
        // The run's cost at its workflow's prices (else the config's), when any is known.
        var pricing = RunPricing(config: try? UserConfig.load())
        if let cost = pricing.cost(of: run, attempts: attempts), cost.currency != "mixed" {
            header.append(["cost", cost.currency.isEmpty ? "0 (local models)" : String(format: "%.6f %@", cost.amount, cost.currency)])
        }
        if let error = run.error { header.append(["error", error]) }
        lines.append(TextTable.format(header))
        if attempts.isEmpty { lines.append("\n(no step attempts recorded)") }
        for attempt in attempts {
            lines.append("")
            lines.append("[\(attempt.chainIndex ?? 0)] \(AuditPresentation.stepLabel(attempt)) · \(attempt.kind) · \(attempt.status.rawValue)")
            var facts: [[String]] = []
            if let model = attempt.model { facts.append(["    model", model]) }
            if let parameters = attempt.parametersJSON { facts.append(["    params", parameters]) }
            var usage: [String] = []
            if attempt.tokensIn != nil || attempt.tokensOut != nil {
                usage.append("\(attempt.tokensIn.map(String.init) ?? "?") in / \(attempt.tokensOut.map(String.init) ?? "?") out")
            }
            if !usage.isEmpty { facts.append(["    tokens", usage.joined(separator: " · ")]) }
            // Every step has a time; only model steps have tokens.
            if let latency = attempt.latencyMs { facts.append(["    time", AuditPresentation.formatDuration(Double(latency) / 1000)]) }
            if let error = attempt.error { facts.append(["    error", error]) }
            if !facts.isEmpty { lines.append(TextTable.format(facts)) }
            for (label, body) in [("prompt", attempt.prompt), ("output", attempt.outputText), ("output json", attempt.outputJSON)] {
                guard let body else { continue }
                lines.append("  \(label):")
                lines.append(body.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }.joined(separator: "\n"))
            }
            if let extra = attempt.extraJSON {
                lines.append("  extra:")
                lines += extraLines(extra)
            }
        }
        if !files.isEmpty {
            lines.append("")
            lines.append("files:")
            lines.append(TextTable.format(files.map { ["  " + TerminalText.name($0.path), "\($0.bytes) bytes", "sha256 \($0.sha256)", $0.stepID.map { "step \($0)" } ?? "outputs"] }))
        }
        return lines.joined(separator: "\n")
    }
}
