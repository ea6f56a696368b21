import Engine
import Foundation
import Audit
import Workflow

/// Deciding which fire times run: catch-up, overlap, claims.
extension Scheduler {
    /// Handles the fire times of `key` in (cursor, now].
    func process(_ key: String, now: Date) {
        guard var entry = entries[key] else { return }
        let zone = entry.schedule.timeZone
        var missed: [Date] = []
        var onTime: [Date] = []
        var missedCount = 0
        var time = entry.cursor
        while let next = entry.schedule.expression.next(after: time, in: zone), next <= now {
            if next < entry.watchingSince {
                missedCount += 1
                missed.append(next)
                if missed.count > options.maxCatchup { missed.removeFirst() }
            } else {
                onTime.append(next)
            }
            time = next
        }
        guard time > entry.cursor else {
            entries[key] = entry
            startPending(key)
            return
        }
        entry.cursor = time

        var fires: [Fire] = []
        switch entry.schedule.catchup {
        case .none:
            if missedCount > 0 {
                emit(.skippedMissed(key: key, count: missedCount, policy: "none"))
                if let last = missed.last { claim(key, last) }
            }
        case .latest:
            if missedCount > 1 { emit(.skippedMissed(key: key, count: missedCount - 1, policy: "latest")) }
            if let last = missed.last { fires.append(Fire(at: last, caughtUp: true)) }
        case .all:
            if missedCount > missed.count { emit(.skippedMissed(key: key, count: missedCount - missed.count, policy: "all, over \(options.maxCatchup)")) }
            fires += missed.map { Fire(at: $0, caughtUp: true) }
        }
        fires += onTime.map { Fire(at: $0, caughtUp: false) }

        for fire in fires {
            let busy = running[key] != nil || !entry.pending.isEmpty
            let catchingUp = running[key]?.caughtUp == true || !entry.pending.isEmpty
            if !busy {
                entries[key] = entry
                start(key, fire)
                entry = entries[key] ?? entry
            } else if fire.caughtUp || catchingUp || entry.schedule.overlap == .queue {
                entry.pending.append(fire)
                emit(.queued(key: key, scheduledFor: fire.at, zone: zone))
            } else {
                emit(.skippedOverlap(key: key, scheduledFor: fire.at, zone: zone))
                claim(key, fire.at)  // recorded as handled, so a restart does not run it either
            }
        }
        entries[key] = entry
        if let next = entry.schedule.expression.next(after: entry.cursor, in: zone) { emit(.next(key: key, at: next, zone: zone)) }
    }

    /// Starts queued fire times of `key` while nothing of it runs.
    func startPending(_ key: String) {
        while running[key] == nil, var entry = entries[key], !entry.pending.isEmpty {
            let fire = entry.pending.removeFirst()
            entries[key] = entry
            start(key, fire)
        }
    }

    /// Claims `fire` and starts its run.
    func start(_ key: String, _ fire: Fire) {
        guard let entry = entries[key] else { return }
        let zone = entry.schedule.timeZone
        guard claim(key, fire.at) else {
            emit(.alreadyClaimed(key: key, scheduledFor: fire.at, zone: zone))
            return
        }
        let request = ScheduledRunRequest(key: key, file: entry.file, workflow: entry.workflow, schedule: entry.schedule, scheduledFor: fire.at)
        do {
            let run = try launcher.start(request)
            running[key] = Running(key: key, run: run, scheduledFor: fire.at, zone: zone, caughtUp: fire.caughtUp)
            emit(.started(key: key, scheduledFor: fire.at, zone: zone, runID: run.runID, caughtUp: fire.caughtUp))
        } catch {
            emit(.launchFailed(key: key, scheduledFor: fire.at, zone: zone, message: String(describing: error)))
        }
    }

    /// `claimFire`, with store errors logged (and counted as not claimed: never run twice).
    @discardableResult
    func claim(_ key: String, _ time: Date) -> Bool {
        do {
            return try store.claimFire(schedule: key, at: time)
        } catch {
            emit(.storeError(message: error.description))
            return false
        }
    }
}
