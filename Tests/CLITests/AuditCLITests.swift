import Base
import Audit
import Foundation
import Testing
import TestSupport

/// A folder with an audit store at `.baton/baton.db` holding one finished Korean campaign run,
/// written through the Audit API as the engine writes it.
final class AuditCLIFixture {
    let folder: URL
    let runID = "20261129-021530-a1b2c3"
    static let t0 = Date(timeIntervalSince1970: 1_795_918_530)  // 2026-11-29T02:15:30Z
    var dbPath: String { folder.appendingPathComponent(".baton/baton.db").path }

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("baton-cli-audit-\(UUID().uuidString)")
        let store = try AuditStore(path: folder.appendingPathComponent(".baton/baton.db").path)
        let t0 = AuditCLIFixture.t0
        _ = try store.startRun(NewRun(workflow: "campaign-copy", workflowSource: "baton: 1\nname: campaign-copy\n",
                                      inputsJSON: #"{"product":"무선 이어폰","api_key":"***"}"#, startedAt: t0, id: runID))
        let attempt = { (step: String, number: Int, status: AttemptStatus, output: String?, error: String?) in
            StepAttemptRecord(runID: self.runID, stepID: step, attempt: number, kind: "generate", status: status,
                              model: "http://127.0.0.1:8080/v1#qwen2.5:7b", parametersJSON: #"{"temperature":0.7}"#,
                              prompt: "톤: friendly\n제품: 무선 이어폰", outputText: output, tokensIn: 12, tokensOut: 34, latencyMs: 56,
                              startedAt: t0, finishedAt: t0.addingTimeInterval(0.5), error: error)
        }
        try store.appendAttempt(attempt("copy", 1, .failed, nil, "HTTP 500 from the server"))
        try store.appendAttempt(attempt("copy", 2, .succeeded, "가볍게, 오래.\n무선 이어폰", nil))
        try store.recordFile(FileRecord(runID: runID, stepID: "copy", path: "out/카피.md", contents: Array("가볍게".utf8), writtenAt: t0))
        try store.finishRun(id: runID, status: .succeeded, finishedAt: t0.addingTimeInterval(1.5))
    }

    deinit { try? FileManager.default.removeItem(at: folder) }

    func baton(_ arguments: [String]) throws -> BatonProcess {
        // No user config: its prices would add a cost column to the tables compared here.
        try BatonProcess.run(arguments, environment: ["BATON_DB": "", "BATON_CONFIG": folder.appendingPathComponent("no-config.yaml").path], directory: folder)
    }

    /// SQL through the `sqlite3` shell, as someone editing the file by hand.
    func sqlite3(_ sql: String) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        process.arguments = [dbPath, sql]
        try Spawn.run(process)
        process.waitUntilExit()
        return process.terminationStatus
    }
}

