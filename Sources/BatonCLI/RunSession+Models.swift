import Audit
import Base
import CommandKit
import Engine
import Foundation
import Workflow

extension RunSession {
    /// `--model NAME=URL#MODEL` checked against the workflow before anything is recorded: an
    /// unknown NAME would otherwise be ignored and the run fall back to the local model, and a
    /// URL without `http://` or `https://` could only fail at the first request.
    static func checkModelOverrides(_ configuration: EngineConfiguration, workflow: Workflow, usage: String) throws {
        let names = workflow.models.map(\.name)
        for (name, remote) in configuration.modelOverrides.sorted(by: { $0.key < $1.key }) {
            guard name == "*" || names.contains(name) else {
                let known = names.isEmpty ? " (it declares no models; use '*' for every step)" : Suggestion.hint(for: name, in: names + ["*"])
                throw UsageError(message: "--model: '\(workflow.name)' has no model '\(name)'\(known)", usage: usage)
            }
            try checkBaseURL(remote.baseURL, usage: usage)
        }
    }

    /// A server address must be an absolute `http(s)://` URL with a host.
    static func checkBaseURL(_ text: String, usage: String) throws {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = url.host, !host.isEmpty else {
            throw UsageError(message: "--model: '\(text)' is not a server address; it needs http:// or https:// and a host (e.g. http://localhost:11434/v1)", usage: usage)
        }
    }
}

extension RunSession {
    /// How many recent runs of a workflow `baton run --reuse` looks through for reusable answers.
    static let reuseRunLimit = 50

    /// The finished model requests of the latest runs of `workflow` (by name), for `--reuse`;
    /// prints the error and returns `nil` when the store cannot be read.
    static func reuseCache(_ store: AuditStore, workflow: Workflow) -> ReuseCache? {
        do {
            var attempts: [StepAttemptRecord] = []
            for run in try store.runs(workflow: workflow.name, limit: reuseRunLimit).reversed() {
                attempts += try store.attempts(run: run.id)
            }
            return ReuseCache(attempts: attempts)
        } catch {
            printError(ErrorReport.line(for: error))
            return nil
        }
    }
}
