import Foundation
import SQLite

extension AuditStore {
    /// Appends one finished step attempt to its run's chain and returns it with its chain fields.
    ///
    /// Never updates: a retry is a new attempt (`attempt` + 1). Texts must already be masked
    /// (`SecretMasker`). Refused for an unknown run or one already finished.
    @discardableResult
    public func appendAttempt(_ attempt: StepAttemptRecord) throws(AuditError) -> StepAttemptRecord {
        var stored = attempt
        stored.startedAt = AuditTime.stored(attempt.startedAt)
        stored.finishedAt = AuditTime.stored(attempt.finishedAt)
        let link = try appendLink(runID: attempt.runID, table: "step_attempts", columns: AuditSchema.attemptColumns, sql: Self.insertAttemptSQL) {
            stored.chainIndex = $0
            stored.prevHash = $1
            return stored.chainedValues
        }
        stored.rowHash = link.hash
        stored.sequence = link.sequence
        return stored
    }

    /// Records a file the run wrote (after it was written), in the same chain as the attempts.
    @discardableResult
    public func recordFile(_ file: FileRecord) throws(AuditError) -> FileRecord {
        var stored = file
        stored.writtenAt = AuditTime.stored(file.writtenAt)
        let link = try appendLink(runID: file.runID, table: "files_written", columns: AuditSchema.fileColumns, sql: Self.insertFileSQL) {
            stored.chainIndex = $0
            stored.prevHash = $1
            return stored.chainedValues
        }
        stored.rowHash = link.hash
        stored.sequence = link.sequence
        return stored
    }

    /// Appends one row to a run's chain in an immediate transaction (so no other writer can take
    /// the same position): `values` gets the row's chain index and previous hash and returns the
    /// hashed columns' values. Refuses an unknown or finished run.
    private func appendLink(runID: String, table: String, columns: [String], sql: String,
                            values: (Int, String) -> [DatabaseValue]) throws(AuditError) -> (hash: String, sequence: Int) {
        try locked {
            try connection.transaction {
                // Only the columns needed here: a run row also holds the whole workflow source.
                guard let run = try connection.queryOne("SELECT row_hash, status, finish_hash FROM runs WHERE id = ?", [.text(runID)]) else {
                    throw AuditError.unknownRun(runID)
                }
                if !run["finish_hash"].isNull {
                    throw AuditError.runFinished(id: runID, status: RunStatus(rawValue: run.string("status") ?? "") ?? .running)
                }
                let tail = try chainTail(runID: runID, runHash: run.string("row_hash") ?? "")
                let row = values(tail.index + 1, tail.hash)
                let hash = RowHash.hash(table: table, columns: columns, values: row)
                try connection.execute(sql, row + [.text(hash)])
                return (hash, Int(connection.lastInsertRowID))
            }
        }
    }

    /// Every attempt of a run in the order they were appended (chain order).
    public func attempts(run runID: String) throws(AuditError) -> [StepAttemptRecord] {
        try locked {
            try connection.query("SELECT * FROM step_attempts WHERE run_id = ? ORDER BY chain_index", [.text(runID)])
                .map(StepAttemptRecord.init(row:))
        }
    }

    /// Every file a run recorded, in chain order.
    public func files(run runID: String) throws(AuditError) -> [FileRecord] {
        try locked {
            try connection.query("SELECT * FROM files_written WHERE run_id = ? ORDER BY chain_index", [.text(runID)])
                .map(FileRecord.init(row:))
        }
    }

