import Foundation
import Testing
@testable import Cron

/// Syntax, matching rules and errors of `CronExpression`, with whole messages.
struct CronExpressionTests {
    static let utc = TimeZone(identifier: "UTC")!
    static let seoul = TimeZone(identifier: "Asia/Seoul")!
    static let newYork = TimeZone(identifier: "America/New_York")!

    private func times(_ text: String, from: String, in zone: TimeZone = utc, count: Int = 4) throws -> [String] {
        let start = try #require(ZonedTime.parse(from, in: zone))
        return try CronExpression(text).nextTimes(after: start, in: zone, count: count).map { ZonedTime.format($0, in: zone) }
    }

    @Test(arguments: [
        ("0 9 * * MON-FRI", ["2026-01-01T09:00:00+00:00", "2026-01-02T09:00:00+00:00", "2026-01-05T09:00:00+00:00", "2026-01-06T09:00:00+00:00"]),
        ("0 9 * * mon-fri", ["2026-01-01T09:00:00+00:00", "2026-01-02T09:00:00+00:00", "2026-01-05T09:00:00+00:00", "2026-01-06T09:00:00+00:00"]),
        ("*/20 8-9 1 jan *", ["2026-01-01T08:00:00+00:00", "2026-01-01T08:20:00+00:00", "2026-01-01T08:40:00+00:00", "2026-01-01T09:00:00+00:00"]),
        ("0 0 * * 7", ["2026-01-04T00:00:00+00:00", "2026-01-11T00:00:00+00:00", "2026-01-18T00:00:00+00:00", "2026-01-25T00:00:00+00:00"]),
        ("0 0 * * SAT-SUN", ["2026-01-03T00:00:00+00:00", "2026-01-04T00:00:00+00:00", "2026-01-10T00:00:00+00:00", "2026-01-11T00:00:00+00:00"]),
        ("0 0 13 * FRI", ["2026-01-02T00:00:00+00:00", "2026-01-09T00:00:00+00:00", "2026-01-13T00:00:00+00:00", "2026-01-16T00:00:00+00:00"]),
        ("0 0 29 2 *", ["2028-02-29T00:00:00+00:00", "2032-02-29T00:00:00+00:00", "2036-02-29T00:00:00+00:00", "2040-02-29T00:00:00+00:00"]),
        ("5/20 0 1 * *", ["2026-01-01T00:05:00+00:00", "2026-01-01T00:25:00+00:00", "2026-01-01T00:45:00+00:00", "2026-02-01T00:05:00+00:00"]),
        ("@weekly", ["2026-01-04T00:00:00+00:00", "2026-01-11T00:00:00+00:00", "2026-01-18T00:00:00+00:00", "2026-01-25T00:00:00+00:00"]),
        ("@monthly", ["2026-02-01T00:00:00+00:00", "2026-03-01T00:00:00+00:00", "2026-04-01T00:00:00+00:00", "2026-05-01T00:00:00+00:00"]),
        ("@YEARLY", ["2027-01-01T00:00:00+00:00", "2028-01-01T00:00:00+00:00", "2029-01-01T00:00:00+00:00", "2030-01-01T00:00:00+00:00"]),
    ])
    func fireTimes(expression: String, expected: [String]) throws {
        #expect(try times(expression, from: "2026-01-01T00:00:00Z") == expected)
    }

