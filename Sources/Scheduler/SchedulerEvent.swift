import Engine
import Foundation
import Cron

/// What the scheduler did, one per log line (`SchedulerEvent.line`).
public enum SchedulerEvent: Sendable, Equatable {
    /// A workflow file was loaded (first time or changed) with these schedule keys.
    case loaded(file: String, schedules: [String])
    /// A file failed to load; `kept` when its last good version stays in force.
    case invalid(file: String, message: String, kept: Bool)
    /// A file disappeared; its schedules are dropped.
    case removed(file: String)
    /// The next fire time of a schedule.
    case next(key: String, at: Date, zone: TimeZone)
    /// A run started for a fire time; `caughtUp` when the fire time was missed while down.
    case started(key: String, scheduledFor: Date, zone: TimeZone, runID: String?, caughtUp: Bool)
    case finished(key: String, scheduledFor: Date, zone: TimeZone, runID: String?, status: String, error: String?)
    /// A fire time came while the schedule's previous run still ran (`overlap: skip`).
    case skippedOverlap(key: String, scheduledFor: Date, zone: TimeZone)
    /// A fire time waits for the previous run (`overlap: queue`, or a catch-up).
    case queued(key: String, scheduledFor: Date, zone: TimeZone)
    /// Fire times missed while down that the catch-up policy does not run.
    case skippedMissed(key: String, count: Int, policy: String)
    /// Another scheduler (or an earlier life of this one) already started this fire time.
    case alreadyClaimed(key: String, scheduledFor: Date, zone: TimeZone)
    case launchFailed(key: String, scheduledFor: Date, zone: TimeZone, message: String)
    /// Shutdown began with `running` runs still going.
    case stopping(running: Int, grace: TimeInterval)
    /// A run still going after the grace period was cancelled (resumable with `baton resume`).
    case cancelled(key: String, runID: String?)
    case storeError(message: String)

    /// The log line, without a timestamp.
    public var line: String {
        func at(_ date: Date, _ zone: TimeZone) -> String { ZonedTime.format(date, in: zone) }
        func run(_ id: String?) -> String { id.map { " run \($0)" } ?? "" }
        switch self {
        case .loaded(let file, let schedules):
            return "loaded \(file): \(schedules.count) schedule\(schedules.count == 1 ? "" : "s")" + (schedules.isEmpty ? "" : " (\(schedules.joined(separator: ", ")))")
        case .invalid(let file, let message, let kept):
            return "invalid \(file) (\(kept ? "keeping its last good version" : "skipped")): \(message)"
        case .removed(let file):
            return "removed \(file): its schedules are dropped"
        case .next(let key, let date, let zone):
            return "next \(key) at \(at(date, zone))"
        case .started(let key, let date, let zone, let id, let caughtUp):
            return "\(caughtUp ? "caught up" : "started") \(key) for \(at(date, zone))\(run(id))"
        case .finished(let key, let date, let zone, let id, let status, let error):
            return "finished \(key) for \(at(date, zone))\(run(id)): \(status)" + (error.map { " (\($0))" } ?? "")
        case .skippedOverlap(let key, let date, let zone):
            return "skipped overlap \(key) for \(at(date, zone)): the previous run is still running"
        case .queued(let key, let date, let zone):
            return "queued \(key) for \(at(date, zone)): waits for the previous run"
        case .skippedMissed(let key, let count, let policy):
            return "skipped missed \(key): \(count) fire time\(count == 1 ? "" : "s") missed while down (catchup: \(policy))"
        case .alreadyClaimed(let key, let date, let zone):
            return "already started \(key) for \(at(date, zone)) (by another scheduler or before a restart)"
        case .launchFailed(let key, let date, let zone, let message):
            return "failed to start \(key) for \(at(date, zone)): \(message)"
        case .stopping(let running, let grace):
            return "stopping: no new runs; waiting up to \(Int(grace))s for \(running) running run\(running == 1 ? "" : "s")"
        case .cancelled(let key, let id):
            return "cancelled \(key)\(run(id)) after the grace period (resumable with baton resume)"
        case .storeError(let message):
            return "audit store error: \(message)"
        }
    }
}
