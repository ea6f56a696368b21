import Foundation
import SQLite

/// Tokens spent, summed from the stored attempts, for `baton runs` and `baton usage`.
///
/// An attempt whose answer was reused from an earlier run (`reused_from` in its extra JSON: `baton
/// rerun`, `run --reuse`, a resumed step) sent no request, so its tokens are not counted again.
public struct TokenUsage: Sendable, Equatable {
    /// What the sums are grouped by (`workflow`, `model`, `day`, `run`) and the group's value.
    public var group: String
    public var runs: Int
    /// Attempts that sent a request (reused ones excluded).
    public var calls: Int
    public var tokensIn: Int
    public var tokensOut: Int
    /// Time spent waiting for models, in milliseconds.
    public var latencyMs: Int

    public init(group: String, runs: Int, calls: Int, tokensIn: Int, tokensOut: Int, latencyMs: Int) {
        self.group = group
        self.runs = runs
        self.calls = calls
        self.tokensIn = tokensIn
        self.tokensOut = tokensOut
        self.latencyMs = latencyMs
    }
}

extension AuditStore {
    /// How `usage(by:since:)` groups attempts.
    public enum UsageGrouping: String, Sendable, CaseIterable {
        case workflow, model, day, run

        /// The SQL expression of the group (`day` is the UTC date of the attempt's start).
        var column: String {
            switch self {
            case .workflow: "r.workflow"
            case .model: "COALESCE(a.model, '-')"
            case .day: "substr(a.started_at, 1, 10)"
            case .run: "a.run_id"
            }
        }
    }

    /// The condition that keeps attempts which sent a request.
    static let spentCondition = "(a.extra_json IS NULL OR json_extract(a.extra_json, '$.reused_from') IS NULL)"

    /// Tokens per run for the runs `ids` (runs without attempts are absent).
    public func tokenTotals(runs ids: [String]) throws(AuditError) -> [String: TokenUsage] {
        if ids.isEmpty { return [:] }
        return try locked {
            let marks = ids.indices.map { "?\($0 + 1)" }.joined(separator: ", ")
            let rows = try connection.query("""
                SELECT a.run_id AS grp, 1 AS runs, COUNT(*) AS calls, COALESCE(SUM(a.tokens_in), 0) AS tin,
                       COALESCE(SUM(a.tokens_out), 0) AS tout, COALESCE(SUM(a.latency_ms), 0) AS ms
                FROM step_attempts a WHERE a.run_id IN (\(marks)) AND \(AuditStore.spentCondition) GROUP BY a.run_id
                """, ids.map { .text($0) })
            var totals: [String: TokenUsage] = [:]
            for usage in rows.map(AuditStore.usage) { totals[usage.group] = usage }
            return totals
        }
    }

    /// Tokens per run and model identity for the runs `ids`, from which `baton runs` prices each run.
    public func tokenTotalsByModel(runs ids: [String]) throws(AuditError) -> [(run: String, model: String, usage: TokenUsage)] {
        if ids.isEmpty { return [] }
        return try locked {
            let marks = ids.indices.map { "?\($0 + 1)" }.joined(separator: ", ")
            return try connection.query("""
                SELECT a.run_id AS grp, COALESCE(a.model, '-') AS mdl, 1 AS runs, COUNT(*) AS calls,
                       COALESCE(SUM(a.tokens_in), 0) AS tin, COALESCE(SUM(a.tokens_out), 0) AS tout, COALESCE(SUM(a.latency_ms), 0) AS ms
                FROM step_attempts a WHERE a.run_id IN (\(marks)) AND \(AuditStore.spentCondition) GROUP BY a.run_id, mdl
                """, ids.map { .text($0) }).map { row in
                (run: row.string("grp") ?? "-", model: row.string("mdl") ?? "-", usage: AuditStore.usage(row))
            }
        }
    }

    /// Tokens summed per group over the runs started at or after `since` (all runs when `nil`),
    /// largest total first.
    public func usage(by grouping: UsageGrouping, since: Date? = nil) throws(AuditError) -> [TokenUsage] {
        try locked {
            try connection.query("""
                SELECT \(grouping.column) AS grp, COUNT(DISTINCT a.run_id) AS runs, COUNT(*) AS calls,
                       COALESCE(SUM(a.tokens_in), 0) AS tin, COALESCE(SUM(a.tokens_out), 0) AS tout,
                       COALESCE(SUM(a.latency_ms), 0) AS ms
                FROM step_attempts a JOIN runs r ON r.id = a.run_id
                WHERE (?1 IS NULL OR r.started_at >= ?1) AND \(AuditStore.spentCondition)
                  AND (a.tokens_in IS NOT NULL OR a.tokens_out IS NOT NULL)
                GROUP BY grp ORDER BY tin + tout DESC, grp
                """, [DatabaseValue(since.map(AuditTime.format))]).map(AuditStore.usage)
        }
    }

    /// Tokens per group, run and model identity (`usage(by:since:)`'s rows split by run and
    /// model), from which a cost is computed with each run's prices (its workflow's `price:`,
    /// then the config's).
    public func usageByRunAndModel(by grouping: UsageGrouping, since: Date? = nil) throws(AuditError) -> [(group: String, run: String, model: String, usage: TokenUsage)] {
        try locked {
            try connection.query("""
                SELECT \(grouping.column) AS grp, a.run_id AS rid, COALESCE(a.model, '-') AS mdl, 1 AS runs, COUNT(*) AS calls,
                       COALESCE(SUM(a.tokens_in), 0) AS tin, COALESCE(SUM(a.tokens_out), 0) AS tout,
                       COALESCE(SUM(a.latency_ms), 0) AS ms
                FROM step_attempts a JOIN runs r ON r.id = a.run_id
                WHERE (?1 IS NULL OR r.started_at >= ?1) AND \(AuditStore.spentCondition)
                  AND (a.tokens_in IS NOT NULL OR a.tokens_out IS NOT NULL)
                GROUP BY grp, rid, mdl ORDER BY grp, rid, mdl
                """, [DatabaseValue(since.map(AuditTime.format))]).map { row in
                (group: row.string("grp") ?? "-", run: row.string("rid") ?? "-", model: row.string("mdl") ?? "-", usage: AuditStore.usage(row))
            }
        }
    }

    private static func usage(_ row: Row) -> TokenUsage {
        TokenUsage(group: row.string("grp") ?? "-", runs: row.int("runs") ?? 0, calls: row.int("calls") ?? 0,
                   tokensIn: row.int("tin") ?? 0, tokensOut: row.int("tout") ?? 0, latencyMs: row.int("ms") ?? 0)
    }
}
