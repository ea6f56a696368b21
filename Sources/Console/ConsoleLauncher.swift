import Foundation
import Audit
import Engine
import Template
import Workflow

/// Starts runs for the console in the background and keeps track of them, so that `baton serve`
/// can let them finish on SIGTERM. A waiting run whose reviews are decided is continued here too
/// (in place), and a sweep applies review timeouts and continues runs decided elsewhere.
///
/// `@unchecked Sendable`: `tasks` and `sweeping` are only touched under `lock`.
final class ConsoleLauncher: @unchecked Sendable {
    let store: AuditStore
    let configuration: EngineConfiguration
    private let lock = NSLock()
    private var tasks: [UUID: Task<Void, Never>] = [:]
    private var sweeping: Task<Void, Never>?
    /// Item counts of `for_each` steps of the runs started or continued here.
    let progress = ForEachProgress()

    init(store: AuditStore, configuration: EngineConfiguration) {
        self.store = store
        self.configuration = configuration
    }

    /// Starts `workflow` with `inputs` and returns the new run's id once the store has it.
    func start(_ workflow: Workflow, inputs: [String: Value]) -> String? {
        let started = DispatchSemaphore(value: 0)
        let box = IDBox()
        let observe = observer(workflow, configuration: configuration)
        let engine = Engine(workflow: workflow, store: store, configuration: configuration) { event in
            observe(event)
            if case .runStarted(let runID, _) = event {
                box.id = runID
                started.signal()
            }
        }
        track {
            do {
                _ = try await engine.run(inputs: inputs)
            } catch {
                box.error = "\(error)"
                started.signal()
            }
        }
        _ = started.wait(timeout: .now() + 10)
        return box.id
    }

    /// Continues a waiting run whose reviews are decided, in place (as `baton resume` does); the
    /// error when it cannot (a review still open, a secret input not stored, another process
    /// continuing it already).
    func continueRun(_ runID: String) -> Result<String, ContinuationError> {
        let continuation: RunContinuation
        do {
            continuation = try RunContinuation.prepare(try store.resolveRun(runID), store: store)
        } catch let error as ContinuationError {
            return .failure(error)
        } catch let error as AuditError {
            return .failure(.store(error))
        } catch {
            return .failure(.workflow(run: runID, "\(error)"))
        }
        let continuing = continuation.configuration(from: configuration)
        let engine = Engine(workflow: continuation.workflow, store: store, configuration: continuing,
                            observer: observer(continuation.workflow, configuration: continuing))
        track { _ = try? await engine.continueRun(continuation) }
        return .success(continuation.run.id)
    }

    /// Notes each `for_each` step's planned items for the live page (`ForEachProgress`).
    private func observer(_ workflow: Workflow, configuration: EngineConfiguration) -> @Sendable (EngineEvent) -> Void {
        let progress = self.progress
        let steps = Dictionary(workflow.steps.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let concurrency = Engine(workflow: workflow, store: store, configuration: configuration).effectiveConcurrency
        let runID = ObservedRunID()
        return { event in
            switch event {
            case .runStarted(let id, _):
                runID.value = id
            case .itemsPlanned(let step, let count):
                guard let id = runID.value else { return }
                let parallel = max(1, steps[step]?.forEach?.concurrency ?? concurrency)
                progress.planned(run: id, step: step, ForEachProgress.Plan(total: count, parallel: parallel))
            default:
                break
            }
        }
    }

    /// One sweep (`ReviewSweep.pass`): timeouts applied, decided runs continued.
    func sweepReviews(now: Date = Date()) {
        guard let report = try? ReviewSweep.pass(store: store, now: now) else { return }
        // A run another process claimed first, or one needing a secret, is left alone.
        for run in report.ready { _ = continueRun(run.id) }
    }

    /// Sweeps every `interval` until `stopSweeping`.
    func startSweeping(every interval: Duration) {
        let task = Task.detached { [weak self] in
            while !Task.isCancelled {
                self?.sweepReviews()
                try? await Task.sleep(for: interval)
            }
        }
        lock.withLock { sweeping = task }
    }

    func stopSweeping() { lock.withLock { sweeping }?.cancel() }

    /// Runs `body` in a task that `waitForAll` waits for.
    /// The task is stored under the lock it removes itself under, so one that ends at once
    /// (a template-only continuation) cannot remove itself before it is stored and stay forever.
    private func track(_ body: @escaping @Sendable () async -> Void) {
        let key = UUID()
        lock.withLock {
            tasks[key] = Task {
                await body()
                self.lock.withLock { _ = self.tasks.removeValue(forKey: key) }
            }
        }
    }

    func waitForAll(timeout: Duration) {
        let deadline = ContinuousClock.now + timeout
        while lock.withLock({ !tasks.isEmpty }), ContinuousClock.now < deadline { usleep(20_000) }
    }
}

/// Carries the run id from the engine's observer to the request thread.
final class IDBox: @unchecked Sendable {
    // @unchecked Sendable: written before `started.signal()`, read after `wait`.
    var id: String?
    var error: String?
}
