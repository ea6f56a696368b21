import Foundation
import SQLite

extension AuditStore {
    /// Appends a review request or decision to the review chain and returns it with its chain
    /// fields. A decision must answer an open request of the same run, step and round, by a
    /// reviewer the request allows; a second decision on the same request is refused.
    @discardableResult
    public func appendReview(_ review: ReviewRecord) throws(AuditError) -> ReviewRecord {
        try locked {
            try connection.transaction {
                guard try fetchRun(review.runID) != nil else { throw AuditError.unknownRun(review.runID) }
                if review.event.isDecision {
                    let rows = try connection.query("SELECT event FROM reviews WHERE run_id = ? AND step_id = ? AND round = ? ORDER BY seq",
                                                    [.text(review.runID), .text(review.stepID), .integer(Int64(review.round))])
                    let events = rows.compactMap { $0.string("event").flatMap(ReviewEvent.init(rawValue:)) }
                    guard events.contains(.requested) else {
                        throw AuditError.reviewNotOpen(run: review.runID, step: review.stepID, reason: "no review was requested")
                    }
                    if let decided = events.first(where: \.isDecision) {
                        throw AuditError.reviewNotOpen(run: review.runID, step: review.stepID, reason: "it was already \(decided.rawValue)")
                    }
                }
                var stored = review
                stored.recordedAt = AuditTime.stored(review.recordedAt)
                stored.prevHash = try connection.queryOne("SELECT row_hash FROM reviews ORDER BY seq DESC LIMIT 1")?.string("row_hash") ?? ""
                let values = stored.chainedValues
                let hash = RowHash.hash(table: "reviews", columns: AuditSchema.reviewColumns, values: values)
                let sql = "INSERT INTO reviews (\((AuditSchema.reviewColumns + ["row_hash"]).joined(separator: ", "))) VALUES (\(Array(repeating: "?", count: AuditSchema.reviewColumns.count + 1).joined(separator: ", ")))"
                try connection.execute(sql, values + [.text(hash)])
                stored.rowHash = hash
                stored.sequence = Int(connection.lastInsertRowID)
                return stored
            }
        }
    }

    /// Every review row of a run, oldest first.
    public func reviews(run runID: String) throws(AuditError) -> [ReviewRecord] {
        try locked {
            try connection.query("SELECT * FROM reviews WHERE run_id = ? ORDER BY seq", [.text(runID)]).map(ReviewRecord.init(row:))
        }
    }

    /// Requests nobody has decided yet, oldest first: the review inbox.
    public func pendingReviews() throws(AuditError) -> [ReviewRecord] {
        try locked {
            try connection.query("""
                SELECT * FROM reviews AS request WHERE event = 'requested' AND NOT EXISTS (
                    SELECT 1 FROM reviews AS decision WHERE decision.run_id = request.run_id AND decision.step_id = request.step_id
                    AND decision.round = request.round AND decision.event != 'requested')
                ORDER BY seq
                """).map(ReviewRecord.init(row:))
        }
    }

    /// Checks the review chain: each row's hash, and that each links to the row before it.
    /// With `runID`, only that run's rows are checked (their own hashes).
    func reviewViolations(run runID: String?) throws -> (rows: Int, violations: [AuditViolation]) {
        let rows = try connection.query("SELECT * FROM reviews ORDER BY seq")
        var found: [AuditViolation] = []
        var previous = ""
        var counted = 0
        for (offset, row) in rows.enumerated() {
            let stored = row.string("row_hash") ?? ""
            let rowRun = row.string("run_id") ?? ""
            defer { previous = stored }
            guard runID == nil || rowRun == runID else { continue }
            counted += 1
            func violation(_ kind: AuditViolation.Kind, _ message: String) -> AuditViolation {
                AuditViolation(kind: kind, runID: rowRun, table: "reviews", chainIndex: offset + 1, stepID: row.string("step_id"), message: message)
            }
            if RowHash.hash(table: "reviews", columns: AuditSchema.reviewColumns, row: row) != stored {
                found.append(violation(.editedRow, "the review row's contents do not match its hash (a decision was edited)"))
            } else if runID == nil, row.string("prev_hash") != previous {
                found.append(violation(.brokenLink, "its previous-row hash does not match the review row before it (review rows were removed or replaced)"))
            }
        }
        return (counted, found)
    }
}