    /// For `baton resume`: the latest succeeded attempt of every step (and `for_each` item) of
    /// the run and of the runs it resumed (its `parentRunID`s, followed back), the newest run
    /// winning. Steps that failed, were cancelled, skipped or never started are absent: those
    /// are what a resume runs again. Ordered by first appearance (oldest run first, chain order).
    public func latestSucceededAttempts(run runID: String) throws(AuditError) -> [StepAttemptRecord] {
        try locked {
            var lineage: [String] = []
            var next: String? = runID
            while let id = next, !lineage.contains(id) {
                guard let run = try fetchRun(id) else { throw AuditError.unknownRun(id) }
                lineage.append(id)
                next = run.parentRunID
            }
            var order: [StepKey] = []
            var latest: [StepKey: StepAttemptRecord] = [:]
            for id in lineage.reversed() {
                let rows = try connection.query(
                    "SELECT * FROM step_attempts WHERE run_id = ? AND status = 'succeeded' ORDER BY chain_index", [.text(id)])
                for row in rows {
                    let attempt = StepAttemptRecord(row: row)
                    if latest.updateValue(attempt, forKey: attempt.key) == nil { order.append(attempt.key) }
                }
            }
            return order.compactMap { latest[$0] }
        }
    }

    private static let insertAttemptSQL = insertSQL(table: "step_attempts", columns: AuditSchema.attemptColumns)
    private static let insertFileSQL = insertSQL(table: "files_written", columns: AuditSchema.fileColumns)

    private static func insertSQL(table: String, columns: [String]) -> String {
        "INSERT INTO \(table) (\((columns + ["row_hash"]).joined(separator: ", "))) VALUES (\(Array(repeating: "?", count: columns.count + 1).joined(separator: ", ")))"
    }
}

extension StepAttemptRecord {
    /// The values of `AuditSchema.attemptColumns`, in that order.
    var chainedValues: [DatabaseValue] {
        [
            .text(runID), DatabaseValue(chainIndex), .text(stepID), DatabaseValue(iteration), .integer(Int64(attempt)),
            .text(kind), .text(status.rawValue), DatabaseValue(model), DatabaseValue(parametersJSON), DatabaseValue(prompt),
            DatabaseValue(outputText), DatabaseValue(outputJSON), DatabaseValue(tokensIn), DatabaseValue(tokensOut),
            DatabaseValue(latencyMs), .text(AuditTime.format(startedAt)), .text(AuditTime.format(finishedAt)),
            DatabaseValue(error), DatabaseValue(extraJSON), DatabaseValue(prevHash),
        ]
    }

    init(row: Row) {
        self.init(
            runID: row.string("run_id") ?? "", stepID: row.string("step_id") ?? "", iteration: row.int("iteration"),
            attempt: row.int("attempt") ?? 0, kind: row.string("kind") ?? "",
            status: AttemptStatus(rawValue: row.string("status") ?? "") ?? .failed, model: row.string("model"),
            parametersJSON: row.string("parameters_json"), prompt: row.string("prompt"), outputText: row.string("output_text"),
            outputJSON: row.string("output_json"), tokensIn: row.int("tokens_in"), tokensOut: row.int("tokens_out"),
            latencyMs: row.int("latency_ms"), startedAt: AuditTime.parse(row.string("started_at") ?? "") ?? Date(timeIntervalSince1970: 0),
            finishedAt: AuditTime.parse(row.string("finished_at") ?? "") ?? Date(timeIntervalSince1970: 0),
            error: row.string("error"), extraJSON: row.string("extra_json"))
        chainIndex = row.int("chain_index")
        prevHash = row.string("prev_hash")
        rowHash = row.string("row_hash")
        sequence = row.int("seq")
    }
}

extension FileRecord {
    /// The values of `AuditSchema.fileColumns`, in that order.
    var chainedValues: [DatabaseValue] {
        [
            .text(runID), DatabaseValue(chainIndex), DatabaseValue(stepID), .text(path), .text(sha256),
            .integer(Int64(bytes)), .text(AuditTime.format(writtenAt)), DatabaseValue(prevHash),
        ]
    }

    init(row: Row) {
        self.init(runID: row.string("run_id") ?? "", stepID: row.string("step_id"), path: row.string("path") ?? "",
                  sha256: row.string("sha256") ?? "", bytes: row.int("bytes") ?? 0,
                  writtenAt: AuditTime.parse(row.string("written_at") ?? "") ?? Date(timeIntervalSince1970: 0))
        chainIndex = row.int("chain_index")
        prevHash = row.string("prev_hash")
        rowHash = row.string("row_hash")
        sequence = row.int("seq")
    }
}
