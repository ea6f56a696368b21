import Foundation
import Testing
@testable import Audit

/// Migration 4 rebuilds `runs` so that `baton prompt` and `baton chat` can record runs with the
/// triggers `prompt` and `chat`: a store made before it keeps every row and hash, still verifies,
/// keeps its protections, and then accepts the new triggers.
@Suite(.enabled(if: AuditFixture.hasShell, "needs the sqlite3 shell (apt-get install sqlite3)"))
struct PromptTriggerMigrationTests {
    /// Turns the fixture's store back into a schema-2 store: `runs` with the version-1 CHECK and
    /// no `reviews` table (migration 3's).
    func downgrade(_ fixture: AuditFixture) throws {
        let output = try fixture.shell("""
            BEGIN;
            DROP TABLE reviews;
            CREATE TABLE runs_v1 (
                id TEXT PRIMARY KEY NOT NULL, workflow TEXT NOT NULL, workflow_source TEXT NOT NULL,
                workflow_sha256 TEXT NOT NULL, inputs_json TEXT NOT NULL CHECK (json_valid(inputs_json)),
                trigger TEXT NOT NULL CHECK (trigger IN ('manual', 'schedule', 'resume')),
                scheduled_for TEXT, parent_run_id TEXT REFERENCES runs (id), started_at TEXT NOT NULL,
                pid INTEGER, host TEXT, row_hash TEXT NOT NULL,
                status TEXT NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'succeeded', 'failed', 'cancelled', 'interrupted')),
                finished_at TEXT, error TEXT, chain_length INTEGER, chain_head TEXT, finish_hash TEXT) STRICT;
            INSERT INTO runs_v1 SELECT id, workflow, workflow_source, workflow_sha256, inputs_json, trigger, scheduled_for,
                parent_run_id, started_at, pid, host, row_hash, status, finished_at, error, chain_length, chain_head, finish_hash FROM runs;
            DROP TABLE runs;
            ALTER TABLE runs_v1 RENAME TO runs;
            CREATE INDEX runs_by_start ON runs (started_at);
            CREATE TRIGGER runs_no_delete BEFORE DELETE ON runs BEGIN SELECT RAISE(ABORT, 'audit: runs are never deleted'); END;
            PRAGMA user_version = 2;
            COMMIT;
            """)
        #expect(output == "")
    }

    @Test func aSchemaTwoStoreKeepsItsRunsAndAcceptsPromptRuns() throws {
        let fixture = try AuditFixture()
        let run = try fixture.startRun(id: "20261129-021530-a1b2c3")
        try fixture.store.appendAttempt(fixture.attempt(run.id, "copy", status: .failed, output: ""))
        try fixture.store.appendAttempt(fixture.attempt(run.id, "copy", attempt: 2))
        try fixture.store.finishRun(id: run.id, status: .succeeded)
        try downgrade(fixture)
        // The old CHECK refuses the new trigger.
        #expect(try fixture.shell("INSERT INTO runs (id, workflow, workflow_source, workflow_sha256, inputs_json, trigger, started_at, row_hash) VALUES ('x', 'prompt', '', '', '{}', 'prompt', 't', 'h')")
            .contains("CHECK constraint failed"))

        let store = try AuditStore(path: fixture.path)
        #expect(try fixture.shell("PRAGMA user_version") == "\(AuditSchema.migrations.count)\n")
        #expect(try store.verify(run: run.id) == [])
        #expect(try store.attempts(run: run.id).map(\.attempt) == [1, 2])
        #expect(try store.run(id: run.id)?.status == .succeeded)
        let prompt = try store.startRun(NewRun(workflow: "prompt", workflowSource: "# baton prompt\n", trigger: .prompt))
        let chat = try store.startRun(NewRun(workflow: "chat", workflowSource: "# baton chat\n", trigger: .chat, parentRunID: prompt.id))
        #expect(try store.run(id: prompt.id)?.trigger == .prompt)
        #expect(try store.run(id: chat.id)?.parentRunID == prompt.id)
        // The protections are rebuilt with the table.
        #expect(try fixture.shell("DELETE FROM runs WHERE id = '\(run.id)'").contains("audit: runs are never deleted"))
        #expect(try fixture.shell("UPDATE runs SET error = 'x' WHERE id = '\(run.id)'").contains("audit: a finished run is sealed"))
        let update = try fixture.shell("UPDATE runs SET workflow = 'x' WHERE id = '\(prompt.id)'")
        #expect(update.contains("audit: a run's recorded fields never change"), "\(update)")
        #expect(try fixture.shell("PRAGMA foreign_key_check") == "")
    }
}
