import Base
import Foundation
import Template

/// Renders every prompt of a workflow in run order without calling a model (`baton render FILE`).
///
/// Steps that need no model are carried out for real (`read` reads its files, `template`
/// renders), so a preview shows the real data; the results of model steps are placeholders such as
/// `⟨steps.copy.output⟩` (an `extract` step's placeholder has its schema's shape, a `rag_query`'s
/// `documents` two placeholder documents). Nothing is written.
public struct WorkflowPreview {
    public let workflow: Workflow
    /// Inputs as resolved; secret ones are shown as `***`.
    public let context: RunContext
    /// The messages a recipe step (`summarize`, `translate`, `extract`) sends, as the engine
    /// builds them; `baton render` plugs in `PromptPreview.messages` so the preview shows the
    /// real prompts, glossary terms included. Nil: the recipe's parameters are shown instead.
    public var recipeMessages: ((StepAction, [String: Value]) throws -> [ChatMessage])?

    public init(workflow: Workflow, inputs: [String: Value], now: Date = Date()) {
        self.workflow = workflow
        context = RunContext(workflow: workflow, inputs: inputs, runID: "preview", startedAt: now, maskSecrets: true)
    }

    /// The preview text and the problems met while rendering (each also shown inline). Every
    /// render is bounded by the workflow's `defaults: render_budget:`, as in a run: a preview of
    /// a runaway template stops where the run would.
    public func render() -> (text: String, problems: [Diagnostic]) {
        RenderBudget.$current.withValue(workflow.defaults.renderBudget ?? .standard) { renderBounded() }
    }

    private func renderBounded() -> (text: String, problems: [Diagnostic]) {
        var out = "\(workflow.name) · preview of every prompt, no model is called\n"
        var problems: [Diagnostic] = []
        var runContext = self.context
        func context(_ extra: [String: Value] = [:]) -> [String: Value] {
            runContext.values(extra)
        }
        func show(_ field: TemplateField, _ extra: [String: Value]) -> String {
            do {
                return try field.render(context(extra))
            } catch {
                let diagnostic = workflow.attachingSource(to: error)
                problems.append(diagnostic)
                return "‼ " + diagnostic.description
            }
        }

        let redoTargets = workflow.redoTargets
        for step in workflow.topologicalOrder {
            let model = step.model.map { ", model \($0)" } ?? (step.action.usesLanguageModel ? ", Baton's default model" : "")
            let title = "\(step.id) (\(step.kind.rawValue)\(model))"
            var iterations: [[String: Value]] = [[:]]
            if let forEach = step.forEach {
                switch forEach.items {
                case .literal(let items):
                    iterations = items.enumerated().map { RunContext.itemLocals(item: $1, index: $0) }
                case .expression(let field):
                    do {
                        if case .list(let items) = try field.evaluate(context()) {
                            iterations = items.enumerated().map { RunContext.itemLocals(item: $1, index: $0) }
                        } else {
                            iterations = [["item": .string("⟨item⟩"), "index": .int(0)]]
                        }
                    } catch {
                        problems.append(workflow.attachingSource(to: error))
                        iterations = [["item": .string("⟨item⟩"), "index": .int(0)]]
                    }
                }
            }
            var outputs: [Value] = []
            var status = RunContext.StepStatus.succeeded
            for (number, itemExtra) in iterations.enumerated() {
                let extra = redoTargets.contains(step.id) ? itemExtra.merging(ReviewAction.locals()) { $1 } : itemExtra
                let suffix = step.forEach == nil ? "" : " [item \(number + 1)/\(iterations.count)]"
                if let when = step.when {
                    let value = (try? when.evaluate(context(extra))) ?? .bool(true)
                    if !value.isTruthy {
                        out += "\n=== \(title)\(suffix): skipped, 'when' is false ===\n"
                        status = .skipped
                        outputs.append(.none)
                        continue
                    }
                }
                out += "\n=== \(title)\(suffix) ===\n"
                let placeholder = step.forEach == nil ? "steps.\(step.id).output" : "steps.\(step.id).output[\(number)]"
                // `show` records its own problems; `perform` gets a separate list so the two never
                // access one variable at the same time.
                var stepProblems: [Diagnostic] = []
                let result = perform(step, extra: extra, placeholder: placeholder, show: show, context: context, out: &out,
                                     problems: &stepProblems)
                problems += stepProblems
                outputs.append(result)
                for file in step.files {
                    let fileExtra = extra.merging(["output": result]) { $1 }
                    out += "--- file \(show(file.path, fileExtra)) ---\n" + terminated(show(file.content, fileExtra))
                }
            }
            var documents: Value?
            if case .ragQuery = step.action { documents = WorkflowPreview.placeholderDocuments(step.id) }
            runContext.record(step: step.id, output: step.forEach == nil ? (outputs.first ?? .none) : .list(outputs), status: status,
                              documents: documents)
        }

        if !workflow.outputs.values.isEmpty || !workflow.outputs.files.isEmpty {
            out += "\n=== outputs ===\n"
            for output in workflow.outputs.values {
                do {
                    out += "\(output.name): \(WorkflowPreview.display(try output.value.evaluate(context())))\n"
                } catch {
                    let diagnostic = workflow.attachingSource(to: error)
                    problems.append(diagnostic)
                    out += "\(output.name): ‼ \(diagnostic.description)\n"
                }
            }
            for file in workflow.outputs.files {
                out += "--- file \(show(file.path, [:])) ---\n" + terminated(show(file.content, [:]))
            }
        }
        return (out, problems)
    }

