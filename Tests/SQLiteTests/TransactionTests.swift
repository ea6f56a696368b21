import Foundation
import Testing
@testable import SQLite
import TestSupport

private struct Refused: Error {}

@Suite struct TransactionTests {
    @Test func commitsWhenTheClosureReturns() throws {
        let db = try Connection(path: ":memory:")
        try db.execute("CREATE TABLE t (n)")
        let result = try db.transaction { () throws -> Int in
            try db.execute("INSERT INTO t VALUES (1)")
            return 7
        }
        #expect(result == 7)
        #expect(!db.isInTransaction)
        #expect(try db.scalar("SELECT count(*) FROM t") == 1)
    }

    @Test func rollsBackWhenTheClosureThrows() throws {
        let db = try Connection(path: ":memory:")
        try db.execute("CREATE TABLE t (n)")
        #expect(throws: Refused.self) {
            try db.transaction {
                try db.execute("INSERT INTO t VALUES (1)")
                throw Refused()
            }
        }
        #expect(!db.isInTransaction)
        #expect(try db.scalar("SELECT count(*) FROM t") == 0)
    }

    @Test func nestedTransactionsAreSavepoints() throws {
        let db = try Connection(path: ":memory:")
        try db.execute("CREATE TABLE t (n)")
        try db.transaction {
            try db.execute("INSERT INTO t VALUES (1)")
            try? db.transaction {
                try db.execute("INSERT INTO t VALUES (2)")
                throw Refused()
            }
            try db.transaction { try db.execute("INSERT INTO t VALUES (3)") }
        }
        #expect(try db.query("SELECT n FROM t ORDER BY n").map { $0[0] } == [1, 3])
    }

    @Test func migrationsApplyInOrderOnce() throws {
        let dir = try TemporaryDirectory()
        let migrations = [
            Migration(version: 1, name: "create", sql: "CREATE TABLE t (a); INSERT INTO t VALUES (1);"),
            Migration(version: 2, name: "add column", sql: "ALTER TABLE t ADD COLUMN b DEFAULT 'x';"),
        ]
        do {
            let db = try Connection(path: dir.path("m.db"))
            try db.migrate(Array(migrations.prefix(1)))
            #expect(try db.userVersion() == 1)
        }
        let db = try Connection(path: dir.path("m.db"))
        try db.migrate(migrations)
        try db.migrate(migrations)
        #expect(try db.userVersion() == 2)
        #expect(try db.query("SELECT a, b FROM t").map(\.values) == [[1, "x"]])
    }

    @Test func aNewerSchemaAndBadNumberingAreRefused() throws {
        let db = try Connection(path: ":memory:")
        try db.execute("PRAGMA user_version = 5")
        let newer = try #require(throws: SQLiteError.self) { try db.migrate([Migration(version: 1, name: "a", sql: "SELECT 1")]) }
        #expect(newer.message == "database ':memory:' has schema version 5, newer than this program's 1")
        let gap = try #require(throws: SQLiteError.self) { try db.migrate([Migration(version: 2, name: "b", sql: "SELECT 1")]) }
        #expect(gap.message == "migration 'b' has version 2, expected 1")
    }

    @Test func aFailingMigrationLeavesNothingBehind() throws {
        let db = try Connection(path: ":memory:")
        let error = try #require(throws: SQLiteError.self) {
            try db.migrate([
                Migration(version: 1, name: "ok", sql: "CREATE TABLE t (a);"),
                Migration(version: 2, name: "broken", sql: "CREATE TABLE u (a); INSERT INTO nowhere VALUES (1);"),
            ])
        }
        #expect(error.message == "migration 2 'broken' failed: no such table: nowhere")
        #expect(try db.userVersion() == 0)
        #expect(try db.query("SELECT name FROM sqlite_master").isEmpty)
    }

    /// Two connections (as two processes would) writing the same file at once: every write lands,
    /// none fails with "database is locked".
    @Test func twoWritersOnOneFileBothSucceed() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("busy.db")
        try Connection(path: path).execute("CREATE TABLE t (writer INTEGER, n INTEGER)")
        let failures = LockedList()
        DispatchQueue.concurrentPerform(iterations: 2) { writer in
            do {
                let db = try Connection(path: path)
                for _ in 0..<300 {
                    try db.transaction {
                        let count = try db.scalar("SELECT count(*) FROM t WHERE writer = ?", [.integer(Int64(writer))])
                        try db.execute("INSERT INTO t VALUES (?, ?)", [.integer(Int64(writer)), count])
                    }
                }
            } catch {
                failures.append("\(error)")
            }
        }
        #expect(failures.items == [])
        let db = try Connection(path: path)
        #expect(try db.scalar("SELECT count(*) FROM t") == 600)
        #expect(try db.scalar("SELECT count(DISTINCT writer || '-' || n) FROM t") == 600)
    }
}

