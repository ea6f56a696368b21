import Base
import Foundation

/// A five-field cron expression (minute hour day-of-month month day-of-week) or a shortcut
/// (`@hourly`, `@daily`, `@midnight`, `@weekly`, `@monthly`, `@yearly`, `@annually`), matched on
/// the wall clock of an IANA time zone. See Documentation/Cron.md for the syntax and DST rule.
public struct CronExpression: Sendable, Equatable, CustomStringConvertible {
    /// The expression as written.
    public let text: String
    private let fields: [CronBits]
    /// Vixie cron: when both day fields are restricted (neither starts with `*`), a day matches
    /// if either matches; otherwise both must.
    private let dayFieldsEither: Bool

    /// Parses `text`; throws the first problem with its 1-based column.
    public init(_ text: String) throws(CronError) {
        let parsed = try CronParser(text).parse()
        self.text = text
        fields = parsed.bits
        dayFieldsEither = !parsed.dayOfMonthStar && !parsed.dayOfWeekStar
    }

    public var description: String { text }

    /// The hour bits of `*`: all 24 hours.
    private static let everyHour: UInt64 = (1 << 24) - 1

    /// The first fire time strictly after `after`, or nil when the expression never matches
    /// (e.g. `0 0 30 2 *`) within 400 years.
    public func next(after: Date, in timeZone: TimeZone) -> Date? {
        let zone = ZoneMapping(zone: timeZone)
        let now = after.timeIntervalSince1970
        let nowSecond = Int(now.rounded(.down))
        let offset = zone.offset(at: nowSecond)
        // In the first pass of a repeated hour, wall times just behind us happen again later.
        let rewind = max(0, offset - zone.offset(at: nowSecond + 86_400))
        var wallMinute = CivilTime.floorDiv(nowSecond + offset - rewind, 60)
        let horizon = CivilTime.date(days: CivilTime.floorDiv(wallMinute, 1440)).year + 400
        var best: Int?
        while let match = nextWallMinute(from: wallMinute, horizonYear: horizon) {
            let (first, second, inGap) = zone.instants(ofWall: match * 60)
            if inGap, fields[1].mask == CronExpression.everyHour {
                // croniter's rule: an every-hour expression skips the missing hour instead of
                // firing at its end; it fires again within the next hour anyway.
                wallMinute = match + 1
                continue
            }
            if Double(first) > now {
                best = min(best ?? first, first)
                break
            }
            if let second, Double(second) > now { best = min(best ?? second, second) }
            wallMinute = match + 1
        }
        return best.map { Date(timeIntervalSince1970: TimeInterval($0)) }
    }

    /// The next `count` fire times after `after`, in order (fewer if the expression runs out).
    public func nextTimes(after: Date, in timeZone: TimeZone, count: Int) -> [Date] {
        var times: [Date] = []
        var current = after
        while times.count < count, let next = next(after: current, in: timeZone) {
            times.append(next)
            current = next
        }
        return times
    }

    /// The first wall minute >= `start` whose fields match, skipping whole months, days and
    /// hours that cannot match.
    private func nextWallMinute(from start: Int, horizonYear: Int) -> Int? {
        let (minutes, hours, monthDays, months, weekdays) = (fields[0], fields[1], fields[2], fields[3], fields[4])
        var minute = start
        while true {
            let days = CivilTime.floorDiv(minute, 1440)
            let date = CivilTime.date(days: days)
            if date.year > horizonYear { return nil }
            guard months.contains(date.month) else {
                let nextMonth = date.month == 12 ? (date.year + 1, 1) : (date.year, date.month + 1)
                minute = CivilTime.days(year: nextMonth.0, month: nextMonth.1, day: 1) * 1440
                continue
            }
            let dayOfMonth = monthDays.contains(date.day)
            let dayOfWeek = weekdays.contains(CivilTime.weekday(days: days))
            guard dayFieldsEither ? (dayOfMonth || dayOfWeek) : (dayOfMonth && dayOfWeek) else {
                minute = (days + 1) * 1440
                continue
            }
            let minuteOfDay = minute - days * 1440
            let hour = minuteOfDay / 60
            guard hours.contains(hour), let found = minutes.first(atLeast: minuteOfDay % 60) else {
                minute = days * 1440 + (hour + 1) * 60
                continue
            }
            return days * 1440 + hour * 60 + found
        }
    }
}