    /// Shows the step's prompts and returns its (real or placeholder) output.
    private func perform(_ step: Step, extra: [String: Value], placeholder: String, show: (TemplateField, [String: Value]) -> String,
                         context: ([String: Value]) -> [String: Value], out: inout String, problems: inout [Diagnostic]) -> Value {
        let marker = Value.string("⟨\(placeholder)⟩")
        func section(_ label: String, _ text: String) { out += "--- \(label) ---\n" + terminated(text) }
        /// A recipe's own `prompt:`, shown with the recipe's locals (`text`, `to`, ...) over `extra`.
        func promptSection(_ prompt: TemplateField?, _ locals: @autoclosure () -> [String: Value]) {
            if let recipeMessages {
                // The messages a run would send, built by the engine from the same context.
                do {
                    for message in try recipeMessages(step.action, context(extra)) { section("sent: \(message.role.rawValue)", message.content) }
                } catch {
                    let diagnostic = (error as? Diagnostic) ?? Diagnostic(location: step.location, message: "\(error)")
                    problems.append(diagnostic)
                    section("sent", "‼ " + diagnostic.description)
                }
                return
            }
            if let prompt { section("prompt", show(prompt, extra.merging(locals()) { $1 })) }
        }
        /// A recipe step (summarize, translate, extract): its text, its settings under `label`,
        /// and its own prompt with the locals made from the shown text.
        func recipe(_ textField: TemplateField, _ label: String, _ settings: String, _ prompt: TemplateField?,
                    _ locals: (String) -> [String: Value]) {
            let text = show(textField, extra)
            section("text", text)
            section(label, settings)
            promptSection(prompt, locals(text))
        }
        switch step.action {
        case .generate(let action):
            for message in action.messages { section(message.role.rawValue, show(message.content, extra)) }
            return marker
        case .summarize(let action):
            var parameters = ["format: \(action.format.rawValue)"]
            if let words = action.maxWords { parameters.append("max_words: \(words)") }
            if let sentences = action.maxSentences { parameters.append("max_sentences: \(sentences)") }
            if let language = action.language { parameters.append("language: \(language)") }
            recipe(action.text, "recipe summarize", parameters.joined(separator: "\n"), action.prompt) { action.promptLocals(text: $0) }
            return marker
        case .translate(let action):
            let parameters = ["from: \(action.from ?? "auto")", "to: \(action.to)"] + action.glossary.map { "glossary: \($0.source) → \($0.target)" }
            recipe(action.text, "recipe translate", parameters.joined(separator: "\n"), action.prompt) { action.promptLocals(text: $0) }
            return marker
        case .extract(let action):
            recipe(action.text, "recipe extract: JSON schema", action.schema.jsonSchema, action.prompt) { action.promptLocals(text: $0) }
            return WorkflowPreview.placeholder(action.schema, placeholder)
        case .ragQuery(let action):
            let query = show(action.query, extra)
            section("query (knowledge \(action.knowledge), top_k \(action.topK))", query)
            guard let prompt = action.prompt else { return marker }
            let locals = action.promptLocals(documents: WorkflowPreview.placeholderDocuments(step.id), query: query)
            section("prompt", show(prompt, extra.merging(locals) { $1 }))
            return marker
        case .review(let action):
            // Shown as the reviewer would read it; the preview goes on as if it were approved.
            let text = show(action.show, extra)
            section("review (\(action.actions.map(\.rawValue).joined(separator: ", "))\(action.reviewers.isEmpty ? "" : "; reviewers " + action.reviewers.joined(separator: ", ")))", text)
            return .string(text)
        case .template(let action):
            let text = show(action.template, extra)
            section("template", text)
            return .string(text)
        case .read(let action):
            do {
                switch action.source {
                case .path(let path):
                    let file = show(path, extra)
                    let value = try StepFileReader.read(path: file, format: action.format, in: workflow.directory)
                    section("read \(file)", WorkflowPreview.summary(of: value))
                    return value
                case .glob(let glob):
                    let pattern = show(glob, extra)
                    let value = try StepFileReader.read(glob: pattern, format: action.format, in: workflow.directory)
                    section("read \(pattern)", WorkflowPreview.summary(of: value))
                    return value
                }
            } catch {
                problems.append(error)
                section("read", "‼ \(error.description)")
                return marker
            }
        case .write(let action):
            section("write \(show(action.path, extra))", show(action.content, extra))
            return .string(show(action.path, extra))
        }
    }

