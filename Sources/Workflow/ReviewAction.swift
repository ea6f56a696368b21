import Template

/// `kind: review`: the run stops here until a person approves, edits or rejects what `show`
/// renders; the approved (or edited) text is the step's output.
///
/// ```yaml
/// - id: approval
///   kind: review
///   show: "{{ steps.copy.output }}"
///   reviewers: [김지은, park]         # optional: who may decide
///   actions: [approve, edit, reject]  # the default
///   on_reject: { redo: copy }         # or `fail` (the default); the note reaches copy as review.note
///   max_rounds: 3
///   timeout: 48h
///   on_timeout: approve               # or reject; without it the run fails when the time is up
/// ```
public struct ReviewAction: Sendable, Equatable {
    /// What a reviewer may do.
    public enum Choice: String, Sendable, Equatable, CaseIterable {
        case approve, edit, reject
    }

    /// What a rejection does.
    public enum RejectPolicy: Sendable, Equatable {
        /// The step fails with the reviewer's note (and the run with it).
        case fail
        /// `step` and the steps between it and the review run again, `step` seeing the note as
        /// `review.note`; after `maxRounds` rejections the step fails.
        case redo(step: String, maxRounds: Int, location: SourceLocation)
    }

    /// The text the reviewer reads, and (approved as is) the step's output.
    public var show: TemplateField
    /// Who may decide; empty: anyone.
    public var reviewers: [String] = []
    public var actions: [Choice] = Choice.allCases
    public var onReject: RejectPolicy = .fail
    /// How long the run waits for a decision; `nil`: for ever.
    public var timeout: Duration?
    /// What the time running out decides; `nil`: the step fails.
    public var onTimeout: Choice?

    /// The step `on_reject` sends the work back to, if any.
    public var redoStep: String? {
        if case .redo(let step, _, _) = onReject { return step }
        return nil
    }
}

extension ReviewAction {
    /// What a step a review sends work back to sees as `review`: the reviewer's note, the round
    /// (1 on the first pass, when the note is empty) and who rejected.
    public static func locals(note: String = "", round: Int = 1, reviewer: String = "") -> [String: Value] {
        ["review": .dict(["note": .string(note), "round": .int(round), "reviewer": .string(reviewer)])]
    }
}

extension Workflow {
    /// The steps some review's `on_reject: { redo: }` names.
    public var redoTargets: Set<String> {
        Set(steps.compactMap { step in
            if case .review(let action) = step.action { return action.redoStep }
            return nil
        })
    }
}
