import Cron
import Foundation

/// Time-zone choice and cron diagnostics shared by the `baton schedule` subcommands.
enum ScheduleZone {
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
