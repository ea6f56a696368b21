import Base
import YAML
import Template

/// `steps:` — each step's common keys; the kind-specific fields are in `WorkflowDecoder+Actions.swift`.
extension WorkflowDecoder {
    static let commonStepKeys = ["id", "kind", "description", "needs", "when", "for_each", "retry", "timeout", "on_error", "files"]
    static let modelStepKeys = ["model"] + Sampling.keys

    /// The step ids written in the file, read before decoding so that every reference can be checked
    /// even when the step it names has problems of its own.
    static func declaredStepIDs(_ node: Node?) -> [(id: String, mark: Mark)] {
        (node?.sequence ?? []).compactMap { step in
            guard let idNode = step["id"], let id = idNode.scalar?.value else { return nil }
            return (id, idNode.mark)
        }
    }

    mutating func decodeSteps(_ node: Node, defaults: Defaults, models: [ModelSpec], knowledge: [KnowledgeSpec]) -> [Step] {
        guard let items = node.sequence else {
            error("expected a list of steps for 'steps', found \(describe(node))", at: node.mark)
            return []
        }
        if items.isEmpty { error("'steps' must list at least one step", at: node.mark) }
        var steps: [Step] = []
        var firstDefinition: [String: Mark] = [:]
        for (index, item) in items.enumerated() {
            guard item.mapping != nil else {
                error("expected a mapping for step \(index + 1), found \(describe(item))", at: item.mark)
                continue
            }
            guard let idNode = item["id"] else {
                error("step \(index + 1) is missing required key 'id'", at: item.mark)
                continue
            }
            guard let id = nonEmpty(idNode, "id") else { continue }
            if let first = firstDefinition[id] {
                error("duplicate step id '\(id.shortened())' (first defined at line \(first.line))", at: idNode.mark)
                continue
            }
            firstDefinition[id] = idNode.mark
            guard WorkflowDecoder.isIdentifier(id) else {
                let suggestion = id.map { $0 == "-" || $0 == " " || $0 == "." ? "_" : $0 }
                error("step id '\(id)' is not a valid name: use letters, digits and '_' so templates can read steps.\(String(suggestion)).output", at: idNode.mark)
                continue
            }
            let parsedBefore = parsedReferences.count
            if let step = decodeStep(item, id: id, idMark: idNode.mark, defaults: defaults, models: models, knowledge: knowledge) {
                steps.append(step)
            } else {
                orphanReferences += parsedReferences[parsedBefore...]
            }
        }
        return steps
    }

    private mutating func decodeStep(_ node: Node, id: String, idMark: Mark, defaults: Defaults, models: [ModelSpec],
                                     knowledge: [KnowledgeSpec]) -> Step? {
        let what = "step '\(id.shortened())'"
        guard let kindNode = node["kind"] else {
            error("\(what) is missing required key 'kind'", at: idMark)
            return nil
        }
        guard let kindName = string(kindNode, "kind") else { return nil }
        guard let kind = StepKind(rawValue: kindName) else {
            let names = StepKind.allCases.map(\.rawValue)
            error("unknown step kind '\(kindName.shortened())' (expected \(names.joined(separator: ", ")))\(Suggestion.hint(for: kindName, in: names))", at: kindNode.mark)
            return nil
        }
        let usesModel = kind != .template && kind != .read && kind != .write && kind != .review
        var allowed = WorkflowDecoder.commonStepKeys + WorkflowDecoder.actionKeys[kind, default: []]
        var notApplicable: [String: String] = [:]
        if kind == .review {
            // One decision per review: no items to map over, nothing to retry.
            allowed.removeAll { $0 == "for_each" || $0 == "retry" }
            notApplicable["for_each"] = "a review step waits for one decision"
            notApplicable["retry"] = "a review step waits for a person, it does not fail and retry"
        }
        if usesModel {
            allowed += WorkflowDecoder.modelStepKeys
        } else {
            for key in WorkflowDecoder.modelStepKeys { notApplicable[key] = "a \(kind.rawValue) step calls no model" }
        }
        guard let fields = fields(node, what, allowed: allowed, notApplicable: notApplicable) else { return nil }

        var scope = TemplateScope(owner: what)
        // A step a review sends work back to sees the reviewer's note (`review.note`, `review.round`).
        if redoTargets.contains(id) { scope.locals.append("review") }
        var forEach: ForEach?
        if let forEachNode = fields["for_each"] {
            forEach = decodeForEach(forEachNode, scope: scope)
            scope.locals += ["item", "index"]
        }
        let when = template(fields["when"], "when", scope: scope, bareExpression: true)
        // The model is checked before the action, so a misspelt model is reported even when a
        // prompt has problems of its own.
        let namedModel = fields["model"].flatMap { modelName($0, models: models, what: what) }
        guard let action = decodeAction(kind, fields, what: what, scope: scope, knowledge: knowledge) else { return nil }
        let files = decodeFiles(fields["files"], scope: TemplateScope(owner: what, locals: scope.locals + ["output"]))

        var model: String?
        if action.usesLanguageModel {
            if fields["model"] != nil {
                model = namedModel
            } else {
                model = defaults.model ?? (models.count == 1 ? models[0].name : nil)
                if model == nil, models.count > 1 {
                    error("\(what) does not say which model to use: set 'model' on the step or in 'defaults' (declared: \(models.map(\.name).joined(separator: ", ")))", at: idMark)
                }
            }
        }
        let explicitNeeds = stringList(fields["needs"], "needs") ?? []
        for item in fields["needs"].map({ $0.sequence ?? [$0] }) ?? [] {
            if let needed = item.scalar?.value, !stepIDs.contains(needed) {
                error("\(what) needs unknown step '\(needed)'\(Suggestion.hint(for: needed, in: stepIDs.subtracting([id]).sorted()))", at: item.mark)
            }
        }
        var references: [WorkflowReference] = forEachReferences(forEach) + (when?.references ?? [])
        references += action.templates.flatMap(\.field.references)
        references += files.flatMap { $0.path.references + $0.content.references }
        var stepSampling = usesModel ? sampling(fields).merged(over: defaults.sampling) : Sampling()
        // A rag_query's `top_k` is how many chunks to retrieve, not the model's sampling top-k.
        if kind == .ragQuery { stepSampling.topK = defaults.sampling.topK }
        return Step(id: id, action: action, needs: explicitNeeds, explicitNeeds: explicitNeeds, when: when, forEach: forEach, model: model,
                    sampling: stepSampling,
                    retry: retry(fields["retry"]) ?? defaults.retry ?? .none,
                    // A review's `timeout` is how long it waits for a person (in the action), not a
                    // time limit on work, and `defaults.timeout` does not apply to it.
                    timeout: kind == .review ? nil : duration(fields["timeout"], "timeout") ?? defaults.timeout,
                    onError: choice(fields["on_error"], "on_error", as: ErrorPolicy.self) ?? defaults.onError ?? .continue,
                    files: files, description: string(fields["description"], "description"), references: references,
                    location: location(idMark))
    }

