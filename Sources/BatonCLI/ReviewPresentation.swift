import CommandKit
import Foundation
import Audit
import Engine

/// How review rows read in `baton review`, `baton export` and `--json`.
enum ReviewPresentation {
    static func fields(_ review: ReviewRecord) -> [(String, OutputJSON)] {
        [
            ("run_id", .string(review.runID)), ("step", .string(review.stepID)), ("round", .int(review.round)),
            ("event", .string(review.event.rawValue)), ("reviewer", .string(review.reviewer)), ("note", .string(review.note)),
            ("shown_text", .string(review.shownText)), ("before_text", .string(review.beforeText)), ("after_text", .string(review.afterText)),
            ("details", .raw(review.detailsJSON)), ("recorded_at", .string(AuditTime.format(review.recordedAt))),
            ("prev_hash", .string(review.prevHash)), ("row_hash", .string(review.rowHash)),
        ]
    }

    /// One line per row: `2026-12-07T06:50:00.000Z  approval  round 1  edited by 김지은: 톤 수정`.
    static func line(_ review: ReviewRecord) -> String {
        let who = review.reviewer.map { " by \($0)" } ?? ""
        let note = review.note.map { ": \($0)" } ?? ""
        return "\(AuditTime.format(review.recordedAt))  \(review.stepID)  round \(review.round)  \(review.event.rawValue)\(who)\(note)"
    }

    /// The `## Reviews` section of `baton export --format markdown`.
    static func markdown(_ reviews: [ReviewRecord], fenced: (String, String) -> String) -> [String] {
        guard !reviews.isEmpty else { return [] }
        var out = ["## Reviews", ""]
        for review in reviews {
            out += ["### \(line(review))", ""]
            out.append("- Run: \(review.runID)")
            out.append("- Row hash: `\(review.rowHash ?? "")`")
            out.append("")
            if review.event == .edited {
                out += ["#### Before", "", fenced(review.beforeText ?? review.shownText, "text"), "", "#### After", "",
                        fenced(review.afterText ?? "", "text"), ""]
            } else if review.event == .requested {
                out += ["#### Shown", "", fenced(review.shownText, "text"), ""]
            }
        }
        return out
    }
}