extension TransactionTests {
    /// A writer that finds the lock held longer than its busy timeout keeps retrying (with
    /// pauses) instead of failing with "database is locked", and gets in once the lock is free.
    @Test func aWriterRetriesPastTheBusyTimeout() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("lock.db")
        let holder = try Connection(path: path)
        try holder.execute("CREATE TABLE t (n)")
        try holder.execute("BEGIN IMMEDIATE")
        try holder.execute("INSERT INTO t VALUES (1)")
        let failures = LockedList()
        let done = DispatchSemaphore(value: 0)
        let started = ContinuousClock.now
        DispatchQueue.global().async {
            do {
                let waiter = try Connection(path: path, busyTimeout: .milliseconds(40))
                try waiter.transaction { try waiter.execute("INSERT INTO t VALUES (2)") }
            } catch {
                failures.append("\(error)")
            }
            done.signal()
        }
        usleep(150_000)  // longer than the waiter's busy timeout, shorter than its retry budget
        try holder.execute("COMMIT")
        done.wait()
        #expect(failures.items == [])
        #expect(ContinuousClock.now - started >= .milliseconds(150))
        #expect(try holder.query("SELECT n FROM t ORDER BY n").map { $0[0] } == [1, 2])
    }
}

extension TransactionTests {
    /// Another process (the sqlite3 shell) writing the same file in 300 transactions while this
    /// one writes 300: both finish, nothing is lost.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/sqlite3"), "needs the sqlite3 shell"))
    func anotherProcessWritingAtTheSameTime() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("two.db")
        let db = try Connection(path: path)
        try db.execute("CREATE TABLE t (writer TEXT, n INTEGER)")
        let script = ".timeout 5000\n" + (0..<300).map { "BEGIN IMMEDIATE; INSERT INTO t VALUES ('shell', \($0)); COMMIT;" }.joined(separator: "\n")
        let shell = Process()
        shell.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        shell.arguments = [path]
        let input = Spawn.pipe(), errors = Spawn.pipe()
        shell.standardInput = input
        shell.standardError = errors
        try Spawn.run(shell)
        input.fileHandleForWriting.write(Data(script.utf8))
        try input.fileHandleForWriting.close()
        for n in 0..<300 {
            try db.transaction { try db.execute("INSERT INTO t VALUES ('swift', ?)", [.integer(Int64(n))]) }
        }
        let shellErrors = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        shell.waitUntilExit()
        #expect(shellErrors == "")
        #expect(shell.terminationStatus == 0)
        #expect(try db.query("SELECT writer, count(*) FROM t GROUP BY writer ORDER BY writer").map(\.values) == [["shell", 300], ["swift", 300]])
    }
}

/// A list several threads append to.
final class LockedList: @unchecked Sendable {  // every access holds `lock`
    private let lock = NSLock()
    private var storage: [String] = []
    func append(_ item: String) { lock.withLock { storage.append(item) } }
    var items: [String] { lock.withLock { storage } }
}
