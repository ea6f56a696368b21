import CSQLite

/// An error reported by SQLite, with the result code, SQLite's message and the SQL that failed.
///
/// `code` is the extended result code (e.g. 2067 for a UNIQUE constraint); `primaryCode` the
/// primary one (19, `SQLITE_CONSTRAINT`), which is what callers usually branch on.
public struct SQLiteError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The extended result code.
    public var code: Int32
    /// SQLite's message (`sqlite3_errmsg`), or Baton's own for misuse it detects.
    public var message: String
    /// The statement that failed, when there was one.
    public var sql: String?

    public init(code: Int32, message: String, sql: String? = nil) {
        self.code = code
        self.message = message
        self.sql = sql
    }

    /// The primary result code (the low byte of `code`).
    public var primaryCode: Int32 { code & 0xFF }

    /// Whether the database was locked by another connection (`SQLITE_BUSY` or `SQLITE_LOCKED`).
    public var isBusy: Bool { primaryCode == SQLITE_BUSY || primaryCode == SQLITE_LOCKED }

    /// Whether a constraint (UNIQUE, CHECK, NOT NULL, FOREIGN KEY, a trigger's RAISE) refused the change.
    public var isConstraint: Bool { primaryCode == SQLITE_CONSTRAINT }

    /// `SQLite error 19 (constraint failed): <message> in <sql>`.
    public var description: String {
        let name = String(cString: sqlite3_errstr(code))
        var text = "SQLite error \(code) (\(name)): \(message)"
        if let sql { text += " in \(sql)" }
        return text
    }
}
