import CSQLite

/// SQLite's "copy the bytes now" destructor. The C macro `SQLITE_TRANSIENT` is `((sqlite3_destructor_type)-1)`,
/// which Swift does not import, so it is rebuilt from the same bit pattern.
private var transientDestructor: sqlite3_destructor_type {
    unsafeBitCast(-1 as Int, to: sqlite3_destructor_type.self)
}

/// A prepared statement. The connection owns it, caches it by SQL text, and hands it out for
/// one use at a time: bind, step, read, then reset.
///
/// Internal: the public surface is `Connection`'s methods, so that the C handle never escapes.
final class Statement {
    let handle: OpaquePointer
    let sql: String
    /// Column names, read once after preparing.
    let columnNames: [String]
    /// Set while a caller is stepping it; a nested use of the same SQL gets a fresh statement.
    var inUse = false

    /// Prepares exactly one statement; trailing SQL other than whitespace and `;` is refused,
    /// because `sqlite3_prepare_v2` would silently ignore it.
    init(database: OpaquePointer, sql: String) throws(SQLiteError) {
        var statement: OpaquePointer?
        var tailOffset = 0
        let code = sql.withCString { text -> Int32 in
            var tail: UnsafePointer<CChar>?
            let code = sqlite3_prepare_v3(database, text, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, &tail)
            if let tail { tailOffset = text.distance(to: tail) }
            return code
        }
        guard code == SQLITE_OK, let statement else {
            throw SQLiteError(code: sqlite3_extended_errcode(database), message: String(cString: sqlite3_errmsg(database)), sql: sql)
        }
        let rest = sql.utf8.dropFirst(tailOffset)
        if rest.contains(where: { !($0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 || $0 == 0x3B) }) {
            sqlite3_finalize(statement)
            throw SQLiteError(code: SQLITE_MISUSE, message: "more than one statement given; use executeScript for several", sql: sql)
        }
        self.handle = statement
        self.sql = sql
        let count = sqlite3_column_count(statement)
        self.columnNames = (0..<count).map { String(cString: sqlite3_column_name(statement, $0)) }
    }

    deinit { sqlite3_finalize(handle) }

    private func error(_ code: Int32) -> SQLiteError {
        let database = sqlite3_db_handle(handle)
        return SQLiteError(code: sqlite3_extended_errcode(database), message: String(cString: sqlite3_errmsg(database)), sql: sql)
    }

    /// Binds `values` to the parameters `?1...?n` in order; the count must match.
    func bind(_ values: [DatabaseValue]) throws(SQLiteError) {
        let expected = Int(sqlite3_bind_parameter_count(handle))
        guard expected == values.count else {
            throw SQLiteError(code: SQLITE_RANGE, message: "statement has \(expected) parameters but \(values.count) values were given", sql: sql)
        }
        for (offset, value) in values.enumerated() {
            let index = Int32(offset + 1)
            let code: Int32
            switch value {
            case .null:
                code = sqlite3_bind_null(handle, index)
            case .integer(let number):
                code = sqlite3_bind_int64(handle, index, number)
            case .real(let number):
                code = sqlite3_bind_double(handle, index, number)
            case .text(var text):
                // An empty buffer may have no base address, and a nil pointer would bind NULL.
                code = text.withUTF8 { bytes in
                    bytes.isEmpty ? sqlite3_bind_text(handle, index, "", 0, transientDestructor)
                        : sqlite3_bind_text(handle, index, bytes.baseAddress, Int32(bytes.count), transientDestructor)
                }
            case .blob(let bytes):
                code = bytes.isEmpty ? sqlite3_bind_zeroblob(handle, index, 0)
                    : bytes.withUnsafeBytes { sqlite3_bind_blob(handle, index, $0.baseAddress, Int32($0.count), transientDestructor) }
            }
            guard code == SQLITE_OK else { throw error(code) }
        }
    }

    /// Advances to the next row: `true` when a row is ready, `false` when done.
    func step() throws(SQLiteError) -> Bool {
        switch sqlite3_step(handle) {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        case let code: throw error(code)
        }
    }

    /// The current row, copied out.
    func row() -> Row {
        let cursor = RowCursor(handle: handle, columns: columnNames)
        return Row(columns: columnNames, values: (0..<columnNames.count).map { cursor[$0] })
    }

    /// Makes the statement ready for its next use and drops the bound values (large texts are
    /// not kept alive by the cache).
    func reset() {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }
}
