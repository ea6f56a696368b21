import Base
import Foundation
import Providers
import Audit
import Template
import Workflow

/// How one unit (a step, or one `for_each` item) ended.
struct UnitOutcome: Sendable {
    var status: StepStatus
    var output: Value
    var error: String?
}

/// The last attempt of a unit, not yet recorded (files are written first, and their failure
/// turns the attempt into a failed one), and what it produced.
struct FinalAttempt: Sendable {
    var row: StepAttemptRecord?
    var output: Value?
    var status: StepStatus
    /// Taken from an earlier run's attempt with the same request key, not computed again.
    var reused = false
    /// The model calls' time over all attempts, and the last call's (`nil` without a call).
    var callTime: Duration?
    var lastCallTime: Duration?
}

extension Engine {
    /// Runs a step (all its items for `for_each`) and stores its result for later templates.
    func runStep(_ step: Step, _ state: RunState) async -> StepStatus {
        guard let forEach = step.forEach else {
            let outcome = await runUnit(step, key: StepKey(stepID: step.id), extra: [:], state)
            state.setStatus(step.id, outcome.status == .blocked ? .cancelled : outcome.status, output: outcome.output, error: outcome.error)
            return outcome.status
        }
        let items: [Value]
        switch forEach.items {
        case .literal(let list):
            items = list
        case .expression(let field):
            do {
                let value = try field.evaluate(state.context())
                switch value {
                case .list(let list): items = list
                case .none: items = []
                default:
                    return failStep(step, "for_each: expected a list, found \(ExtractedJSON.typeName(of: value))", state)
                }
            } catch {
                return failStep(step, workflow.attachingSource(to: error).description, state)
            }
        }
        observer(.itemsPlanned(step: step.id, count: items.count))
        let bound = max(1, forEach.concurrency ?? effectiveConcurrency)
        var outputs = [Value](repeating: .none, count: items.count)
        var outcomes = [UnitOutcome?](repeating: nil, count: items.count)
        await withTaskGroup(of: (Int, UnitOutcome).self) { group in
            var next = 0
            var running = 0
            func launch() {
                while next < items.count, running < bound, !state.stopRequested, !Task.isCancelled {
                    let index = next
                    next += 1
                    running += 1
                    let extra: [String: Value] = ["item": items[index], "index": .int(index)]
                    group.addTask { (index, await self.runUnit(step, key: StepKey(stepID: step.id, iteration: index), extra: extra, state)) }
                }
            }
            launch()
            while running > 0, let (index, outcome) = await group.next() {
                running -= 1
                outputs[index] = outcome.output
                outcomes[index] = outcome
                if outcome.status == .failed, step.onError == .stop { state.requestStop() }
                launch()
            }
        }
        let finished = outcomes.compactMap { $0 }
        let failed = outcomes.enumerated().filter { $0.element?.status == .failed }
        let status: StepStatus
        var error: String?
        if finished.contains(where: { $0.status == .cancelled }) || (Task.isCancelled && finished.count < items.count) {
            status = .cancelled
        } else if !failed.isEmpty || finished.count < items.count {
            status = .failed
            let first = failed.first.map { "item \($0.offset): \($0.element?.error ?? "failed")" } ?? "stopped"
            error = "\(failed.count) of \(items.count) items failed; first: \(first)"
        } else if !items.isEmpty, finished.allSatisfy({ $0.status == .skipped }) {
            status = .skipped
        } else {
            status = .succeeded
        }
        state.setStatus(step.id, status, output: .list(outputs), error: error)
        return status
    }

    /// Records a step that failed before any of its units could start.
    private func failStep(_ step: Step, _ message: String, _ state: RunState) -> StepStatus {
        let now = Date()
        record(StepAttemptRecord(runID: state.runID, stepID: step.id, attempt: 1, kind: step.kind.rawValue, status: .failed,
                                 startedAt: now, finishedAt: now, error: message), state)
        observer(.unitFinished(StepKey(stepID: step.id), UnitReport(status: .failed, attempts: 1, elapsed: .zero, error: message, reused: false)))
        state.setStatus(step.id, .failed, output: .none, error: message)
        return .failed
    }

