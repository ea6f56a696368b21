import Audit
import Foundation
import Providers
import Template
import Workflow

extension Engine {
    /// The request key of `call` is written into its base record (so every attempt carries it
    /// and a later run can find it); when the configuration's reuse cache holds a finished
    /// attempt with that key, that attempt is returned as this unit's final one, its origin
    /// recorded as `reused_from`, and no request is sent.
    ///
    /// A request that carries a secret (an input declared `secret: true`) gets no key: the store
    /// keeps its prompt and output masked (`***`), so a reused output would not be the model's,
    /// and a hash of text holding a short secret could be guessed.
    func reuse(_ call: inout ModelCall, step: Step, _ state: RunState) -> FinalAttempt? {
        if !state.masker.isEmpty, call.prompt.messages.contains(where: { state.masker.mask($0.content) != $0.content }) { return nil }
        let key = RequestKey(kind: step.kind.rawValue, model: call.model.identity, prompt: call.prompt,
                             parameters: step.sampling)
        call.base.extraJSON = Engine.extraJSON(call.base.extraJSON, adding: ["request_key": .string(key.text)])
        guard let earlier = configuration.reuse?.attempt(step: step.id, key: key) else { return nil }
        var row = call.record(attempt: 1, messages: call.prompt.messages)
        row.status = .succeeded
        row.prompt = earlier.prompt
        row.outputText = earlier.outputText
        row.outputJSON = earlier.outputJSON
        row.tokensIn = earlier.tokensIn
        row.tokensOut = earlier.tokensOut
        row.latencyMs = nil
        row.error = nil
        var adding: ValueDictionary = ["reused_from": .dict(["run": .string(earlier.runID), "attempt": .int(earlier.attempt)])]
        // A local model's rendering goes with the prompt it was made from.
        if case .dict(let extra)? = earlier.extraJSON.flatMap({ try? Value(json: Data($0.utf8)) }), let rendered = extra["rendered_prompt"] {
            adding["rendered_prompt"] = rendered
        }
        row.extraJSON = Engine.extraJSON(row.extraJSON, adding: adding)
        return FinalAttempt(row: row, output: Self.reusedValue(earlier), status: .succeeded, reused: true)
    }
}
