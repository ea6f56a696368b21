import Base
import Audit
import CommandKit
import Foundation
import Template

/// What `runs`, `show`, `export` and `audit verify` share: opening the store named by `--db` /
/// `BATON_DB`, and turning runs and attempts into JSON and aligned text.
enum AuditPresentation {
    /// Opens the existing store for a read command: never creates one, and opens it read-only,
    /// so a store on read-only media (or one the user may only read) can still be read.
    static func openStore(_ arguments: ParsedArguments) throws -> AuditStore {
        try AuditStore(path: AuditStore.resolvePath(option: arguments.value("db")), create: false, readOnly: true)
    }

    /// The run's fields as `--json` shows them.
    static func runFields(_ run: RunRecord) -> [(String, OutputJSON)] {
        [
            ("id", .string(run.id)),
            ("workflow", .string(run.workflow)),
            ("status", .string(run.status.rawValue)),
            ("trigger", .string(run.trigger.rawValue)),
            ("started_at", .string(AuditTime.format(run.startedAt))),
            ("finished_at", .string(run.finishedAt.map(AuditTime.format))),
            ("duration_ms", .int(duration(run).map { Int(($0 * 1000).rounded()) })),
            ("scheduled_for", .string(run.scheduledFor.map(AuditTime.format))),
            ("parent_run_id", .string(run.parentRunID)),
            ("error", .string(run.error)),
            ("workflow_sha256", .string(run.workflowSHA256)),
        ]
    }

    /// An attempt as `show --json` and `export --format json` list it.
    static func stepFields(_ attempt: StepAttemptRecord) -> [(String, OutputJSON)] {
        [
            ("id", .string(attempt.stepID)),
            ("iteration", .int(attempt.iteration)),
            ("attempt", .int(attempt.attempt)),
            ("kind", .string(attempt.kind)),
            ("status", .string(attempt.status.rawValue)),
            ("model", .string(attempt.model)),
            ("parameters", .raw(attempt.parametersJSON)),
            ("prompt", .string(attempt.prompt)),
            ("output", .string(attempt.outputText)),
            ("output_json", .raw(attempt.outputJSON)),
            ("tokens_in", .int(attempt.tokensIn)),
            ("tokens_out", .int(attempt.tokensOut)),
            ("latency_ms", .int(attempt.latencyMs)),
            ("started_at", .string(AuditTime.format(attempt.startedAt))),
            ("finished_at", .string(AuditTime.format(attempt.finishedAt))),
            ("error", .string(attempt.error)),
            ("extra", .raw(attempt.extraJSON)),
        ]
    }

    /// A written file as JSON.
    static func fileFields(_ file: FileRecord) -> [(String, OutputJSON)] {
        [("step", .string(file.stepID)), ("path", .string(file.path)), ("sha256", .string(file.sha256)), ("bytes", .int(file.bytes))]
    }

    /// Seconds from start to finish, when finished.
    static func duration(_ run: RunRecord) -> Double? {
        run.finishedAt.map { $0.timeIntervalSince(run.startedAt) }
    }

    /// `0.056 s`, `12.3 s`, `4 min 05 s`.
    static func formatDuration(_ seconds: Double) -> String {
        if seconds < 1 { return String(format: "%.3f s", seconds) }
        if seconds < 60 { return String(format: "%.1f s", seconds) }
        let whole = Int(seconds.rounded())
        return String(format: "%d min %02d s", whole / 60, whole % 60)
    }

    /// The longest input value `baton show` prints in its header; a file input holds a whole file.
    static let inputShownLength = 80

    /// A run's inputs JSON with each long string value cut (`"첫 줄…" (3,214 characters)`), so
    /// the header stays a header; `--json` and `baton export` keep the whole values.
    static func shortInputs(_ json: String) -> String {
        guard case .dict(let inputs)? = try? Value(json: Data(json.utf8)) else { return json }
        var shortened = false
        var parts: [String] = []
        for (name, value) in inputs.entries {
            var text = value.jsonString()
            if case .string(let string) = value, string.count > inputShownLength {
                let head = String(string.prefix(inputShownLength)).replacingOccurrences(of: "\n", with: " ")
                text = Value.string(head + "…").jsonString() + " (\(string.count) characters)"
                shortened = true
            }
            parts.append(Value.string(name).jsonString() + ":" + text)
        }
        return shortened ? "{" + parts.joined(separator: ",") + "}" : json
    }

    /// `copy`, `translate[2]`, with ` attempt 2` when it is a retry.
    static func stepLabel(_ attempt: StepAttemptRecord) -> String {
        attempt.key.description + (attempt.attempt > 1 ? " attempt \(attempt.attempt)" : "")
    }
}
