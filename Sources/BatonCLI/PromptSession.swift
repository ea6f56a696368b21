import Base
import Audit
import CommandKit
import Engine
import Foundation
import Providers
import Workflow

/// One conversation recorded in the audit store: `baton prompt` (one turn, trigger `prompt`) and
/// `baton chat` (many turns, trigger `chat`). The run's workflow is `prompt` or `chat`, its inputs
/// the model label and system text, and each turn one attempt of step `turn` (iteration = turn
/// number from 0) holding the messages sent, the reply, tokens and latency, like a workflow step
/// (a local model's chat-template rendering in `extra_json.rendered_prompt`).
final class PromptSession {
    let store: AuditStore
    let model: any LanguageModel
    let runID: String
    let masker: SecretMasker
    private(set) var turns = 0

    /// Starts the run. `source` is kept as the run's workflow text (the command line that made it).
    /// `parent` is the run a `baton rerun` sends again.
    init(store: AuditStore, model: any LanguageModel, resolved: PromptModel, trigger: RunTrigger,
         system: String?, source: String, parent: String? = nil) throws(AuditError) {
        self.store = store
        self.model = model
        masker = SecretMasker(secrets: resolved.secret.map { [$0] } ?? [])
        let inputs = OutputJSON.object([("model", .string(resolved.label)), ("system", .string(system))]).rendered()
        runID = try store.startRun(NewRun(workflow: trigger.rawValue, workflowSource: masker.mask(source),
                                          inputsJSON: masker.mask(inputs), trigger: trigger, parentRunID: parent)).id
    }

    /// Continues an earlier `chat` run's conversation in a new run whose parent it is.
    init(store: AuditStore, model: any LanguageModel, resolved: PromptModel, parent: RunRecord, source: String) throws(AuditError) {
        self.store = store
        self.model = model
        masker = SecretMasker(secrets: resolved.secret.map { [$0] } ?? [])
        runID = try store.startRun(NewRun(workflow: "chat", workflowSource: masker.mask(source), inputsJSON: parent.inputsJSON,
                                          trigger: .chat, parentRunID: parent.id)).id
    }

    /// How a turn ended.
    struct Turn {
        var text: String
        var response: ModelResponse?
        var error: ModelError?
        var cancelled: Bool
    }

