import Foundation
import Audit
import HTTPServer
import Template

/// The diff of two runs (`/diff?a=RUN&b=RUN`): their inputs side by side, and each step's output
/// with a word diff (`WordDiff`, as `baton diff` prints it), removed words struck, added ones marked.
extension Console {
    func diffPage(_ query: [String: String], labels: Labels) -> HTTPResponse {
        let given = (a: query["a"] ?? "", b: query["b"] ?? "")
        var body = """
            <form method="get" action="/diff"><input name="a" value="\(HTML.escape(given.a))" placeholder="A">
            <input name="b" value="\(HTML.escape(given.b))" placeholder="B"><button>\(labels["compare"])</button></form>
            """
        guard !given.a.isEmpty, !given.b.isEmpty else { return html(labels["diff"], body, labels: labels) }
        guard let a = try? store.resolveRun(given.a), let b = try? store.resolveRun(given.b) else {
            return html(labels["diff"], body + "<p class=\"error\">\(labels["no_such_run"])</p>", labels: labels, status: 404)
        }
        body += HTML.table(["", labels["run"], labels["workflow"], labels["status"], labels["started"]], [a, b].enumerated().map { (index, run) -> [HTML.Cell] in
            [.text(index == 0 ? "A" : "B"), .link(run.id, "/runs/\(HTML.segment(run.id))"), .text(run.workflow),
             .text(run.status.rawValue, " class=\"status-\(run.status.rawValue)\""), .text(AuditTime.format(run.startedAt))]
        })
        body += "<h2>\(labels["inputs"])</h2>" + inputsTable(a, b, labels: labels)
        let comparison = RunComparison(a: (try? store.attempts(run: a.id)) ?? [], b: (try? store.attempts(run: b.id)) ?? [])
        body += "<h2>\(labels["steps"])</h2>"
        for pair in comparison.pairs {
            let statuses = [pair.a, pair.b].map { $0?.status.rawValue ?? "-" }
            body += "<section class=\"diff-step\" data-step=\"\(HTML.escape(pair.key.description))\"><h3>\(HTML.escape(pair.key.description)) · \(HTML.escape(statuses[0])) → \(HTML.escape(statuses[1]))</h3>"
            let old = pair.a.flatMap { $0.outputText ?? $0.outputJSON } ?? ""
            let new = pair.b.flatMap { $0.outputText ?? $0.outputJSON } ?? ""
            if old == new {
                body += "<p class=\"same\">\(labels["output"]): \(labels["same"])</p>"
            } else {
                body += "<pre class=\"diff\">" + WordDiff.pieces(old, new).map { piece -> String in
                    switch piece {
                    case .same(let text): HTML.escape(text)
                    case .removed(let text): "<del>\(HTML.escape(text))</del>"
                    case .added(let text): "<ins>\(HTML.escape(text))</ins>"
                    }
                }.joined() + "</pre>"
            }
            body += "</section>"
        }
        return html(labels["diff"], body, labels: labels)
    }

    /// Each input of either run, its value in A and in B; a row whose values differ is marked.
    private func inputsTable(_ a: RunRecord, _ b: RunRecord, labels: Labels) -> String {
        func entries(_ run: RunRecord) -> [(key: String, value: Value)] {
            guard case .dict(let inputs)? = try? Value(json: Data(run.inputsJSON.utf8)) else { return [] }
            return inputs.entries
        }
        let old = entries(a), new = entries(b)
        var names = old.map(\.key)
        for (name, _) in new where !names.contains(name) { names.append(name) }
        return HTML.table([labels["input"], "A", "B"], names.map { name -> [HTML.Cell] in
            let x = old.first { $0.key == name }?.value ?? .none
            let y = new.first { $0.key == name }?.value ?? .none
            let mark = x == y ? "" : " class=\"changed\""
            return [.text(name, mark), .text(Self.shown(x)), .text(Self.shown(y))]
        })
    }

    /// A value as a person reads it: text as it is, anything else as JSON.
    static func shown(_ value: Value) -> String {
        if case .string(let text) = value { return text }
        return value.jsonString()
    }

    /// The form on a run's page that opens its diff with another run of the same workflow.
    func compareForm(_ run: RunRecord, labels: Labels) -> String {
        let others = ((try? store.runsPage(workflow: run.workflow, limit: 21)) ?? []).filter { $0.id != run.id }.prefix(20)
        guard !others.isEmpty else { return "" }
        let options = others.map { "<option value=\"\(HTML.escape($0.id))\">\(HTML.escape($0.id)) · \(HTML.escape($0.status.rawValue))</option>" }.joined()
        return """
            <form method="get" action="/diff" class="compare"><input type="hidden" name="b" value="\(HTML.escape(run.id))">
            \(labels["compare_with"]) <select name="a">\(options)</select> <button id="compare">\(labels["compare"])</button></form>
            """
    }
}
