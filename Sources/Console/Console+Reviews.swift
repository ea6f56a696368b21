import Foundation
import Audit
import HTTPServer
import Template

/// The review inbox: each waiting review with its text, and approve / edit / reject with a note.
extension Console {
    func reviewsPage(_ labels: Labels, message: String? = nil) -> HTTPResponse {
        let pending = (try? store.pendingReviews()) ?? []
        var body = message.map { "<p class=\"notice\">\(HTML.escape($0))</p>" } ?? ""
        if pending.isEmpty { body += "<p>\(labels["no_reviews"])</p>" }
        // One query for the workflow names (not one per review).
        let workflows = Dictionary(((try? store.runs(status: .waiting)) ?? []).map { ($0.id, $0.workflow) }, uniquingKeysWith: { first, _ in first })
        for review in pending {
            let workflow = workflows[review.runID] ?? (try? store.run(id: review.runID))?.workflow ?? "?"
            let action = "/reviews/\(HTML.segment(review.runID))/\(HTML.segment(review.stepID))"
            body += """
                <section class="review"><h2>\(HTML.escape(workflow)) · \(HTML.escape(review.stepID)) · \(labels["round"]) \(review.round)</h2>
                <p><a href="/runs/\(HTML.segment(review.runID))">\(HTML.escape(review.runID))</a> · \(HTML.escape(AuditTime.format(review.recordedAt)))</p>
                <form method="post" action="\(action)">\(csrfField)
                <label>\(labels["shown"])<br><textarea name="text" rows="14" class="review-text">\n\(HTML.escape(review.shownText))</textarea></label>
                <p><label>\(labels["reviewer"]) <input name="reviewer" required></label> <label>\(labels["note"]) <input name="note" class="note"></label></p>
                <p><button name="action" value="approve">\(labels["approve"])</button> <button name="action" value="edit">\(labels["edit"])</button>
                <button name="action" value="reject">\(labels["reject"])</button></p></form></section>
                """
        }
        return html(labels["reviews"], body, labels: labels)
    }

    /// Records the decision (as `baton review` does) and, when the run can go on, continues it in place.
    func decide(run: String, step: String, form: [String: String], labels: Labels) -> HTTPResponse {
        guard let record = try? store.resolveRun(run),
              let request = ((try? store.reviews(run: record.id)) ?? []).last(where: { $0.stepID == step && $0.event == .requested }) else {
            return notFound(labels)
        }
        let reviewer = (form["reviewer"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reviewer.isEmpty else { return reviewsPage(labels, message: "\(labels["reviewer"])?") }
        var details: ValueDictionary = [:]
        if let json = request.detailsJSON, case .dict(let parsed)? = try? Value(json: Data(json.utf8)) { details = parsed }
        if case .list(let allowed)? = details["reviewers"], !allowed.isEmpty, !allowed.contains(.string(reviewer)) {
            return reviewsPage(labels, message: "'\(reviewer)' may not review step '\(step)'")
        }
        let text = (form["text"] ?? "").replacingOccurrences(of: "\r\n", with: "\n")
        var action = form["action"] ?? ""
        // "Approve" with a changed text is an edit: what is recorded is what was approved. (The
        // line break written after <textarea> is dropped by the HTML parser, so a text that
        // starts with one comes back unchanged.)
        if action == "approve", text != request.shownText { action = "edit" }
        if case .list(let actions)? = details["actions"], !actions.contains(.string(action)) {
            return reviewsPage(labels, message: "step '\(step)' does not allow '\(action)'")
        }
        let event: ReviewEvent
        switch action {
        case "approve": event = .approved
        case "edit": event = .edited
        case "reject": event = .rejected
        default: return reviewsPage(labels, message: "unknown action")
        }
        let note = (form["note"] ?? "").isEmpty ? nil : form["note"]
        do {
            try store.appendReview(ReviewRecord(runID: record.id, stepID: step, round: request.round, event: event, reviewer: reviewer, note: note,
                                                shownText: request.shownText, beforeText: event == .edited ? request.shownText : nil,
                                                afterText: event == .edited ? text : nil))
        } catch {
            return reviewsPage(labels, message: "\(error)")
        }
        // The same run goes on; if the sweep (or another process) claimed it first, it is going on anyway.
        switch launcher.continueRun(record.id) {
        case .success, .failure(.store(.notWaiting)): return .redirect("/runs/\(HTML.segment(record.id))")
        case .failure(let error): return reviewsPage(labels, message: error.description)
        }
    }
}
