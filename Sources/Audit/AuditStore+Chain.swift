import Foundation
import SQLite

extension AuditStore {
    /// Appends one finished step attempt to its run's chain and returns it with its chain fields.
    ///
    /// Never updates: a retry is a new attempt (`attempt` + 1). Texts must already be masked
    /// (`SecretMasker`). Refused for an unknown run or one already finished.
    @discardableResult
    public func appendAttempt(_ attempt: StepAttemptRecord) throws(AuditError) -> StepAttemptRecord {
        try appendLink(attempt)
    }

    /// Records a file the run wrote (after it was written), in the same chain as the attempts.
    @discardableResult
    public func recordFile(_ file: FileRecord) throws(AuditError) -> FileRecord {
        try appendLink(file)
    }

    /// Appends one row to a run's chain in an immediate transaction (so no other writer can take
    /// the same position) and returns it with its chain fields set. Refuses an unknown or
    /// finished run.
    private func appendLink<Record: ChainedRecord>(_ record: Record) throws(AuditError) -> Record {
        try locked {
            try connection.transaction {
                // Only the columns needed here: a run row also holds the whole workflow source.
                let runID = record.runID
                guard let run = try connection.queryOne("SELECT row_hash, status, finish_hash FROM runs WHERE id = ?", [.text(runID)]) else {
                    throw AuditError.unknownRun(runID)
                }
                if !run["finish_hash"].isNull {
                    throw AuditError.runFinished(id: runID, status: RunStatus(rawValue: run.string("status") ?? "") ?? .running)
                }
                let tail = try chainTail(runID: runID, runHash: run.string("row_hash") ?? "")
                var stored = record.withStoredTimes()
                stored.chainIndex = tail.index + 1
                stored.prevHash = tail.hash
                let values = stored.chainedValues
                let hash = RowHash.hash(table: Record.table, columns: Record.columns, values: values)
                try connection.execute(Record.insertSQL, values + [.text(hash)])
                stored.rowHash = hash
                stored.sequence = Int(connection.lastInsertRowID)
                return stored
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
                // Only a resume continues its parent; a re-run's parent had other inputs.
                next = run.trigger == .resume ? run.parentRunID : nil
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
}

/// A row of a run's hash chain: a step attempt or a written file.
protocol ChainedRecord {
    static var table: String { get }
    /// The hashed columns, in hashing order (all but `seq` and `row_hash`).
    static var columns: [String] { get }
    var runID: String { get }
    var chainIndex: Int? { get set }
    var prevHash: String? { get set }
    var rowHash: String? { get set }
    var sequence: Int? { get set }
    /// The values of `columns`, in that order.
    var chainedValues: [DatabaseValue] { get }
    /// The record with its times as they read back from the store (milliseconds).
    func withStoredTimes() -> Self
}

extension ChainedRecord {
    static var insertSQL: String {
        "INSERT INTO \(table) (\((columns + ["row_hash"]).joined(separator: ", "))) VALUES (\(Array(repeating: "?", count: columns.count + 1).joined(separator: ", ")))"
    }
}

extension StepAttemptRecord: ChainedRecord {
    static var table: String { "step_attempts" }
    static var columns: [String] { AuditSchema.attemptColumns }

    func withStoredTimes() -> StepAttemptRecord {
        var copy = self
        copy.startedAt = AuditTime.stored(startedAt)
        copy.finishedAt = AuditTime.stored(finishedAt)
        return copy
    }

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

extension FileRecord: ChainedRecord {
    static var table: String { "files_written" }
    static var columns: [String] { AuditSchema.fileColumns }

    func withStoredTimes() -> FileRecord {
        var copy = self
        copy.writtenAt = AuditTime.stored(writtenAt)
        return copy
    }

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
