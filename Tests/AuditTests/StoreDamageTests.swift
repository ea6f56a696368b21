import Foundation
@testable import SQLite
import Testing
@testable import Audit

/// Issue 19 items 2, 3, 4 and 13: damage to the store's file is found and named, never taken for
/// an empty history; reading commands open the store without writing to it.
@Suite struct StoreDamageTests {
    /// A closed store (its WAL folded into the file) with three finished runs, each with a few
    /// attempts, in its own folder; returns the folder and the store's path.
    static func closedStore() throws -> (folder: URL, path: String) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("baton-damage-\(UUID().uuidString)")
        let path = folder.appendingPathComponent("baton.db").path
        do {
            let store = try AuditStore(path: path, now: { AuditFixture.t0 })
            for number in 0..<3 {
                let run = try store.startRun(NewRun(workflow: "campaign-\(number)", workflowSource: String(repeating: "# 무선 이어폰\n", count: 200),
                                                    id: "20261129-02153\(number)-a1b2c3"))
                for step in 0..<4 {
                    try store.appendAttempt(StepAttemptRecord(runID: run.id, stepID: "step-\(step)", attempt: 1, kind: "generate",
                                                              status: .succeeded, outputText: String(repeating: "카피 ", count: 300),
                                                              startedAt: AuditFixture.t0, finishedAt: AuditFixture.t0))
                }
                try store.finishRun(id: run.id, status: .succeeded)
            }
        }
        return (folder, path)
    }

    /// The 1-based page number of a table's or index's root page.
    static func rootPage(_ path: String, _ name: String) throws -> Int {
        try #require(try Connection(path: path, mode: .readOnly).scalar("SELECT rootpage FROM sqlite_master WHERE name = ?", [.text(name)]).int)
    }

    /// Overwrites `count` bytes of page `page` (4096-byte pages) from `offset` with `byte`.
    static func damage(_ path: String, page: Int, offset: Int = 0, count: Int = 4096, byte: UInt8) throws {
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        try handle.seek(toOffset: UInt64((page - 1) * 4096 + offset))
        handle.write(Data(repeating: byte, count: count))
    }

    @Test func aZeroedPageFailsVerifyAndIsNamed() throws {
        let (folder, path) = try StoreDamageTests.closedStore()
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(try AuditStore(path: path, readOnly: true).verification().isClean)
        let page = try StoreDamageTests.rootPage(path, "step_attempts")
        try StoreDamageTests.damage(path, page: page, byte: 0)
        let result = try AuditStore(path: path, readOnly: true).verification()
        #expect(!result.isClean)
        // SQLite's findings in its words (the zeroed page, then the pages it orphaned), then the chain's.
        #expect(result.integrityProblems.first == "Page \(page): btreeInitPage() returns error code 11")
        #expect(result.integrityProblems.suffix(2) == ["database disk image is malformed", "the hash chains could not be read: database disk image is malformed"])
        #expect(result.problemLines.first?.hasPrefix("store: SQLite integrity check: ") == true)
    }

    /// Damage to an index the chain walk never reads: every row still hashes correctly, and only
    /// SQLite's check finds it.
    @Test func aDamagedIndexPageFailsVerify() throws {
        let (folder, path) = try StoreDamageTests.closedStore()
        defer { try? FileManager.default.removeItem(at: folder) }
        let page = try StoreDamageTests.rootPage(path, "runs_by_workflow")
        try StoreDamageTests.damage(path, page: page, offset: 4096 - 40, count: 24, byte: 0x41)
        let result = try AuditStore(path: path, readOnly: true).verification()
        #expect(result.violations == [])
        #expect(result.runCount == 3)
        #expect(!result.integrityProblems.isEmpty)
        #expect(!result.isClean)
    }

    /// Item 2's gap: an existing SQLite file with no tables and no application id is not taken
    /// for a new store; it is refused and left as it was.
    @Test func anEmptySQLiteFileIsRefusedAndLeftUntouched() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("baton-empty-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("baton.db").path
        do {
            let empty = try Connection(path: path)
            try empty.execute("CREATE TABLE t (x INTEGER)")
            try empty.execute("DROP TABLE t")
            _ = try empty.query("PRAGMA wal_checkpoint(TRUNCATE)")
        }
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(before.count >= 100)
        for readOnly in [false, true] {
            let error = try #require(throws: AuditError.self) { _ = try AuditStore(path: path, readOnly: readOnly) }
            #expect(error.description == "'\(path)' is not a usable audit store: it is an SQLite database with no tables (an emptied store, or another program's empty file); it was left untouched (restore it from a backup, or give another path with --db)")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
        #expect(try Connection(path: path).query("SELECT name FROM sqlite_master").isEmpty)
    }

    /// Item 13: a damaged `user_version` is named as such, never answered with migration SQL.
    @Test(arguments: [
        (0, "its schema version (PRAGMA user_version) reads 0, but it already holds file_digests, files_written, runs, schedule_state, step_attempts of a later version; the version number was damaged"),
        (1, "its schema version (PRAGMA user_version) reads 1, but it already holds file_digests of a later version; the version number was damaged"),
        (-7, "its schema version (PRAGMA user_version) reads -7, but no program writes a negative version; the version number was damaged"),
    ])
    func aDamagedSchemaVersionIsNamed(version: Int, reason: String) throws {
        let (folder, path) = try StoreDamageTests.closedStore()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Connection(path: path).execute("PRAGMA user_version = \(version)")
        for readOnly in [false, true] {
            let error = try #require(throws: AuditError.self) { _ = try AuditStore(path: path, readOnly: readOnly) }
            #expect(error == .damagedStore(path: path, reason: reason))
            #expect(!error.description.contains("CREATE"))
        }
    }

    /// Item 4: reading opens the file read-only: the file's bytes do not change, and a writing
    /// statement is refused by SQLite itself.
    @Test func aReadOnlyStoreWritesNothing() throws {
        let (folder, path) = try StoreDamageTests.closedStore()
        defer { try? FileManager.default.removeItem(at: folder) }
        // A name that needs URI escaping, with Korean in it.
        let odd = folder.appendingPathComponent("감사 #1?x=%20.db").path
        try FileManager.default.moveItem(atPath: path, toPath: odd)
        let before = try Data(contentsOf: URL(fileURLWithPath: odd))
        let store = try AuditStore(path: odd, readOnly: true)
        #expect(try store.runs().count == 3)
        #expect(try store.verification().isClean)
        let refused = try #require(throws: AuditError.self) { _ = try store.startRun(NewRun(workflow: "w", workflowSource: "")) }
        #expect(refused.description.contains("readonly"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: odd)) == before)
        #expect(Connection.fileURI("/tmp/감사 #1?x=%.db", parameters: ["mode=ro"]) == "file:/tmp/%EA%B0%90%EC%82%AC%20%231%3Fx%3D%25.db?mode=ro")
    }

    /// A new store is built aside and moved into place whole: no temporary file is left, and
    /// six stores opened at once on one new path all succeed and share one file.
    @Test func concurrentCreationLeavesOneWholeStore() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("baton-create-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("sub/baton.db").path
        let failures = Failures()
        DispatchQueue.concurrentPerform(iterations: 6) { number in
            do {
                let store = try AuditStore(path: path)
                _ = try store.startRun(NewRun(workflow: "w\(number)", workflowSource: ""))
            } catch {
                failures.add("\(error)")
            }
        }
        #expect(failures.list == [])
        #expect(try AuditStore(path: path, readOnly: true).runs().count == 6)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("sub").path).filter { $0.hasPrefix(".baton-new") } == [])
    }
}
