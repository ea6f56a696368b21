import Base
import Template

/// What a step does: its kind with the kind's own fields.
public enum StepAction: Sendable, Equatable {
    case generate(GenerateAction)
    case summarize(SummarizeAction)
    case translate(TranslateAction)
    case extract(ExtractAction)
    case ragQuery(RAGQueryAction)
    case template(TemplateAction)
    case read(ReadAction)
    case write(WriteAction)
    case review(ReviewAction)

    public var kind: StepKind {
        switch self {
        case .generate: return .generate
        case .summarize: return .summarize
        case .translate: return .translate
        case .extract: return .extract
        case .ragQuery: return .ragQuery
        case .template: return .template
        case .read: return .read
        case .write: return .write
        case .review: return .review
        }
    }

    /// Whether the step calls a language model (and so has a model, sampling and a placeholder
    /// output in `baton render`). A `rag_query` without `prompt` only searches.
    public var usesLanguageModel: Bool {
        switch self {
        case .generate, .summarize, .translate, .extract: return true
        case .ragQuery(let action): return action.prompt != nil
        case .template, .read, .write, .review: return false
        }
    }

    /// The templates of the action, with the YAML key each one sits under.
    public var templates: [(key: String, field: TemplateField)] {
        switch self {
        case .generate(let action):
            switch action.prompt {
            case .text(let prompt): return [("prompt", prompt)] + (action.system.map { [("system", $0)] } ?? [])
            case .messages(let messages): return messages.map { ("messages", $0.content) }
            }
        case .summarize(let action): return [("text", action.text)] + (action.prompt.map { [("prompt", $0)] } ?? [])
        case .translate(let action): return [("text", action.text)] + (action.prompt.map { [("prompt", $0)] } ?? [])
        case .extract(let action): return [("text", action.text)] + (action.prompt.map { [("prompt", $0)] } ?? [])
        case .ragQuery(let action): return [("query", action.query)] + (action.prompt.map { [("prompt", $0)] } ?? [])
        case .template(let action): return [("template", action.template)]
        case .read(let action):
            switch action.source {
            case .path(let path): return [("path", path)]
            case .glob(let glob): return [("glob", glob)]
            }
        case .write(let action): return [("path", action.path), ("content", action.content)]
        case .review(let action): return [("show", action.show)]
        }
    }
}

/// `kind: generate`: a prompt (or chat messages) sent to the model; the output is its reply.
public struct GenerateAction: Sendable, Equatable {
    public enum Prompt: Sendable, Equatable {
        /// `prompt:` — one user message.
        case text(TemplateField)
        /// `messages:` — `[{ role: system|user|assistant, content: ... }]`.
        case messages([MessageTemplate])
    }

    public var prompt: Prompt
    /// `system:` next to `prompt:`, a system message sent first.
    public var system: TemplateField?

    /// The conversation to send: `system` then `prompt` as a user message, or the messages as written.
    public var messages: [MessageTemplate] {
        switch prompt {
        case .text(let text):
            return (system.map { [MessageTemplate(role: .system, content: $0)] } ?? []) + [MessageTemplate(role: .user, content: text)]
        case .messages(let messages):
            return messages
        }
    }
}

/// One chat message of a `generate` step, before rendering: its content is a template. Rendered,
/// it becomes a `ChatMessage` (Base) with the same role.
public struct MessageTemplate: Sendable, Equatable {
    public typealias Role = ChatMessage.Role

    public var role: Role
    public var content: TemplateField
}

/// `kind: summarize`: a built-in recipe (Korean or English) that summarizes `text`.
public struct SummarizeAction: Sendable, Equatable {
    public enum Format: String, Sendable, Equatable, CaseIterable {
        case prose, bullets
    }

    public var text: TemplateField
    public var maxWords: Int?
    public var maxSentences: Int?
    public var format: Format = .prose
    /// Output language (`ko`, `en`, ...); `nil` keeps the text's language.
    public var language: String?
    /// Replaces the built-in recipe; sees `text`, `max_words`, `max_sentences`, `format`, `language`.
    public var prompt: TemplateField?
}

/// `kind: translate`: translates `text` from one language to another, keeping glossary terms.
public struct TranslateAction: Sendable, Equatable {
    public var text: TemplateField
    /// Source language (`ko`); `nil` lets the model detect it.
    public var from: String?
    /// Target language (`en`).
    public var to: String
    /// Fixed translations that must appear in the output, in the order written.
    public var glossary: [GlossaryEntry] = []
    /// Replaces the built-in recipe; sees `text`, `from`, `to`, `glossary`.
    public var prompt: TemplateField?
}

/// One glossary term: `한빛시: Hanbit City`.
public struct GlossaryEntry: Sendable, Equatable {
    public var source: String
    public var target: String
}

/// `kind: extract`: the model answers with JSON, parsed and validated against `schema`.
public struct ExtractAction: Sendable, Equatable {
    public var text: TemplateField
    public var schema: JSONShape
    /// Replaces the built-in recipe; sees `text` and `schema` (as JSON Schema text).
    public var prompt: TemplateField?
}

/// `kind: rag_query`: searches a knowledge base; with `prompt`, also answers from the documents.
public struct RAGQueryAction: Sendable, Equatable {
    /// A name from `knowledge:`.
    public var knowledge: String
    public var query: TemplateField
    public var topK: Int = 5
    /// The answer prompt; sees `documents` (list of `{text, source, title, score}`) and `query`.
    public var prompt: TemplateField?
}

/// `kind: template`: renders a template; no model involved.
public struct TemplateAction: Sendable, Equatable {
    public var template: TemplateField
}

/// `kind: read`: reads a file (`path:`) or every file matching a glob (`glob:`).
public struct ReadAction: Sendable, Equatable {
    public enum Source: Sendable, Equatable {
        case path(TemplateField)
        case glob(TemplateField)
    }

    public enum Format: String, Sendable, Equatable, CaseIterable {
        case text, markdown, csv, jsonl
    }

    public var source: Source
    /// `nil`: chosen by each file's extension (`.csv`, `.jsonl`, `.md`, else text).
    public var format: Format?
}

/// `kind: write`: writes `content` to `path` inside the run's output folder.
public struct WriteAction: Sendable, Equatable {
    public var path: TemplateField
    public var content: TemplateField
}