    /// A model name that must be declared under `models:`.
    mutating func modelName(_ node: Node, models: [ModelSpec], what: String) -> String? {
        guard let name = nonEmpty(node, "model") else { return nil }
        guard models.contains(where: { $0.name == name }) else {
            let declared = models.isEmpty ? " (no models are declared under 'models')" : Suggestion.hint(for: name, in: models.map(\.name))
            error("\(what) uses unknown model '\(name)'\(declared)", at: node.mark)
            return nil
        }
        return name
    }

    /// `for_each: EXPR`, `for_each: [a, b]` or `for_each: { items: ..., concurrency: N }`.
    private mutating func decodeForEach(_ node: Node, scope: TemplateScope) -> ForEach? {
        if node.mapping != nil {
            guard let fields = fields(node, "for_each", allowed: ["items", "concurrency"]) else { return nil }
            guard let itemsNode = fields["items"] else {
                error("for_each is missing required key 'items'", at: node.mark)
                return nil
            }
            guard let items = forEachItems(itemsNode, scope: scope) else { return nil }
            return ForEach(items: items, concurrency: integer(fields["concurrency"], "concurrency", minimum: 1))
        }
        return forEachItems(node, scope: scope).map { ForEach(items: $0) }
    }

    private mutating func forEachItems(_ node: Node, scope: TemplateScope) -> ForEach.Items? {
        if let items = node.sequence { return .literal(items.map(literalValue)) }
        return template(node, "for_each", scope: scope, bareExpression: true).map { .expression($0) }
    }

    private func forEachReferences(_ forEach: ForEach?) -> [WorkflowReference] {
        if case .expression(let field)? = forEach?.items { return field.references }
        return []
    }

    /// `files: [{ path: ..., content: ... }]` on a step or under `outputs`.
    mutating func decodeFiles(_ node: Node?, scope: TemplateScope) -> [OutputFile] {
        guard let node else { return [] }
        guard let items = node.sequence else {
            error("expected a list of { path, content } for 'files', found \(describe(node))", at: node.mark)
            return []
        }
        var files: [OutputFile] = []
        for item in items {
            guard let fields = fields(item, "a file of \(scope.owner)", allowed: ["path", "content"]) else { continue }
            guard fields.has("path"), fields.has("content") else {
                error("a file of \(scope.owner) is missing required key '\(fields.has("path") ? "content" : "path")'", at: item.mark)
                continue
            }
            if let path = template(fields["path"], "path", scope: scope), let content = template(fields["content"], "content", scope: scope) {
                files.append(OutputFile(path: path, content: content, location: location(item.mark)))
            }
        }
        return files
    }
}
