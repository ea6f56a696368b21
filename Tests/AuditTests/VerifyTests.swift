import Foundation
import Testing
@testable import Audit

/// Tampering done the way someone with the file would do it: the `sqlite3` shell, dropping the
/// append-only triggers first. `verify` must name every changed row.
@Suite(.enabled(if: AuditFixture.hasShell, "needs the sqlite3 shell (apt-get install sqlite3)"))
struct VerifyTests {
    /// A finished run: copy (failed, then succeeded), translate[0], translate[1], one file.
    func finishedRun(_ fixture: AuditFixture) throws -> String {
        let run = try fixture.startRun(id: "20261129-021530-a1b2c3")
        try fixture.store.appendAttempt(fixture.attempt(run.id, "copy", status: .failed, output: ""))
        try fixture.store.appendAttempt(fixture.attempt(run.id, "copy", attempt: 2, output: "가볍게, 오래. 무선 이어폰"))
        try fixture.store.appendAttempt(fixture.attempt(run.id, "translate", iteration: 0, output: "Light, for longer."))
        try fixture.store.appendAttempt(fixture.attempt(run.id, "translate", iteration: 1, output: "Wireless earbuds."))
        try fixture.store.recordFile(FileRecord(runID: run.id, stepID: nil, path: "out/press-en.md", contents: Array("x".utf8), writtenAt: AuditFixture.t0))
        try fixture.store.finishRun(id: run.id, status: .succeeded)
        return run.id
    }

    static let dropTriggers = """
        DROP TRIGGER step_attempts_no_update; DROP TRIGGER step_attempts_no_delete;
        DROP TRIGGER files_written_no_update; DROP TRIGGER files_written_no_delete;
        DROP TRIGGER runs_no_delete; DROP TRIGGER runs_fixed_fields; DROP TRIGGER runs_finish_once;
        """

    @Test func aCleanStoreVerifies() throws {
        let fixture = try AuditFixture()
        let id = try finishedRun(fixture)
        let result = try fixture.store.verification(run: id)
        #expect(result == AuditVerification(runCount: 1, rowCount: 5, violations: []))
    }

    @Test(arguments: [
        // One byte of an output changed (가 → 각 differs in its last UTF-8 byte).
        ("UPDATE step_attempts SET output_text = '각볍게, 오래. 무선 이어폰' WHERE chain_index = 2",
         ["run 20261129-021530-a1b2c3: step_attempts #2 (step 'copy', attempt 2): its contents do not match its hash (the row was edited)"]),
        ("UPDATE step_attempts SET tokens_out = 1 WHERE iteration = 1",
         ["run 20261129-021530-a1b2c3: step_attempts #4 (step 'translate', iteration 1, attempt 1): its contents do not match its hash (the row was edited)"]),
        ("UPDATE files_written SET sha256 = 'beef'",
         ["run 20261129-021530-a1b2c3: files_written #5 (file 'out/press-en.md'): its contents do not match its hash (the row was edited)"]),
        ("DELETE FROM step_attempts WHERE chain_index = 1",
         ["run 20261129-021530-a1b2c3: step_attempts #2 (step 'copy', attempt 2): row #1 before it is missing (deleted)"]),
        ("DELETE FROM files_written",
         ["run 20261129-021530-a1b2c3: runs: the run was sealed with 5 rows but has 4 (rows at the end were deleted)"]),
        // Reordered: row 3 taken out and put back after row 4.
        ("CREATE TEMP TABLE t AS SELECT * FROM step_attempts WHERE chain_index = 3; DELETE FROM step_attempts WHERE chain_index = 3; INSERT INTO step_attempts SELECT NULL, run_id, chain_index, step_id, iteration, attempt, kind, status, model, parameters_json, prompt, output_text, output_json, tokens_in, tokens_out, latency_ms, started_at, finished_at, error, extra_json, prev_hash, row_hash FROM t",
         ["run 20261129-021530-a1b2c3: step_attempts #4 (step 'translate', iteration 1, attempt 1): it was stored after a row that comes later in the chain (rows were reordered)"]),
        // Swapped positions: both rows' contents no longer match their hashes.
        ("UPDATE step_attempts SET chain_index = -chain_index WHERE chain_index IN (3, 4); UPDATE step_attempts SET chain_index = 7 + chain_index WHERE chain_index < 0",
         ["run 20261129-021530-a1b2c3: step_attempts #3 (step 'translate', iteration 1, attempt 1): its contents do not match its hash (the row was edited)",
          "run 20261129-021530-a1b2c3: step_attempts #3 (step 'translate', iteration 1, attempt 1): its previous-row hash does not match the row before it (rows were replaced or re-hashed)",
          "run 20261129-021530-a1b2c3: step_attempts #4 (step 'translate', iteration 0, attempt 1): its contents do not match its hash (the row was edited)",
          "run 20261129-021530-a1b2c3: step_attempts #4 (step 'translate', iteration 0, attempt 1): its previous-row hash does not match the row before it (rows were replaced or re-hashed)",
          "run 20261129-021530-a1b2c3: step_attempts #4 (step 'translate', iteration 0, attempt 1): it was stored after a row that comes later in the chain (rows were reordered)",
          "run 20261129-021530-a1b2c3: files_written #5 (file 'out/press-en.md'): its previous-row hash does not match the row before it (rows were replaced or re-hashed)"]),
        ("UPDATE runs SET status = 'failed'",
         ["run 20261129-021530-a1b2c3: runs: the run's status, finish time or error do not match their seal (the run row was edited)"]),
        ("UPDATE runs SET inputs_json = '{\"product\":\"유선 이어폰\"}'",
         ["run 20261129-021530-a1b2c3: runs: the run's recorded fields do not match their hash (the run row was edited)"]),
    ])
    func tamperingIsNamed(sql: String, expected: [String]) throws {
        let fixture = try AuditFixture()
        _ = try finishedRun(fixture)
        #expect(try fixture.shell(VerifyTests.dropTriggers + sql) == "")
        #expect(try fixture.store.verify().map(\.description) == expected)
    }

