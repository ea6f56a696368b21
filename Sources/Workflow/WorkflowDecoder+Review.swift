import Base
import YAML

/// `kind: review`: its keys, and the check that a `redo` target is a step the review depends on.
extension WorkflowDecoder {
    static let reviewKeys = ["show", "reviewers", "actions", "on_reject", "max_rounds", "on_timeout"]

    /// The steps some review's `on_reject: { redo: ID }` names, read before decoding so that those
    /// steps' templates may read `review.note`.
    static func declaredRedoTargets(_ node: Node?) -> Set<String> {
        Set((node?.sequence ?? []).compactMap { $0["on_reject"]?["redo"]?.scalar?.value })
    }

    mutating func decodeReview(_ fields: Fields, what: String, scope: TemplateScope) -> ReviewAction? {
        guard fields.has("show") else {
            error("\(what) is missing required key 'show' (the text the reviewer reads)", at: fields.node.mark)
            return nil
        }
        let show = template(fields["show"], "show", scope: scope)
        let reviewers = stringList(fields["reviewers"], "reviewers") ?? []
        var actions: [ReviewAction.Choice] = []
        if let node = fields["actions"] {
            for item in node.sequence ?? [node] {
                if let choice = choice(item, "actions", as: ReviewAction.Choice.self), !actions.contains(choice) { actions.append(choice) }
            }
            if actions.isEmpty, node.sequence?.isEmpty == true { error("\(what): 'actions' must list at least one of approve, edit, reject", at: node.mark) }
        } else {
            actions = ReviewAction.Choice.allCases
        }
        if !actions.isEmpty, !actions.contains(.approve), !actions.contains(.edit) {
            error("\(what): 'actions' must allow approve or edit, or the run could never go on", at: fields["actions"]?.mark ?? fields.node.mark)
        }
        let maxRounds = integer(fields["max_rounds"], "max_rounds", minimum: 1)
        var onReject = ReviewAction.RejectPolicy.fail
        if let node = fields["on_reject"] {
            if node.mapping != nil {
                if let policy = self.fields(node, "on_reject", allowed: ["redo"]) {
                    if let target = policy["redo"], let id = nonEmpty(target, "redo") {
                        if !stepIDs.contains(id) {
                            error("\(what) redoes unknown step '\(id.shortened())'\(Suggestion.hint(for: id, in: stepIDs.sorted()))", at: target.mark)
                        }
                        onReject = .redo(step: id, maxRounds: maxRounds ?? 3, location: location(target.mark))
                    } else if !policy.has("redo") {
                        error("on_reject takes 'fail' or { redo: STEP_ID }", at: node.mark)
                    }
                }
            } else if let word = string(node, "on_reject"), word != "fail" {
                error("'\(word.shortened())' is not a valid 'on_reject' (expected fail or { redo: STEP_ID })", at: node.mark)
            }
        }
        if let node = fields["max_rounds"], case .fail = onReject {
            error("\(what): 'max_rounds' only applies with on_reject: { redo: STEP_ID }", at: node.mark)
        }
        let timeout = duration(fields["timeout"], "timeout")
        let onTimeout = choice(fields["on_timeout"], "on_timeout", as: ReviewAction.Choice.self)
        if onTimeout == .edit, let node = fields["on_timeout"] {
            error("'edit' is not a valid 'on_timeout' (expected approve or reject)", at: node.mark)
        }
        if let node = fields["on_timeout"], fields["timeout"] == nil {
            error("\(what): 'on_timeout' needs a 'timeout'", at: node.mark)
        }
        guard let show else { return nil }
        return ReviewAction(show: show, reviewers: reviewers, actions: actions, onReject: onReject, timeout: timeout,
                            onTimeout: onTimeout == .edit ? nil : onTimeout)
    }

    /// A review may only send work back to a step it depends on (directly or through others):
    /// the steps between run again, so a step after it, or beside it, makes no sense.
    mutating func checkReviewTargets(_ workflow: Workflow) {
        let needsByID = Dictionary(workflow.steps.map { ($0.id, $0.needs) }, uniquingKeysWith: { first, _ in first })
        for step in workflow.steps {
            guard case .review(let action) = step.action, case .redo(let target, _, let location) = action.onReject,
                  needsByID[target] != nil else { continue }
            var seen = Set<String>()
            var queue = step.needs
            while let next = queue.popLast() {
                guard seen.insert(next).inserted else { continue }
                queue += needsByID[next] ?? []
            }
            if !seen.contains(target) {
                error("step '\(step.id)' redoes '\(target)', which it does not depend on (a review can only send back work it reads)", at: location)
            }
        }
    }
}
