import Base
import Foundation
import Providers
import Audit
import Template

/// What every attempt of one model unit shares: the model, the rendered prompt, and the record
/// each attempt starts from (model identity, parameters, what `rag_query` retrieved).
struct ModelCall: Sendable {
    var model: any LanguageModel
    var prompt: StepPrompt
    var base: StepAttemptRecord

    /// A fresh record for attempt `attempt` sending `messages`: nothing of an earlier attempt
    /// (its output, tokens, error) can leak into it.
    func record(attempt: Int, messages: [ChatMessage]) -> StepAttemptRecord {
        var row = base
        row.attempt = attempt
        row.startedAt = Date()
        row.finishedAt = row.startedAt
        row.prompt = StepPrompt.auditText(messages)
        return row
    }
}

/// A model unit's record that failed before any request (its model or prompt could not be made).
struct FailedRecord: Error, Sendable {
    var row: StepAttemptRecord
}

/// Where a model call's time went: waiting for a concurrency slot, then the call itself.
struct CallTiming: Sendable {
    var queueWait: Duration
    var call: Duration
}

extension StepAttemptRecord {
    /// The answer's text and figures. `prompt` stays the messages sent, for a local model as for
    /// a server (so `baton dataset export` can use them); a local model's chat-template rendering,
    /// what the model actually read, is kept beside them as `extra_json.rendered_prompt`.
    mutating func take(_ response: ModelResponse) {
        if let rendered = response.renderedPrompt {
            extraJSON = Engine.extraJSON(extraJSON, adding: ["rendered_prompt": .string(rendered)])
        }
        outputText = response.text
        tokensIn = response.tokensIn
        tokensOut = response.tokensOut
        // Invalid usage figures from a server are not stored as counts; the audit says what came.
        if let note = response.usageNote {
            extraJSON = Engine.extraJSON(extraJSON, adding: ["usage_invalid": .string(note)])
        }
        // A local model's prompt cache leaves the output unchanged; the audit still says so.
        if let cached = response.cachedPromptTokens, cached > 0 {
            extraJSON = Engine.extraJSON(extraJSON, adding: ["cached_prompt_tokens": .int(cached)])
        }
    }
}
