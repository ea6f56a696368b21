import Foundation
import Template
import Workflow

/// What a step kind makes of a model's answer: take it, ask again naming what is wrong, or give up.
///
/// The retry loop in `Engine.runModelUnit` is the same for every model step; only this check
/// differs by kind. A follow-up adds the answer and `message` to the conversation, so the next
/// request always differs from the last (a greedy model at temperature 0 would otherwise repeat
/// its answer word for word).
enum AnswerVerdict: Sendable, Equatable {
    /// The answer is the step's output.
    case accept(Value)
    /// The answer is refused; `error` is recorded with the attempt, `reason` shown on the
    /// progress line of the next attempt, and `message` sent to the model as the next user turn.
    case followUp(error: String, reason: String, message: String)
}

/// Judges one answer of a model step; `extra` is what it adds to the attempt's audit record
/// (e.g. the glossary terms it checked), whether it accepts or not.
protocol AnswerCheck: Sendable {
    func judge(_ text: String) -> (verdict: AnswerVerdict, extra: ValueDictionary)
}

/// `generate`, `summarize`, `rag_query`: any text is the output.
struct PlainAnswer: AnswerCheck {
    func judge(_ text: String) -> (verdict: AnswerVerdict, extra: ValueDictionary) { (.accept(.string(text)), [:]) }
}

extension StepPrompt {
    /// The check for the answers to this prompt.
    func answerCheck(for action: StepAction) -> any AnswerCheck {
        switch action {
        case .extract(let extract): return ExtractAnswerCheck(schema: extract.schema, language: language)
        case .translate(let translate) where !translate.glossary.isEmpty:
            return GlossaryAnswerCheck(declared: translate.glossary.count, checked: glossary, language: language)
        default: return PlainAnswer()
        }
    }
}
