import CommandKit
import Cron
import Foundation

/// Option parsing and cron diagnostics shared by the `baton schedule` subcommands.
enum ScheduleOptions {
    /// `--count`: a number from 1 to `maximum`, else `standard`.
    static func count(_ parsed: ParsedArguments, standard: Int, maximum: Int, usage: String) throws -> Int {
        guard let value = parsed.value("count") else { return standard }
        guard let number = Int(value), (1...maximum).contains(number) else {
            throw UsageError(message: "--count must be a number from 1 to \(maximum), found '\(value)'", usage: usage)
        }
        return number
    }

    /// `--from`: an ISO 8601 time (wall time in `zone` when it has no offset), else now.
    static func from(_ parsed: ParsedArguments, in zone: TimeZone, usage: String) throws -> Date {
        guard let value = parsed.value("from") else { return Date() }
        guard let date = ZonedTime.parse(value, in: zone) else {
            throw UsageError(message: "--from '\(value)' is not an ISO 8601 time like 2026-03-08T09:00:00+09:00", usage: usage)
        }
        return date
    }

    /// The zone named by `--timezone`, or the machine's; with the name to show (as the user
    /// wrote it: Foundation reports `UTC` as `GMT`) and a word saying where it came from.
    static func resolve(_ name: String?, usage: String) throws -> (zone: TimeZone, name: String, source: String) {
        guard let name else { return (TimeZone.current, TimeZone.current.identifier, "this machine's zone") }
        if let zone = TimeZone(identifier: name) { return (zone, name, "--timezone") }
        let known = TimeZone.knownTimeZoneIdentifiers
        let lowered = name.lowercased()
        let match = known.first { $0.lowercased() == lowered }
            ?? known.first { $0.split(separator: "/").last.map { $0.lowercased() == lowered } ?? false }
        let hint = match.map { " (did you mean '\($0)'?)" } ?? " (use an IANA name such as Asia/Seoul or America/New_York)"
        throw UsageError(message: "unknown time zone '\(name)'\(hint)", usage: usage)
    }

    /// `error: invalid cron expression: <message>` with the expression and a caret under the column.
    static func diagnostic(for error: CronError, in text: String) -> String {
        "error: invalid cron expression: \(error.message)\n  \(text)\n  \(String(repeating: " ", count: max(0, error.column - 1)))^"
    }
}
