import Foundation
import Testing
@testable import Audit
import SQLite

/// Schema 3: a version-2 store is migrated with its rows and hashes intact, and review rows
/// form a chain that verify checks.
@Suite struct ReviewStoreTests {
    static func path() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("baton-review-store-\(UUID().uuidString).db").path
    }

    @Test func aVersion2StoreIsMigratedWithItsHashesIntact() throws {
        let path = Self.path()
        do {
            let connection = try Connection(path: path, mode: .readWriteCreate)
            try connection.migrate(Array(AuditSchema.migrations.prefix(2)))
            let values: [DatabaseValue] = [.text("20261129-021530-a1b2c3"), .text("campaign-copy"), .text("baton: 1\n"), .text("x"), .text("{}"),
                                           .text("manual"), .null, .null, .text("2026-11-29T02:15:30.000Z"), .integer(1), .text("h")]
            let hash = RowHash.hash(table: "runs", columns: AuditSchema.runColumns, values: values)
            try connection.execute("INSERT INTO runs (\((AuditSchema.runColumns + ["row_hash"]).joined(separator: ", "))) VALUES (\(Array(repeating: "?", count: 12).joined(separator: ", ")))",
                                   values + [.text(hash)])
        }
        let store = try AuditStore(path: path)
        #expect(try store.connection.userVersion() == AuditSchema.migrations.count)
        #expect(try store.verify().isEmpty)
        try store.markWaiting(id: "20261129-021530-a1b2c3")
        #expect(try store.run(id: "20261129-021530-a1b2c3")?.status == .waiting)
        #expect(try store.connection.query("PRAGMA foreign_key_check").isEmpty)
        #expect(try store.verify().isEmpty)
    }

    @Test func decisionsAnswerOneOpenRequestAndJoinTheChain() throws {
        let store = try AuditStore(path: Self.path())
        let run = try store.startRun(NewRun(workflow: "w", workflowSource: "baton: 1\n"))
        let early = ReviewRecord(runID: run.id, stepID: "approval", round: 1, event: .approved, reviewer: "park", shownText: "초안")
        #expect(throws: AuditError.reviewNotOpen(run: run.id, step: "approval", reason: "no review was requested")) { try store.appendReview(early) }
        let request = try store.appendReview(ReviewRecord(runID: run.id, stepID: "approval", round: 1, event: .requested, shownText: "초안"))
        try store.markWaiting(id: run.id)
        #expect(try store.pendingReviews().map(\.stepID) == ["approval"])
        let decision = try store.appendReview(ReviewRecord(runID: run.id, stepID: "approval", round: 1, event: .edited, reviewer: "김지은",
                                                           shownText: "초안", beforeText: "초안", afterText: "고친 안"))
        #expect(decision.prevHash == request.rowHash)
        #expect(decision.approvedText == "고친 안")
        #expect(try store.pendingReviews().isEmpty)
        #expect(throws: AuditError.reviewNotOpen(run: run.id, step: "approval", reason: "it was already edited")) { try store.appendReview(early) }
        #expect(try store.verify().isEmpty)
        try store.connection.execute("DROP TRIGGER reviews_no_update")
        try store.connection.execute("UPDATE reviews SET after_text = '다른 안' WHERE event = 'edited'")
        #expect(try store.verify().map(\.kind) == [.editedRow])
    }
}
