import SQLite

extension AuditStore {
    /// One page of the run history, newest first: at most `limit` runs started before the run
    /// `before` (from the newest when `nil`), of one workflow and one stored status when given.
    /// Keyset paging over the `(started_at, id)` order, so a page deep in a large store costs
    /// what the first one does (indexes `runs_by_start`, `runs_by_workflow`, `runs_by_status`).
    public func runsPage(workflow: String? = nil, status: RunStatus? = nil, before: String? = nil, limit: Int) throws(AuditError) -> [RunRecord] {
        try locked {
            try connection.query("""
                SELECT * FROM runs
                WHERE (?1 IS NULL OR workflow = ?1) AND (?2 IS NULL OR status = ?2)
                  AND (?3 IS NULL OR (started_at, id) < (SELECT started_at, id FROM runs WHERE id = ?3))
                ORDER BY started_at DESC, id DESC LIMIT ?4
                """, [DatabaseValue(workflow), DatabaseValue(status?.rawValue), DatabaseValue(before), .integer(Int64(limit))])
                .map(RunRecord.init(row:))
        }
    }
}