    @Test func seoulWallClock() throws {
        #expect(try times("30 9 * * MON", from: "2026-11-29T12:00:00+09:00", in: Self.seoul, count: 2)
                == ["2026-11-30T09:30:00+09:00", "2026-12-07T09:30:00+09:00"])
    }

    /// The DST rule: a skipped 02:30 fires at 03:00 EDT; a repeated 01:30 fires twice.
    @Test func daylightSavingGapAndRepeat() throws {
        #expect(try times("30 2 * * *", from: "2026-03-07T12:00:00-05:00", in: Self.newYork, count: 2)
                == ["2026-03-08T03:00:00-04:00", "2026-03-09T02:30:00-04:00"])
        #expect(try times("30 1 * * *", from: "2026-10-31T12:00:00-04:00", in: Self.newYork, count: 3)
                == ["2026-11-01T01:30:00-04:00", "2026-11-01T01:30:00-05:00", "2026-11-02T01:30:00-05:00"])
        // Every-hour expressions skip the missing hour rather than firing at its end.
        #expect(try times("22 * * * *", from: "2026-03-08T00:30:00-05:00", in: Self.newYork, count: 3)
                == ["2026-03-08T01:22:00-05:00", "2026-03-08T03:22:00-04:00", "2026-03-08T04:22:00-04:00"])
    }

    @Test func neverMatchingExpressionHasNoNextTime() throws {
        let start = Date(timeIntervalSince1970: 0)
        #expect(try CronExpression("0 0 30 2 *").next(after: start, in: Self.utc) == nil)
        #expect(try CronExpression("0 0 31 4 *").nextTimes(after: start, in: Self.utc, count: 3).isEmpty)
    }

    @Test func expressionsKeepTheirText() throws {
        #expect(try CronExpression("0 0 * * *") == CronExpression("0 0 * * *"))
        #expect(try CronExpression("@daily").text == "@daily")
        #expect(try CronExpression("@daily").description == "@daily")
    }

    @Test(arguments: [
        ("", "column 1: empty cron expression: expected 5 fields (minute hour day-of-month month day-of-week) or a shortcut like @daily"),
        ("0 9 * *", "column 8: expected 5 fields (minute hour day-of-month month day-of-week) but found 4"),
        ("0 0 9 * * * 2026", "column 11: expected 5 fields (minute hour day-of-month month day-of-week) but found 7"),
        ("60 * * * *", "column 1: minute value 60 is out of range 0-59"),
        ("0 24 * * *", "column 3: hour value 24 is out of range 0-23"),
        ("0 0 0 * *", "column 5: day-of-month value 0 is out of range 1-31"),
        ("0 0 * 13 *", "column 7: month value 13 is out of range 1-12"),
        ("0 0 * * 8", "column 9: day-of-week value 8 is out of range 0-7"),
        ("0 0 * * 1-9", "column 11: day-of-week value 9 is out of range 0-7"),
        ("*/0 * * * *", "column 3: step must be a positive number, found '0'"),
        ("*/x * * * *", "column 3: step must be a positive number, found 'x'"),
        ("0 */25 * * *", "column 5: step 25 is too large for the hour range 0-23"),
        ("0 0 * * FUN", "column 9: unknown day-of-week name 'FUN' (use 0-7 or SUN-SAT)"),
        ("0 0 * JANUARY *", "column 7: unknown month name 'JANUARY' (use 1-12 or JAN-DEC)"),
        ("0 MON * * *", "column 3: unknown hour value 'MON' (use 0-23)"),
        ("0 17-9 * * *", "column 3: range 17-9 goes backwards (write it as 17-23,0-9)"),
        ("0 0 1,,15 * *", "column 7: empty item in the day-of-month list"),
        ("0 0 1-2-3 * *", "column 5: a range has one '-', found '1-2-3'"),
        ("0 0 -3 * *", "column 5: missing day-of-month value"),
        ("@reboot", "column 1: unknown shortcut '@reboot' (use @hourly, @daily, @midnight, @weekly, @monthly, @yearly or @annually)"),
        ("@daily 5", "column 8: unexpected '5' after @daily"),
        ("0 0 L * *", "column 5: unknown day-of-month value 'L' (use 1-31)"),
    ])
    func invalidExpressionsExplainThemselves(text: String, expected: String) {
        do {
            _ = try CronExpression(text)
            Issue.record("'\(text)' was accepted")
        } catch {
            #expect(error.description == expected)
        }
    }

    @Test(arguments: [
        ("2026-03-08T02:30", "2026-03-08T03:00:00-04:00"),
        ("2026-11-01T01:30", "2026-11-01T01:30:00-04:00"),
        ("2026-11-01 01:30:00-05:00", "2026-11-01T01:30:00-05:00"),
        ("2026-07-01T12:00:00Z", "2026-07-01T08:00:00-04:00"),
        ("2026-07-01T12:00:00.250+0900", "2026-06-30T23:00:00-04:00"),
    ])
    func zonedTimeParsesAndFormats(text: String, expected: String) throws {
        let date = try #require(ZonedTime.parse(text, in: Self.newYork))
        #expect(ZonedTime.format(date, in: Self.newYork) == expected)
    }

    @Test(arguments: ["2026-02-30T00:00", "2026-13-01T00:00", "tomorrow", "2026-01-01T00:00+25:00", "2026-01-01T00:00Zx"])
    func zonedTimeRejectsNonsense(text: String) {
        #expect(ZonedTime.parse(text, in: Self.utc) == nil)
    }
}
