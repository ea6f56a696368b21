import CommandKit
import Cron
import Foundation
import Workflow

/// `baton schedule list [FILE...]`: every schedule of the given workflows with its next fire times.
struct ScheduleListCommand: TableCommand {
    static let abstract = "List the schedules of workflows with their next fire times."
    static let options = OptionTable("baton schedule list", [
        .positional("<file-or-folder>", repeatable: true, required: false),
        .option("from", value: "<time>", help: "start after this time (ISO 8601; default: now)"),
        .option("count", value: "<n>", help: "fire times per schedule (default 3, at most 100)"),
        .flag("json", help: #"print [{"file", "workflow", "schedules": [{"id", "cron", "timezone", "timezoneSource", "times"}]}] as JSON"#),
    ])
    static let discussion = """
        Loads each workflow (a folder stands for its .yaml files; default: Workflows/) and prints every entry of its
        'schedules:' with the next fire times, as ISO 8601 with the schedule's offset. A
        schedule without 'timezone:' uses this machine's zone, and says so.
        """
    static let epilogue = "Exits 1 when a workflow cannot be loaded (its diagnostics go to standard error)."

    static func run(_ parsed: ParsedArguments) throws -> Int32 {
        let count = try ScheduleOptions.count(parsed, standard: 3, maximum: 100, usage: usage)
        let from = try ScheduleOptions.from(parsed, in: TimeZone.current, usage: usage)
        let files = parsed.positionals.isEmpty ? defaultFiles() : ValidateCommand.expandFolders(parsed.positionals)
        guard !files.isEmpty else {
            throw UsageError(message: "no workflow files given and none found in Workflows/", usage: usage)
        }
        var status: Int32 = 0
        var listings: [Listing] = []
        for file in files {
            do {
                let workflow = try WorkflowLoader.load(path: file)
                listings.append(Listing(file: file, workflow: workflow.name,
                                        schedules: workflow.schedules.map { entry(for: $0, from: from, count: count) }))
            } catch {
                printError(error.description)
                status = 1
            }
        }
        if parsed.flag("json") {
            printOut(json(listings))
        } else {
            printOut(text(listings), terminator: "")
        }
        return status
    }

    struct Entry {
        var id: String
        var cron: String
        var zone: String
        var zoneSource: String
        var times: [String]
        var problem: String?
    }

    struct Listing {
        var file: String
        var workflow: String
        var schedules: [Entry]
    }

    /// Fire times of one schedule; its expression and zone were checked when the workflow loaded.
    static func entry(for schedule: Schedule, from: Date, count: Int) -> Entry {
        let zone = schedule.timeZone
        let times = schedule.expression.nextTimes(after: from, in: zone, count: count).map { ZonedTime.format($0, in: zone) }
        return Entry(id: schedule.id, cron: schedule.cron, zone: schedule.timezone ?? TimeZone.current.identifier,
                     zoneSource: schedule.timezone == nil ? "this machine's zone" : "timezone:", times: times,
                     problem: times.isEmpty ? "never fires" : nil)
    }

    static func defaultFiles() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "Workflows")) ?? []
        return names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted().map { "Workflows/" + $0 }
    }

    static func text(_ listings: [Listing]) -> String {
        var out = ""
        for listing in listings {
            out += "\(listing.file) (\(listing.workflow))\n"
            if listing.schedules.isEmpty { out += "  no schedules\n" }
            for entry in listing.schedules {
                out += "  \(entry.id): \"\(entry.cron)\" in \(entry.zone) (\(entry.zoneSource))\n"
                if let problem = entry.problem { out += "    \(problem)\n" }
                for time in entry.times { out += "    \(time)\n" }
            }
        }
        return out
    }

    static func json(_ listings: [Listing]) -> String {
        let array: [[String: Any]] = listings.map { listing in
            ["file": listing.file, "workflow": listing.workflow,
             "schedules": listing.schedules.map { entry -> [String: Any] in
                 var object: [String: Any] = ["id": entry.id, "cron": entry.cron, "timezone": entry.zone,
                                              "timezoneSource": entry.zoneSource, "times": entry.times]
                 if let problem = entry.problem { object["problem"] = problem }
                 return object
             }]
        }
        guard let data = try? JSONSerialization.data(withJSONObject: array, options: [.sortedKeys, .withoutEscapingSlashes]) else {
            return "[]"
        }
        return String(decoding: data, as: UTF8.self)
    }
}
