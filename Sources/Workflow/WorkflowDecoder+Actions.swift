import Base
import YAML
import Template

/// The kind-specific fields of each step kind.
extension WorkflowDecoder {
    static let actionKeys: [StepKind: [String]] = [
        .generate: ["prompt", "messages", "system"],
        .summarize: ["text", "max_words", "max_sentences", "format", "language", "prompt"],
        .translate: ["text", "from", "to", "glossary", "prompt"],
        .extract: ["text", "schema", "prompt"],
        .ragQuery: ["knowledge", "query", "top_k", "prompt"],
        .template: ["template"],
        .read: ["path", "glob", "format"],
        .write: ["path", "content"],
        .review: WorkflowDecoder.reviewKeys,
    ]

    mutating func decodeAction(_ kind: StepKind, _ fields: Fields, what: String, scope: TemplateScope,
                               knowledge: [KnowledgeSpec]) -> StepAction? {
        /// A required template field: "step 'x' is missing required key 'k'" when absent.
        func required(_ decoder: inout WorkflowDecoder, _ key: String, _ scope: TemplateScope) -> TemplateField? {
            guard fields.has(key) else {
                decoder.error("\(what) is missing required key '\(key)'", at: fields.node.mark)
                return nil
            }
            return decoder.template(fields[key], key, scope: scope)
        }
        func recipe(_ decoder: inout WorkflowDecoder, _ locals: [String]) -> TemplateField? {
            decoder.template(fields["prompt"], "prompt", scope: TemplateScope(owner: scope.owner, locals: scope.locals + locals))
        }

        switch kind {
        case .generate:
            return decodeGenerate(fields, what: what, scope: scope).map(StepAction.generate)
        case .summarize:
            let text = required(&self, "text", scope)
            let maxWords = integer(fields["max_words"], "max_words", minimum: 1)
            let maxSentences = integer(fields["max_sentences"], "max_sentences", minimum: 1)
            let format = choice(fields["format"], "format", as: SummarizeAction.Format.self) ?? .prose
            let language = nonEmpty(fields["language"], "language")
            let prompt = recipe(&self, ["text", "max_words", "max_sentences", "format", "language"])
            guard let text else { return nil }
            return .summarize(SummarizeAction(text: text, maxWords: maxWords, maxSentences: maxSentences, format: format,
                                              language: language, prompt: prompt))
        case .translate:
            let text = required(&self, "text", scope)
            if !fields.has("to") { error("\(what) is missing required key 'to'", at: fields.node.mark) }
            let to = nonEmpty(fields["to"], "to")
            let from = nonEmpty(fields["from"], "from")
            let terms = glossary(fields["glossary"])
            let prompt = recipe(&self, ["text", "from", "to", "glossary"])
            guard let text, let to else { return nil }
            return .translate(TranslateAction(text: text, from: from, to: to, glossary: terms, prompt: prompt))
        case .extract:
            let text = required(&self, "text", scope)
            guard let schemaNode = fields["schema"] else {
                error("\(what) is missing required key 'schema'", at: fields.node.mark)
                return nil
            }
            let schema = outputSchema(schemaNode)
            let prompt = recipe(&self, ["text", "schema"])
            guard let text, let schema else { return nil }
            return .extract(ExtractAction(text: text, schema: schema, prompt: prompt))
        case .ragQuery:
            guard let knowledgeNode = fields["knowledge"] else {
                error("\(what) is missing required key 'knowledge'", at: fields.node.mark)
                return nil
            }
            var base = nonEmpty(knowledgeNode, "knowledge")
            if let name = base, !knowledge.contains(where: { $0.name == name }) {
                let declared = knowledge.isEmpty ? " (no knowledge bases are declared under 'knowledge')" : Suggestion.hint(for: name, in: knowledge.map(\.name))
                error("\(what) uses unknown knowledge base '\(name)'\(declared)", at: knowledgeNode.mark)
                base = nil
            }
            let query = required(&self, "query", scope)
            let topK = integer(fields["top_k"], "top_k", minimum: 1) ?? 5
            let prompt = recipe(&self, ["documents", "query"])
            guard let base, let query else { return nil }
            return .ragQuery(RAGQueryAction(knowledge: base, query: query, topK: topK, prompt: prompt))
        case .review:
            return decodeReview(fields, what: what, scope: scope).map(StepAction.review)
        case .template:
            return required(&self, "template", scope).map { .template(TemplateAction(template: $0)) }
        case .read:
            let format = choice(fields["format"], "format", as: ReadAction.Format.self)
            guard let onePath = oneOf(fields, "path", "glob", what: what, both: "read one file or a glob") else { return nil }
            let source = onePath ? template(fields["path"], "path", scope: scope).map(ReadAction.Source.path)
                : template(fields["glob"], "glob", scope: scope).map(ReadAction.Source.glob)
            return source.map { .read(ReadAction(source: $0, format: format)) }
        case .write:
            let path = required(&self, "path", scope)
            let content = required(&self, "content", scope)
            guard let path, let content else { return nil }
            return .write(WriteAction(path: path, content: content))
        }
    }

