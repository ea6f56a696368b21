import Engine
import Foundation
import Audit

extension Scheduler {
    /// The daemon's review pass (`ReviewSweep`): applies the `timeout` of reviews nobody decided
    /// in time, and continues in place every waiting run whose reviews are all decided, wherever
    /// they were decided (`baton review` in a terminal, the console). Each continuation is
    /// tracked like a scheduled run, so shutdown lets it finish within the grace period. Only the
    /// real launcher continues runs (`--dry-run` starts nothing).
    func continueDecidedRuns() {
        guard let engineLauncher = launcher as? EngineRunLauncher else { return }
        let report: ReviewSweep.Report
        do {
            report = try ReviewSweep.pass(store: store, now: clock.now())
        } catch {
            emit(.storeError(message: error.description))
            return
        }
        let utc = TimeZone(identifier: "UTC") ?? .current
        for run in report.ready {
            // Another process (a second daemon, the console) may claim it first: then it is theirs.
            guard let continuation = try? RunContinuation.prepare(run, store: store, now: clock.now()) else { continue }
            let engine = Engine(workflow: continuation.workflow, store: store,
                                configuration: continuation.configuration(from: engineLauncher.configuration))
            let started = EngineScheduledRun()
            started.setRunID(run.id)
            started.setTask(Task {
                do {
                    let result = try await engine.continueRun(continuation)
                    started.finish(ScheduledRunOutcome(status: result.status.rawValue, error: result.error))
                } catch {
                    started.finish(ScheduledRunOutcome(status: RunStatus.failed.rawValue, error: String(describing: error)))
                }
            })
            let key = "\(run.workflow) (review decided)"
            let at = clock.now()
            orphans.append(Running(key: key, run: started, scheduledFor: at, zone: utc, caughtUp: false))
            emit(.started(key: key, scheduledFor: at, zone: utc, runID: run.id, caughtUp: false))
        }
    }
}
