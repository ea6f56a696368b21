import Foundation
import Providers
import Audit
import Template
import Workflow

/// The DAG executor: runs a validated workflow's steps as soon as what they need is done,
/// several at once, and records every attempt in the audit store.
///
/// ```swift
/// let engine = Engine(workflow: workflow, store: store, configuration: EngineConfiguration(output: OutputDirectory("out")))
/// let result = await engine.run(inputs: inputs)      // result.status, result.outputs
/// ```
/// Cancelling the task that awaits `run` cancels the run: in-flight model requests are
/// cancelled, their attempts recorded as `cancelled`, and the run finished as `cancelled`.
public final class Engine: Sendable {
    public let workflow: Workflow
    public let store: AuditStore
    public let configuration: EngineConfiguration
    let observer: @Sendable (EngineEvent) -> Void
    let models: ModelRegistry
    /// The steps in dependency order, computed once (the workflow's property recomputes it).
    let order: [Step]

    public init(workflow: Workflow, store: AuditStore, configuration: EngineConfiguration = EngineConfiguration(),
                observer: @escaping @Sendable (EngineEvent) -> Void = { _ in }) {
        self.workflow = workflow
        self.store = store
        self.configuration = configuration
        self.observer = observer
        self.models = ModelRegistry(workflow: workflow, configuration: configuration)
        self.order = workflow.topologicalOrder
    }

    /// The concurrency the run uses: `--concurrency`, else `defaults.concurrency`, else 4 for
    /// servers and 1 when a local model is involved.
    public var effectiveConcurrency: Int {
        max(1, configuration.concurrency ?? workflow.defaults.concurrency ?? (models.usesLocalModel ? 1 : 4))
    }

    /// Runs the workflow with resolved `inputs`. `reuse` holds finished attempts of an earlier run
    /// (`baton resume`): their outputs are taken as they are and their steps not run again.
    public func run(inputs: [String: Value], trigger: RunTrigger = .manual, parentRunID: String? = nil,
                    scheduledFor: Date? = nil, reuse: [StepAttemptRecord] = []) async throws(AuditError) -> RunResult {
        let masker = SecretMasker(secrets: secretValues(inputs))
        let run = try store.startRun(NewRun(workflow: workflow.name, workflowSource: workflow.source,
                                            inputsJSON: masker.mask(inputsJSON(inputs)), trigger: trigger,
                                            scheduledFor: scheduledFor, parentRunID: parentRunID,
                                            workflowDirectory: workflow.absoluteDirectory))
        return try await execute(run, inputs: inputs, reuse: reuse)
    }

    /// Continues a run that waited at a review step, in place: the same run id, its finished
    /// steps' outputs taken from its own chain (not recorded again), the steps after the review
    /// (and a `redo:` round's steps) appended to the same chain. `continuation` was prepared and
    /// claimed by `RunContinuation.prepare`; this engine's `configuration.reviews` must hold its
    /// plan (`RunContinuation.configuration(from:)`).
    public func continueRun(_ continuation: RunContinuation) async throws(AuditError) -> RunResult {
        try await execute(continuation.run, inputs: continuation.inputs, reuse: continuation.reuse, attemptsBefore: continuation.attemptsBefore)
    }

    /// Runs the graph for `run` (already recorded as `running` by this process) and seals it, or
    /// leaves it open as `waiting` when it stopped at a review.
    private func execute(_ run: RunRecord, inputs: [String: Value], reuse: [StepAttemptRecord],
                         attemptsBefore: [StepKey: Int] = [:]) async throws(AuditError) -> RunResult {
        let taint = SecretTaint(secrets: secretValues(inputs))
        let state = RunState(runID: run.id, inputs: inputsDictionary(inputs), run: runValues(run), taint: taint,
                             limiter: AsyncSemaphore(effectiveConcurrency),
                             reuse: Dictionary(reuse.map { ($0.key, $0) }, uniquingKeysWith: { _, newer in newer }),
                             attemptsBefore: attemptsBefore, budget: workflow.budget)
        observer(.runStarted(runID: run.id, steps: order.map(\.id)))
        // Every template of the run tracks what it computes from a secret (masked as `***`).
        // The workflow's `defaults: render_budget:` bounds every render of the run.
        let budget = workflow.defaults.renderBudget ?? .standard
        await RenderBudget.$current.withValue(budget) { await SecretTaint.$current.withValue(taint) { await runGraph(state) } }

        var result = RunResult(runID: run.id, status: .succeeded, outputs: [], files: [], error: nil, steps: state.statuses())
        if Task.isCancelled || state.cancelled {
            result.status = .cancelled
            result.error = state.cancelReason ?? "the run was cancelled"
        } else if let failure = state.failureSummary(order: order.map(\.id)) {
            result.status = .failed
            result.error = RunErrorText.make(failure)
        } else if let waiting = state.waitingReviews(order: order) {
            // Stopped at a review: left open as `waiting`, no outputs yet; the same run goes on
            // once the review is decided (`baton resume`, the console, the scheduler).
            result.status = .waiting
            result.error = "waiting for review: " + waiting.map { "step '\($0)'" }.joined(separator: ", ")
        } else {
            do {
                result.outputs = try await RenderBudget.$current.withValue(budget) {
                    try await SecretTaint.$current.withValue(taint) { try await writeOutputs(state) }
                }
            } catch {
                result.status = .failed
                let text: String = state.masker.mask(String(describing: error))
                result.error = text
            }
        }
        result.files = state.writtenFiles()
        // What reaches the terminal is masked like what reaches the store, derived forms included.
        let finalMasker = state.masker
        result.error = finalMasker.mask(result.error)
        result.outputs = result.outputs.map { ($0.name, Self.masked($0.value, finalMasker)) }
        if result.status == .waiting {
            try store.markWaiting(id: run.id)
        } else {
            try store.finishRun(id: run.id, status: result.status, error: result.error)
        }
        observer(.runFinished(result))
        return result
    }

