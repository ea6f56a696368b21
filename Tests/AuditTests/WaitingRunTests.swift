import Foundation
import Testing
@testable import Audit
import SQLite

/// Issue 14: a run that stops at a review stays open as `waiting` and is continued in place:
/// one process claims it, the attempts after the review join the same chain, and `verify`
/// passes across waiting -> running -> succeeded.
@Suite struct WaitingRunTests {
    @Test func aWaitingRunContinuesInPlaceAndItsChainVerifies() throws {
        let fixture = try AuditFixture()
        let run = try fixture.startRun(id: "20261129-021530-a1b2c3")
        try fixture.store.appendAttempt(fixture.attempt(run.id, "draft"))
        try fixture.store.appendReview(ReviewRecord(runID: run.id, stepID: "approval", round: 1, event: .requested, shownText: "카피 초안"))
        try fixture.store.markWaiting(id: run.id)
        let waiting = try #require(try fixture.store.run(id: run.id))
        #expect(waiting.status == .waiting)
        #expect(waiting.finishHash == nil)
        #expect(try fixture.store.verify().isEmpty)
        // A waiting run is not finished: it cannot be sealed as `waiting`.
        #expect(throws: AuditError.notAFinalStatus(.waiting)) { try fixture.store.finishRun(id: run.id, status: .waiting) }

        try fixture.store.appendReview(ReviewRecord(runID: run.id, stepID: "approval", round: 1, event: .approved, reviewer: "park", shownText: "카피 초안"))
        let claimed = try fixture.store.claimWaitingRun(id: run.id)
        #expect(claimed.status == .running)
        #expect(claimed.id == run.id)
        // Only one process continues it.
        let second = try #require(throws: AuditError.self) { _ = try fixture.store.claimWaitingRun(id: run.id) }
        #expect(second == .notWaiting(run: run.id, status: .running, runner: "process \(HostProcess.currentPID) on \(HostProcess.hostName)"))
        #expect(second.description == "run '\(run.id)' is already being continued (process \(HostProcess.currentPID) on \(HostProcess.hostName)); wait for it to finish")

        try fixture.store.appendAttempt(fixture.attempt(run.id, "approval"))
        try fixture.store.appendAttempt(fixture.attempt(run.id, "final"))
        try fixture.store.finishRun(id: run.id, status: .succeeded)
        let done = try #require(try fixture.store.run(id: run.id))
        #expect(done.status == .succeeded)
        #expect(done.chainLength == 3)
        #expect(try fixture.store.attempts(run: run.id).map(\.stepID) == ["draft", "approval", "final"])
        #expect(try fixture.store.verify().isEmpty)
        #expect(throws: AuditError.notWaiting(run: run.id, status: .succeeded, runner: "process \(HostProcess.currentPID) on \(HostProcess.hostName)")) {
            _ = try fixture.store.claimWaitingRun(id: run.id)
        }
    }

    /// The runner of a continued run is the process that claimed it: when that process is gone,
    /// the run reads `interrupted` (and `baton resume` can finish it), whoever started it.
    @Test func aContinuationWhoseProcessDiedReadsInterrupted() throws {
        let fixture = try AuditFixture()
        let run = try fixture.startRun()
        try fixture.store.markWaiting(id: run.id)
        let gone = try AuditStore(path: fixture.path, now: { AuditFixture.t0 }, runner: (pid: Int(Int32.max - 7), host: HostProcess.hostName))
        _ = try gone.claimWaitingRun(id: run.id)
        #expect(try fixture.store.run(id: run.id)?.status == .interrupted)
        #expect(try fixture.store.finishInterruptedRuns() == [run.id])
        #expect(try fixture.store.verify().isEmpty)
    }

    /// A run sealed as `waiting` by an older Baton (schema 4) and never resumed is reopened by
    /// migration 5 with its hashes intact; one that was resumed in a child run stays sealed.
    @Test(.enabled(if: AuditFixture.hasShell, "needs the sqlite3 shell (apt-get install sqlite3)"))
    func migrationFiveReopensSealedWaitingRuns() throws {
        let fixture = try AuditFixture()
        let open = try fixture.startRun(id: "20261129-021530-a1b2c3")
        let resumed = try fixture.startRun(id: "20261129-021530-d4e5f6")
        try fixture.store.appendAttempt(fixture.attempt(open.id, "draft"))
        // Seal both as an older Baton did, and resume the second in a child run.
        try fixture.store.connection.execute("DROP TRIGGER runs_finish_once")
        for id in [open.id, resumed.id] {
            try fixture.store.finishRun(id: id, status: .failed, error: "waiting for review: step 'approval'")
            try fixture.store.connection.execute("UPDATE runs SET status = 'waiting' WHERE id = ?", [.text(id)])
        }
        let child = try fixture.startRun(parent: resumed.id)
        let output = try fixture.shell("""
            ALTER TABLE runs DROP COLUMN runner_pid; ALTER TABLE runs DROP COLUMN runner_host;
            DROP TRIGGER runs_fixed_fields; ALTER TABLE runs DROP COLUMN workflow_dir;
            \(WorkflowFolderMigrationTests.schemaFiveTrigger)
            CREATE TRIGGER runs_finish_once BEFORE UPDATE ON runs WHEN OLD.finish_hash IS NOT NULL
            BEGIN SELECT RAISE(ABORT, 'audit: a finished run is sealed'); END;
            PRAGMA user_version = 4;
            """)
        #expect(output == "")

        let store = try AuditStore(path: fixture.path)
        #expect(try store.connection.userVersion() == AuditSchema.migrations.count)
        #expect(try store.run(id: open.id)?.finishHash == nil)
        #expect(try store.run(id: open.id)?.status == .waiting)
        #expect(try store.run(id: resumed.id)?.finishHash != nil)
        #expect(try store.verify().map(\.runID).filter { $0 != child.id && $0 != resumed.id } == [])
        _ = try store.claimWaitingRun(id: open.id)
        try store.finishRun(id: open.id, status: .succeeded)
        #expect(try store.verify(run: open.id).isEmpty)
        #expect(try fixture.shell("UPDATE runs SET error = 'x' WHERE id = '\(open.id)'").contains("audit: a finished run is sealed"))
    }
}
