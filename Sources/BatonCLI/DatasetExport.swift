import Audit
import Base
import Foundation

/// The training examples `baton dataset export` takes from the audit store: for each run (oldest
/// first), the final attempt of every model step as the messages it sent and the answer it kept.
///
/// A review decides what the answer is: the review whose shown text is the step's output (white
/// space at either end aside) replaces it with the reviewer's edited text, and a rejected output
/// is never an example. Reviews are read along the run's resume lineage, so a run continued after
/// its parent stopped for review sees that decision. Texts are as the store keeps them, secrets
/// already masked. Identical conversations are kept once.
struct DatasetExport {
    struct Filters: Equatable {
        var workflow: String?
        var step: String?
        var since: Date?
        /// Only outputs of runs that passed an approving review (their last decision approves).
        var approvedOnly = false
    }

    /// One conversation and the rows it came from.
    struct Example: Equatable {
        var messages: [ChatMessage]
        var runID: String
        var stepID: String
        var iteration: Int?
        /// The step attempt's row (the store's `seq`).
        var attemptRow: Int?
        /// The review decision that approved or edited the answer, if one did.
        var reviewRow: Int?
        var edited: Bool

        /// The JSONL line: `{"messages":[{"role":"...","content":"..."},...]}`.
        var line: String {
            "{\"messages\":[" + messages.map { "{\"role\":\(OutputJSON.quoted($0.role.rawValue)),\"content\":\(OutputJSON.quoted($0.content))}" }
                .joined(separator: ",") + "]}"
        }
    }

    /// What was looked at and why outputs were left out, for the manifest and the summary line.
    struct Counts: Equatable {
        var runs = 0
        /// Final succeeded model-step outputs that passed the workflow, step and date filters.
        var outputs = 0
        var rejected = 0
        var unapproved = 0
        var duplicates = 0
        /// Outputs whose prompt is a local model's chat-template rendering (not messages).
        var renderedPrompts = 0
        var edited = 0
    }

    var examples: [Example] = []
    var counts = Counts()

    /// The review rows of `run` and of the runs it resumed (parents, oldest first): a run decided
    /// in place keeps its reviews, but a later `baton resume` of it (after a failure) starts a
    /// child run whose reused outputs were approved on the parent.
    static func lineageReviews(_ store: AuditStore, run: RunRecord) throws -> [ReviewRecord] {
        var lineage: [RunRecord] = [run]
        while let parent = lineage.last?.parentRunID, !lineage.contains(where: { $0.id == parent }), let record = try store.run(id: parent) {
            lineage.append(record)
        }
        return try lineage.reversed().flatMap { try store.reviews(run: $0.id) }
    }

    init(store: AuditStore, filters: Filters) throws {
        var seen = Set<String>()
        for run in try store.runs(workflow: filters.workflow).reversed() where filters.since.map({ run.startedAt >= $0 }) ?? true {
            counts.runs += 1
            let decisions = try Self.lineageReviews(store, run: run).filter(\.event.isDecision)
            let approvedRun = decisions.last.map { $0.event != .rejected } ?? false
            for attempt in Self.finalAttempts(try store.attempts(run: run.id)) {
                guard attempt.status == .succeeded, attempt.model != nil, let output = attempt.outputText,
                      filters.step.map({ $0 == attempt.stepID }) ?? true else { continue }
                counts.outputs += 1
                let shown = output.trimmingCharacters(in: .whitespacesAndNewlines)
                let decision = decisions.last { $0.shownText.trimmingCharacters(in: .whitespacesAndNewlines) == shown }
                if decision?.event == .rejected { counts.rejected += 1; continue }
                if filters.approvedOnly && !approvedRun { counts.unapproved += 1; continue }
                guard let prompt = Self.promptMessages(attempt) else { counts.renderedPrompts += 1; continue }
                // Approved as shown: the output itself (the shown text may carry the template's
                // line breaks); edited: the reviewer's text.
                let answer = decision?.event == .edited ? decision?.afterText ?? output : output
                let example = Example(messages: prompt + [ChatMessage(role: .assistant, content: answer)], runID: run.id,
                                      stepID: attempt.stepID, iteration: attempt.iteration, attemptRow: attempt.sequence,
                                      reviewRow: decision?.sequence, edited: decision?.event == .edited)
                guard seen.insert(example.line).inserted else { counts.duplicates += 1; continue }
                if example.edited { counts.edited += 1 }
                examples.append(example)
            }
        }
    }

    /// The last attempt of each step (and `for_each` item), in the order the steps first ran.
    static func finalAttempts(_ attempts: [StepAttemptRecord]) -> [StepAttemptRecord] {
        var order: [StepKey] = [], last: [StepKey: StepAttemptRecord] = [:]
        for attempt in attempts {
            if last.updateValue(attempt, forKey: attempt.key) == nil { order.append(attempt.key) }
        }
        return order.compactMap { last[$0] }
    }

    /// The messages an attempt sent: the stored JSON array of `{role, content}`, or a lone user
    /// message's text. `nil` for a local model's record written before the messages were kept
    /// (no `rendered_prompt` beside them): its prompt is the chat template's rendering (special
    /// tokens included), which no other model should learn as a user turn.
    static func promptMessages(_ attempt: StepAttemptRecord) -> [ChatMessage]? {
        guard let prompt = attempt.prompt else { return nil }
        if attempt.model?.hasPrefix("gguf:") == true, !keepsMessages(attempt) { return nil }
        if prompt.hasPrefix("["), let list = try? JSONSerialization.jsonObject(with: Data(prompt.utf8)) as? [[String: Any]] {
            let messages = list.compactMap { entry -> ChatMessage? in
                guard let role = (entry["role"] as? String).flatMap(ChatMessage.Role.init(rawValue:)), let content = entry["content"] as? String else { return nil }
                return ChatMessage(role: role, content: content)
            }
            if messages.count == list.count, !messages.isEmpty { return messages }
        }
        return [ChatMessage(role: .user, content: prompt)]
    }

    /// Whether a local model's attempt stored its messages as `prompt`, its rendering apart
    /// (`extra_json.rendered_prompt`).
    static func keepsMessages(_ attempt: StepAttemptRecord) -> Bool {
        guard let extra = attempt.extraJSON,
              let object = try? JSONSerialization.jsonObject(with: Data(extra.utf8)) as? [String: Any] else { return false }
        return object["rendered_prompt"] is String
    }
}
