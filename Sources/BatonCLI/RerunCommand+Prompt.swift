import Audit
import Base
import CommandKit
import Engine
import Foundation
import Template

/// `baton rerun RUN` of a `baton prompt` run: the same turn sent again as a new prompt run
/// (parent RUN), on the model it used or the one `-m`/`--model` names (prompt's syntax).
extension RerunCommand {
    /// What a prompt run sent, read back from its record: the model label and system text (its
    /// inputs), the user message (its attempt's `extra_json.user`) and the sampling parameters.
    struct PromptTurn: Equatable {
        var model: String?
        var system: String?
        var text: String
        var parameters: Sampling
    }

    /// The turn `run` sent, or nil when its record has no user message (a run of another kind).
    static func promptTurn(of run: RunRecord, in store: AuditStore) throws(AuditError) -> PromptTurn? {
        guard let attempt = try store.attempts(run: run.id).first(where: { $0.stepID == "turn" }),
              case .dict(let extra)? = attempt.extraJSON.flatMap({ try? Value(json: Data($0.utf8)) }),
              case .string(let text)? = extra["user"] else { return nil }
        var turn = PromptTurn(model: nil, system: nil, text: text, parameters: Sampling())
        if case .dict(let inputs)? = try? Value(json: Data(run.inputsJSON.utf8)) {
            if case .string(let model)? = inputs["model"] { turn.model = model }
            if case .string(let system)? = inputs["system"] { turn.system = system }
        }
        if case .dict(let parameters)? = attempt.parametersJSON.flatMap({ try? Value(json: Data($0.utf8)) }) {
            switch parameters["temperature"] {
            case .double(let value)?: turn.parameters.temperature = value
            case .int(let value)?: turn.parameters.temperature = Double(value)
            default: break
            }
            if case .int(let value)? = parameters["max_tokens"] { turn.parameters.maxTokens = value }
            if case .int(let value)? = parameters["seed"] { turn.parameters.seed = value }
        }
        return turn
    }

    /// Sends `previous`'s turn again as a new prompt run and prints the reply (or, with
    /// `--json`, what `baton prompt --json` prints, with `parent_run_id`).
    static func rerunPrompt(_ previous: RunRecord, store: AuditStore, parsed: ParsedArguments) throws -> Int32 {
        for option in ["input", "fresh"] where parsed.flag(option) || !parsed.values(option).isEmpty {
            throw UsageError(message: "--\(option) does not apply to a prompt run (it has no workflow inputs and nothing to reuse)", usage: usage)
        }
        guard let turn = try promptTurn(of: previous, in: store) else {
            printError("error: run \(previous.id) has no recorded prompt to send again")
            return 1
        }
        let environment = ProcessInfo.processInfo.environment
        let named = parsed.value("m") ?? parsed.value("model") ?? turn.model
        guard let opened = try PromptModel.open(named, store: store, environment: environment, usage: usage) else { return 1 }
        let (resolved, model) = opened
        let session = try PromptSession(store: store, model: model, resolved: resolved, trigger: .prompt, system: turn.system,
                                        source: "# baton rerun \(previous.id) -m \(resolved.label)\n", parent: previous.id)
        let json = parsed.flag("json")
        printError("re-sending prompt run \(previous.id) to \(resolved.label) as run \(session.runID)")
        let single = try session.sendSingleTurn(system: turn.system, text: turn.text, parameters: turn.parameters, quiet: json)
        let (sent, error) = (single.turn, single.error)
        if json { printOut(single.json(runID: session.runID, parent: previous.id, model: resolved.label, finishReason: false).rendered()) }
        if let error, !sent.cancelled { printError("error: \(error)") }
        return sent.response == nil ? 1 : 0
    }
}