    /// Rewriting a row and its own hash still breaks the link from the next row.
    @Test func rehashingOneRowBreaksTheNextLink() throws {
        let fixture = try AuditFixture()
        let id = try finishedRun(fixture)
        let row = try #require(try fixture.store.attempts(run: id).first { $0.chainIndex == 2 })
        var edited = row
        edited.outputText = "다른 카피"
        let newHash = RowHash.hash(table: "step_attempts", columns: AuditSchema.attemptColumns, values: edited.chainedValues)
        #expect(try fixture.shell(VerifyTests.dropTriggers + "UPDATE step_attempts SET output_text = '다른 카피', row_hash = '\(newHash)' WHERE chain_index = 2") == "")
        #expect(try fixture.store.verify(run: id).map(\.description) == [
            "run 20261129-021530-a1b2c3: step_attempts #3 (step 'translate', iteration 0, attempt 1): its previous-row hash does not match the row before it (rows were replaced or re-hashed)",
        ])
    }

    @Test func aDeletedRunRowIsFound() throws {
        let fixture = try AuditFixture()
        _ = try finishedRun(fixture)
        #expect(try fixture.shell(VerifyTests.dropTriggers + "DELETE FROM runs") == "")
        let result = try fixture.store.verification()
        #expect(result.runCount == 0)
        #expect(result.violations.map(\.description) == ["run 20261129-021530-a1b2c3: runs: the run row is missing (deleted) but 5 rows refer to it"])
    }

    @Test func aStatusChangedWithoutFinishingIsFound() throws {
        let fixture = try AuditFixture()
        let run = try fixture.startRun(id: "20261129-021530-000001")
        #expect(try fixture.shell("UPDATE runs SET status = 'succeeded'") == "")
        #expect(try fixture.store.verify(run: run.id).map(\.description) == [
            "run 20261129-021530-000001: runs: the run reads 'succeeded' but was never sealed as finished (the run row was edited)",
        ])
    }
}

@Suite struct FileCheckTests {
    /// The latest record of each path is compared with the disk; older records of a rewritten
    /// path are history, not problems.
    @Test func changedAndMissingFilesAreNamed() throws {
        let fixture = try AuditFixture()
        let folder = fixture.folder.path
        let first = try fixture.startRun(id: "20261129-021530-000001")
        let second = try fixture.startRun(id: "20261129-021530-000002")
        for (run, path, text) in [(first.id, "out/a.md", "v1"), (second.id, "out/a.md", "v2"), (second.id, "out/보도자료.md", "본문"), (second.id, "out/gone.md", "x")] {
            try fixture.store.recordFile(FileRecord(runID: run, stepID: "write", path: path, contents: Array(text.utf8), writtenAt: AuditFixture.t0))
        }
        try FileManager.default.createDirectory(atPath: folder + "/out", withIntermediateDirectories: true)
        try Data("v2".utf8).write(to: URL(fileURLWithPath: folder + "/out/a.md"))
        try Data("본문".utf8).write(to: URL(fileURLWithPath: folder + "/out/보도자료.md"))
        #expect(try fixture.store.checkFiles(relativeTo: folder).map(\.description) == [
            "run 20261129-021530-000002: files_written #3 (step 'write', file 'out/gone.md'): the file is no longer on disk",
        ])
        try Data("본문 수정".utf8).write(to: URL(fileURLWithPath: folder + "/out/보도자료.md"))
        #expect(try fixture.store.checkFiles(run: second.id, relativeTo: folder).map(\.kind) == [.fileChanged, .fileMissing])
        #expect(try fixture.store.checkFiles(run: first.id, relativeTo: folder) == [])
    }
}
