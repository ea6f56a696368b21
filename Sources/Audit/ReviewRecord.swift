import Foundation
import SQLite

/// What a row of `reviews` records: a run asking for a review, or a reviewer's decision.
public enum ReviewEvent: String, Sendable, Codable, CaseIterable {
    /// The run reached the review step and stopped (`waiting`); `shownText` is what the reviewer reads.
    case requested
    /// Approved as shown: the step's output is `shownText`.
    case approved
    /// Edited and approved: the output is `afterText` (`beforeText` is what was shown).
    case edited
    /// Rejected: the run fails, or the step named by `on_reject: { redo: }` runs again with the note.
    case rejected

    /// Whether the row is a decision (anything but a request).
    public var isDecision: Bool { self != .requested }
}

/// One review row: who decided what, when, on which text. Appended only; the rows form one hash
/// chain in insertion order (`prev_hash` is the previous row's `row_hash`, empty for the first),
/// so an edited or removed decision is found by `AuditStore.verify`.
public struct ReviewRecord: Sendable, Equatable {
    public var runID: String
    public var stepID: String
    /// 1 for the first request of the step in the run, 2 after a rejection sent it back, ...
    public var round: Int
    public var event: ReviewEvent
    /// Who decided (`--as`, the console's login name, `timeout`, `auto-approve`); `nil` for a request.
    public var reviewer: String?
    public var note: String?
    /// The text the reviewer was shown (the rendered `show:` template), already masked.
    public var shownText: String
    /// For `edited`: the text before and after the edit.
    public var beforeText: String?
    public var afterText: String?
    /// For a request, a JSON object: `reviewers`, `actions`, `deadline`.
    public var detailsJSON: String?
    public var recordedAt: Date

    public internal(set) var prevHash: String?
    public internal(set) var rowHash: String?
    /// Global insertion order (the table's rowid).
    public internal(set) var sequence: Int?

    public init(runID: String, stepID: String, round: Int, event: ReviewEvent, reviewer: String? = nil, note: String? = nil,
                shownText: String, beforeText: String? = nil, afterText: String? = nil, detailsJSON: String? = nil,
                recordedAt: Date = Date()) {
        self.runID = runID
        self.stepID = stepID
        self.round = round
        self.event = event
        self.reviewer = reviewer
        self.note = note
        self.shownText = shownText
        self.beforeText = beforeText
        self.afterText = afterText
        self.detailsJSON = detailsJSON
        self.recordedAt = recordedAt
    }

    /// The step's output this decision gives: the edited text, the shown text when approved, else `nil`.
    public var approvedText: String? {
        switch event {
        case .approved: return shownText
        case .edited: return afterText ?? shownText
        case .requested, .rejected: return nil
        }
    }

    /// The values of `AuditSchema.reviewColumns`, in order.
    var chainedValues: [DatabaseValue] {
        [
            .text(runID), .text(stepID), .integer(Int64(round)), .text(event.rawValue), DatabaseValue(reviewer), DatabaseValue(note),
            .text(shownText), DatabaseValue(beforeText), DatabaseValue(afterText), DatabaseValue(detailsJSON),
            .text(AuditTime.format(recordedAt)), DatabaseValue(prevHash),
        ]
    }

    init(row: Row) {
        self.init(runID: row.string("run_id") ?? "", stepID: row.string("step_id") ?? "", round: row.int("round") ?? 1,
                  event: ReviewEvent(rawValue: row.string("event") ?? "") ?? .requested, reviewer: row.string("reviewer"),
                  note: row.string("note"), shownText: row.string("shown_text") ?? "", beforeText: row.string("before_text"),
                  afterText: row.string("after_text"), detailsJSON: row.string("details_json"),
                  recordedAt: AuditTime.parse(row.string("recorded_at") ?? "") ?? Date(timeIntervalSince1970: 0))
        prevHash = row.string("prev_hash")
        rowHash = row.string("row_hash")
        sequence = row.int("seq")
    }
}
