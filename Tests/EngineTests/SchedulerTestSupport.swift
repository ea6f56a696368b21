import Foundation
import TestSupport
import Audit
import Engine
@testable import Scheduler
@testable import Providers
import Workflow

/// A run that lasts `duration` on the test's clock: it has ended once the clock passes its end.
final class VirtualRun: ScheduledRun, @unchecked Sendable {
    // @unchecked Sendable: `cancelled` is only read and written under `lock`.
    let runID: String?
    let end: Date
    let clock: ManualSchedulerClock
    private let lock = NSLock()
    private var cancelled = false

    init(runID: String, end: Date, clock: ManualSchedulerClock) {
        self.runID = runID
        self.end = end
        self.clock = clock
    }

    var outcome: ScheduledRunOutcome? {
        if lock.withLock({ cancelled }) { return ScheduledRunOutcome(status: "cancelled") }
        return clock.now() >= end ? ScheduledRunOutcome(status: "succeeded") : nil
    }

    func cancel() { lock.withLock { cancelled = true } }
}

/// An in-memory launcher: records every start (key, fire time, start time) and makes runs that
/// last the duration given for their schedule key (default one minute).
final class VirtualLauncher: RunLauncher, @unchecked Sendable {
    // @unchecked Sendable: `log` is only read and written under `lock`.
    struct Start: Equatable, CustomStringConvertible {
        var key: String
        var scheduledFor: Date
        var startedAt: Date
        var inputs: String
        var description: String { "\(key)@\(AuditTime.format(scheduledFor))" }
    }

    let clock: ManualSchedulerClock
    let durations: [String: TimeInterval]
    private let lock = NSLock()
    private var log: [Start] = []

    init(clock: ManualSchedulerClock, durations: [String: TimeInterval] = [:]) {
        self.clock = clock
        self.durations = durations
    }

    var starts: [Start] { lock.withLock { log } }

    func start(_ request: ScheduledRunRequest) throws -> any ScheduledRun {
        let now = clock.now()
        let inputs = request.schedule.inputs.keys.sorted().map { "\($0)=\(request.schedule.inputs[$0]?.jsonString() ?? "")" }.joined(separator: ",")
        let count = lock.withLock { () -> Int in
            log.append(Start(key: request.key, scheduledFor: request.scheduledFor, startedAt: now, inputs: inputs))
            return log.count
        }
        return VirtualRun(runID: "run-\(count)", end: now.addingTimeInterval(durations[request.key] ?? 60), clock: clock)
    }
}

/// Collects the scheduler's log lines with their (virtual) times.
final class EventLog: @unchecked Sendable {
    // @unchecked Sendable: `items` is only read and written under `lock`.
    private let lock = NSLock()
    private var items: [(Date, SchedulerEvent)] = []

    var events: [SchedulerEvent] { lock.withLock { items.map(\.1) } }
    var lines: [String] { lock.withLock { items.map { "\(AuditTime.format($0.0)) \($0.1.line)" } } }

    func record(_ time: Date, _ event: SchedulerEvent) { lock.withLock { items.append((time, event)) } }
}

/// A temporary folder of workflow files and an audit store next to it.
struct SchedulerFixture {
    let root: URL
    let workflows: URL
    let database: String

    init() throws {
        root = try TemporaryFolder.make("scheduler")
        workflows = root.appendingPathComponent("workflows")
        try FileManager.default.createDirectory(at: workflows, withIntermediateDirectories: true)
        database = root.appendingPathComponent("baton.db").path
    }

    /// Writes `name` with the given `schedules:` lines (already indented) under a one-step workflow.
    func write(_ name: String, schedules: String, workflowName: String? = nil) throws {
        let text = """
            baton: 1
            name: \(workflowName ?? (name as NSString).deletingPathExtension)
            inputs:
              week: { type: string, default: "이번 주" }
            steps:
              - { id: report, kind: template, template: "주간 보고 {{ inputs.week }}" }
            schedules:
            \(schedules)

            """
        try writeRaw(name, text)
    }

    func writeRaw(_ name: String, _ text: String) throws {
        try Data(text.utf8).write(to: workflows.appendingPathComponent(name))
    }

    func remove(_ name: String) throws {
        try FileManager.default.removeItem(at: workflows.appendingPathComponent(name))
    }

    func store(clock: ManualSchedulerClock? = nil) throws -> AuditStore {
        if let clock { return try AuditStore(path: database, now: { clock.now() }) }
        return try AuditStore(path: database)
    }

    func scheduler(store: AuditStore, launcher: any RunLauncher, clock: ManualSchedulerClock, log: EventLog,
                   poll: TimeInterval = 600, grace: TimeInterval = 0) -> Scheduler {
        Scheduler(directory: workflows.path, store: store, launcher: launcher, clock: clock,
                  options: Scheduler.Options(pollInterval: poll, grace: grace), log: { log.record($0, $1) })
    }
}

/// `2026-10-28T00:00:00Z` and friends.
func utc(_ text: String) -> Date {
    AuditTime.parse(text.count == 20 ? String(text.dropLast()) + ".000Z" : text) ?? Date(timeIntervalSince1970: 0)
}
