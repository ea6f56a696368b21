import Foundation
import Template

/// The names a run's templates read, built up as steps finish: `inputs`, `steps`, `run`.
///
/// The engine and `baton render` both use it, so the names the loader checks (`steps.ID.output`,
/// `steps.ID.status`, `steps.ID.documents`, `run.date`, ...) are exactly the names a run provides.
public struct RunContext: Sendable {
    /// The resolved inputs, in declaration order.
    public private(set) var inputs: ValueDictionary
    /// One entry per finished (or skipped, or failed) step: `{output, status}` plus `documents` for `rag_query`.
    public private(set) var steps: ValueDictionary = [:]
    /// `run.id`, `run.workflow`, `run.date`, `run.started_at`, `run.trigger`, `run.scheduled_at`.
    public var run: ValueDictionary

    /// What happened to a step; templates read it as `steps.ID.status`.
    public enum StepStatus: String, Sendable, CaseIterable {
        case succeeded, skipped, failed
    }

    /// - Parameters:
    ///   - inputs: from `InputBinding.resolve`.
    ///   - maskSecrets: show `secret: true` inputs as `***` (for previews and anything a person sees).
    ///   - trigger: `manual`, `schedule` or `resume`.
    ///   - timeZone: the zone of `run.date` and `run.started_at` (a schedule's zone for scheduled runs).
    public init(workflow: Workflow, inputs: [String: Value], runID: String, trigger: String = "manual", startedAt: Date = Date(),
                scheduledAt: Date? = nil, timeZone: TimeZone = .current, maskSecrets: Bool = false) {
        var ordered: ValueDictionary = [:]
        for spec in workflow.inputs {
            guard let value = inputs[spec.name] else { continue }
            ordered[spec.name] = maskSecrets && spec.secret && value != .none ? "***" : value
        }
        self.inputs = ordered
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = timeZone
        let started = formatter.string(from: startedAt)
        run = ["id": .string(runID), "workflow": .string(workflow.name), "date": .string(String(started.prefix(10))),
               "started_at": .string(started), "trigger": .string(trigger),
               "scheduled_at": scheduledAt.map { .string(formatter.string(from: $0)) } ?? .none]
    }

    /// Records a step's result so later templates can read `steps.ID...`.
    public mutating func record(step id: String, output: Value, status: StepStatus, documents: Value? = nil) {
        var result: ValueDictionary = ["output": output, "status": .string(status.rawValue)]
        if let documents { result["documents"] = documents }
        steps[id] = .dict(result)
    }

    /// The context to render a template with: `inputs`, `steps`, `run`, plus the template's locals
    /// (`item`/`index` in `for_each`, `output` in step files, a recipe prompt's parameters).
    public func values(_ locals: [String: Value] = [:]) -> [String: Value] {
        var context: [String: Value] = ["inputs": .dict(inputs), "steps": .dict(steps), "run": .dict(run)]
        for (key, value) in locals { context[key] = value }
        return context
    }

    /// The locals of one `for_each` iteration.
    public static func itemLocals(item: Value, index: Int) -> [String: Value] {
        ["item": item, "index": .int(index)]
    }
}

// The locals a recipe's `prompt:` override sees, in one place for the engine and the preview.

extension SummarizeAction {
    /// `text`, `max_words`, `max_sentences`, `format`, `language`.
    public func promptLocals(text: String) -> [String: Value] {
        ["text": .string(text), "max_words": maxWords.map(Value.int) ?? .none, "max_sentences": maxSentences.map(Value.int) ?? .none,
         "format": .string(format.rawValue), "language": language.map(Value.string) ?? .none]
    }
}

extension TranslateAction {
    /// `text`, `from`, `to`, `glossary` (a mapping of terms to their translations, in order).
    public func promptLocals(text: String) -> [String: Value] {
        var terms: ValueDictionary = [:]
        for entry in glossary { terms[entry.source] = .string(entry.target) }
        return ["text": .string(text), "from": from.map(Value.string) ?? .none, "to": .string(to), "glossary": .dict(terms)]
    }
}

extension ExtractAction {
    /// `text` and `schema` (the JSON Schema as text).
    public func promptLocals(text: String) -> [String: Value] {
        ["text": .string(text), "schema": .string(schema.jsonSchema)]
    }
}

extension RAGQueryAction {
    /// `documents` (a list of `{text, source, title, score}`) and `query` (the rendered query).
    public func promptLocals(documents: Value, query: String) -> [String: Value] {
        ["documents": documents, "query": .string(query)]
    }
}