    /// Sends `messages`, calling `onText` with each streamed piece; SIGINT or SIGTERM stops the
    /// generation and keeps the partial reply. Records the attempt either way, with the user's
    /// message in its extra JSON (`{"user": ...}`) so `baton chat --continue` can rebuild the
    /// conversation from the store.
    func send(_ messages: [ChatMessage], parameters: Sampling, onText: @escaping @Sendable (String) -> Void) throws(AuditError) -> Turn {
        let started = Date()
        let clock = ContinuousClock.now
        let partial = StreamedText()
        let request = ModelRequest(messages: messages, parameters: parameters)
        let model = self.model
        let task = Task { () throws(ModelError) -> ModelResponse in
            try await model.complete(request) { piece in
                partial.append(piece)
                onText(piece)
            }
        }
        let interrupted = StreamedText()
        let signals = TerminationSignals { name in
            interrupted.append(name)
            task.cancel()
        }
        let done = DispatchSemaphore(value: 0)
        let box = TurnBox()
        Task {
            box.result = await task.result
            done.signal()
        }
        done.wait()
        signals.cancel()
        // Between turns of a chat, Ctrl-C ends the process again as usual (the run then reads
        // `interrupted`, its turns kept); only a reply in progress is stopped gently.
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
        let elapsed = ContinuousClock.now - clock
        let latency = Int(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000)
        var turn = Turn(text: partial.text, response: nil, error: nil, cancelled: !interrupted.text.isEmpty)
        switch box.result {
        case .success(let response)?:
            turn.response = response
            turn.text = response.text
        case .failure(let error)?:
            let modelError = error as? ModelError ?? ModelError(.connection, "\(error)")
            turn.error = modelError
            if case .cancelled = modelError.kind { turn.cancelled = true }
        case nil:
            turn.cancelled = true
        }
        var parametersJSON: [(String, OutputJSON)] = []
        if let t = parameters.temperature { parametersJSON.append(("temperature", .raw(JSONText.number(t)))) }
        if let n = parameters.maxTokens { parametersJSON.append(("max_tokens", .int(n))) }
        if let s = parameters.seed { parametersJSON.append(("seed", .int(s))) }
        let messagesJSON = OutputJSON.array(messages.map { .object([("role", .string($0.role.rawValue)), ("content", .string($0.content))]) })
        var extra: [(String, OutputJSON)] = [("user", .string(masker.mask(messages.last?.content ?? "")))]
        if let rendered = turn.response?.renderedPrompt { extra.append(("rendered_prompt", .string(masker.mask(rendered)))) }
        let status: AttemptStatus = turn.response != nil ? .succeeded : (turn.cancelled ? .cancelled : .failed)
        _ = try store.appendAttempt(StepAttemptRecord(
            runID: runID, stepID: "turn", iteration: turns, kind: "generate", status: status, model: model.identity,
            parametersJSON: OutputJSON.object(parametersJSON).rendered(),
            prompt: masker.mask(messagesJSON.rendered()) as String,
            outputText: masker.mask(turn.text) as String, tokensIn: turn.response?.tokensIn, tokensOut: turn.response?.tokensOut,
            latencyMs: latency, startedAt: started, finishedAt: Date(),
            error: turn.cancelled ? "interrupted (\(interrupted.text.isEmpty ? "cancelled" : interrupted.text)); partial reply kept"
                : turn.error.map { masker.mask($0.description) as String },
            extraJSON: OutputJSON.object(extra).rendered()))
        turns += 1
        return turn
    }

    /// The conversation so far of run `run` and the runs it continues (oldest first): the system
    /// text of the first, then each succeeded turn's user message and reply.
    static func history(of run: RunRecord, in store: AuditStore) throws(AuditError) -> [ChatMessage] {
        var chain: [RunRecord] = [run]
        while let parent = chain[0].parentRunID, chain.count < 1_000, let record = try store.run(id: parent) { chain.insert(record, at: 0) }
        var messages: [ChatMessage] = []
        if let inputs = try? JSONSerialization.jsonObject(with: Data(chain[0].inputsJSON.utf8)) as? [String: Any],
           let system = inputs["system"] as? String {
            messages.append(ChatMessage(role: .system, content: system))
        }
        for record in chain {
            for attempt in try store.attempts(run: record.id) where attempt.status == .succeeded {
                guard let extra = attempt.extraJSON.flatMap({ try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }),
                      let user = extra["user"] as? String, let reply = attempt.outputText else { continue }
                messages.append(ChatMessage(role: .user, content: user))
                messages.append(ChatMessage(role: .assistant, content: reply))
            }
        }
        return messages
    }

    /// Seals the run: `succeeded`, `failed` with the error, or `interrupted` after Ctrl-C.
    func finish(failed error: String? = nil, interrupted: Bool = false) throws(AuditError) {
        try store.finishRun(id: runID, status: interrupted ? .interrupted : (error == nil ? .succeeded : .failed), error: error.map { masker.mask($0) })
    }
}

/// Text collected from a `@Sendable` callback.
///
/// `@unchecked Sendable`: `value` is only touched under `lock`.
final class StreamedText: @unchecked Sendable {
    private let lock = NSLock()
    private var value = ""
    func append(_ piece: String) { lock.withLock { value += piece } }
    var text: String { lock.withLock { value } }
}

/// Carries a turn's result from its task to the waiting thread.
final class TurnBox: @unchecked Sendable {
    // @unchecked Sendable: written once by the task before `done.signal()`, read after `wait()`.
    var result: Result<ModelResponse, any Error>?
}
