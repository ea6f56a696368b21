import SQLite

extension AuditStore {
    /// Checks the hash chain of one run (`run` given) or of every run, and returns what is wrong,
    /// each problem naming its row. Empty when the store is intact. The chains only: SQLite's
    /// whole-file check (`verification`) reads every page, 70 ms on a 10,000-run store, which a
    /// console page showing one run's status must not pay.
    public func verify(run runID: String? = nil) throws(AuditError) -> [AuditViolation] {
        try chainVerification(run: runID).violations
    }

    /// `verify` with the counts `baton audit verify` reports, and SQLite's own check of the file
    /// (`PRAGMA integrity_check`): a zeroed page or a damaged index can leave every readable row
    /// hashing correctly, so the chain alone would say ok. When the damage stops the chain from
    /// being read at all, that is reported with the integrity problems instead of thrown.
    public func verification(run runID: String? = nil) throws(AuditError) -> AuditVerification {
        let integrity = try integrityProblems()
        do {
            var result = try chainVerification(run: runID)
            result.integrityProblems = integrity
            return result
        } catch .database(let error) where !integrity.isEmpty {
            return AuditVerification(runCount: 0, rowCount: 0, violations: [],
                                     integrityProblems: integrity + ["the hash chains could not be read: \(error.message)"])
        }
    }

    /// What SQLite's `PRAGMA integrity_check` finds wrong with the file (at most 100 lines, in
    /// SQLite's words); empty when it says `ok`. The check can name a damaged page and then stop
    /// with an error: both are kept, read row by row (`Page 7: btreeInitPage() returns error
    /// code 11`, then `database disk image is malformed`).
    public func integrityProblems() throws(AuditError) -> [String] {
        try locked {
            var lines: [String] = []
            do {
                try connection.forEach("PRAGMA integrity_check(100)") { row in
                    // One value can hold several findings, one per line, under a header.
                    for line in (row[0].string ?? "").split(separator: "\n") where line != "*** in database main ***" {
                        lines.append(String(line))
                    }
                }
            } catch let error as SQLiteError where !error.isBusy {
                lines.append(error.message)
            }
            return lines == ["ok"] ? [] : lines
        }
    }

    private func chainVerification(run runID: String?) throws(AuditError) -> AuditVerification {
        // One read transaction: a consistent snapshot, so rows appended by a run still going
        // while this reads are either all seen or not at all (never a false gap).
        try locked { try connection.transaction(.deferred) {
            let runRows: [Row]
            if let runID {
                guard let row = try connection.queryOne("SELECT * FROM runs WHERE id = ?", [.text(runID)]) else {
                    throw AuditError.unknownRun(runID)
                }
                runRows = [row]
            } else {
                runRows = try connection.query("SELECT * FROM runs ORDER BY started_at, id")
            }
            var result = AuditVerification(runCount: runRows.count, rowCount: 0, violations: [])
            for runRow in runRows {
                let id = runRow.string("id") ?? ""
                let attempts = try connection.query("SELECT * FROM step_attempts WHERE run_id = ?", [.text(id)])
                let files = try connection.query("SELECT * FROM files_written WHERE run_id = ?", [.text(id)])
                result.rowCount += attempts.count + files.count
                result.violations += ChainCheck(runRow: runRow, attempts: attempts, files: files).violations()
            }
            let reviews = try reviewViolations(run: runID)
            result.rowCount += reviews.rows
            result.violations += reviews.violations
            if runID == nil { result.violations += try orphans() }
            return result
        } }
    }

    /// Rows whose run is gone (the run row deleted behind the store's back).
    private func orphans() throws -> [AuditViolation] {
        let rows = try connection.query("""
            SELECT run_id, count(*) AS n FROM (
                SELECT run_id FROM step_attempts UNION ALL SELECT run_id FROM files_written
            ) WHERE run_id NOT IN (SELECT id FROM runs) GROUP BY run_id ORDER BY run_id
            """)
        return rows.map { row in
            AuditViolation(kind: .missingRun, runID: row.string("run_id") ?? "", table: "runs",
                           message: "the run row is missing (deleted) but \(row.int("n") ?? 0) rows refer to it")
        }
    }
}

/// Walks one run's chain: its run row, then its attempt and file rows in chain order.
private struct ChainCheck {
    struct Link {
        var table: String
        var row: Row
        var columns: [String]
        var index: Int
        var sequence: Int

