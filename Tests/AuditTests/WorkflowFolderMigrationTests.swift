import Foundation
import Testing
@testable import Audit
import SQLite

/// Migration 6: a run records the folder its workflow lay in (`workflow_dir`), so a resume or
/// rerun from another folder resolves the workflow's paths as the first run did. Old rows keep
/// their hashes; the folder is hashed only where a row has one, and fixed like the other fields.
@Suite struct WorkflowFolderMigrationTests {
    /// `runs_fixed_fields` as migration 1 made it (before `workflow_dir`).
    static let schemaFiveTrigger = """
        CREATE TRIGGER runs_fixed_fields BEFORE UPDATE OF
            id, workflow, workflow_source, workflow_sha256, inputs_json, trigger, scheduled_for,
            parent_run_id, started_at, pid, host, row_hash ON runs
        BEGIN SELECT RAISE(ABORT, 'audit: a run''s recorded fields never change'); END;
        """

    @Test(.enabled(if: AuditFixture.hasShell, "needs the sqlite3 shell (apt-get install sqlite3)"))
    func aSchemaFiveStoreUpgradesToSixAndItsRunsStillVerify() throws {
        let fixture = try AuditFixture()
        let finished = try fixture.startRun(id: "20261129-021530-a1b2c3")
        try fixture.store.appendAttempt(fixture.attempt(finished.id, "draft"))
        try fixture.store.finishRun(id: finished.id, status: .succeeded)
        let open = try fixture.startRun(id: "20261129-021530-d4e5f6")
        // Back to schema 5, as an older Baton left the file.
        let output = try fixture.shell("""
            DROP TRIGGER runs_fixed_fields;
            ALTER TABLE runs DROP COLUMN workflow_dir;
            \(Self.schemaFiveTrigger)
            PRAGMA user_version = 5;
            """)
        #expect(output == "")

        let store = try AuditStore(path: fixture.path, now: { AuditFixture.t0 })
        #expect(try store.connection.userVersion() == 6)
        #expect(try store.run(id: finished.id)?.workflowDirectory == nil)
        #expect(try store.run(id: open.id)?.workflowDirectory == nil)
        #expect(try store.verify() == [])

        let placed = try store.startRun(NewRun(workflow: "paths", workflowSource: "baton: 1\nname: paths\n",
                                               id: "20261129-021530-0a0b0c", workflowDirectory: "/srv/project/flows"))
        #expect(placed.workflowDirectory == "/srv/project/flows")
        #expect(try store.run(id: placed.id)?.workflowDirectory == "/srv/project/flows")
        try store.appendAttempt(fixture.attempt(placed.id, "table"))
        try store.finishRun(id: placed.id, status: .succeeded)
        #expect(try store.verify() == [])
    }

    /// The folder cannot be changed through SQL, and one changed behind the triggers' back (or
    /// added to a row that had none) no longer matches the run's hash.
    @Test(.enabled(if: AuditFixture.hasShell, "needs the sqlite3 shell (apt-get install sqlite3)"))
    func theRecordedFolderIsFixedAndHashed() throws {
        let fixture = try AuditFixture()
        let placed = try fixture.store.startRun(NewRun(workflow: "paths", workflowSource: "baton: 1\nname: paths\n",
                                                       id: "20261129-021530-0a0b0c", workflowDirectory: "/srv/project/flows"))
        let bare = try fixture.startRun(id: "20261129-021530-a1b2c3")
        #expect(try fixture.shell("UPDATE runs SET workflow_dir = '/tmp' WHERE id = '\(placed.id)'")
            .contains("audit: a run's recorded fields never change"))
        #expect(try fixture.store.verify() == [])

        let output = try fixture.shell("""
            DROP TRIGGER runs_fixed_fields;
            UPDATE runs SET workflow_dir = '/tmp' WHERE id = '\(placed.id)';
            UPDATE runs SET workflow_dir = '/srv/other' WHERE id = '\(bare.id)';
            """)
        #expect(output == "")
        let edited = "the run's recorded fields do not match their hash (the run row was edited)"
        #expect(try fixture.store.verify().sorted { $0.runID < $1.runID } == [
            AuditViolation(kind: .editedRun, runID: placed.id, table: "runs", message: edited),
            AuditViolation(kind: .editedRun, runID: bare.id, table: "runs", message: edited),
        ])
    }
}
