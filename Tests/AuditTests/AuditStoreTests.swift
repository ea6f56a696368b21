import Base
import Foundation
import Testing
@testable import Audit
import SQLite
import TestSupport

@Suite struct AuditStoreTests {
    @Test func aRunAndItsAttemptsReadBackAsWritten() throws {
        let fixture = try AuditFixture()
        let run = try fixture.startRun(id: "20261129-021530-a1b2c3")
        #expect(run.status == .running)
        #expect(run.workflowSHA256 == SHA256.hash("baton: 1\nname: campaign-copy\n").hex)
        #expect(run.startedAt == AuditFixture.t0)
        #expect(run.pid == Int(ProcessInfo.processInfo.processIdentifier))
        let first = try fixture.store.appendAttempt(fixture.attempt(run.id, "copy", status: .failed, output: ""))
        let second = try fixture.store.appendAttempt(fixture.attempt(run.id, "copy", attempt: 2))
        let file = try fixture.store.recordFile(FileRecord(runID: run.id, stepID: nil, path: "out/이어폰/press-en.md",
                                                           contents: Array("Press release".utf8), writtenAt: AuditFixture.t0))
        #expect([first.chainIndex, second.chainIndex, file.chainIndex] == [1, 2, 3])
        #expect(first.prevHash == run.rowHash)
        #expect(second.prevHash == first.rowHash)
        #expect(file.prevHash == second.rowHash)
        #expect(try fixture.store.attempts(run: run.id) == [first, second])
        #expect(try fixture.store.files(run: run.id) == [file])
        #expect(file.sha256 == SHA256.hash("Press release").hex)
        try fixture.store.finishRun(id: run.id, status: .succeeded)
        let finished = try #require(try fixture.store.run(id: run.id))
        #expect(finished.status == .succeeded)
        #expect(finished.finishedAt == AuditFixture.t0)
        #expect(finished.chainLength == 3)
        #expect(finished.chainHead == file.rowHash)
        #expect(try fixture.store.verify() == [])
    }

    /// Engine tests can use a private in-memory store.
    @Test func inMemoryStoresWork() throws {
        let store = try AuditStore(path: ":memory:")
        let run = try store.startRun(NewRun(workflow: "w", workflowSource: "s"))
        try store.appendAttempt(StepAttemptRecord(runID: run.id, stepID: "a", kind: "template", status: .succeeded,
                                                  outputText: "안녕", startedAt: AuditFixture.t0, finishedAt: AuditFixture.t0))
        try store.finishRun(id: run.id, status: .succeeded)
        #expect(try store.attempts(run: run.id).map(\.outputText) == ["안녕"])
        #expect(try store.verification() == AuditVerification(runCount: 1, rowCount: 1, violations: []))
    }

    @Test func runIdsAreSortableAndReadable() {
        var generator = SeededGenerator(seed: 1)
        let id = RunID.make(at: AuditFixture.t0, using: &generator)
        #expect(id.hasPrefix("20261129-021530-"))
        #expect(id.count == 22)
    }