    /// Records a run that could not start (bad inputs, unreadable files), so the store shows why.
    public func recordFailedStart(inputsJSON: String, error: String, trigger: RunTrigger = .manual) throws(AuditError) -> String {
        let masker = SecretMasker(secrets: models.secrets())
        let run = try store.startRun(NewRun(workflow: workflow.name, workflowSource: workflow.source,
                                            inputsJSON: masker.mask(inputsJSON), trigger: trigger,
                                            workflowDirectory: workflow.absoluteDirectory))
        try store.finishRun(id: run.id, status: .failed, error: masker.mask(error))
        return run.id
    }

    /// Starts every step whose needs are met, as they become met; a failed step blocks its
    /// dependents, and with `on_error: stop` no further step starts.
    private func runGraph(_ state: RunState) async {
        var waitingOn: [String: Int] = [:]
        var dependents: [String: [String]] = [:]
        for step in order {
            waitingOn[step.id] = step.needs.count
            for need in step.needs { dependents[need, default: []].append(step.id) }
        }
        let byID = Dictionary(order.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var ready = order.filter { $0.needs.isEmpty }
        await withTaskGroup(of: (String, StepStatus).self) { group in
            var running = 0
            func launch() {
                while let step = ready.first {
                    ready.removeFirst()
                    if state.stopRequested || Task.isCancelled {
                        // Never started: not recorded, so a resume runs it.
                        state.setStatus(step.id, .blocked, output: .none)
                        release(step.id)
                        continue
                    }
                    if let blocker = step.needs.first(where: { !(state.status(of: $0)?.letsDependentsRun ?? false) }) {
                        // After a review that waits, the step waits too: not a failure.
                        if state.status(of: blocker) == .waiting {
                            state.setStatus(step.id, .waiting, output: .none)
                            release(step.id)
                            continue
                        }
                        state.setStatus(step.id, .blocked, output: .none)
                        observer(.stepBlocked(step: step.id, because: blocker))
                        release(step.id)
                        continue
                    }
                    running += 1
                    group.addTask { (step.id, await self.runStep(step, state)) }
                }
            }
            func release(_ id: String) {
                for dependent in dependents[id] ?? [] {
                    waitingOn[dependent, default: 1] -= 1
                    if waitingOn[dependent] == 0, let step = byID[dependent] { ready.append(step) }
                }
            }
            launch()
            while running > 0, let (id, status) = await group.next() {
                running -= 1
                if status == .failed, byID[id]?.onError == .stop { state.requestStop() }
                release(id)
                launch()
            }
        }
    }
}

extension Engine {
    /// `value` with every string passed through `masker`.
    static func masked(_ value: Value, _ masker: SecretMasker) -> Value {
        guard !masker.isEmpty else { return value }
        switch value {
        case .string(let text): return .string(masker.mask(text))
        case .list(let items): return .list(items.map { masked($0, masker) })
        case .dict(let dictionary):
            var copy = ValueDictionary()
            for (key, item) in dictionary.entries { copy[key] = masked(item, masker) }
            return .dict(copy)
        default: return value
        }
    }
}

/// A step's final state in a run.
enum StepStatus: String, Sendable {
    case succeeded, failed, skipped, cancelled, blocked
    /// A review step that recorded its request, or a step after one: the run stops as `waiting`.
    case waiting

    /// Dependents run after a step that succeeded or was skipped (they see `output: none`).
    var letsDependentsRun: Bool { self == .succeeded || self == .skipped }
}
