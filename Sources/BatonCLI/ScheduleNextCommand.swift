import CommandKit
import Cron
import Foundation

/// `baton schedule next "CRON"`: the next fire times of one expression, as ISO 8601 with offset.
struct ScheduleNextCommand: TableCommand {
    static let abstract = "Print the next fire times of a cron expression."
    static let options = OptionTable("baton schedule next", [
        .positional("<cron>", help: #"minute hour day-of-month month day-of-week, e.g. "0 9 * * MON-FRI""#),
        .option("timezone", value: "<zone>", help: "IANA time zone, e.g. Asia/Seoul (default: the machine's zone)"),
        .option("from", value: "<time>", help: "start after this time: 2026-03-08T01:30:00-05:00, ...Z, or a wall time without offset in the zone (default: now)"),
        .option("count", value: "<n>", help: "how many fire times (default 5, at most 1000)"),
        .flag("json", help: #"print {"expression", "timezone", "from", "times"} as JSON"#),
    ])
    static let discussion = """
        Prints the next fire times of a five-field cron expression (or @hourly, @daily, ...)
        as ISO 8601 with the zone's offset, one per line. The time zone used is shown on
        standard error; by default it is this machine's.
        """
    static let epilogue = """
        Daylight saving: a time skipped when clocks go forward fires when the gap ends
        (unless the expression runs every hour); a time repeated when clocks go back fires
        twice. See Documentation/Cron.md.
        """

    static func run(_ parsed: ParsedArguments) throws -> Int32 {
        guard parsed.positionals.count == 1, let text = parsed.positionals.first else {
            let message = parsed.positionals.isEmpty
                ? "missing cron expression"
                : "expected one cron expression (quote it: \"0 9 * * MON\"), found \(parsed.positionals.count) arguments"
            throw UsageError(message: message, usage: usage)
        }
        let (zone, zoneName, zoneSource) = try ScheduleOptions.resolve(parsed.value("timezone"), usage: usage)
        let from = try ScheduleOptions.from(parsed, in: zone, usage: usage)
        let count = try ScheduleOptions.count(parsed, standard: 5, maximum: 1000, usage: usage)
        let expression: CronExpression
        do {
            expression = try CronExpression(text)
        } catch {
            printError(ScheduleOptions.diagnostic(for: error, in: text))
            return 1
        }
        let times = expression.nextTimes(after: from, in: zone, count: count).map { ZonedTime.format($0, in: zone) }
        if parsed.flag("json") {
            printOut(jsonObject(expression: text, zone: zoneName, source: zoneSource,
                                from: ZonedTime.format(from, in: zone), times: times))
        } else {
            printError("time zone: \(zoneName) (\(zoneSource))")
            if times.isEmpty { printError("'\(text)' never fires") }
            for time in times { printOut(time) }
        }
        return 0
    }

    private static func jsonObject(expression: String, zone: String, source: String, from: String, times: [String]) -> String {
        let object: [String: Any] = [
            "expression": expression, "timezone": zone, "timezoneSource": source, "from": from, "times": times,
        ]
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]) else {
            return "{}"
        }
        return String(decoding: data, as: UTF8.self)
    }
}
