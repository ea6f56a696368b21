import Base
import Foundation

/// The one text form of instants in the audit store: UTC, millisecond precision,
/// `2026-11-29T02:15:30.123Z`. Fixed width, so text order is time order, and the hash chain
/// hashes exactly the stored text.
public enum AuditTime {
    /// `date` as `yyyy-MM-ddTHH:mm:ss.SSSZ` (truncated to the millisecond).
    public static func format(_ date: Date) -> String {
        let parts = civil(date)
        return "\(pad(parts.year, 4))-\(pad(parts.month, 2))-\(pad(parts.day, 2))T\(pad(parts.hour, 2)):\(pad(parts.minute, 2)):\(pad(parts.second, 2)).\(pad(parts.millisecond, 3))Z"
    }

    /// `date` as it reads back from the store (truncated to the millisecond).
    public static func stored(_ date: Date) -> Date { parse(format(date)) ?? date }

    /// `yyyyMMdd-HHmmss` in UTC, the time part of a run id.
    static func compact(_ date: Date) -> String {
        let parts = civil(date)
        return "\(pad(parts.year, 4))\(pad(parts.month, 2))\(pad(parts.day, 2))-\(pad(parts.hour, 2))\(pad(parts.minute, 2))\(pad(parts.second, 2))"
    }

    /// Reads the form `format` writes; `nil` for anything else.
    public static func parse(_ text: String) -> Date? {
        let bytes = Array(text.utf8)
        guard bytes.count == 24, bytes[4] == 0x2D, bytes[7] == 0x2D, bytes[10] == 0x54, bytes[13] == 0x3A,
              bytes[16] == 0x3A, bytes[19] == 0x2E, bytes[23] == 0x5A else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for byte in bytes[range] {
                guard byte >= 0x30, byte <= 0x39 else { return nil }
                value = value * 10 + Int(byte - 0x30)
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
              let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19),
              let millisecond = number(20..<23), (1...12).contains(month), (1...31).contains(day),
              hour < 24, minute < 60, second < 61 else { return nil }
        let days = CivilTime.days(year: year, month: month, day: day)
        let milliseconds = ((days * 24 + hour) * 60 + minute) * 60_000 + second * 1000 + millisecond
        return Date(timeIntervalSince1970: Double(milliseconds) / 1000)
    }

    private struct Civil { var year, month, day, hour, minute, second, millisecond: Int }

    /// Splits an instant into UTC calendar fields (proleptic Gregorian), without a formatter.
    private static func civil(_ date: Date) -> Civil {
        let milliseconds = Int((date.timeIntervalSince1970 * 1000).rounded(.down))
        let days = CivilTime.floorDiv(milliseconds, 86_400_000)
        let msOfDay = milliseconds - days * 86_400_000
        let (year, month, day) = CivilTime.date(days: days)
        return Civil(year: year, month: month, day: day, hour: msOfDay / 3_600_000, minute: msOfDay / 60_000 % 60,
                     second: msOfDay / 1000 % 60, millisecond: msOfDay % 1000)
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}
