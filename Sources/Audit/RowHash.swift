import Base
import SQLite

/// The canonical encoding the hash chain hashes: unambiguous, independent of column order in
/// the file and of SQLite's own storage format.
///
/// `baton-audit-v1 NUL <table> NUL`, then per column `<name> NUL <tag> <payload>` with tag
/// `N` (no payload), `I` (8-byte big-endian two's complement), `R` (8-byte big-endian IEEE bits),
/// `T`/`B` (8-byte big-endian length, then the UTF-8 text or the bytes). The previous row's hash
/// is one of the columns (`prev_hash`), so each row's hash seals the whole chain before it.
enum RowHash {
    static func hash(table: String, columns: [String], values: [DatabaseValue]) -> String {
        var bytes: [UInt8] = Array("baton-audit-v1".utf8)
        bytes.append(0)
        bytes.append(contentsOf: table.utf8)
        bytes.append(0)
        for (name, value) in zip(columns, values) {
            bytes.append(contentsOf: name.utf8)
            bytes.append(0)
            switch value {
            case .null:
                bytes.append(UInt8(ascii: "N"))
            case .integer(let number):
                bytes.append(UInt8(ascii: "I"))
                appendBigEndian(UInt64(bitPattern: number), to: &bytes)
            case .real(let number):
                bytes.append(UInt8(ascii: "R"))
                appendBigEndian(number.bitPattern, to: &bytes)
            case .text(let text):
                bytes.append(UInt8(ascii: "T"))
                appendBigEndian(UInt64(text.utf8.count), to: &bytes)
                bytes.append(contentsOf: text.utf8)
            case .blob(let blob):
                bytes.append(UInt8(ascii: "B"))
                appendBigEndian(UInt64(blob.count), to: &bytes)
                bytes.append(contentsOf: blob)
            }
        }
        return SHA256.hash(bytes).hex
    }

    /// The hash of a stored row, reading `columns` from it by name.
    static func hash(table: String, columns: [String], row: Row) -> String {
        hash(table: table, columns: columns, values: columns.map { row[$0] })
    }

    private static func appendBigEndian(_ value: UInt64, to bytes: inout [UInt8]) {
        for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
    }
}