    @Test func finishedRunsAreSealed() throws {
        let fixture = try AuditFixture()
        let run = try fixture.startRun()
        try fixture.store.finishRun(id: run.id, status: .failed, error: "step 'copy' failed")
        #expect(throws: AuditError.runFinished(id: run.id, status: .failed)) {
            try fixture.store.appendAttempt(fixture.attempt(run.id, "late"))
        }
        #expect(throws: AuditError.runFinished(id: run.id, status: .failed)) {
            try fixture.store.finishRun(id: run.id, status: .succeeded)
        }
        #expect(throws: AuditError.notAFinalStatus(.running)) { try fixture.store.finishRun(id: run.id, status: .running) }
        #expect(throws: AuditError.unknownRun("nope")) { try fixture.store.appendAttempt(fixture.attempt("nope", "x")) }
    }

    /// The database itself refuses to change or remove finished rows, whoever asks.
    @Test(arguments: [
        ("UPDATE step_attempts SET output_text = 'x'", "audit: step attempts are append-only"),
        ("DELETE FROM step_attempts", "audit: step attempts are append-only"),
        ("UPDATE files_written SET sha256 = 'x'", "audit: file records are append-only"),
        ("DELETE FROM files_written", "audit: file records are append-only"),
        ("DELETE FROM runs", "audit: runs are never deleted"),
        ("UPDATE runs SET inputs_json = '{}' WHERE finish_hash IS NULL", "audit: a run's recorded fields never change"),
        ("UPDATE runs SET error = 'x' WHERE finish_hash IS NOT NULL", "audit: a finished run is sealed"),
    ])
    func triggersRefuseEditsAndDeletes(sql: String, message: String) throws {
        let fixture = try AuditFixture()
        let run = try fixture.startRun()
        try fixture.store.appendAttempt(fixture.attempt(run.id, "copy"))
        try fixture.store.recordFile(FileRecord(runID: run.id, stepID: "copy", path: "a.md", contents: [1], writtenAt: AuditFixture.t0))
        try fixture.store.finishRun(id: run.id, status: .succeeded)
        _ = try fixture.startRun()
        let connection = try Connection(path: fixture.path)
        let error = try #require(throws: SQLiteError.self) { try connection.execute(sql) }
        #expect(error.message == message)
    }

    @Test func runsAreListedNewestFirstAndFiltered() throws {
        let fixture = try AuditFixture()
        var ids: [String] = []
        for (offset, workflow) in ["weekly-report", "campaign-copy", "campaign-copy"].enumerated() {
            let run = try fixture.store.startRun(NewRun(workflow: workflow, workflowSource: "", startedAt: AuditFixture.t0.addingTimeInterval(Double(offset))))
            ids.append(run.id)
        }
        try fixture.store.finishRun(id: ids[1], status: .failed, error: "boom")
        #expect(try fixture.store.runs().map(\.id) == ids.reversed())
        #expect(try fixture.store.runs(workflow: "campaign-copy").map(\.id) == [ids[2], ids[1]])
        #expect(try fixture.store.runs(status: .failed).map(\.id) == [ids[1]])
        #expect(try fixture.store.runs(status: .running).map(\.id) == [ids[2], ids[0]])
        #expect(try fixture.store.runs(limit: 1).map(\.id) == [ids[2]])
        #expect(try fixture.store.resolveRun(String(ids[0].prefix(20))).id == ids[0])
        #expect(throws: AuditError.ambiguousRun(prefix: "2026", matches: ids.sorted())) { try fixture.store.resolveRun("2026") }
        #expect(throws: AuditError.unknownRun("1999")) { try fixture.store.resolveRun("1999") }
    }

    /// A run left `running` by a process that no longer exists on this host shows as interrupted.
    @Test func aRunWhoseProcessIsGoneReadsInterrupted() throws {
        let fixture = try AuditFixture()
        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/bin/true")
        try Spawn.run(child)
        child.waitUntilExit()
        let gone = try AuditStore(path: fixture.path, now: { AuditFixture.t0 }, runner: (pid: Int(child.processIdentifier), host: HostProcess.hostName))
        let dead = try fixture.startRun(on: gone)
        let alive = try fixture.startRun()
        #expect(try fixture.store.run(id: dead.id)?.status == .interrupted)
        #expect(try fixture.store.run(id: dead.id)?.storedStatus == .running)
        #expect(try fixture.store.run(id: alive.id)?.status == .running)
        #expect(try fixture.store.runs(status: .interrupted).map(\.id) == [dead.id])
        #expect(try fixture.store.finishInterruptedRuns() == [dead.id])
        let sealed = try #require(try fixture.store.run(id: dead.id))
        #expect(sealed.storedStatus == .interrupted)
        #expect(sealed.error == "the runner (pid \(child.processIdentifier) on \(HostProcess.hostName)) stopped before the run finished")
        #expect(try fixture.store.finishInterruptedRuns() == [])
        #expect(try fixture.store.verify() == [])
    }

    /// Resume reuses the newest succeeded attempt of each step and item, across resumed runs.
    @Test func latestSucceededAttemptsFollowResumes() throws {
        let fixture = try AuditFixture()
        let first = try fixture.startRun()
        try fixture.store.appendAttempt(fixture.attempt(first.id, "summary", output: "요약 1"))
        try fixture.store.appendAttempt(fixture.attempt(first.id, "translate", iteration: 0, output: "one"))
        try fixture.store.appendAttempt(fixture.attempt(first.id, "translate", iteration: 1, status: .failed))
        try fixture.store.finishRun(id: first.id, status: .failed)
        let second = try fixture.startRun(parent: first.id)
        try fixture.store.appendAttempt(fixture.attempt(second.id, "translate", iteration: 1, output: "two"))
        try fixture.store.appendAttempt(fixture.attempt(second.id, "copy", status: .cancelled))
        let reused = try fixture.store.latestSucceededAttempts(run: second.id)
        #expect(reused.map { "\($0.key)=\($0.outputText ?? "")@\($0.runID == first.id ? 1 : 2)" }
            == ["summary=요약 1@1", "translate[0]=one@1", "translate[1]=two@2"])
        #expect(throws: AuditError.unknownRun("nope")) { try fixture.startRun(parent: "nope") }
    }

    @Test func schedulesRememberAndClaimFireTimes() throws {
        let fixture = try AuditFixture()
        let monday = AuditFixture.t0
        #expect(try fixture.store.lastFire(schedule: "weekly-report.yaml#0") == nil)
        #expect(try fixture.store.claimFire(schedule: "weekly-report.yaml#0", at: monday))
        #expect(try !fixture.store.claimFire(schedule: "weekly-report.yaml#0", at: monday))
        #expect(try fixture.store.lastFire(schedule: "weekly-report.yaml#0") == monday)
        try fixture.store.setLastFire(schedule: "other", at: monday.addingTimeInterval(60))
        #expect(try fixture.store.scheduleStates() == ["weekly-report.yaml#0": monday, "other": monday.addingTimeInterval(60)])
    }

    @Test func theDatabasePathResolvesFromOptionEnvironmentOrDefault() {
        #expect(AuditStore.resolvePath(option: "x.db", environment: ["BATON_DB": "y.db"], currentDirectory: "/w") == "x.db")
        #expect(AuditStore.resolvePath(option: nil, environment: ["BATON_DB": "y.db"], currentDirectory: "/w") == "y.db")
        #expect(AuditStore.resolvePath(option: nil, environment: ["BATON_DB": ""], currentDirectory: "/w") == "/w/.baton/baton.db")
    }

    /// Another SQLite file given by mistake is refused and left untouched.
    @Test func aDatabaseThatIsNotAnAuditStoreIsRefused() throws {
        let fixture = try AuditFixture()
        let other = fixture.folder.appendingPathComponent("knowledge.db").path
        try Connection(path: other).execute("CREATE TABLE chunks (text TEXT)")
        let error = try #require(throws: AuditError.self) { try AuditStore(path: other) }
        #expect(error.description == "'\(other)' is not a Baton audit store (it holds other tables); give the audit store's path with --db")
        #expect(try Connection(path: other).query("SELECT name FROM sqlite_master").map { $0.string("name") } == ["chunks"])
        #expect(try Connection(path: fixture.path).scalar("PRAGMA application_id") == .integer(Int64(AuditSchema.applicationID)))
        _ = try AuditStore(path: fixture.path)
    }

    @Test func readOnlyUseOfAMissingStoreIsAClearError() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("baton-missing-\(UUID().uuidString)/baton.db").path
        let error = try #require(throws: AuditError.self) { try AuditStore(path: path, create: false) }
        #expect(error.description == "no audit store at '\(path)' (run a workflow first, or pass --db PATH or set BATON_DB)")
    }

    /// Two stores (two connections, as two `baton run` processes would have) appending to the same
    /// file at once, each shared by two threads, and a third verifying meanwhile: every row lands,
    /// chains stay intact, and verify never reports a false problem.
    @Test func concurrentWritersLoseNothing() throws {
        let fixture = try AuditFixture()
        let other = try AuditStore(path: fixture.path)
        let runA = try fixture.startRun()
        let runB = try other.startRun(NewRun(workflow: "b", workflowSource: ""))
        let failures = Failures()
        let verifier = try AuditStore(path: fixture.path)
        DispatchQueue.concurrentPerform(iterations: 5) { worker in
            if worker == 4 {  // verifying while the others write never sees a half-written chain
                for _ in 0..<8 {
                    do { failures.add(contentsOf: try verifier.verify().map(\.description)) } catch { failures.add("\(error)") }
                }
                return
            }
            let store = worker % 2 == 0 ? fixture.store : other
            let run = worker < 2 ? runA.id : runB.id
            for n in 0..<100 {
                do {
                    try store.appendAttempt(fixture.attempt(run, "step-\(worker)", iteration: n))
                } catch {
                    failures.add("\(error)")
                }
            }
        }
        #expect(failures.list == [])
        #expect(try fixture.store.attempts(run: runA.id).count == 200)
        #expect(try other.attempts(run: runB.id).map(\.chainIndex) == (1...200).map { $0 })
        #expect(try fixture.store.verification().rowCount == 400)
        #expect(try fixture.store.verify() == [])
    }
}