    private func terminated(_ text: String) -> String { text.hasSuffix("\n") ? text : text + "\n" }

    /// A placeholder with the schema's shape: objects keep their fields, lists hold one element.
    static func placeholder(_ schema: JSONShape, _ path: String) -> Value {
        switch schema {
        case .object(let fields):
            var dictionary: ValueDictionary = [:]
            for field in fields { dictionary[field.name] = placeholder(field.schema, path + "." + field.name) }
            return .dict(dictionary)
        case .list(let element):
            return .list([placeholder(element, path + "[0]")])
        default:
            return .string("⟨\(path)⟩")
        }
    }

    /// Two placeholder search results with the fields real ones have.
    static func placeholderDocuments(_ id: String) -> Value {
        .list((1...2).map { number in
            .dict(["text": .string("⟨steps.\(id).documents[\(number - 1)].text⟩"), "source": .string("⟨source \(number)⟩"),
                   "title": .string("⟨title \(number)⟩"), "score": .double(0)])
        })
    }

    /// A short description of read data: the text, or the number of rows/files and the first one.
    static func summary(of value: Value) -> String {
        switch value {
        case .string(let text): return text
        case .list(let items):
            guard let first = items.first else { return "0 items" }
            var shownFirst = first
            if case .dict(var file) = first, case .string(let text)? = file["text"], text.count > 200 {
                file["text"] = .string(String(text.prefix(200)) + "…")
                shownFirst = .dict(file)
            }
            return "\(items.count) item\(items.count == 1 ? "" : "s"), the first: \(shownFirst.jsonString())"
        default: return value.jsonString()
        }
    }

    /// A value as shown in a preview: text as is, anything else as JSON.
    static func display(_ value: Value) -> String {
        if case .string(let text) = value { return text }
        return value.jsonString()
    }
}
