import Engine
import Foundation
import Audit
import Workflow

/// Picking up added, changed and removed workflow files.
///
/// A file that stops loading keeps its last good version in force (reported once per change);
/// a file that never loaded is skipped; a removed file's schedules are dropped, and a run of
/// theirs still going is left to finish.
extension Scheduler {
    func reload() {
        for change in directory.poll() {
            switch change {
            case .loaded(let file, let workflow):
                files[file] = workflow
                install(file: file, workflow: workflow)
            case .invalid(let file, let message):
                emit(.invalid(file: file, message: message, kept: files[file] != nil))
            case .removed(let file):
                files[file] = nil
                install(file: file, workflow: nil)
                emit(.removed(file: file))
            }
        }
    }

    /// Replaces the schedules of `file` with those of `workflow`. A schedule whose id stays keeps
    /// its state (last fire time, queue, running run), even when its cron changed.
    private func install(file: String, workflow: Workflow?) {
        let now = clock.now()
        let old = entries.filter { $0.value.file == file }
        var keep: Set<String> = []
        for schedule in workflow?.schedules ?? [] {
            let key = "\(file)#\(schedule.id)"
            keep.insert(key)
            if var entry = entries[key], let workflow {
                entry.workflow = workflow
                entry.schedule = schedule
                entries[key] = entry
            } else if let workflow {
                entries[key] = Entry(key: key, file: file, workflow: workflow, schedule: schedule,
                                     cursor: baseline(key, now: now), watchingSince: now)
            }
        }
        for key in old.keys where !keep.contains(key) {
            entries[key] = nil
            if let item = running.removeValue(forKey: key) { orphans.append(item) }
        }
        // Workflows without schedules are not the scheduler's business (unless they just lost theirs).
        if let workflow, !workflow.schedules.isEmpty || !old.isEmpty {
            emit(.loaded(file: file, schedules: workflow.schedules.map { schedule in
                "\(schedule.id) '\(schedule.cron)' \(schedule.timezone ?? "\(TimeZone.current.identifier) (this machine's zone)")"
            }))
            for schedule in workflow.schedules {
                let key = "\(file)#\(schedule.id)"
                if let entry = entries[key], let next = schedule.expression.next(after: max(entry.cursor, now), in: schedule.timeZone) {
                    emit(.next(key: key, at: next, zone: schedule.timeZone))
                }
            }
        }
    }

    /// Where a schedule's fire times start: its last fire in the store, or, for a schedule never
    /// seen, just before `now` (claimed, so a restart catches up from here and not from the epoch).
    private func baseline(_ key: String, now: Date) -> Date {
        do {
            if let last = try store.lastFire(schedule: key) { return last }
            let start = AuditTime.stored(now.addingTimeInterval(-0.001))
            if try store.claimFire(schedule: key, at: start) { return start }
            return try store.lastFire(schedule: key) ?? start
        } catch {
            emit(.storeError(message: error.description))
            return now
        }
    }
}