final class Failures: @unchecked Sendable {  // every access holds `lock`
    private let lock = NSLock()
    private var items: [String] = []
    func add(_ item: String) { lock.withLock { items.append(item) } }
    func add(contentsOf more: [String]) { lock.withLock { items += more } }
    var list: [String] { lock.withLock { items } }
}

/// Issue 19 item 2: a store that lost its contents, or another program's SQLite file, is refused
/// and left as it is; only a path that does not exist becomes a new store.
@Suite struct DamagedStoreOpenTests {
    @Test(arguments: [0, 1])
    func aTruncatedStoreIsRefusedAndLeftUntouched(length: Int) throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("baton-trunc-\(UUID().uuidString).db").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data(repeating: 0x53, count: length).write(to: URL(fileURLWithPath: path))
        #expect(throws: AuditError.damagedStore(path: path, reason: "the file is \(length) \(length == 1 ? "byte" : "bytes") long, too short for an SQLite database (it was truncated or emptied)")) {
            _ = try AuditStore(path: path)
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == Data(repeating: 0x53, count: length))
        #expect(!FileManager.default.fileExists(atPath: path + "-wal"))
    }

    @Test func anotherProgramsEmptyDatabaseIsRefused() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("baton-other-\(UUID().uuidString).db").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            let other = try Connection(path: path)
            try other.execute("PRAGMA application_id = 1234")
        }
        #expect(throws: AuditError.notAnAuditStore(path: path)) { _ = try AuditStore(path: path) }
    }
}
