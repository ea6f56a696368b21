import Audit
import Foundation

/// What `runs`, `show`, `export` and `audit verify` share: opening the store named by `--db` /
/// `BATON_DB`, and turning runs and attempts into JSON and aligned text.
enum AuditPresentation {
    /// Opens the existing store for a read command (never creates one).
    static func openStore(_ arguments: ParsedArguments) throws -> AuditStore {
        try AuditStore(path: AuditStore.resolvePath(option: arguments.value("db")), create: false)
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

    /// `copy`, `translate[2]`, with ` attempt 2` when it is a retry.
    static func stepLabel(_ attempt: StepAttemptRecord) -> String {
        attempt.key.description + (attempt.attempt > 1 ? " attempt \(attempt.attempt)" : "")
    }

    /// Columns padded to their widest cell, counting Korean and other wide characters as two
    /// terminal cells so that tables stay aligned.
    static func table(_ rows: [[String]]) -> String {
        guard let columns = rows.map(\.count).max() else { return "" }
        var widths = [Int](repeating: 0, count: columns)
        for row in rows { for (index, cell) in row.enumerated() { widths[index] = max(widths[index], displayWidth(cell)) } }
        return rows.map { row in
            row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[index] - displayWidth(cell))
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }

    /// Terminal cells `text` takes: two for East Asian wide characters (Hangul, CJK, full-width forms).
    static func displayWidth(_ text: String) -> Int {
        text.unicodeScalars.reduce(0) { width, scalar in
            switch scalar.value {
            case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
                 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x1F300...0x1F64F,
                 0x20000...0x3FFFD:
                return width + 2
            case 0x0300...0x036F, 0x200B...0x200F:
                return width
            default:
                return width + 1
            }
        }
    }
}