        func violation(_ kind: AuditViolation.Kind, _ message: String) -> AuditViolation {
            let isAttempt = table == "step_attempts"
            return AuditViolation(kind: kind, runID: row.string("run_id") ?? "", table: table, chainIndex: index,
                                  stepID: row.string("step_id"), iteration: isAttempt ? row.int("iteration") : nil,
                                  attempt: isAttempt ? row.int("attempt") : nil, path: isAttempt ? nil : row.string("path"),
                                  message: message)
        }
    }

    var runRow: Row
    var attempts: [Row]
    var files: [Row]

    func violations() -> [AuditViolation] {
        let runID = runRow.string("id") ?? ""
        var found: [AuditViolation] = []
        let runHash = runRow.string("row_hash") ?? ""
        if RowHash.hash(table: "runs", columns: AuditSchema.runHashColumns(workflowDirectory: runRow["workflow_dir"]), row: runRow) != runHash {
            found.append(AuditViolation(kind: .editedRun, runID: runID, table: "runs",
                                        message: "the run's recorded fields do not match their hash (the run row was edited)"))
        }
        let links = (attempts.map { link("step_attempts", $0, AuditSchema.attemptColumns) }
            + files.map { link("files_written", $0, AuditSchema.fileColumns) })
            .sorted { ($0.index, $0.table) < ($1.index, $1.table) }
        var expected = 1
        var previousHash = runHash
        var lastSequence: [String: Int] = [:]
        for link in links {
            let stored = link.row.string("row_hash") ?? ""
            if RowHash.hash(table: link.table, columns: link.columns, row: link.row) != stored {
                found.append(link.violation(.editedRow, "its contents do not match its hash (the row was edited)"))
            }
            if link.index < expected {
                found.append(link.violation(.duplicatePosition, "another row holds the same chain position (a row was inserted)"))
            } else if link.index > expected {
                let gap = link.index - expected == 1 ? "row #\(expected) before it is" : "rows #\(expected) to #\(link.index - 1) before it are"
                found.append(link.violation(.missingRows, "\(gap) missing (deleted)"))
            } else if link.row.string("prev_hash") != previousHash {
                found.append(link.violation(.brokenLink, "its previous-row hash does not match the row before it (rows were replaced or re-hashed)"))
            }
            if let last = lastSequence[link.table], link.sequence < last {
                found.append(link.violation(.reordered, "it was stored after a row that comes later in the chain (rows were reordered)"))
            }
            lastSequence[link.table] = link.sequence
            expected = max(expected, link.index + 1)
            previousHash = stored
        }
        found += finishViolations(runID: runID, length: links.last?.index ?? 0, head: links.last.map { $0.row.string("row_hash") ?? "" } ?? runHash)
        return found
    }

    private func link(_ table: String, _ row: Row, _ columns: [String]) -> Link {
        Link(table: table, row: row, columns: columns, index: row.int("chain_index") ?? 0, sequence: row.int("seq") ?? 0)
    }

    /// A finished run's seal must match its finish fields, and its sealed length and head the rows present.
    private func finishViolations(runID: String, length: Int, head: String) -> [AuditViolation] {
        guard let seal = runRow.string("finish_hash") else {
            let status = runRow.string("status")
            let finishFields = ["finished_at", "error", "chain_length", "chain_head"].contains { !runRow[$0].isNull }
            // Open: still running, or waiting at a review (continued in place, sealed at its end).
            if (status != RunStatus.running.rawValue && status != RunStatus.waiting.rawValue) || finishFields {
                return [AuditViolation(kind: .editedFinish, runID: runID, table: "runs",
                                       message: "the run reads '\(status ?? "")' but was never sealed as finished (the run row was edited)")]
            }
            return []
        }
        var found: [AuditViolation] = []
        let columns = ["row_hash"] + AuditSchema.finishColumns
        if RowHash.hash(table: "runs.finish", columns: columns, row: runRow) != seal {
            found.append(AuditViolation(kind: .editedFinish, runID: runID, table: "runs",
                                        message: "the run's status, finish time or error do not match their seal (the run row was edited)"))
        }
        let sealedLength = runRow.int("chain_length") ?? 0
        if sealedLength != length {
            let what = sealedLength > length ? "rows at the end were deleted" : "rows were added after it finished"
            found.append(AuditViolation(kind: .chainMismatch, runID: runID, table: "runs",
                                        message: "the run was sealed with \(sealedLength) rows but has \(length) (\(what))"))
        } else if runRow.string("chain_head") != head {
            found.append(AuditViolation(kind: .chainMismatch, runID: runID, table: "runs",
                                        message: "the run's last row is not the one it was sealed with (rows were replaced)"))
        }
        return found
    }
}
