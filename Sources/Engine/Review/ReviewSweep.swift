import Foundation
import Audit
import Workflow

/// One pass over the runs waiting for a review: the one function `baton serve`, the scheduler
/// daemon, `baton review list` and `baton resume` call to apply review timeouts without anyone
/// resuming by hand, and to find the runs whose reviews are all decided.
public enum ReviewSweep {
    /// What a pass found.
    public struct Report: Sendable, Equatable {
        /// Decisions recorded now because a review's `timeout` passed (`on_timeout`, else a
        /// rejection by `timeout`), oldest run first.
        public var timedOut: [ReviewRecord] = []
        /// Waiting runs whose every review is decided: they can go on (`RunContinuation`).
        public var ready: [RunRecord] = []
    }

    /// Records the `on_timeout` decision (or a rejection) of every open review whose deadline is
    /// at or before `now`, and lists the waiting runs that can go on. Two queries when nothing is
    /// due (`baton serve` runs it every second): only a run with a passed deadline has its
    /// workflow loaded. A run whose workflow no longer loads is left as it is (its reviews stay
    /// in the inbox).
    public static func pass(store: AuditStore, now: Date = Date()) throws(AuditError) -> Report {
        var report = Report()
        let open = Dictionary(grouping: try store.pendingReviews(), by: \.runID)
        for run in try store.runs(status: .waiting).reversed() where run.finishHash == nil {
            let requests = open[run.id] ?? []
            if requests.isEmpty {
                report.ready.append(run)
                continue
            }
            guard requests.contains(where: { ReviewResume.deadline(of: $0).map { $0 <= now } ?? false }),
                  let workflow = try? WorkflowLoader.load(source: run.workflowSource, file: run.workflow + ".yaml") else { continue }
            let plan: ReviewResume
            do {
                plan = try ReviewResume.plan(run: run, workflow: workflow, store: store, now: now)
            } catch .reviewNotOpen {
                continue  // another process decided it between the read and the write
            }
            report.timedOut += plan.timedOut
            if plan.undecided.isEmpty { report.ready.append(run) }
        }
        return report
    }
}
