import Base
import Foundation

/// ISO 8601 with a numeric offset (`2026-03-08T03:00:00-04:00`), the form schedules are shown
/// and compared in. Foundation's `ISO8601DateFormatter` writes `Z` for UTC and cannot read a time
/// without an offset in a chosen zone, so Baton formats and parses this one form itself.
public enum ZonedTime {
    /// `date` as wall time in `zone` with its offset; seconds always shown, fractions dropped.
    public static func format(_ date: Date, in zone: TimeZone) -> String {
        let second = Int(date.timeIntervalSince1970.rounded(.down))
        let offset = zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(second)))
        let wall = second + offset
        let days = CivilTime.floorDiv(wall, 86_400)
        let (year, month, day) = CivilTime.date(days: days)
        let secondOfDay = wall - days * 86_400
        let sign = offset < 0 ? "-" : "+"
        let absolute = abs(offset)
        return "\(pad(year, 4))-\(pad(month))-\(pad(day))T\(pad(secondOfDay / 3600)):\(pad(secondOfDay / 60 % 60)):\(pad(secondOfDay % 60))"
            + "\(sign)\(pad(absolute / 3600)):\(pad(absolute / 60 % 60))"
    }

    /// Parses `YYYY-MM-DDTHH:MM[:SS[.fff]]` followed by `Z`, `±HH:MM`, `±HHMM` or nothing; a time
    /// without an offset is wall time in `zone` (in a repeated hour the first, in a skipped hour
    /// the end of the gap). A space may replace the `T`. Nil when the text is not such a time.
    public static func parse(_ text: String, in zone: TimeZone) -> Date? {
        let characters = Array(text)
        var index = 0
        func number(_ digits: Int) -> Int? {
            guard index + digits <= characters.count else { return nil }
            var value = 0
            for character in characters[index..<(index + digits)] {
                guard let digit = character.wholeNumberValue, character.isASCII else { return nil }
                value = value * 10 + digit
            }
            index += digits
            return value
        }
        func expect(_ character: Character) -> Bool {
            guard index < characters.count, characters[index] == character else { return false }
            index += 1
            return true
        }
        guard let year = number(4), expect("-"), let month = number(2), expect("-"), let day = number(2),
              expect("T") || expect(" "), let hour = number(2), expect(":"), let minute = number(2),
              (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60 else { return nil }
        var second = 0
        if expect(":") {
            guard let value = number(2), value < 60 else { return nil }
            second = value
            if expect(".") || expect(",") {
                while index < characters.count, characters[index].isASCII, characters[index].isNumber { index += 1 }
            }
        }
        let days = CivilTime.days(year: year, month: month, day: day)
        guard CivilTime.date(days: days) == (year, month, day) else { return nil }
        let wall = days * 86_400 + hour * 3600 + minute * 60 + second
        if index == characters.count {
            return Date(timeIntervalSince1970: TimeInterval(ZoneMapping(zone: zone).instants(ofWall: wall).first))
        }
        if expect("Z") || expect("z") {
            return index == characters.count ? Date(timeIntervalSince1970: TimeInterval(wall)) : nil
        }
        let sign: Int
        if expect("+") { sign = 1 } else if expect("-") { sign = -1 } else { return nil }
        guard let offsetHours = number(2) else { return nil }
        _ = expect(":")
        let offsetMinutes = number(2) ?? 0
        guard index == characters.count, offsetHours < 24, offsetMinutes < 60 else { return nil }
        return Date(timeIntervalSince1970: TimeInterval(wall - sign * (offsetHours * 3600 + offsetMinutes * 60)))
    }

    private static func pad(_ value: Int, _ width: Int = 2) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }
}
