import CSQLite
import Foundation

/// One connection to an SQLite database: the C handle lives here and is closed in `deinit`.
///
/// Opened in WAL mode (readers never block the writer), with foreign keys on, `synchronous=NORMAL`
/// (a commit survives a killed process; only a power loss can drop the last commits), a busy
/// timeout, and a retry loop on top of it for the cases where SQLite reports `SQLITE_BUSY` without
/// waiting (switching to WAL, `BEGIN IMMEDIATE` racing another process). Statements are prepared
/// once per SQL text and reused.
///
/// Not `Sendable`: use one connection from one thread at a time (wrap it in a lock to share it),
/// or open one connection per thread or process; WAL lets them work on the same file together.
public final class Connection {
    /// How a connection opens its file.
    public enum Mode: Sendable {
        /// Read and write, creating the file when missing.
        case readWriteCreate
        /// Read and write an existing file.
        case readWrite
        /// Read only: nothing is written, no journal mode is set (a store on read-only media, or
        /// one the user may only read, can still be listed and verified).
        case readOnly
        /// Read only, and SQLite is told the file cannot change while it is open (`immutable=1`):
        /// no locks and no `-shm` file, which a read-only file system cannot hold. Only for files
        /// nobody can be writing (on a read-only mount).
        case immutable
    }

    /// The file path, or `:memory:`.
    public let path: String
    /// How long SQLite itself waits for a lock, and the retry loop's budget on top of it.
    public let busyTimeout: Duration
    let handle: OpaquePointer
    private var statements: [String: Statement] = [:]
    /// How many prepared statements the cache keeps before it is emptied of unused ones.
    static let statementCacheLimit = 256
    /// Nesting depth of `transaction` calls that became savepoints.
    var savepointDepth = 0

