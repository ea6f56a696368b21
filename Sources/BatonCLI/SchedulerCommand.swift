import CommandKit
import Foundation
import Audit
import Engine
import Scheduler
import Workflow

/// `baton scheduler`: the daemon that starts scheduled runs.
struct SchedulerCommand: TableCommand {
    static let abstract = "Run the scheduler daemon: start each workflow's scheduled runs when they are due."
    static let options = OptionTable("baton scheduler", [
        .workflowsFolder,
        .store,
        .flag("once", help: "One pass: start what is due now (missed fire times by their catch-up policy), wait for those runs, exit. For crontab use."),
        .option("grace", value: "DURATION", help: "How long running runs may finish after SIGTERM.", default: "30s"),
        .option("poll", value: "DURATION", help: "How often the folder is checked for changes.", default: "2s"),
        .flag("dry-run", help: "Record each fire time as a run without running its steps."),
        .option("out", value: "DIR", help: "The only folder runs write files into.", default: "out"),
        .option("concurrency", value: "N", help: "Steps in flight at once per run."),
        .option("model", value: "NAME=URL#MODEL", help: "Use an OpenAI-compatible server for a model (as 'baton run').", repeatable: true),
    ])
    static let discussion = """
        Loads every workflow in DIR (*.yaml, *.yml) that has 'schedules:' and starts each fire
        time once, with the schedule's inputs, recorded in the audit store with trigger 'schedule'
        and the fire time. Each fire time is claimed in the store before its run starts, so a
        restart (or a second scheduler on the same store) neither repeats nor loses one. Fire
        times missed while the scheduler was down follow the schedule's 'catchup:' (none, latest,
        all; default latest); a fire time that comes while the previous run of the schedule still
        runs follows 'overlap:' (skip, queue; default skip). Added, changed and removed files are
        picked up without a restart; a file that stops loading keeps its last good version.
        Each pass also applies passed review timeouts and continues, in place, the waiting runs
        whose reviews are decided ('baton review').
        Logs one line per event to stderr. SIGTERM or SIGINT stops starting runs, lets running
        ones finish for the grace period, then cancels them (resumable with 'baton resume').
        """
    static let epilogue = "EXIT STATUS: 0 after a clean stop, 1 when the audit store cannot be opened, 64 on a usage error."

    static func run(_ parsed: ParsedArguments) async throws -> Int32 {
        guard parsed.positionals.isEmpty else {
            throw UsageError(message: "'baton scheduler' takes no positional arguments (use --workflows DIR)", usage: usage)
        }
        let grace = try seconds(parsed, "grace", standard: 30)
        let poll = try seconds(parsed, "poll", standard: 2)
        guard poll > 0 else { throw UsageError(message: "--poll must be longer than 0s", usage: usage) }
        let configuration = try RunSession.configuration(parsed, usage: usage)
        let folder = parsed.value("workflows") ?? "Workflows"
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            printError("error: the workflows folder '\(folder)' does not exist")
            return 1
        }
        guard let store = RunSession.openStore(parsed) else { return 1 }
        var clock: any SchedulerClock = SystemSchedulerClock()
        if let text = ProcessInfo.processInfo.environment["BATON_SCHEDULER_CLOCK"] {
            guard let scaled = ScaledSchedulerClock(parsing: text) else {
                printError("error: BATON_SCHEDULER_CLOCK must be ORIGIN@SPEED (2026-11-30T00:00:00Z@600), not '\(text)'")
                return 1
            }
            clock = scaled
        }
        let launcher: any RunLauncher = parsed.flag("dry-run") ? DryRunLauncher(store: store) : EngineRunLauncher(store: store, configuration: configuration)
        let scheduler = Scheduler(directory: folder, store: store, launcher: launcher, clock: clock,
                                  options: Scheduler.Options(pollInterval: poll, grace: grace),
                                  log: { time, event in printError("\(AuditTime.format(time)) \(TerminalText.text(event.line))") })
        let once = parsed.flag("once")
        let task = Task {
            if once { await scheduler.runOnce() } else { await scheduler.run() }
        }
        let signals = TerminationSignals { [clock] name in
            printError("\(AuditTime.format(clock.now())) \(name) received")
            scheduler.requestStop()
            task.cancel()
        }
        await task.value
        signals.cancel()
        return 0
    }

    /// A duration option in seconds (`30s`, `2m`, `1h`).
    static func seconds(_ parsed: ParsedArguments, _ name: String, standard: TimeInterval) throws -> TimeInterval {
        guard let text = parsed.value(name) else { return standard }
        guard let duration = DurationText.parse(text) else {
            throw UsageError(message: "--\(name) takes a duration like 30s, 2m or 1h, not '\(text)'", usage: usage)
        }
        let (whole, fraction) = duration.components
        return TimeInterval(whole) + TimeInterval(fraction) / 1e18
    }
}