@Suite struct AuditCLITests {
    @Test func runsListsTheRunAsATableAndAsJSON() throws {
        let fixture = try AuditCLIFixture()
        let table = try fixture.baton(["runs"])
        #expect(table.status == 0)
        #expect(table.stdout == """
            ID                      WORKFLOW       STATUS     TRIGGER  STARTED (UTC)             DURATION  TOKENS IN/OUT
            20261129-021530-a1b2c3  campaign-copy  succeeded  manual   2026-11-29T02:15:30.000Z  1.5 s     24/68

            """)
        let json = try fixture.baton(["runs", "--json", "--workflow", "campaign-copy", "--status", "succeeded", "--limit", "5"])
        #expect(json.status == 0)
        #expect(json.stdout == """
            [
              {
                "id": "20261129-021530-a1b2c3",
                "workflow": "campaign-copy",
                "status": "succeeded",
                "trigger": "manual",
                "started_at": "2026-11-29T02:15:30.000Z",
                "finished_at": "2026-11-29T02:15:31.500Z",
                "duration_ms": 1500,
                "scheduled_for": null,
                "parent_run_id": null,
                "error": null,
                "workflow_sha256": "\(SHA256.hash("baton: 1\nname: campaign-copy\n").hex)",
                "tokens_in": 24,
                "tokens_out": 68
              }
            ]

            """)
        #expect(try fixture.baton(["runs", "--json", "--status", "failed"]).stdout == "[]\n")
    }

    /// Korean names take two terminal cells per syllable; the columns stay aligned.
    @Test func runsAlignsKoreanWorkflowNames() throws {
        let fixture = try AuditCLIFixture()
        let store = try AuditStore(path: fixture.dbPath)
        _ = try store.startRun(NewRun(workflow: "주간-리포트", workflowSource: "", startedAt: AuditCLIFixture.t0.addingTimeInterval(60),
                                      id: "20261129-021630-000002"))
        let result = try fixture.baton(["runs", "--status", "running"])
        #expect(result.stdout == """
            ID                      WORKFLOW     STATUS   TRIGGER  STARTED (UTC)             DURATION  TOKENS IN/OUT
            20261129-021630-000002  주간-리포트  running  manual   2026-11-29T02:16:30.000Z  -         -

            """)
    }

    @Test func showPrintsEveryAttemptWithPromptAndOutput() throws {
        let fixture = try AuditCLIFixture()
        let result = try fixture.baton(["show", "20261129-0215"])
        #expect(result.status == 0)
        #expect(result.stderr == "")
        #expect(result.stdout == """
            run 20261129-021530-a1b2c3 · campaign-copy · succeeded
            trigger   manual
            started   2026-11-29T02:15:30.000Z
            finished  2026-11-29T02:15:31.500Z (1.5 s)
            inputs    {"product":"무선 이어폰","api_key":"***"}
            workflow  sha256 \(SHA256.hash("baton: 1\nname: campaign-copy\n").hex)

            [1] copy · generate · failed
                model   http://127.0.0.1:8080/v1#qwen2.5:7b
                params  {"temperature":0.7}
                tokens  12 in / 34 out
                time    0.056 s
                error   HTTP 500 from the server
              prompt:
                톤: friendly
                제품: 무선 이어폰

            [2] copy attempt 2 · generate · succeeded
                model   http://127.0.0.1:8080/v1#qwen2.5:7b
                params  {"temperature":0.7}
                tokens  12 in / 34 out
                time    0.056 s
              prompt:
                톤: friendly
                제품: 무선 이어폰
              output:
                가볍게, 오래.
                무선 이어폰

            files:
              out/카피.md  9 bytes  sha256 \(SHA256.hash("가볍게").hex)  step copy

            """)
    }

    @Test func showJSONHasTheStepsFields() throws {
        let fixture = try AuditCLIFixture()
        let result = try fixture.baton(["show", fixture.runID, "--json", "--step", "copy"])
        #expect(result.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(object["id"] as? String == fixture.runID)
        #expect((object["inputs"] as? [String: Any])?["product"] as? String == "무선 이어폰")
        let steps = try #require(object["steps"] as? [[String: Any]])
        #expect(steps.count == 2)
        let last = try #require(steps.last)
        #expect(last["id"] as? String == "copy")
        #expect(last["iteration"] is NSNull)
        #expect(last["attempt"] as? Int == 2)
        #expect(last["status"] as? String == "succeeded")
        #expect(last["prompt"] as? String == "톤: friendly\n제품: 무선 이어폰")
        #expect(last["output"] as? String == "가볍게, 오래.\n무선 이어폰")
        #expect(last["model"] as? String == "http://127.0.0.1:8080/v1#qwen2.5:7b")
        #expect(last["tokens_in"] as? Int == 12)
        #expect(last["tokens_out"] as? Int == 34)
        #expect((last["parameters"] as? [String: Any])?["temperature"] as? Double == 0.7)
    }

    /// What a `rag_query` retrieved (kept in the attempt's extra JSON) is listed one source a line.
    @Test func showListsRetrievedSources() throws {
        let fixture = try AuditCLIFixture()
        let store = try AuditStore(path: fixture.dbPath)
        let run = try store.startRun(NewRun(workflow: "brand-qa", workflowSource: "", startedAt: AuditCLIFixture.t0, id: "20261129-030000-000001"))
        try store.appendAttempt(StepAttemptRecord(
            runID: run.id, stepID: "research", kind: "rag_query", status: .succeeded, prompt: "브랜드 톤",
            startedAt: AuditCLIFixture.t0, finishedAt: AuditCLIFixture.t0,
            extraJSON: #"{"query":"브랜드 톤","retrieved":[{"chunk":12,"source":"brand/guide.md","score":0.83},{"chunk":3,"source":"press/2025-봄.md","score":0.71}]}"#))
        let result = try fixture.baton(["show", run.id, "--step", "research"])
        #expect(result.status == 0)
        #expect(result.stdout.hasSuffix("""
            [1] research · rag_query · succeeded
              prompt:
                브랜드 톤
              extra:
                query: 브랜드 톤
                retrieved:
                  [1] chunk=12 score=0.83 source=brand/guide.md
                  [2] chunk=3 score=0.71 source=press/2025-봄.md

            """))
    }

    @Test func showSelectsOneForEachItem() throws {
        let fixture = try AuditCLIFixture()
        let store = try AuditStore(path: fixture.dbPath)
        let run = try store.startRun(NewRun(workflow: "press-batch", workflowSource: "", startedAt: AuditCLIFixture.t0, id: "20261129-040000-000003"))
        for item in 0..<3 {
            try store.appendAttempt(StepAttemptRecord(runID: run.id, stepID: "translate", iteration: item, kind: "translate", status: .succeeded,
                                                      outputText: "release \(item)", startedAt: AuditCLIFixture.t0, finishedAt: AuditCLIFixture.t0))
        }
        let one = try fixture.baton(["show", run.id, "--step", "translate[1]", "--json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(one.stdout.utf8)) as? [String: Any])
        #expect((object["steps"] as? [[String: Any]])?.map { $0["output"] as? String } == ["release 1"])
        let missing = try fixture.baton(["show", run.id, "--step", "translate[7]"])
        #expect(missing.status == 1)
        #expect(missing.stderr == "error: step 'translate' of run 20261129-040000-000003 has no item 7\n")
    }

    @Test func showRefusesAnUnknownStepOrRun() throws {
        let fixture = try AuditCLIFixture()
        let step = try fixture.baton(["show", fixture.runID, "--step", "cpy"])
        #expect(step.status == 1)
        #expect(step.stderr == "error: run 20261129-021530-a1b2c3 has no step 'cpy'; its steps: copy\n")
        let run = try fixture.baton(["show", "1999"])
        #expect(run.status == 1)
        #expect(run.stderr == "error: no run '1999' in the audit store\n")
    }

    @Test func commandsWithoutAStoreSaySo() throws {
        let folder = try TemporaryFolder.make("cli-empty")
        defer { try? FileManager.default.removeItem(at: folder) }
        let runs = try BatonProcess.run(["runs", "--json"], environment: ["BATON_DB": ""], directory: folder)
        #expect(runs.status == 0)
        #expect(runs.stdout == "[]\n")
        let show = try BatonProcess.run(["show", "x", "--db", "none.db"], directory: folder)
        #expect(show.status == 1)
        #expect(show.stderr == "error: no audit store at 'none.db' (run a workflow first, or pass --db PATH or set BATON_DB)\n")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("none.db").path))
    }

    @Test(arguments: [
        (["runs", "--status", "done"], "error: unknown status 'done' (expected one of running, succeeded, failed, cancelled, interrupted, waiting)"),
        (["runs", "--limit", "0"], "error: --limit needs a positive whole number, not '0'"),
        (["show"], "error: missing RUN"),
        (["export", "x"], "error: missing --format (json, markdown, csv or jsonl)"),
        (["export", "x", "--format", "pdf"], "error: unknown format 'pdf' (expected json, markdown, csv or jsonl)"),
    ])
    func usageErrorsExit64(arguments: [String], message: String) throws {
        let fixture = try AuditCLIFixture()
        let result = try fixture.baton(arguments)
        #expect(result.status == 64)
        #expect(result.stderr.hasPrefix(message + "\nUSAGE: baton "))
    }

    @Test func exportWritesJSONWithHashesAndAMarkdownReport() throws {
        let fixture = try AuditCLIFixture()
        let json = try fixture.baton(["export", fixture.runID, "--format", "json"])
        #expect(json.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["workflow_source"] as? String == "baton: 1\nname: campaign-copy\n")
        #expect((object["steps"] as? [[String: Any]])?.map { $0["chain_index"] as? Int } == [1, 2])
        let chain = try #require(object["chain"] as? [String: Any])
        #expect(chain["verified"] as? Bool == true)
        #expect(chain["length"] as? Int == 3)
        let markdown = try fixture.baton(["export", fixture.runID, "--format", "markdown"])
        #expect(markdown.status == 0)
        #expect(markdown.stdout.hasPrefix("""
            # Run 20261129-021530-a1b2c3: campaign-copy

            | Field | Value |
            | --- | --- |
            | Status | succeeded |
            """))
        #expect(markdown.stdout.contains("""
            ### copy attempt 2 (generate): succeeded

            - Model: `http://127.0.0.1:8080/v1#qwen2.5:7b`
            - Parameters: `{"temperature":0.7}`
            - Tokens: 12 in, 34 out
            - Latency: 56 ms
            - Finished (UTC): 2026-11-29T02:15:30.500Z

            #### Prompt

            ```text
            톤: friendly
            제품: 무선 이어폰
            ```

            #### Output

            ```text
            가볍게, 오래.
            무선 이어폰
            ```
            """))
        #expect(markdown.stdout.contains("| out/카피.md | 9 | `\(SHA256.hash("가볍게").hex)` | copy |"))
        #expect(markdown.stdout.contains("The run's hash chain verifies: 3 rows"))
    }

    @Test func auditVerifyFilesComparesWrittenFiles() throws {
        let fixture = try AuditCLIFixture()
        let file = fixture.folder.appendingPathComponent("out/카피.md")
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data("가볍게".utf8).write(to: file)
        #expect(try fixture.baton(["audit", "verify", "--files"]).stdout == "ok: 1 run, 3 rows verified\n")
        try Data("가볍게!".utf8).write(to: file)
        let changed = try fixture.baton(["audit", "verify", "--files"])
        #expect(changed.status == 1)
        #expect(changed.stdout == "run 20261129-021530-a1b2c3: files_written #3 (step 'copy', file 'out/카피.md'): the file on disk is not what the run wrote (sha256 \(SHA256.hash("가볍게!").hex), recorded \(SHA256.hash("가볍게").hex))\n")
    }

    /// The issue's must-show: verify passes on a clean store, then one byte of an output is
    /// changed with the sqlite3 shell (the append-only trigger dropped first, as an attacker
    /// would) and verify fails naming that row.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/sqlite3"), "needs the sqlite3 shell"))
    func auditVerifyFindsOneChangedByte() throws {
        let fixture = try AuditCLIFixture()
        let clean = try fixture.baton(["audit", "verify"])
        #expect(clean.status == 0)
        #expect(clean.stdout == "ok: 1 run, 3 rows verified\n")
        // 가 (EA B0 80) becomes 각 (EA B0 81): one byte of the output.
        let status = try fixture.sqlite3("""
            DROP TRIGGER step_attempts_no_update;
            UPDATE step_attempts SET output_text = CAST(X'EAB081' || substr(CAST(output_text AS BLOB), 4) AS TEXT) WHERE attempt = 2;
            """)
        #expect(status == 0)
        let tampered = try fixture.baton(["audit", "verify"])
        #expect(tampered.status == 1)
        #expect(tampered.stdout == "run 20261129-021530-a1b2c3: step_attempts #2 (step 'copy', attempt 2): its contents do not match its hash (the row was edited)\n")
        #expect(tampered.stderr == "error: audit verify found 1 problem in 1 run, 3 rows\n")
        let one = try fixture.baton(["audit", "verify", "20261129-021530", "--json"])
        #expect(one.status == 1)
        #expect(one.stdout.contains(#""kind": "editedRow""#))
        #expect(try fixture.baton(["show", fixture.runID, "--step", "copy"]).stdout.contains("    각볍게, 오래."))
    }
}

/// Real processes on one store: `baton bench audit --db` appends chained attempt rows as
/// `baton run` does.
@Suite struct AuditProcessTests {
    /// Two processes appending to the same store at once: both succeed, nothing is lost.
    @Test func twoProcessesAppendToOneStore() throws {
        let folder = try TemporaryFolder.make("cli-procs")
        defer { try? FileManager.default.removeItem(at: folder) }
        let db = folder.appendingPathComponent("baton.db").path
        let arguments = ["bench", "audit", "--db", db, "--rows", "300", "--repeat", "1", "--hash-mib", "1"]
        let results = LockedResults()
        DispatchQueue.concurrentPerform(iterations: 2) { _ in
            do { results.add(try BatonProcess.run(arguments)) } catch { results.add(BatonProcess(status: -1, stdout: "", stderr: "\(error)")) }
        }
        #expect(results.all.map(\.status) == [0, 0])
        #expect(results.all.map(\.stderr) == ["", ""])
        let runs = try BatonProcess.run(["runs", "--db", db, "--json"])
        #expect(runs.stdout.components(separatedBy: #""status": "succeeded""#).count == 3)
        let verify = try BatonProcess.run(["audit", "verify", "--db", db])
        #expect(verify.stdout == "ok: 2 runs, 600 rows verified\n")
    }

    /// A writer killed with SIGKILL mid-way leaves a consistent store, and its run reads interrupted.
    @Test func aKilledWriterLeavesAConsistentStore() throws {
        let folder = try TemporaryFolder.make("cli-procs")
        defer { try? FileManager.default.removeItem(at: folder) }
        let db = folder.appendingPathComponent("baton.db").path
        let process = Process()
        process.executableURL = BatonProcess.executable
        process.arguments = ["bench", "audit", "--db", db, "--rows", "1000000", "--repeat", "1"]
        process.standardOutput = FileHandle.nullDevice
        // Its temporary folder (which SIGKILL leaves behind) goes inside ours.
        process.environment = ProcessInfo.processInfo.environment.merging(["TMPDIR": folder.path]) { $1 }
        try Spawn.run(process)
        var rows = 0
        for _ in 0..<200 where rows < 20 {  // until it has written something (at most ~10 s)
            usleep(50_000)
            rows = Int(try BatonProcess.run(["audit", "verify", "--db", db, "--json"]).stdout
                .components(separatedBy: "\"rows\": ").dropFirst().first?.prefix { $0.isNumber } ?? "") ?? 0
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal)
        let verify = try BatonProcess.run(["audit", "verify", "--db", db])
        #expect(verify.status == 0)
        #expect(verify.stdout.hasPrefix("ok: 1 run, "))
        let interrupted = try BatonProcess.run(["runs", "--db", db, "--status", "interrupted", "--json"])
        #expect(interrupted.stdout.contains(#""status": "interrupted""#))
    }
}

final class LockedResults: @unchecked Sendable {  // every access holds `lock`
    private let lock = NSLock()
    private var items: [BatonProcess] = []
    func add(_ item: BatonProcess) { lock.withLock { items.append(item) } }
    var all: [BatonProcess] { lock.withLock { items } }
}
