import Audit

/// What the engine knows of a run's review steps before it starts: decisions made while the run
/// waited, the notes of rejections that send work back, and whether to approve everything.
///
/// `RunContinuation` builds it (`ReviewResume.plan`); a fresh run has an empty plan, so each
/// review step records a request and the run stops as `waiting`.
public struct ReviewPlan: Sendable, Equatable {
    /// Decisions to apply, by review step id: approved or edited text becomes the output, a
    /// rejection fails the step.
    public var decisions: [String: ReviewRecord]
    /// The round of the next request, by review step id (1 when absent).
    public var rounds: [String: Int]
    /// The rejection whose note a redo target sees as `review.note`, by that target's step id.
    public var notes: [String: ReviewRecord]
    /// Approve every review without a person (`--approve-all`, `BATON_AUTO_APPROVE=1`): for tests
    /// and unattended runs. Each approval is still recorded, by `auto-approve`.
    public var approveAll: Bool

    public init(decisions: [String: ReviewRecord] = [:], rounds: [String: Int] = [:], notes: [String: ReviewRecord] = [:],
                approveAll: Bool = false) {
        self.decisions = decisions
        self.rounds = rounds
        self.notes = notes
        self.approveAll = approveAll
    }

    /// The reviewer name recorded for automatic approvals.
    public static let autoReviewer = "auto-approve"
}
