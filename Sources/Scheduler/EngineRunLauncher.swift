import Engine
import Foundation
import Synchronization
import Audit
import Template
import Workflow

/// Runs scheduled fire times with the real engine, each in its own task, recorded in `store`
/// with trigger `schedule` and the fire time as `scheduled_for`.
public struct EngineRunLauncher: RunLauncher {
    public let store: AuditStore
    public let configuration: EngineConfiguration

    public init(store: AuditStore, configuration: EngineConfiguration) {
        self.store = store
        self.configuration = configuration
    }

    /// Starts the run; inputs that do not resolve (a required input the schedule does not give)
    /// are recorded as a failed run for the fire time, so the store shows why nothing ran.
    public func start(_ request: ScheduledRunRequest) throws -> any ScheduledRun {
        let inputs: [String: Value]
        do {
            inputs = try InputBinding.resolve(request.workflow, values: request.schedule.inputs, valuesAreWritten: true)
        } catch {
            // The schedule's inputs as given, secret ones masked.
            var given = ValueDictionary()
            for name in request.schedule.inputs.keys.sorted() {
                let secret = request.workflow.input(name)?.secret ?? false
                given[name] = secret ? .string("***") : request.schedule.inputs[name]
            }
            let record = try store.startRun(NewRun(workflow: request.workflow.name, workflowSource: request.workflow.source,
                                                   inputsJSON: Value.dict(given).jsonString(), trigger: .schedule, scheduledFor: request.scheduledFor,
                                                   workflowDirectory: request.workflow.absoluteDirectory))
            try store.finishRun(id: record.id, status: .failed, error: error.description)
            return FinishedRun(runID: record.id, outcome: ScheduledRunOutcome(status: RunStatus.failed.rawValue, error: error.description))
        }
        let run = EngineScheduledRun()
        let engine = Engine(workflow: request.workflow, store: store, configuration: configuration, observer: { event in
            if case .runStarted(let runID, _) = event { run.setRunID(runID) }
        })
        let task = Task {
            do {
                let result = try await engine.run(inputs: inputs, trigger: .schedule, scheduledFor: request.scheduledFor)
                run.finish(ScheduledRunOutcome(status: result.status.rawValue, error: result.error))
            } catch {
                run.finish(ScheduledRunOutcome(status: RunStatus.failed.rawValue, error: String(describing: error)))
            }
        }
        run.setTask(task)
        return run
    }
}

/// A run the engine carries out in a background task.
final class EngineScheduledRun: ScheduledRun, Sendable {
    private struct State {
        var id: String?
        var result: ScheduledRunOutcome?
        var task: Task<Void, Never>?
    }
    private let state = Mutex(State())

    var runID: String? { state.withLock { $0.id } }
    var outcome: ScheduledRunOutcome? { state.withLock { $0.result } }

    func setRunID(_ value: String) { state.withLock { $0.id = value } }
    func setTask(_ value: Task<Void, Never>) { state.withLock { $0.task = value } }
    func finish(_ value: ScheduledRunOutcome) { state.withLock { $0.result = value } }
    func cancel() { state.withLock { $0.task }?.cancel() }
}
