import Engine
import Foundation
import Audit

/// `baton scheduler --dry-run`: records each fire time as a run (trigger `schedule`, its
/// `scheduled_for`, status `succeeded`, no steps) without running the workflow, to check what a
/// scheduler would start and when.
public struct DryRunLauncher: RunLauncher {
    public let store: AuditStore

    public init(store: AuditStore) { self.store = store }

    public func start(_ request: ScheduledRunRequest) throws -> any ScheduledRun {
        let record = try store.startRun(NewRun(workflow: request.workflow.name, workflowSource: request.workflow.source,
                                               inputsJSON: "{}", trigger: .schedule, scheduledFor: request.scheduledFor,
                                               workflowDirectory: request.workflow.absoluteDirectory))
        let outcome = ScheduledRunOutcome(status: RunStatus.succeeded.rawValue, error: "dry run: no steps ran")
        try store.finishRun(id: record.id, status: .succeeded, error: outcome.error)
        return FinishedRun(runID: record.id, outcome: outcome)
    }
}

/// A run that has already ended when it is returned.
final class FinishedRun: ScheduledRun {
    let runID: String?
    let outcome: ScheduledRunOutcome?

    init(runID: String?, outcome: ScheduledRunOutcome) {
        self.runID = runID
        self.outcome = outcome
    }

    func cancel() {}
}
