import Base
import Audit
import CommandKit
import Engine
import Foundation
import Providers
import YAML

/// `baton chat [-m MODEL]`: a conversation on the terminal, each turn recorded in the audit store
/// (one run of `chat` per session), resumable with `--continue` or `--run RUN`.
struct ChatCommand: TableCommand {
    static let abstract = "Talk with a model; the conversation is kept in the audit store."
    static let options = OptionTable("baton chat", [
        .chatModel,
        .option("system", value: "TEXT", help: "A system message first."),
        .flag("continue", help: "Go on with the latest chat (its model unless -m is given)."),
        .option("run", value: "RUN", help: "Go on with that chat run."),
    ] + CommandArgument.sampling + [
        .store,
    ])
    static let discussion = """
        Reads a message, streams the model's reply, and so on, with the whole conversation sent
        each turn. Type /exit or press Ctrl-D to stop; Ctrl-C stops a reply (what came is kept).
        When stdin is not a terminal, each line is one message until the end of input:
          printf 'Hi\\nAnd a slogan for tea?\\n' | baton chat
        The session is a run of 'chat' (trigger chat), one attempt per turn: 'baton runs',
        'baton show RUN' and 'baton export RUN' list it.
        """

    static func run(_ parsed: ParsedArguments) throws -> Int32 {
        guard parsed.positionals.isEmpty else { throw UsageError(message: "unexpected argument '\(parsed.positionals[0])'", usage: usage) }
        if parsed.flag("continue") && parsed.value("run") != nil { throw UsageError(message: "give --continue or --run, not both", usage: usage) }
        let parameters = try PromptCommand.samplingParameters(parsed, usage: usage)
        let environment = ProcessInfo.processInfo.environment
        guard let store = RunSession.openStore(parsed) else { return 1 }
        return try ErrorReport.reporting {
            var parent: RunRecord?
            if let id = parsed.value("run") {
                parent = try store.resolveRun(id)
            } else if parsed.flag("continue") {
                guard let latest = try store.runs(workflow: "chat", limit: 1).first else {
                    let path = AuditStore.resolvePath(option: parsed.value("db"))
                    printError("error: no chat to continue in \(path)")
                    return 1
                }
                parent = latest
            }
            if let parent, parent.trigger != .chat {
                throw UsageError(message: "run \(parent.id) is a '\(parent.workflow)' run, not a chat", usage: usage)
            }
            var modelName = parsed.value("model")
            if modelName == nil, let parent, let inputs = try? JSONSerialization.jsonObject(with: Data(parent.inputsJSON.utf8)) as? [String: Any] {
                modelName = inputs["model"] as? String
            }
            guard let opened = try PromptModel.open(modelName, store: store, environment: environment, usage: usage) else { return 1 }
            let (resolved, model) = opened
            let source = "# baton chat -m \(resolved.label)\n"
            var messages: [ChatMessage] = []
            let session: PromptSession
            if let parent {
                messages = try PromptSession.history(of: parent, in: store)
                session = try PromptSession(store: store, model: model, resolved: resolved, parent: parent, source: source)
            } else {
                let system = parsed.value("system")
                if let system { messages.append(ChatMessage(role: .system, content: system)) }
                session = try PromptSession(store: store, model: model, resolved: resolved, trigger: .chat, system: system, source: source)
            }
            let terminal = isatty(STDIN_FILENO) == 1
            if terminal {
                printError("Chatting with \(resolved.label) (run \(session.runID)). /exit or Ctrl-D to stop.")
            }
            var failed: String?
            var interrupted = false
            while true {
                if terminal { FileHandle.standardError.write(Data("> ".utf8)) }
                guard let line = readLine(strippingNewline: true) else { break }
                let text = line.trimmingCharacters(in: .whitespaces)
                if text.isEmpty { continue }
                if text == "/exit" || text == "/quit" { break }
                messages.append(ChatMessage(role: .user, content: text))
                let turn = try session.send(messages, parameters: parameters) { printOut($0, terminator: "") }
                printOut(turn.text.hasSuffix("\n") ? "" : "\n", terminator: "")
                if let response = turn.response {
                    messages.append(ChatMessage(role: .assistant, content: response.text))
                    continue
                }
                if turn.cancelled {
                    // The partial reply is kept in the store; the conversation goes on without it.
                    messages.removeLast()
                    interrupted = !terminal
                    printError("(reply stopped)")
                    if interrupted { break }
                    continue
                }
                failed = turn.error?.description ?? "the model did not answer"
                printError("error: \(failed ?? "")")
                break
            }
            try session.finish(failed: failed, interrupted: interrupted)
            if terminal { printError("run \(session.runID): \(session.turns) turns") }
            return failed == nil ? 0 : 1
        }
    }
}