    /// Runs one unit: reuses a resumed result, evaluates `when`, does the work, writes the
    /// step's `files`, and records the final attempt.
    func runUnit(_ step: Step, key: StepKey, extra: [String: Value], _ state: RunState) async -> UnitOutcome {
        let clock = ContinuousClock()
        let start = clock.now
        if let earlier = state.reuse[key] {
            // A run continued in place already holds the attempt in its chain; an attempt of
            // another run (`baton resume` of a failed run) is recorded here as reused.
            if earlier.runID != state.runID {
                var row = earlier
                row.runID = state.runID
                row.extraJSON = Value.dict(["reused_from": .dict(["run": .string(earlier.runID), "attempt": .int(earlier.attempt)])]).jsonString()
                record(row, state)
            }
            if case .ragQuery(let action) = step.action { republishDocuments(action, key: key, context: state.context(extra), state) }
            observer(.unitFinished(key, UnitReport(status: .succeeded, attempts: 0, elapsed: .zero, tokensIn: earlier.tokensIn,
                                                   tokensOut: earlier.tokensOut, reused: true)))
            return UnitOutcome(status: .succeeded, output: Self.reusedValue(earlier))
        }
        if state.stopRequested || Task.isCancelled { return UnitOutcome(status: .blocked, output: .none, error: "not started") }
        var context = state.context(extra)
        if let note = configuration.reviews.notes[step.id] {
            context.merge(ReviewAction.locals(note: note.note ?? "", round: note.round + 1, reviewer: note.reviewer ?? "")) { $1 }
        } else if workflow.redoTargets.contains(step.id) {
            context.merge(ReviewAction.locals()) { $1 }
        }
        if let when = step.when {
            let now = Date()
            do {
                if !(try when.evaluate(context)).isTruthy {
                    record(StepAttemptRecord(runID: state.runID, stepID: step.id, iteration: key.iteration, attempt: 1, kind: step.kind.rawValue,
                                             status: .skipped, prompt: nil, startedAt: now, finishedAt: now,
                                             extraJSON: Value.dict(["when": .string(when.source)]).jsonString()), state)
                    observer(.unitFinished(key, UnitReport(status: .skipped, attempts: 0, elapsed: clock.now - start, reused: false)))
                    return UnitOutcome(status: .skipped, output: .none)
                }
            } catch {
                let message = workflow.attachingSource(to: error).description
                record(StepAttemptRecord(runID: state.runID, stepID: step.id, iteration: key.iteration, attempt: 1, kind: step.kind.rawValue,
                                         status: .failed, startedAt: now, finishedAt: now, error: message), state)
                observer(.unitFinished(key, UnitReport(status: .failed, attempts: 1, elapsed: clock.now - start, error: message, reused: false)))
                return UnitOutcome(status: .failed, output: .none, error: message)
            }
        }
        var final: FinalAttempt
        if case .review(let action) = step.action {
            guard let decided = runReviewUnit(step, action, key: key, context: context, state) else {
                return UnitOutcome(status: .waiting, output: .none)
            }
            final = decided
        } else if step.action.usesLanguageModel {
            final = await runModelUnit(step, key: key, context: context, state)
        } else {
            final = await runLocalUnit(step, key: key, context: context, state)
        }
        if final.status == .succeeded, let output = final.output {
            do {
                let written = try writeFiles(step.files, context: context.merging(["output": output]) { $1 }, step: step.id, state)
                // A `for_each` item's files, so `baton show --step 'x[2]'` lists that item's alone.
                if key.iteration != nil, !written.isEmpty {
                    let extra = final.row?.extraJSON
                    final.row?.extraJSON = Engine.extraJSON(extra, adding: ["files": .list(written.map(Value.string))])
                }
            } catch {
                final.status = .failed
                final.row?.status = .failed
                final.row?.error = "files: \(SystemErrorText.message(for: error))"
            }
        }
        if var row = final.row {
            row.finishedAt = max(row.finishedAt, row.startedAt)
            record(row, state)
        }
        let error = final.row?.error.map { state.masker.mask($0) }
        observer(.unitFinished(key, UnitReport(status: final.row?.status ?? .cancelled, attempts: final.reused ? 0 : final.row?.attempt ?? 0,
                                               elapsed: clock.now - start, tokensIn: final.row?.tokensIn, tokensOut: final.row?.tokensOut,
                                               error: error, reused: final.reused, callTime: final.callTime, lastCallTime: final.lastCallTime)))
        return UnitOutcome(status: final.status, output: final.status == .succeeded ? (final.output ?? .none) : .none, error: error)
    }
}
