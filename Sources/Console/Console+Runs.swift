import Foundation
import Audit
import HTTPServer
import Template

/// Run history, run detail (live while running), its events, and its files.
extension Console {
    func runsPage(_ query: [String: String], labels: Labels) -> HTTPResponse {
        let workflow = query["workflow"].flatMap { $0.isEmpty ? nil : $0 }
        let status = query["status"].flatMap(RunStatus.init(rawValue:))
        let text = query["q"].flatMap { $0.isEmpty ? nil : $0 }
        let before = query["before"].flatMap { $0.isEmpty ? nil : $0 }
        // Pages of 50 by keyset (`before` = the last run shown); a text filter looks at the
        // next 1,000 runs of the page's order.
        let runs = ((try? store.runsPage(workflow: workflow, status: status, before: before, limit: text == nil ? 50 : 1000)) ?? [])
            .filter { run in text.map { run.id.contains($0) || run.workflow.contains($0) || run.inputsJSON.contains($0) || (run.error ?? "").contains($0) } ?? true }
            .prefix(50)
        let statuses = ["": labels["all"]] .merging(Dictionary(uniqueKeysWithValues: RunStatus.allCases.map { ($0.rawValue, $0.rawValue) })) { $1 }
        let options = ([""] + RunStatus.allCases.map(\.rawValue)).map { value in
            "<option value=\"\(value)\"\(query["status"] == value ? " selected" : "")>\(HTML.escape(statuses[value] ?? value))</option>"
        }.joined()
        var body = """
            <form method="get" action="/runs"><input name="workflow" placeholder="\(labels["workflow"])" value="\(HTML.escape(workflow ?? ""))">
            <select name="status">\(options)</select><input name="q" value="\(HTML.escape(text ?? ""))"><button>\(labels["filter"])</button></form>
            """
        if runs.isEmpty {
            body += "<p>\(labels["no_runs"])</p>"
        } else {
            let shown = Array(runs)
            body += HTML.table([labels["run"], labels["workflow"], labels["status"], labels["started"], labels["diff"]], shown.indices.map { index -> [HTML.Cell] in
                let run = shown[index]
                // The diff with the workflow's run before it on this page.
                let previous = shown[(index + 1)...].first { $0.workflow == run.workflow }
                return [.link(run.id, "/runs/\(HTML.segment(run.id))"), .text(run.workflow), .text(run.status.rawValue, " class=\"status-\(run.status.rawValue)\""),
                        .text(AuditTime.format(run.startedAt)),
                        previous.map { HTML.Cell.link(labels.plain("diff_previous"), "/diff?a=\(HTML.segment($0.id))&b=\(HTML.segment(run.id))") } ?? .text("")]
            })
            if runs.count == 50, let last = runs.last {
                let filters = [("workflow", workflow ?? ""), ("status", query["status"] ?? ""), ("q", text ?? ""), ("before", last.id)]
                    .map { "\($0.0)=\(HTML.segment($0.1))" }.joined(separator: "&amp;")
                body += "<p><a id=\"older\" href=\"/runs?\(filters)\">\(labels["next"]) →</a></p>"
            }
        }
        return html(labels["runs"], body, labels: labels)
    }

    func runPage(_ id: String, labels: Labels) -> HTTPResponse {
        guard let run = try? store.resolveRun(id) else { return notFound(labels) }
        let attempts = (try? store.attempts(run: run.id)) ?? []
        let files = (try? store.files(run: run.id)) ?? []
        let reviews = (try? store.reviews(run: run.id)) ?? []
        // A trail that cannot be read is not verified.
        let verified = (try? store.verify(run: run.id))?.isEmpty ?? false
        var body = "<p id=\"run-status\" data-run=\"\(HTML.escape(run.id))\" data-status=\"\(run.status.rawValue)\" data-items=\"\(labels["items_done"])\" data-eta=\"\(labels["eta"])\" class=\"status-\(run.status.rawValue)\">\(labels["status"]): <b>\(HTML.escape(run.status.rawValue))</b></p>"
        if !run.status.isFinished { body += "<p class=\"live\">\(labels["live"])</p>" }
        if let error = run.error { body += "<p class=\"error\">\(HTML.escape(error))</p>" }
        if run.status == .waiting { body += "<p><a href=\"/reviews\">\(labels["reviews"]) →</a></p>" }
        body += compareForm(run, labels: labels)
        body += "<h2>\(labels["inputs"])</h2><pre>\(HTML.escape(run.inputsJSON))</pre><h2>\(labels["steps"])</h2>"
        body += HTML.table([labels["step"], labels["status"], labels["model"], labels["tokens"], "ms"], attempts.map { attempt in
            [.text(attempt.iteration.map { "\(attempt.stepID)[\($0)]" } ?? attempt.stepID), .text(attempt.status.rawValue, " data-step=\"\(HTML.escape(attempt.stepID))\""),
             .text(attempt.model ?? "-"), .text("\(attempt.tokensIn.map(String.init) ?? "-") / \(attempt.tokensOut.map(String.init) ?? "-")"),
             .text(attempt.latencyMs.map(String.init) ?? "-")]
        })
        for attempt in attempts where attempt.prompt != nil || attempt.outputText != nil || attempt.error != nil {
            body += "<details><summary>\(HTML.escape(attempt.stepID)) · \(HTML.escape(attempt.status.rawValue))</summary>"
            if let prompt = attempt.prompt { body += "<h4>\(labels["prompt"])</h4><pre>\(HTML.escape(prompt))</pre>" }
            if let output = attempt.outputText ?? attempt.outputJSON { body += "<h4>\(labels["output"])</h4><pre class=\"output\">\(HTML.escape(output))</pre>" }
            if let error = attempt.error { body += "<pre class=\"error\">\(HTML.escape(error))</pre>" }
            body += "</details>"
        }
        if !files.isEmpty {
            body += "<h2>\(labels["files"])</h2><ul>" + files.map { file in
                let relative = relativePath(file.path)
                return "<li><a class=\"download\" href=\"/runs/\(HTML.segment(run.id))/files/\(relative.split(separator: "/").map { HTML.segment(String($0)) }.joined(separator: "/"))\">\(HTML.escape(file.path))</a> · \(file.bytes) B · <code>\(file.sha256.prefix(12))</code></li>"
            }.joined() + "</ul>"
        }
        if !reviews.isEmpty {
            body += "<h2>\(labels["review_history"])</h2>" + HTML.table([labels["when"], labels["step"], labels["round"], labels["event"], labels["reviewer"], labels["note"]], reviews.map { review in
                [.text(AuditTime.format(review.recordedAt)), .text(review.stepID), .text(String(review.round)), .text(review.event.rawValue),
                 .text(review.reviewer ?? ""), .text(review.note ?? "")]
            })
        }
        body += "<h2>\(labels["audit"])</h2><p class=\"\(verified ? "ok" : "error")\">\(verified ? labels["verified"] : labels["not_verified"])</p>"
        return html("\(labels["run"]) \(run.id)", body, labels: labels)
    }