    /// Which of two keys that exclude each other `fields` holds: true for `first`, false for
    /// `second`; nil, reported, when it holds both (`advice` says what to do) or neither.
    private mutating func oneOf(_ fields: Fields, _ first: String, _ second: String, what: String, both advice: String) -> Bool? {
        switch (fields.has(first), fields.has(second)) {
        case (true, true):
            error("\(what) has both '\(first)' and '\(second)': \(advice)", at: fields.keyMark(second) ?? fields.node.mark)
            return nil
        case (false, false):
            error("\(what) is missing required key '\(first)' (or '\(second)')", at: fields.node.mark)
            return nil
        case (let hasFirst, _):
            return hasFirst
        }
    }

    private mutating func decodeGenerate(_ fields: Fields, what: String, scope: TemplateScope) -> GenerateAction? {
        switch oneOf(fields, "prompt", "messages", what: what, both: "write one") {
        case nil:
            return nil
        case true?:
            let system = template(fields["system"], "system", scope: scope)
            return template(fields["prompt"], "prompt", scope: scope).map { GenerateAction(prompt: .text($0), system: system) }
        case false?:
            if let systemMark = fields.keyMark("system") {
                error("'system' goes with 'prompt'; with 'messages', write a message with role: system", at: systemMark)
            }
            guard let node = fields["messages"], let items = node.sequence, !items.isEmpty else {
                error("expected a list of { role, content } for 'messages'", at: fields["messages"]?.mark ?? fields.node.mark)
                return nil
            }
            var messages: [MessageTemplate] = []
            for item in items {
                guard let message = self.fields(item, "a message", allowed: ["role", "content"]) else { continue }
                guard message.has("role"), message.has("content") else {
                    error("a message of \(what) is missing required key '\(message.has("role") ? "content" : "role")'", at: item.mark)
                    continue
                }
                if let role = choice(message["role"], "role", as: MessageTemplate.Role.self),
                   let content = template(message["content"], "content", scope: scope) {
                    messages.append(MessageTemplate(role: role, content: content))
                }
            }
            return messages.count == items.count ? GenerateAction(prompt: .messages(messages)) : nil
        }
    }

    /// `glossary: { 한빛시: Hanbit City, 봄꽃 축제: Spring Flower Festival }`, in order.
    private mutating func glossary(_ node: Node?) -> [GlossaryEntry] {
        guard let node else { return [] }
        guard let entries = node.mapping else {
            error("expected a mapping of terms to translations for 'glossary', found \(describe(node))", at: node.mark)
            return []
        }
        return entries.compactMap { entry in
            guard let source = string(entry.key, "glossary"), let target = string(entry.value, "glossary") else { return nil }
            return GlossaryEntry(source: source, target: target)
        }
    }

    /// The compact schema form: a type name, `[type]` for a list, a list of words for an enum, a mapping for an object.
    mutating func outputSchema(_ node: Node) -> JSONShape? {
        switch node.content {
        case .scalar(let scalar):
            var name = scalar.value
            if name.hasSuffix("?") { name.removeLast() }
            switch name {
            case "string": return .string
            case "number": return .number
            case "integer": return .integer
            case "boolean": return .boolean
            default:
                error("unknown schema type '\(scalar.value)' (expected string, number, integer, boolean, [type] or a mapping)\(Suggestion.hint(for: name, in: JSONShape.typeNames))", at: node.mark)
                return nil
            }
        case .sequence(let items):
            if items.count == 1 { return outputSchema(items[0]).map { .list($0) } }
            let words = items.compactMap { $0.scalar?.value }
            guard items.count >= 2, words.count == items.count else {
                error("a list in a schema is either [type] (a list of that type) or two or more words (one of them)", at: node.mark)
                return nil
            }
            return .enumeration(words)
        case .mapping(let entries):
            var result: [JSONShape.Field] = []
            for entry in entries {
                guard var name = entry.key.scalar?.value else { continue }
                var optional = entry.value.scalar?.value.hasSuffix("?") ?? false
                if name.hasSuffix("?") {
                    name.removeLast()
                    optional = true
                }
                if let schema = outputSchema(entry.value) { result.append(JSONShape.Field(name: name, schema: schema, optional: optional)) }
            }
            return result.count == entries.count ? .object(result) : nil
        }
    }
}
