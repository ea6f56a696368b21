/// One value stored in or read from SQLite, typed as SQLite's storage classes are.
///
/// Binding uses this type directly, so calls read like the SQL: `["copy", 3, nil]` through the
/// literal conformances, `.text(name)` for a variable.
public enum DatabaseValue: Sendable, Hashable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])

    /// `.text(value)`, or `.null` for `nil`.
    public init(_ value: String?) { self = value.map { .text($0) } ?? .null }
    /// `.integer(value)`, or `.null` for `nil`.
    public init(_ value: Int?) { self = value.map { .integer(Int64($0)) } ?? .null }
    /// `.integer(value)`, or `.null` for `nil`.
    public init(_ value: Int64?) { self = value.map { .integer($0) } ?? .null }
    /// `.real(value)`, or `.null` for `nil`.
    public init(_ value: Double?) { self = value.map { .real($0) } ?? .null }
    /// `.integer(1)` or `.integer(0)` (SQLite has no boolean type), or `.null` for `nil`.
    public init(_ value: Bool?) { self = value.map { .integer($0 ? 1 : 0) } ?? .null }
    /// `.blob(value)`, or `.null` for `nil`.
    public init(_ value: [UInt8]?) { self = value.map { .blob($0) } ?? .null }

    /// Whether this is SQL NULL.
    public var isNull: Bool { if case .null = self { return true } else { return false } }

    /// The text, or `nil` when the value is not text.
    public var string: String? { if case .text(let value) = self { return value } else { return nil } }

    /// The integer, or `nil` when the value is not an integer.
    public var int64: Int64? { if case .integer(let value) = self { return value } else { return nil } }

    /// The integer as `Int`, or `nil` when the value is not an integer.
    public var int: Int? { int64.map { Int($0) } }

    /// The number as `Double` (integers convert), or `nil`.
    public var double: Double? {
        switch self {
        case .real(let value): return value
        case .integer(let value): return Double(value)
        default: return nil
        }
    }

    /// The integer read as a boolean (non-zero is true), or `nil`.
    public var bool: Bool? { int64.map { $0 != 0 } }

    /// The bytes, or `nil` when the value is not a blob.
    public var blob: [UInt8]? { if case .blob(let value) = self { return value } else { return nil } }
}

extension DatabaseValue: ExpressibleByNilLiteral, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByBooleanLiteral
{
    public init(nilLiteral: ()) { self = .null }
    public init(stringLiteral value: String) { self = .text(value) }
    public init(integerLiteral value: Int64) { self = .integer(value) }
    public init(floatLiteral value: Double) { self = .real(value) }
    public init(booleanLiteral value: Bool) { self = .integer(value ? 1 : 0) }
}

extension DatabaseValue: CustomStringConvertible {
    /// The value as an SQL literal would show it (`NULL`, `42`, `'text'`, `x'0aff'`), for diagnostics.
    public var description: String {
        switch self {
        case .null: return "NULL"
        case .integer(let value): return String(value)
        case .real(let value): return String(value)
        case .text(let value): return "'" + value.replacingAll("'", with: "''") + "'"
        case .blob(let bytes): return "x'" + bytes.map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined() + "'"
        }
    }
}

extension String {
    /// Replaces every occurrence of `target` (no Foundation needed in this module).
    fileprivate func replacingAll(_ target: Character, with replacement: String) -> String {
        var result = ""
        for character in self { if character == target { result += replacement } else { result.append(character) } }
        return result
    }
}
