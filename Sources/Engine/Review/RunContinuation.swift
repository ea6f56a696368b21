import Foundation
import Audit
import Template
import Workflow

/// A `waiting` run made ready to go on in place: its reviews' decisions (timeouts applied), the
/// finished attempts whose outputs it keeps, and the claim that makes this process its runner.
///
/// `baton resume`, `baton review --continue`, the console and the scheduler all continue a run
/// through it, so they agree on what a decision means and only one of them runs it:
///
/// ```swift
/// let continuation = try RunContinuation.prepare(run, workflow: workflow, inputs: inputs, store: store)
/// let engine = Engine(workflow: continuation.workflow, store: store, configuration: continuation.configuration(from: base))
/// let result = try await engine.continueRun(continuation)    // same run id, waiting -> running -> succeeded
/// ```
public struct RunContinuation: Sendable {
    /// The run, claimed: `running`, with this process as its runner.
    public var run: RunRecord
    /// The workflow version the run started with.
    public var workflow: Workflow
    public var inputs: [String: Value]
    /// The run's finished attempts whose outputs stand (a `redo:` round's steps left out).
    public var reuse: [StepAttemptRecord]
    /// The highest attempt number each unit already has in the run's chain.
    public var attemptsBefore: [StepKey: Int]
    /// The decisions, the next rounds and the notes the engine applies.
    public var plan: ReviewPlan
    /// Decisions recorded by this call because a review's `timeout` had passed.
    public var timedOut: [ReviewRecord]

    /// Applies passed timeouts, checks that every review `run` waits for is decided, and claims
    /// the run (`AuditStore.claimWaitingRun`): of two processes that try at once, one wins.
    /// `inputs` are the run's (stored inputs, secrets given again).
    public static func prepare(_ run: RunRecord, workflow: Workflow, inputs: [String: Value], store: AuditStore,
                               now: Date = Date()) throws(ContinuationError) -> RunContinuation {
        guard run.status == .waiting else {
            throw .store(.notWaiting(run: run.id, status: run.status, runner: "process \(run.pid.map(String.init) ?? "?") on \(run.host ?? "?")"))
        }
        let reviews: ReviewResume
        do {
            reviews = try ReviewResume.plan(run: run, workflow: workflow, store: store, now: now)
        } catch {
            throw .store(error)
        }
        if let open = reviews.undecided.first { throw .undecided(open, timedOut: reviews.timedOut) }
        do {
            let claimed = try store.claimWaitingRun(id: run.id)
            var before: [StepKey: Int] = [:]
            for attempt in try store.attempts(run: run.id) { before[attempt.key] = max(before[attempt.key] ?? 0, attempt.attempt) }
            let reuse = try store.latestSucceededAttempts(run: run.id).filter { !reviews.rerun.contains($0.stepID) }
            return RunContinuation(run: claimed, workflow: workflow, inputs: inputs, reuse: reuse, attemptsBefore: before,
                                   plan: reviews.plan, timedOut: reviews.timedOut)
        } catch {
            throw .store(error)
        }
    }

    /// Loads the workflow version `run` started with (`StoredWorkflow`: its paths resolve in the
    /// folder it recorded) and its stored inputs; a secret input the
    /// store masked cannot be given back here (`baton resume RUN --input NAME=...` can).
    public static func prepare(_ run: RunRecord, store: AuditStore, now: Date = Date()) throws(ContinuationError) -> RunContinuation {
        let workflow: Workflow
        do {
            workflow = try StoredWorkflow.load(run)
        } catch {
            switch error {
            case .invalid(let id, let diagnostics): throw .workflow(run: id, diagnostics.description)
            case .folderGone: throw .folderGone(error)
            }
        }
        let inputs = storedInputs(run)
        if let secret = workflow.secretInputNames.sorted().first(where: { inputs[$0] == .string(SecretMasker.mask) }) {
            throw .secretNotStored(run: run.id, input: secret)
        }
        return try prepare(run, workflow: workflow, inputs: inputs, store: store, now: now)
    }

    /// The run's inputs as stored (secret ones as `***`).
    public static func storedInputs(_ run: RunRecord) -> [String: Value] {
        var inputs: [String: Value] = [:]
        if case .dict(let stored)? = try? Value(json: Data(run.inputsJSON.utf8)) {
            for (key, value) in stored.entries { inputs[key] = value }
        }
        return inputs
    }

    /// `base` with this continuation's review plan (keeping `approveAll`, for later reviews).
    public func configuration(from base: EngineConfiguration) -> EngineConfiguration {
        var configuration = base
        configuration.reviews.decisions = plan.decisions
        configuration.reviews.rounds = plan.rounds
        configuration.reviews.notes = plan.notes
        return configuration
    }
}

/// Why a waiting run cannot go on now.
public enum ContinuationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A review nobody has decided and whose time is not up.
    case undecided(ReviewRecord, timedOut: [ReviewRecord])
    case secretNotStored(run: String, input: String)
    case workflow(run: String, String)
    /// The folder the run's workflow lay in is gone (`StoredWorkflowError.folderGone`).
    case folderGone(StoredWorkflowError)
    case store(AuditError)

    public var description: String {
        switch self {
        case .undecided(let open, _):
            return "run \(open.runID) is waiting for review of step '\(open.stepID)' (round \(open.round)); decide it first: baton review \(open.runID) \(open.stepID) --approve | --edit FILE | --reject"
        case .secretNotStored(let run, let input):
            return "input '\(input)' is secret and was not stored; continue with: baton resume \(run) --input \(input)=..."
        case .workflow(let run, let message):
            return "run \(run)'s workflow no longer loads: \(message)"
        case .folderGone(let error):
            return error.description
        case .store(let error):
            return error.description
        }
    }
}
