import Foundation
import Audit
import Engine
import Template
import Workflow

/// Starts runs for the console in the background and keeps track of them, so that `baton serve`
/// can let them finish on SIGTERM. A decided review's run is resumed here too.
///
/// `@unchecked Sendable`: `tasks` is only touched under `lock`.
final class ConsoleLauncher: @unchecked Sendable {
    let store: AuditStore
    let configuration: EngineConfiguration
    private let lock = NSLock()
    private var tasks: [UUID: Task<Void, Never>] = [:]

    init(store: AuditStore, configuration: EngineConfiguration) {
        self.store = store
        self.configuration = configuration
    }

    /// Starts `workflow` with `inputs` and returns the new run's id once the store has it.
    func start(_ workflow: Workflow, inputs: [String: Value], reuse: [StepAttemptRecord] = [], parent: String? = nil,
               reviews: ReviewPlan = ReviewPlan()) -> String? {
        var configuration = configuration
        configuration.reviews.decisions = reviews.decisions
        configuration.reviews.rounds = reviews.rounds
        configuration.reviews.notes = reviews.notes
        let started = DispatchSemaphore(value: 0)
        let box = IDBox()
        let engine = Engine(workflow: workflow, store: store, configuration: configuration) { event in
            if case .runStarted(let runID, _) = event {
                box.id = runID
                started.signal()
            }
        }
        let key = UUID()
        let task = Task {
            do {
                _ = try await engine.run(inputs: inputs, trigger: parent == nil ? .manual : .resume, parentRunID: parent, reuse: reuse)
            } catch {
                box.error = "\(error)"
                started.signal()
            }
            self.lock.withLock { _ = self.tasks.removeValue(forKey: key) }
        }
        lock.withLock { tasks[key] = task }
        _ = started.wait(timeout: .now() + 10)
        return box.id
    }

    /// Continues a waiting run whose reviews are decided, as `baton resume` does; the error text
    /// when it cannot (a review still open, a secret input not stored).
    func resume(_ runID: String) -> Result<String, ConsoleError> {
        do {
            let previous = try store.resolveRun(runID)
            guard previous.status == .waiting else { return .failure(ConsoleError("run \(previous.id) is \(previous.status.rawValue), not waiting")) }
            let workflow = try WorkflowLoader.load(source: previous.workflowSource, file: previous.workflow + ".yaml")
            var inputs: [String: Value] = [:]
            if case .dict(let stored) = try Value(json: Data(previous.inputsJSON.utf8)) {
                for (key, value) in stored.entries { inputs[key] = value }
            }
            if let secret = workflow.secretInputNames.sorted().first(where: { inputs[$0] == .string(SecretMasker.mask) }) {
                return .failure(ConsoleError("input '\(secret)' is secret and was not stored: resume with baton resume \(previous.id) --input \(secret)=..."))
            }
            let plan = try ReviewResume.plan(run: previous, workflow: workflow, store: store)
            if let open = plan.undecided.first { return .failure(ConsoleError("step '\(open.stepID)' still waits for a decision")) }
            let reuse = try store.latestSucceededAttempts(run: previous.id).filter { !plan.rerun.contains($0.stepID) }
            guard let id = start(workflow, inputs: inputs, reuse: reuse, parent: previous.id, reviews: plan.plan) else {
                return .failure(ConsoleError("the run did not start"))
            }
            return .success(id)
        } catch {
            return .failure(ConsoleError("\(error)"))
        }
    }

    func waitForAll(timeout: Duration) {
        let deadline = ContinuousClock.now + timeout
        while lock.withLock({ !tasks.isEmpty }), ContinuousClock.now < deadline { usleep(20_000) }
    }
}

/// A message for the page.
struct ConsoleError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Carries the run id from the engine's observer to the request thread.
final class IDBox: @unchecked Sendable {
    // @unchecked Sendable: written before `started.signal()`, read after `wait`.
    var id: String?
    var error: String?
}
