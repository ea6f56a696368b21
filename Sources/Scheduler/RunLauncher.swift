import Engine
import Foundation
import Template
import Workflow

/// Starts the runs the scheduler decides on. The product plugs in `EngineRunLauncher`; tests
/// plug in an in-memory launcher whose runs end when the test's clock says so.
public protocol RunLauncher: Sendable {
    /// Starts a run and returns at once; the run goes on in the background. Throws when it
    /// cannot even start (the scheduler logs the error and goes on with the next fire time).
    func start(_ request: ScheduledRunRequest) throws -> any ScheduledRun
}

/// One fire time of one schedule, to be run.
public struct ScheduledRunRequest: Sendable {
    /// `file#schedule-id`, the key of the schedule's state in the audit store.
    public var key: String
    /// The workflow file's path.
    public var file: String
    public var workflow: Workflow
    public var schedule: Schedule
    /// The fire time the run is for (recorded as the run's `scheduled_for`).
    public var scheduledFor: Date
}

/// A started run, polled by the scheduler on each pass (so it needs no callbacks and a test's
/// run can end exactly when its clock passes the run's end).
public protocol ScheduledRun: AnyObject, Sendable {
    /// The run's id in the audit store, once known.
    var runID: String? { get }
    /// `nil` while running, then how it ended.
    var outcome: ScheduledRunOutcome? { get }
    /// Asks the run to stop (after the shutdown grace period); it records itself `cancelled`.
    func cancel()
}

/// How a scheduled run ended.
public struct ScheduledRunOutcome: Sendable, Equatable {
    /// `succeeded`, `failed`, `cancelled` (a `RunStatus` raw value).
    public var status: String
    public var error: String?

    public init(status: String, error: String? = nil) {
        self.status = status
        self.error = error
    }
}