    /// Opens (or creates) the database at `path` (`:memory:` for a private in-memory one).
    public init(path: String, mode: Mode = .readWriteCreate, busyTimeout: Duration = .seconds(5)) throws(SQLiteError) {
        var flags = SQLITE_OPEN_URI
        var location = path
        switch mode {
        case .readWriteCreate: flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
        case .readWrite: flags |= SQLITE_OPEN_READWRITE
        case .readOnly, .immutable:
            flags |= SQLITE_OPEN_READONLY
            if path != ":memory:" && !path.isEmpty {
                location = Connection.fileURI(path, parameters: mode == .immutable ? ["mode=ro", "immutable=1"] : ["mode=ro"])
            }
        }
        var database: OpaquePointer?
        let code = sqlite3_open_v2(location, &database, flags, nil)
        guard code == SQLITE_OK, let database else {
            let message = database.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(code))
            sqlite3_close_v2(database)
            throw SQLiteError(code: code, message: "cannot open '\(path)': \(message)")
        }
        self.handle = database
        self.path = path
        self.busyTimeout = busyTimeout
        sqlite3_extended_result_codes(database, 1)
        let components = busyTimeout.components
        sqlite3_busy_timeout(database, Int32(clamping: components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000))
        if mode != .readOnly && mode != .immutable && path != ":memory:" && !path.isEmpty {
            try retryingWhileBusy { () throws(SQLiteError) in _ = try query("PRAGMA journal_mode = WAL") }
            try execute("PRAGMA synchronous = NORMAL")
        }
        try execute("PRAGMA foreign_keys = ON")
    }

    /// `path` as an SQLite `file:` URI with `parameters` (`mode=ro`, `immutable=1`): every byte
    /// outside the URI's unreserved set is percent-encoded, so a `?`, `#` or `%` in a file name
    /// is read as part of the name.
    static func fileURI(_ path: String, parameters: [String]) -> String {
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        var encoded = "file:"
        for byte in absolute.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "/"):
                encoded.append(Character(Unicode.Scalar(byte)))
            default:
                encoded += "%" + String(byte >> 4, radix: 16, uppercase: true) + String(byte & 0x0F, radix: 16, uppercase: true)
            }
        }
        return parameters.isEmpty ? encoded : encoded + "?" + parameters.joined(separator: "&")
    }

    deinit {
        statements.removeAll()  // finalizes every cached statement before closing
        sqlite3_close_v2(handle)
    }

    // MARK: Statements

    /// Runs `body` with the cached statement for `sql` bound to `arguments`, then resets it.
    /// A statement already in use (the same SQL run inside a `forEach` of itself) is prepared afresh.
    private func withStatement<T>(_ sql: String, _ arguments: [DatabaseValue], _ body: (Statement) throws -> T) throws -> T {
        let statement: Statement
        if let cached = statements[sql], !cached.inUse {
            statement = cached
        } else {
            statement = try Statement(database: handle, sql: sql)
            if statements[sql] == nil {
                // Callers that build SQL text dynamically would grow the cache without bound:
                // past the limit, statements not in use are dropped (and prepared again if needed).
                if statements.count >= Connection.statementCacheLimit { statements = statements.filter { $0.value.inUse } }
                statements[sql] = statement
            }
        }
        statement.inUse = true
        defer {
            statement.reset()
            statement.inUse = false
        }
        try statement.bind(arguments)
        return try body(statement)
    }

    /// Runs one statement that returns no rows of interest (INSERT, UPDATE, CREATE, PRAGMA ... = ...).
    public func execute(_ sql: String, _ arguments: [DatabaseValue] = []) throws(SQLiteError) {
        do {
            try withStatement(sql, arguments) { statement in while try statement.step() {} }
        } catch let error as SQLiteError {
            throw error
        } catch {
            throw SQLiteError(code: SQLITE_ERROR, message: "\(error)", sql: sql)
        }
    }

    /// Runs several `;`-separated statements without arguments (schema scripts, migrations).
    public func executeScript(_ sql: String) throws(SQLiteError) {
        var message: UnsafeMutablePointer<CChar>?
        let code = sqlite3_exec(handle, sql, nil, nil, &message)
        if code != SQLITE_OK {
            let text = message.map { String(cString: $0) } ?? String(cString: sqlite3_errmsg(handle))
            sqlite3_free(message)
            throw SQLiteError(code: sqlite3_extended_errcode(handle), message: text, sql: sql)
        }
    }

    /// Runs a query and returns every row, copied out.
    public func query(_ sql: String, _ arguments: [DatabaseValue] = []) throws(SQLiteError) -> [Row] {
        do {
            return try withStatement(sql, arguments) { statement in
                var rows: [Row] = []
                while try statement.step() { rows.append(statement.row()) }
                return rows
            }
        } catch let error as SQLiteError {
            throw error
        } catch {
            throw SQLiteError(code: SQLITE_ERROR, message: "\(error)", sql: sql)
        }
    }

    /// The first row of a query, or `nil` when it returns none.
    public func queryOne(_ sql: String, _ arguments: [DatabaseValue] = []) throws(SQLiteError) -> Row? {
        try query(sql, arguments).first
    }

    /// The first column of the first row, or `.null` when there is no row.
    public func scalar(_ sql: String, _ arguments: [DatabaseValue] = []) throws(SQLiteError) -> DatabaseValue {
        try queryOne(sql, arguments)?[0] ?? .null
    }

    /// Steps through a query's rows, handing each to `body` in place (no copy); for bulk reads.
    public func forEach(_ sql: String, _ arguments: [DatabaseValue] = [], _ body: (RowCursor) throws -> Void) throws {
        try withStatement(sql, arguments) { statement in
            let cursor = RowCursor(handle: statement.handle, columns: statement.columnNames)
            while try statement.step() { try body(cursor) }
        }
    }

    /// The rowid of the last row inserted through this connection.
    public var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    /// The number of rows the last INSERT, UPDATE or DELETE changed.
    public var changes: Int { Int(sqlite3_changes(handle)) }

    /// Whether a transaction is open on this connection.
    public var isInTransaction: Bool { sqlite3_get_autocommit(handle) == 0 }

    /// The number of statements in the cache (for tests of reuse).
    public var cachedStatementCount: Int { statements.count }

    // MARK: Busy handling

    /// Repeats `body` while SQLite reports the database busy or locked, with short randomized
    /// pauses, until `busyTimeout` has passed six times over; then the last error is thrown.
    ///
    /// The busy timeout alone is not enough: SQLite returns `SQLITE_BUSY` at once (without calling
    /// the busy handler) when waiting could deadlock, e.g. two connections switching to WAL or
    /// racing for the write lock while holding read snapshots.
    func retryingWhileBusy<T>(_ body: () throws(SQLiteError) -> T) throws(SQLiteError) -> T {
        let deadline = ContinuousClock.now + busyTimeout * 6
        var pause = 1_000  // microseconds
        while true {
            do {
                return try body()
            } catch where error.isBusy && ContinuousClock.now < deadline {
                usleep(UInt32(Int.random(in: pause / 2...pause)))
                pause = min(pause * 2, 50_000)
            }
        }
    }
}
