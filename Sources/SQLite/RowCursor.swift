import CSQLite

/// The current row of a running statement, read in place without copying it into a `Row`.
///
/// Valid only inside the closure of `Connection.forEach`; for bulk reads (e.g. loading every
/// embedding blob into one matrix) where a copy per row would dominate.
public struct RowCursor {
    let handle: OpaquePointer
    /// Column names of the statement.
    public let columns: [String]

    /// The number of columns.
    public var count: Int { columns.count }

    /// The value of column `index` (0-based), copied out.
    public subscript(index: Int) -> DatabaseValue {
        let column = Int32(index)
        switch sqlite3_column_type(handle, column) {
        case SQLITE_INTEGER:
            return .integer(sqlite3_column_int64(handle, column))
        case SQLITE_FLOAT:
            return .real(sqlite3_column_double(handle, column))
        case SQLITE_TEXT:
            let count = Int(sqlite3_column_bytes(handle, column))
            guard let text = sqlite3_column_text(handle, column) else { return .text("") }
            return .text(String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self))
        case SQLITE_BLOB:
            return .blob(withBlob(at: index) { Array($0) })
        default:
            return .null
        }
    }

    /// The value of the column named `name`; `.null` when there is none.
    public subscript(name: String) -> DatabaseValue {
        guard let index = columns.firstIndex(of: name) else { return .null }
        return self[index]
    }

    /// Calls `body` with the bytes of column `index` in SQLite's own buffer (empty for NULL),
    /// valid only during the call.
    public func withBlob<T>(at index: Int, _ body: (UnsafeRawBufferPointer) throws -> T) rethrows -> T {
        let column = Int32(index)
        let pointer = sqlite3_column_blob(handle, column)
        let count = Int(sqlite3_column_bytes(handle, column))
        return try body(UnsafeRawBufferPointer(start: count > 0 ? pointer : nil, count: count))
    }
}
