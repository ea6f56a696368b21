import Engine
import Foundation
import Audit
import Synchronization
import Workflow

/// The `baton scheduler` daemon: starts each due fire time of every `schedules:` entry in a
/// folder of workflows, exactly once, with its state in the audit store.
///
/// One pass (`tick`) reaps finished runs, reloads changed workflow files, and starts what is
/// due; `run` repeats passes until its task is cancelled (SIGTERM), then shuts down gracefully.
/// Each fire time is claimed in the store (`claimFire`) just before its run starts, so neither a
/// restart nor a second daemon on the same store starts it again. Fire times missed while the
/// daemon was down (before this instance began watching the schedule) follow `catchup:`; fire
/// times that come while it is up follow `overlap:`. Catch-up runs always run one after another,
/// and fire times that come while they run queue behind them (whatever `overlap:` says).
///
/// An actor: its state (watched schedules, running runs) is touched only on its executor, so the
/// compiler checks what "one task drives it" used to promise. `requestStop` is nonisolated (an
/// atomic flag) so that a signal handler can call it without awaiting.
public actor Scheduler {
    public struct Options: Sendable {
        /// How often the folder is polled for changed files (and finished runs are noticed).
        public var pollInterval: TimeInterval
        /// How long running runs may go on after a stop before they are cancelled.
        public var grace: TimeInterval
        /// The most missed fire times `catchup: all` runs for one schedule (the newest ones).
        public var maxCatchup: Int

        public init(pollInterval: TimeInterval = 2, grace: TimeInterval = 30, maxCatchup: Int = 1000) {
            self.pollInterval = pollInterval
            self.grace = grace
            self.maxCatchup = maxCatchup
        }
    }

    /// A schedule being watched.
    struct Entry {
        var key: String
        var file: String
        var workflow: Workflow
        var schedule: Schedule
        /// Fire times up to here are handled (started, skipped, or queued).
        var cursor: Date
        /// When this instance began watching: earlier fire times were missed while down.
        var watchingSince: Date
        /// Fire times waiting for the previous run to end.
        var pending: [Fire] = []
    }

    struct Fire {
        var at: Date
        var caughtUp: Bool
    }

    struct Running {
        var key: String
        var run: any ScheduledRun
        var scheduledFor: Date
        var zone: TimeZone
        /// A fire time missed while down: fire times that come while it runs queue behind it.
        var caughtUp: Bool
    }

    public let store: AuditStore
    public let launcher: any RunLauncher
    public let clock: any SchedulerClock
    public let options: Options
    let log: @Sendable (Date, SchedulerEvent) -> Void
    var directory: WorkflowDirectory
    /// The last good workflow of each file.
    var files: [String: Workflow] = [:]
    var entries: [String: Entry] = [:]
    var running: [String: Running] = [:]
    /// Runs of schedules that were removed or changed while running, still to be reaped.
    var orphans: [Running] = []
    private let stopFlag = Atomic<Bool>(false)

    public init(directory: String, store: AuditStore, launcher: any RunLauncher, clock: any SchedulerClock = SystemSchedulerClock(),
                options: Options = Options(), log: @escaping @Sendable (Date, SchedulerEvent) -> Void) {
        self.directory = WorkflowDirectory(path: directory)
        self.store = store
        self.launcher = launcher
        self.clock = clock
        self.options = options
        self.log = log
    }

    /// Asks `run` to stop starting runs and shut down (as cancelling its task does).
    public nonisolated func requestStop() { stopFlag.store(true, ordering: .sequentiallyConsistent) }

    nonisolated var stopRequested: Bool { stopFlag.load(ordering: .sequentiallyConsistent) }

    /// The schedule keys being watched, sorted.
    public var scheduleKeys: [String] { entries.keys.sorted() }

    /// The number of runs going on.
    public var runningCount: Int { running.count + orphans.count }

    /// Runs passes until the task is cancelled, `requestStop` is called, or the clock reaches
    /// `end` (tests); then stops starting runs, waits up to the grace period for running ones,
    /// and cancels the rest (recorded `cancelled`, resumable).
    public func run(until end: Date? = nil) async {
        while !Task.isCancelled, !stopRequested {
            tick()
            continueDecidedRuns()
            let now = clock.now()
            if let end, now >= end { break }
            var wake = min(nextWake(after: now), now.addingTimeInterval(options.pollInterval))
            if let end { wake = min(wake, end) }
            await clock.sleep(until: wake)
        }
        await shutdown()
    }

    /// One pass, then waits for every run it started (and the catch-ups queued behind them); a
    /// stop request meanwhile shuts down as `run` does (grace period, then cancel).
    public func runOnce() async {
        tick()
        continueDecidedRuns()
        while runningCount > 0 || entries.values.contains(where: { !$0.pending.isEmpty }) {
            if stopRequested {
                await shutdown()
                return
            }
            await uncancellableSleep(until: clock.now().addingTimeInterval(0.05))
            reap()
            for key in entries.keys.sorted() { startPending(key) }
        }
    }

    /// One pass: reap finished runs, pick up file changes, start what is due at `clock.now()`.
    public func tick() {
        reap()
        reload()
        let now = clock.now()
        for key in entries.keys.sorted() { process(key, now: now) }
    }

    /// The earliest next fire time of any schedule after `now`.
    func nextWake(after now: Date) -> Date {
        var wake = Date.distantFuture
        for entry in entries.values {
            if let next = entry.schedule.expression.next(after: max(entry.cursor, now), in: entry.schedule.timeZone) { wake = min(wake, next) }
        }
        return wake
    }

    /// Notes runs that ended.
    func reap() {
        for (key, item) in running where item.run.outcome != nil {
            running[key] = nil
            report(finished: item)
        }
        orphans.removeAll { item in
            guard item.run.outcome != nil else { return false }
            report(finished: item)
            return true
        }
    }

    private func report(finished item: Running) {
        let outcome = item.run.outcome ?? ScheduledRunOutcome(status: "unknown")
        emit(.finished(key: item.key, scheduledFor: item.scheduledFor, zone: item.zone, runID: item.run.runID,
                       status: outcome.status, error: outcome.error))
    }

    func emit(_ event: SchedulerEvent) { log(clock.now(), event) }

    /// Stops starting runs, waits up to the grace period, cancels what still runs.
    func shutdown() async {
        reap()
        emit(.stopping(running: runningCount, grace: options.grace))
        let deadline = clock.now().addingTimeInterval(options.grace)
        while runningCount > 0, clock.now() < deadline {
            await uncancellableSleep(until: min(deadline, clock.now().addingTimeInterval(0.1)))
            reap()
        }
        let left = Array(running.values) + orphans
        for item in left.sorted(by: { $0.key < $1.key }) {
            item.run.cancel()
            emit(.cancelled(key: item.key, runID: item.run.runID))
        }
        // Give cancelled runs a moment (real time) to record themselves as cancelled.
        var waits = 0
        while runningCount > 0, waits < 100 {
            try? await Task.detached { try await Task.sleep(nanoseconds: 50_000_000) }.value
            reap()
            waits += 1
        }
    }

    /// Sleeps on the scheduler's clock even when the calling task is cancelled (shutdown runs
    /// in the cancelled task).
    func uncancellableSleep(until deadline: Date) async {
        let clock = self.clock
        await Task.detached { await clock.sleep(until: deadline) }.value
    }
}
