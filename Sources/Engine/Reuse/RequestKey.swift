import Base
import Foundation
import Providers
import Template
import Workflow

/// The identity of a model request: everything that decides what a model answers and how
/// Baton judges that answer, hashed. Two units with the same key would send the same request
/// to the same model and accept the same answers, so a finished attempt with that key can stand
/// in for a new call (`baton rerun`, `baton run --reuse`).
///
/// What goes in: the step kind, the recipe version (how prompts are built and answers checked),
/// the model identity (a GGUF's SHA-256 with its LoRA adapters, their hashes and scales, or a
/// server's base URL and model name), the rendered messages, every sampling parameter, the
/// response format, the JSON schema, and the glossary terms the answer is checked against.
/// What stays out: time limits and retry counts, which change how long Baton waits, not what
/// the model says.
struct RequestKey: Sendable, Hashable, CustomStringConvertible {
    /// Bumped whenever a recipe text, a follow-up message or an answer check changes, so an
    /// answer accepted by an older Baton is not reused as if today's rules had accepted it.
    static let recipeVersion = 1

    /// `sha256:<hex>` of the canonical JSON of the request's parts.
    let text: String

    init(kind: String, model: String, prompt: StepPrompt, parameters: Sampling) {
        var parts = ValueDictionary()
        parts["recipe_version"] = .int(Self.recipeVersion)
        parts["kind"] = .string(kind)
        parts["model"] = .string(model)
        parts["messages"] = .list(prompt.messages.map { .list([.string($0.role.rawValue), .string($0.content)]) })
        parts["parameters"] = Self.parametersValue(parameters)
        switch prompt.responseFormat {
        case .text: parts["response_format"] = "text"
        case .json: parts["response_format"] = "json_object"
        case .jsonSchema(let name, let schema): parts["response_format"] = .list(["json_schema", .string(name), .string(schema)])
        }
        parts["schema"] = prompt.shape.map { Value.string($0.jsonSchema) } ?? Value.none
        parts["glossary"] = .list(prompt.glossary.map { .list([.string($0.source), .string($0.target)]) })
        text = "sha256:" + SHA256.hash(Value.dict(parts).jsonString()).hex
    }

    /// A key read back from the audit store.
    init?(stored: String) {
        guard stored.hasPrefix("sha256:"), stored.count == 71 else { return nil }
        text = stored
    }

    var description: String { text }

    /// Every sampling field in a fixed order; unset fields are `null`, so "left to the provider"
    /// and "asked for explicitly" stay different requests.
    private static func parametersValue(_ parameters: Sampling) -> Value {
        let sampling: [Value] = [
            parameters.temperature.map(Value.double) ?? .none, parameters.topP.map(Value.double) ?? .none,
            parameters.topK.map(Value.int) ?? .none, parameters.maxTokens.map(Value.int) ?? .none,
            parameters.seed.map(Value.int) ?? .none, .list((parameters.stop ?? []).map(Value.string)),
            parameters.minP.map(Value.double) ?? .none, parameters.repetitionPenalty.map(Value.double) ?? .none,
            parameters.think.map(Value.bool) ?? .none,
        ]
        return .list(sampling)
    }
}
