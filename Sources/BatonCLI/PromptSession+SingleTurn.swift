import Audit
import Base
import CommandKit
import Engine

extension PromptSession {
    /// What a one-turn run (`baton prompt`, `baton rerun` of a prompt run) ended with.
    struct SingleTurn {
        var turn: Turn
        /// The model's error, if any (an interrupted reply's too; the run records none then).
        var error: String?
        /// The run's status as `--json` prints it.
        var status: String

        /// What `--json` prints: run_id, parent_run_id (a re-sent run), model, text, tokens,
        /// finish_reason (`baton prompt`), status and error.
        func json(runID: String, parent: String? = nil, model: String, finishReason: Bool) -> OutputJSON {
            var fields: [(String, OutputJSON)] = [("run_id", .string(runID))]
            if let parent { fields.append(("parent_run_id", .string(parent))) }
            fields += [("model", .string(model)), ("text", .string(turn.text)),
                       ("tokens_in", .int(turn.response?.tokensIn)), ("tokens_out", .int(turn.response?.tokensOut))]
            if finishReason { fields.append(("finish_reason", .string(turn.response?.finishReason))) }
            return .object(fields + [("status", .string(status)), ("error", .string(error))])
        }
    }

    /// Sends the system message (if any) and `text` as the user's, streams the reply to stdout
    /// (unless `quiet`, for `--json`) and finishes the run: the one turn of a prompt run.
    func sendSingleTurn(system: String?, text: String, parameters: Sampling, quiet: Bool) throws(AuditError) -> SingleTurn {
        var messages: [ChatMessage] = []
        if let system { messages.append(ChatMessage(role: .system, content: system)) }
        messages.append(ChatMessage(role: .user, content: text))
        let turn = try send(messages, parameters: parameters, onText: { piece in
            if !quiet { printOut(piece, terminator: "") }
        })
        let error = turn.error.map { $0.description }
        try finish(failed: turn.cancelled ? nil : error, interrupted: turn.cancelled)
        if !quiet && !turn.text.isEmpty && !turn.text.hasSuffix("\n") { printOut("") }
        return SingleTurn(turn: turn, error: error, status: turn.cancelled ? "interrupted" : (error == nil ? "succeeded" : "failed"))
    }
}
