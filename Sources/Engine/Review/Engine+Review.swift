import Base
import Foundation
import Audit
import Template
import Workflow

extension Engine {
    /// A review step: applies the decision the plan holds, or records a request and returns `nil`
    /// (the run stops as `waiting`). With `approveAll` the request is approved at once.
    func runReviewUnit(_ step: Step, _ action: ReviewAction, key: StepKey, context: [String: Value], _ state: RunState) -> FinalAttempt? {
        let started = Date()
        var row = StepAttemptRecord(runID: state.runID, stepID: step.id, iteration: key.iteration, attempt: 1, kind: step.kind.rawValue,
                                    status: .failed, startedAt: started, finishedAt: started)
        var decision = configuration.reviews.decisions[step.id]
        if decision == nil {
            let shown: String
            do {
                shown = state.masker.mask(try action.show.render(context))
            } catch {
                row.error = workflow.attachingSource(to: error).description
                return FinalAttempt(row: row, output: nil, status: .failed)
            }
            let round = configuration.reviews.rounds[step.id] ?? 1
            var details: ValueDictionary = ["reviewers": .list(action.reviewers.map(Value.string)),
                                            "actions": .list(action.actions.map { .string($0.rawValue) })]
            if let timeout = action.timeout {
                details["deadline"] = .string(AuditTime.format(started.addingTimeInterval(Double(timeout.components.seconds))))
            }
            if let onTimeout = action.onTimeout { details["on_timeout"] = .string(onTimeout.rawValue) }
            let request = ReviewRecord(runID: state.runID, stepID: step.id, round: round, event: .requested, shownText: shown,
                                       detailsJSON: Value.dict(details).jsonString(), recordedAt: started)
            do {
                try store.appendReview(request)
                guard configuration.reviews.approveAll else {
                    observer(.reviewWaiting(step: step.id, round: round))
                    return nil
                }
                decision = try store.appendReview(ReviewRecord(runID: state.runID, stepID: step.id, round: round, event: .approved,
                                                               reviewer: ReviewPlan.autoReviewer,
                                                               note: "approved without a person (--approve-all or BATON_AUTO_APPROVE=1)",
                                                               shownText: shown))
            } catch {
                row.error = "audit store: \(error)"
                return FinalAttempt(row: row, output: nil, status: .failed)
            }
        }
        guard let decision else { return nil }
        row.prompt = decision.shownText
        row.extraJSON = Value.dict(["review": .dict([
            "run": .string(decision.runID), "round": .int(decision.round), "event": .string(decision.event.rawValue),
            "reviewer": decision.reviewer.map(Value.string) ?? .none, "note": decision.note.map(Value.string) ?? .none,
        ])]).jsonString()
        row.finishedAt = Date()
        guard let text = decision.approvedText else {
            let who = decision.reviewer.map { " by \($0)" } ?? ""
            let note = decision.note.map { ": \($0)" } ?? ""
            var rounds = ""
            if case .redo(_, let maxRounds, _) = action.onReject { rounds = " (round \(decision.round) of max_rounds \(maxRounds))" }
            row.error = "rejected\(who)\(rounds)\(note)"
            return FinalAttempt(row: row, output: nil, status: .failed)
        }
        row.status = .succeeded
        row.outputText = text
        return FinalAttempt(row: row, output: .string(text), status: .succeeded)
    }
}
