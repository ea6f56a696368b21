/// One result row: the column names of its statement and the values, read eagerly so the row
/// outlives the statement.
public struct Row: Sendable, Equatable {
    /// Column names as SQLite reports them (`AS` aliases included).
    public let columns: [String]
    /// The values, in column order.
    public let values: [DatabaseValue]

    /// The value of column `index` (0-based); `.null` when out of range.
    public subscript(index: Int) -> DatabaseValue {
        values.indices.contains(index) ? values[index] : .null
    }

    /// The value of the first column named `name`; `.null` when there is none.
    public subscript(name: String) -> DatabaseValue {
        guard let index = columns.firstIndex(of: name) else { return .null }
        return values[index]
    }

    /// Whether the row has a column named `name`.
    public func hasColumn(_ name: String) -> Bool { columns.contains(name) }

    /// The text of column `name`, or `nil` when it is NULL or not text.
    public func string(_ name: String) -> String? { self[name].string }
    /// The integer of column `name` as `Int`, or `nil`.
    public func int(_ name: String) -> Int? { self[name].int }
    /// The integer of column `name`, or `nil`.
    public func int64(_ name: String) -> Int64? { self[name].int64 }
    /// The number of column `name` as `Double`, or `nil`.
    public func double(_ name: String) -> Double? { self[name].double }
    /// The integer of column `name` read as a boolean, or `nil`.
    public func bool(_ name: String) -> Bool? { self[name].bool }
    /// The bytes of column `name`, or `nil`.
    public func blob(_ name: String) -> [UInt8]? { self[name].blob }
}
