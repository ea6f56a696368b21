import CommandKit

/// `baton schedule`: when do cron schedules fire (per expression, or per workflow file).
struct ScheduleCommand: GroupCommand {
    static let name = "schedule"
    static let abstract = "Show the next fire times of cron schedules."
    static let subcommands: [any Command.Type] = [
        ScheduleNextCommand.self,
        ScheduleListCommand.self,
    ]
}
