import Base
import Foundation
import Providers
import Template
import Workflow

/// The conversation a model step sends, rendered from the step's fields or its recipe.
struct StepPrompt: Sendable {
    var messages: [ChatMessage]
    var responseFormat: ResponseFormat
    /// The language of the recipe, used for follow-up messages (glossary, JSON repair).
    var language: Recipes.Language
    /// An `extract` step's schema (`ModelRequest.shape`).
    var shape: JSONShape? = nil
    /// A `translate` step's glossary terms whose source occurs in the text: the ones the prompt
    /// asks for and the answer is checked against.
    var glossary: [GlossaryEntry] = []

    /// Renders the prompt of `action` in `context`. Errors carry the template's location.
    static func make(_ action: StepAction, context: [String: Value], workflow: Workflow) throws -> StepPrompt {
        func render(_ field: TemplateField, _ extra: [String: Value] = [:]) throws -> String {
            do {
                return try field.render(extra.isEmpty ? context : context.merging(extra) { $1 })
            } catch {
                throw workflow.attachingSource(to: error)
            }
        }
        switch action {
        case .generate(let generate):
            let messages = try generate.messages.map { ChatMessage(role: $0.role, content: try render($0.content)) }
            return StepPrompt(messages: messages, responseFormat: .text, language: .english)
        case .summarize(let summarize):
            let text = try render(summarize.text)
            let language = Recipes.language(for: summarize.language, text: text)
            let locals: [String: Value] = ["text": .string(text), "max_words": summarize.maxWords.map(Value.int) ?? .none,
                                           "max_sentences": summarize.maxSentences.map(Value.int) ?? .none,
                                           "format": .string(summarize.format.rawValue), "language": summarize.language.map(Value.string) ?? .none,
                                           "language_name": Recipes.languageName(summarize.language, in: language).map(Value.string) ?? .none]
            let prompt = try summarize.prompt.map { try render($0, locals) } ?? Recipes.render(Recipes.summarize(language), name: "recipe summarize", locals)
            return StepPrompt(messages: [ChatMessage(role: .user, content: prompt)], responseFormat: .text, language: language)
        case .translate(let translate):
            let text = try render(translate.text)
            let language = Recipes.language(for: translate.to, text: text)
            let applicable = translate.glossary.filter { text.contains($0.source) }
            var glossary = ValueDictionary()
            for entry in applicable { glossary[entry.source] = .string(entry.target) }
            let locals: [String: Value] = ["text": .string(text), "from": translate.from.map(Value.string) ?? .none, "to": .string(translate.to),
                                           "from_name": Recipes.languageName(translate.from, in: language).map(Value.string) ?? .none,
                                           "to_name": .string(Recipes.languageName(translate.to, in: language) ?? translate.to),
                                           "glossary": .dict(glossary)]
            let prompt = try translate.prompt.map { try render($0, locals) } ?? Recipes.render(Recipes.translate(language), name: "recipe translate", locals)
            return StepPrompt(messages: [ChatMessage(role: .user, content: prompt)], responseFormat: .text, language: language, glossary: applicable)
        case .extract(let extract):
            let text = try render(extract.text)
            let language = Recipes.language(for: nil, text: text)
            let locals: [String: Value] = ["text": .string(text), "schema": .string(extract.schema.jsonSchemaAllowingNull)]
            let prompt = try extract.prompt.map { try render($0, locals) } ?? Recipes.render(Recipes.extract(language), name: "recipe extract", locals)
            return StepPrompt(messages: [ChatMessage(role: .user, content: prompt)], responseFormat: extract.schema.isObject ? .json : .text,
                              language: language, shape: extract.schema)
        case .ragQuery:
            throw ModelError(.configuration, "internal: a rag_query prompt needs its documents (StepPrompt.rag)")
        case .template, .read, .write, .review:
            throw ModelError(.configuration, "internal: a step without a model reached the model runner")
        }
    }

    /// The prompt as the audit store keeps it: the text of a lone user message, else the
    /// messages as a JSON array of `{role, content}`.
    static func auditText(_ messages: [ChatMessage]) -> String {
        if messages.count == 1, let only = messages.first, only.role == .user { return only.content }
        return Value.list(messages.map { Value.dict(["role": .string($0.role.rawValue), "content": .string($0.content)]) }).jsonString()
    }
}
