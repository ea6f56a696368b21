import Foundation
import Engine
import HTTPServer
import Template
import Workflow

/// The workflows page, the run form generated from typed inputs, and starting a run.
extension Console {
    /// `*.yaml` in the workflows folder, sorted, each loaded (or its diagnostics). A file is
    /// loaded again only when its size or modification time changed (`WorkflowCache`).
    func workflowFiles() -> [(file: String, workflow: Workflow?, problems: String?)] {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: settings.workflows)) ?? []).filter { $0.hasSuffix(".yaml") }.sorted()
        return names.map { name in
            let path = (settings.workflows as NSString).appendingPathComponent(name)
            let loaded = workflowCache.load(path)
            return (name, loaded.workflow, loaded.problems)
        }
    }

    func workflowsPage(_ labels: Labels) -> HTTPResponse {
        let rows: [[HTML.Cell]] = workflowFiles().map { entry in
            let stem = String(entry.file.dropLast(5))
            return [.link(entry.workflow?.name ?? stem, "/workflows/\(HTML.segment(stem))"), .text(entry.workflow?.description ?? ""),
                    .text(entry.workflow.map { String($0.inputs.count) } ?? "-"), .text(entry.workflow.map { String($0.steps.count) } ?? "-"),
                    .text(entry.problems == nil ? labels["valid"] : labels["invalid"])]
        }
        return html(labels["workflows"], HTML.table([labels["workflow"], labels["description"], labels["inputs"], labels["steps"], labels["status"]], rows), labels: labels)
    }

    func runForm(_ stem: String, labels: Labels) -> HTTPResponse {
        guard let entry = workflowFiles().first(where: { $0.file == stem + ".yaml" }) else { return notFound(labels) }
        guard let workflow = entry.workflow else {
            return html(stem, "<pre>\(HTML.escape(entry.problems ?? ""))</pre>", labels: labels)
        }
        var fields = ""
        for input in workflow.inputs {
            let id = "input-\(HTML.escape(input.name))"
            let name = "input.\(HTML.escape(input.name))"
            let shown = input.defaultValue.map(Console.formText) ?? ""
            fields += "<p><label for=\"\(id)\">\(HTML.escape(input.name))</label> <small>\(HTML.escape(input.type.description))\(input.description.map { " · " + HTML.escape($0) } ?? "")</small><br>"
            switch input.type {
            case .enumeration(let values):
                fields += "<select id=\"\(id)\" name=\"\(name)\">" + values.map { value in
                    "<option\(value == shown ? " selected" : "")>\(HTML.escape(value))</option>"
                }.joined() + "</select>"
            case .boolean:
                fields += "<select id=\"\(id)\" name=\"\(name)\"><option\(shown == "true" ? " selected" : "")>true</option><option\(shown == "false" ? " selected" : "")>false</option></select>"
            case .file:
                // A file to upload, or text pasted instead; empty both: the default file.
                fields += "<input id=\"\(id)-file\" type=\"file\" name=\"file.\(HTML.escape(input.name))\"> "
                fields += "<textarea id=\"\(id)\" name=\"\(name)\" rows=\"4\" placeholder=\"\(HTML.escape(shown))\"></textarea>"
            case .list:
                fields += "<textarea id=\"\(id)\" name=\"\(name)\" rows=\"4\">\(HTML.escape(shown))</textarea>"
            case .string where input.secret:
                fields += "<input id=\"\(id)\" type=\"password\" name=\"\(name)\" autocomplete=\"off\">"
            default:
                fields += "<input id=\"\(id)\" name=\"\(name)\" value=\"\(HTML.escape(shown))\">"
            }
            fields += "</p>"
        }
        let body = "<p>\(HTML.escape(workflow.description ?? ""))</p>\(WorkflowGraphSVG.render(workflow))<form method=\"post\" enctype=\"multipart/form-data\" action=\"/workflows/\(HTML.segment(stem))\">\(csrfField)\(fields)<button type=\"submit\" id=\"start\">\(labels["start"])</button></form>"
        return html(workflow.name, body, labels: labels)
    }

    /// How a default reads in a form field: text as is, a list one item a line.
    static func formText(_ value: Value) -> String {
        switch value {
        case .string(let text): return text
        case .list(let items): return items.map(formText).joined(separator: "\n")
        default: return value.jsonString()
        }
    }

    func startRun(_ stem: String, form: [String: String], uploads: [String: MultipartForm.Part] = [:], labels: Labels) -> HTTPResponse {
        guard let workflow = workflowFiles().first(where: { $0.file == stem + ".yaml" })?.workflow else { return notFound(labels) }
        var assignments: [InputBinding.Assignment] = []
        for input in workflow.inputs {
            if case .file = input.type {
                // An uploaded file, else pasted text, kept under the store's uploads/ folder so the
                // run reads it as it reads any file input; neither: the default.
                var bytes = uploads["file.\(input.name)"].flatMap { $0.data.isEmpty ? nil : $0.data }
                if bytes == nil, let text = form["input.\(input.name)"], !text.isEmpty { bytes = Array(text.replacingOccurrences(of: "\r\n", with: "\n").utf8) }
                guard let bytes else { continue }
                let folder = (store.path as NSString).deletingLastPathComponent + "/uploads"
                let path = folder + "/\(UUID().uuidString)-\(input.name).txt"
                do {
                    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
                    try Data(bytes).write(to: URL(fileURLWithPath: path))
                } catch {
                    return html(workflow.name, "<p class=\"error\">\(HTML.escape(String(describing: error)))</p>", labels: labels, status: 500)
                }
                assignments.append(InputBinding.Assignment(name: input.name, text: path, fromFile: false))
                continue
            }
            guard let text = form["input.\(input.name)"], !text.isEmpty else { continue }
            var value = text.replacingOccurrences(of: "\r\n", with: "\n")
            if case .list = input.type { value = value.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.joined(separator: ",") }
            assignments.append(InputBinding.Assignment(name: input.name, text: value, fromFile: false))
        }
        let inputs: [String: Value]
        do {
            inputs = try InputBinding.resolve(workflow, assignments: assignments)
        } catch {
            return html(workflow.name, "<p class=\"error\">\(labels["error"])</p><pre>\(HTML.escape(error.description))</pre>", labels: labels, status: 400)
        }
        guard let runID = launcher.start(workflow, inputs: inputs) else {
            return html(workflow.name, "<p class=\"error\">\(labels["error"])</p>", labels: labels, status: 500)
        }
        return .redirect("/runs/\(HTML.segment(runID))")
    }
}