    /// A recorded path (`out/hanbit/copy.md`, relative to the working directory) relative to the
    /// output folder (`hanbit/copy.md`).
    func relativePath(_ path: String) -> String {
        let root = settings.engine.output.root.standardizedFileURL.path
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        return absolute.hasPrefix(root + "/") ? String(absolute.dropFirst(root.count + 1)) : path
    }

    /// A file the run recorded, read from the output folder; anything else (another run's file,
    /// `..`, a link leading outside) is 404.
    func download(_ id: String, _ parts: [String]) -> HTTPResponse {
        guard let run = try? store.resolveRun(id), !parts.contains(where: { $0 == ".." || $0 == "." || $0.contains("\0") }) else {
            return .text("404\n", status: 404)
        }
        let relative = parts.joined(separator: "/")
        guard let record = ((try? store.files(run: run.id)) ?? []).first(where: { relativePath($0.path) == relative }) else { return .text("404\n", status: 404) }
        let root = settings.engine.output.root.standardizedFileURL.resolvingSymlinksInPath().path
        let target = URL(fileURLWithPath: root).appendingPathComponent(relative).standardizedFileURL.resolvingSymlinksInPath().path
        guard target.hasPrefix(root + "/"), let data = FileManager.default.contents(atPath: target) else { return .text("404\n", status: 404) }
        let name = (record.path as NSString).lastPathComponent
        return HTTPResponse(status: 200, headers: [("Content-Type", "application/octet-stream"),
                                                   ("Content-Disposition", "attachment; filename=\"download\"; filename*=UTF-8''\(HTML.segment(name))")],
                            body: .bytes(Array(data)))
    }

    /// Server-sent events for a run page: `step` for each newly recorded attempt (with its
    /// `for_each` item, attempt number, time in ms, and for a run started here the item total and
    /// how many run at once), `run` when the run's status changes; the store is looked at every 50 ms.
    func runEvents(_ id: String) -> HTTPResponse {
        guard let run = try? store.resolveRun(id) else { return .text("404\n", status: 404) }
        let store = self.store
        let progress = launcher.progress
        return HTTPResponse(status: 200, headers: [("Content-Type", "text/event-stream; charset=utf-8")], body: .stream { writer in
            var seen = 0
            var status = ""
            let deadline = ContinuousClock.now + .seconds(600)
            while !writer.isStopping, ContinuousClock.now < deadline {
                let attempts = (try? store.attempts(run: run.id)) ?? []
                for attempt in attempts.dropFirst(seen) {
                    var fields: ValueDictionary = ["step": .string(attempt.stepID), "item": attempt.iteration.map(Value.int) ?? .none,
                                                   "attempt": .int(attempt.attempt), "status": .string(attempt.status.rawValue),
                                                   "ms": .int(Int((attempt.finishedAt.timeIntervalSince(attempt.startedAt) * 1000).rounded()))]
                    // A `for_each` item of a run started here: the planned total, for progress and ETA.
                    if attempt.iteration != nil, let plan = progress.plan(run: run.id, step: attempt.stepID) {
                        fields["total"] = .int(plan.total)
                        fields["parallel"] = .int(plan.parallel)
                    }
                    let data = Value.dict(fields).jsonString()
                    guard writer.write("event: step\ndata: \(data)\n\n") else { return }
                }
                seen = attempts.count
                let now = (try? store.run(id: run.id))?.status.rawValue ?? "unknown"
                if now != status {
                    status = now
                    guard writer.write("event: run\ndata: {\"status\":\"\(now)\"}\n\n") else { return }
                    if now != RunStatus.running.rawValue { return }
                }
                usleep(50_000)
            }
        })
    }
}
