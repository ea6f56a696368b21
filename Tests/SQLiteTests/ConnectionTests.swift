import Foundation
import Testing
@testable import SQLite

@Suite struct ConnectionTests {
    @Test func valuesRoundTripWithTheirTypes() throws {
        let db = try Connection(path: ":memory:")
        try db.execute("CREATE TABLE t (v)")
        let values: [DatabaseValue] = [.null, 42, -7, 3.5, "", "보도자료 초안 ✓", .blob([]), .blob([0, 255, 10]), true]
        for value in values { try db.execute("INSERT INTO t (v) VALUES (?)", [value]) }
        let read = try db.query("SELECT v FROM t ORDER BY rowid").map { $0[0] }
        #expect(read == [.null, .integer(42), .integer(-7), .real(3.5), .text(""), .text("보도자료 초안 ✓"), .blob([]), .blob([0, 255, 10]), .integer(1)])
    }

    @Test func rowsReadByColumnName() throws {
        let db = try Connection(path: ":memory:")
        let row = try #require(try db.queryOne("SELECT 'copy' AS step, 3 AS attempt, 0.25 AS score, NULL AS error, x'01' AS data"))
        #expect(row.columns == ["step", "attempt", "score", "error", "data"])
        #expect(row.string("step") == "copy")
        #expect(row.int("attempt") == 3)
        #expect(row.double("score") == 0.25)
        #expect(row["error"] == .null)
        #expect(row["missing"] == .null)
        #expect(row.blob("data") == [1])
    }

    @Test func statementsArePreparedOnceAndReused() throws {
        let db = try Connection(path: ":memory:")
        try db.execute("CREATE TABLE t (n INTEGER)")
        let before = db.cachedStatementCount
        for n in 0..<100 { try db.execute("INSERT INTO t (n) VALUES (?)", [.integer(Int64(n))]) }
        #expect(db.cachedStatementCount == before + 1)
        #expect(try db.scalar("SELECT sum(n) FROM t") == .integer(4950))
    }

    @Test func theCacheStaysBoundedForDynamicSQL() throws {
        let db = try Connection(path: ":memory:")
        for n in 0..<(Connection.statementCacheLimit + 10) { _ = try db.scalar("SELECT \(n)") }
        #expect(db.cachedStatementCount <= Connection.statementCacheLimit)
        #expect(try db.scalar("SELECT 7") == 7)
    }

    @Test func theSameQueryNestedInsideItselfGetsItsOwnStatement() throws {
        let db = try Connection(path: ":memory:")
        var pairs: [String] = []
        try db.forEach("SELECT value FROM json_each('[1,2]')") { outer in
            try db.forEach("SELECT value FROM json_each('[1,2]')") { inner in
                pairs.append("\(outer[0])\(inner[0])")
            }
        }
        #expect(pairs == ["11", "12", "21", "22"])
    }

    @Test func blobsAreReadInPlace() throws {
        let db = try Connection(path: ":memory:")
        var sums: [Int] = []
        try db.forEach("SELECT x'010203' UNION ALL SELECT NULL") { row in
            sums.append(row.withBlob(at: 0) { $0.reduce(0) { $0 + Int($1) } })
        }
        #expect(sums == [6, 0])
    }

    @Test func errorsCarryCodeMessageAndSQL() throws {
        let db = try Connection(path: ":memory:")
        let error = try #require(throws: SQLiteError.self) { try db.query("SELECT * FROM missing") }
        #expect(error.description == "SQLite error 1 (SQL logic error): no such table: missing in SELECT * FROM missing")
        try db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT UNIQUE)")
        try db.execute("INSERT INTO t (name) VALUES ('a')")
        let unique = try #require(throws: SQLiteError.self) { try db.execute("INSERT INTO t (name) VALUES (?)", ["a"]) }
        #expect(unique.code == 2067)
        #expect(unique.isConstraint)
        #expect(unique.description == "SQLite error 2067 (constraint failed): UNIQUE constraint failed: t.name in INSERT INTO t (name) VALUES (?)")
    }

    @Test func wrongArgumentCountAndSeveralStatementsAreRefused() throws {
        let db = try Connection(path: ":memory:")
        let count = try #require(throws: SQLiteError.self) { try db.query("SELECT ?, ?", [1]) }
        #expect(count.description == "SQLite error 25 (column index out of range): statement has 2 parameters but 1 values were given in SELECT ?, ?")
        let several = try #require(throws: SQLiteError.self) { try db.execute("CREATE TABLE a (x); CREATE TABLE b (y)") }
        #expect(several.message == "more than one statement given; use executeScript for several")
        try db.execute("CREATE TABLE a (x);  \n")
    }

    @Test func fileDatabasesUseWALAndForeignKeys() throws {
        let dir = try TemporaryDirectory()
        let db = try Connection(path: dir.path("t.db"))
        #expect(try db.scalar("PRAGMA journal_mode") == "wal")
        #expect(try db.scalar("PRAGMA foreign_keys") == 1)
        #expect(try db.scalar("PRAGMA synchronous") == 1)
        try db.executeScript("CREATE TABLE p (id INTEGER PRIMARY KEY); CREATE TABLE c (p INTEGER REFERENCES p(id));")
        let error = try #require(throws: SQLiteError.self) { try db.execute("INSERT INTO c (p) VALUES (9)") }
        #expect(error.message == "FOREIGN KEY constraint failed")
    }

    @Test func openingAMissingFileWithoutCreateFails() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("none.db")
        let error = try #require(throws: SQLiteError.self) { try Connection(path: path, mode: .readWrite) }
        #expect(error.description == "SQLite error 14 (unable to open database file): cannot open '\(path)': unable to open database file")
    }

    /// Retrieval's lexical search depends on FTS5's trigram tokenizer matching Korean inside words
    /// that carry particles (보도자료를, 보도자료의).
    @Test func fts5TrigramFindsKoreanSubstrings() throws {
        let db = try Connection(path: ":memory:")
        try db.execute("CREATE VIRTUAL TABLE chunks USING fts5(text, tokenize = 'trigram')")
        for text in ["신제품 보도자료를 배포했다", "브랜드 가이드의 톤", "Press release draft for the launch"] {
            try db.execute("INSERT INTO chunks (text) VALUES (?)", [.text(text)])
        }
        let korean = try db.query("SELECT text FROM chunks WHERE chunks MATCH ? ORDER BY rank", ["보도자료"]).map { $0.string("text") }
        #expect(korean == ["신제품 보도자료를 배포했다"])
        let english = try db.query("SELECT text FROM chunks WHERE chunks MATCH ?", ["release"]).map { $0.string("text") }
        #expect(english == ["Press release draft for the launch"])
    }
}
