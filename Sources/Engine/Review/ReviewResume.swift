import Foundation
import Audit
import Template
import Workflow

/// How a run that stopped at review steps goes on (`RunContinuation`, `ReviewSweep`): which
/// decisions apply, which steps a rejection sends back, and which reviews still wait for a person.
public struct ReviewResume: Sendable {
    /// What the continuing engine gets (`EngineConfiguration.reviews`).
    public var plan = ReviewPlan()
    /// Steps not to reuse: a redo target, the steps between it and its review, and the review.
    public var rerun: Set<String> = []
    /// Requests nobody has decided and whose time is not up: the run cannot go on yet.
    public var undecided: [ReviewRecord] = []
    /// Decisions this call recorded because a review's `timeout` had passed.
    public var timedOut: [ReviewRecord] = []

    /// Reads the review rows of `run` (a `waiting` run) and decides how its continuation goes.
    /// A request whose deadline passed gets its `on_timeout` decision recorded now (by `timeout`);
    /// without `on_timeout` the time running out rejects it and the step fails.
    public static func plan(run: RunRecord, workflow: Workflow, store: AuditStore, now: Date = Date()) throws(AuditError) -> ReviewResume {
        var result = ReviewResume()
        let rows = try store.reviews(run: run.id)
        let steps = Dictionary(workflow.steps.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var latest: [String: ReviewRecord] = [:]
        for row in rows where row.event == .requested {
            if let seen = latest[row.stepID], seen.round > row.round { continue }
            latest[row.stepID] = row
        }
        for request in latest.values.sorted(by: { ($0.sequence ?? 0) < ($1.sequence ?? 0) }) {
            guard let step = steps[request.stepID], case .review(let action) = step.action else { continue }
            var decision = rows.first { $0.stepID == request.stepID && $0.round == request.round && $0.event.isDecision }
            if decision == nil {
                guard let deadline = deadline(of: request), deadline <= now else {
                    result.undecided.append(request)
                    continue
                }
                let approve = action.onTimeout == .approve
                let note = approve ? "approved by on_timeout: no decision before \(AuditTime.format(deadline))"
                                   : "no decision before \(AuditTime.format(deadline))"
                let recorded = try store.appendReview(ReviewRecord(runID: run.id, stepID: request.stepID, round: request.round,
                                                                   event: approve ? .approved : .rejected, reviewer: "timeout", note: note,
                                                                   shownText: request.shownText, recordedAt: now))
                result.timedOut.append(recorded)
                decision = recorded
            }
            guard let decision else { continue }
            if decision.event == .rejected, decision.reviewer != "timeout" || action.onTimeout == .reject,
               case .redo(let target, let maxRounds, _) = action.onReject, decision.round < maxRounds {
                result.plan.notes[target] = decision
                result.plan.rounds[step.id] = decision.round + 1
                result.rerun.formUnion(between(target, and: step.id, in: workflow))
            } else {
                result.plan.decisions[step.id] = decision
            }
        }
        return result
    }

    /// `from`, `to`, and every step on a dependency path from `from` to `to`.
    static func between(_ from: String, and to: String, in workflow: Workflow) -> Set<String> {
        let needs = Dictionary(workflow.steps.map { ($0.id, $0.needs) }, uniquingKeysWith: { first, _ in first })
        var upstream = Set<String>()
        var queue = [to]
        while let next = queue.popLast() {
            guard upstream.insert(next).inserted else { continue }
            queue += needs[next] ?? []
        }
        var dependents: [String: [String]] = [:]
        for (id, list) in needs { for need in list { dependents[need, default: []].append(id) } }
        var downstream = Set<String>()
        queue = [from]
        while let next = queue.popLast() {
            guard downstream.insert(next).inserted else { continue }
            queue += dependents[next] ?? []
        }
        return upstream.intersection(downstream)
    }

    /// The `deadline` a request recorded (from the review's `timeout`), if any.
    public static func deadline(of request: ReviewRecord) -> Date? {
        guard let text = request.detailsJSON, let value = try? Value(json: Data(text.utf8)),
              case .dict(let details) = value, case .string(let deadline)? = details["deadline"] else { return nil }
        return AuditTime.parse(deadline)
    }
}
