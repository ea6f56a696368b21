import Foundation
import Synchronization
import Providers
import Audit
import Template
import Workflow

/// What a run has produced so far, shared by its concurrently running steps.
final class RunState: Sendable {
    let runID: String
    let inputs: ValueDictionary
    let run: ValueDictionary
    /// The run's secrets and every string its templates derived from them (`SecretTaint`).
    let taint: SecretTaint
    let limiter: AsyncSemaphore
    let reuse: [StepKey: StepAttemptRecord]
    /// For a run continued in place: the highest attempt number each unit already has in the
    /// run's chain, so a `redo:` round's attempts number on from there.
    let attemptsBefore: [StepKey: Int]
    /// The run's `budget:` and what it has spent; nil when the workflow sets none.
    let budget: BudgetLedger?
    /// Everything the run's concurrent steps write, behind one mutex.
    private struct Progress {
        var steps = ValueDictionary()
        var status: [String: StepStatus] = [:]
        /// `rag_query` results by unit, published with the step as `steps.ID.documents`.
        var documents: [StepKey: Value] = [:]
        var failures: [(step: String, error: String)] = []
        var files: [String] = []
        var stop = false
        var cancelledReason: String?
        var wasCancelled = false
    }
    private let progress = Mutex(Progress())
    /// The masker for the secrets derived so far, rebuilt only when templates derived new ones.
    private let maskerCache = Mutex<(count: Int, masker: SecretMasker)?>(nil)

    init(runID: String, inputs: ValueDictionary, run: ValueDictionary, taint: SecretTaint, limiter: AsyncSemaphore,
         reuse: [StepKey: StepAttemptRecord], attemptsBefore: [StepKey: Int] = [:], budget: RunBudget? = nil) {
        self.runID = runID
        self.inputs = inputs
        self.run = run
        self.taint = taint
        self.limiter = limiter
        self.reuse = reuse
        self.attemptsBefore = attemptsBefore
        self.budget = budget.map(BudgetLedger.init)
    }

    /// Masks the run's secrets and every string derived from them so far; rebuilt only when
    /// templates have derived new ones.
    var masker: SecretMasker {
        let count = taint.count
        return maskerCache.withLock { cached in
            if let cached, cached.count == count { return cached.masker }
            let masker = SecretMasker(secrets: taint.strings)
            cached = (count, masker)
            return masker
        }
    }

    /// The variables templates see: `inputs`, `steps` (finished so far), `run`, plus `extra`.
    func context(_ extra: [String: Value] = [:]) -> [String: Value] {
        var context: [String: Value] = ["inputs": .dict(inputs), "steps": .dict(progress.withLock { p in p.steps }), "run": .dict(run)]
        for (key, value) in extra { context[key] = value }
        return context
    }

    func setStatus(_ id: String, _ newStatus: StepStatus, output: Value, error: String? = nil) {
        progress.withLock { p in
            p.status[id] = newStatus
            var result: ValueDictionary = ["output": output, "status": .string(newStatus.rawValue)]
            if let found = p.documents[StepKey(stepID: id)] {
                result["documents"] = found
            } else {
                let items = p.documents.filter { $0.key.stepID == id }
                if let last = items.keys.compactMap(\.iteration).max() {
                    result["documents"] = .list((0...last).map { items[StepKey(stepID: id, iteration: $0)] ?? .none })
                }
            }
            p.steps[id] = .dict(result)
            if newStatus == .failed { p.failures.append((id, error ?? "failed")) }
            if newStatus == .cancelled { p.wasCancelled = true }
        }
    }

    /// What a `rag_query` unit retrieved (a `for_each` step's `documents` is the list per item).
    func setDocuments(_ key: StepKey, _ value: Value) { progress.withLock { p in p.documents[key] = value } }

    /// A failure outside any step's own work (the audit store refused a row).
    func noteFailure(_ id: String, _ error: String) { progress.withLock { p in p.failures.append((id, error)) } }

    func status(of id: String) -> StepStatus? { progress.withLock { p in p.status[id] } }
    func statuses() -> [String: String] { progress.withLock { p in p.status.mapValues(\.rawValue) } }

    func addFile(_ path: String) { progress.withLock { p in p.files.append(path) } }
    func writtenFiles() -> [String] { progress.withLock { p in p.files } }

    /// `on_error: stop`: no step or item starts after this.
    func requestStop() { progress.withLock { p in p.stop = true } }
    var stopRequested: Bool { progress.withLock { p in p.stop } }

    func markCancelled(_ reason: String) {
        progress.withLock { p in
            p.wasCancelled = true
            if p.cancelledReason == nil { p.cancelledReason = reason }
        }
    }
    var cancelled: Bool { progress.withLock { p in p.wasCancelled } }
    var cancelReason: String? { progress.withLock { p in p.cancelledReason } }

    /// The review steps the run waits for (in step order), or `nil` when none waits.
    func waitingReviews(order: [Step]) -> [String]? {
        progress.withLock { p in
            let waiting = order.filter { p.status[$0.id] == .waiting && $0.kind == .review }.map(\.id)
            return waiting.isEmpty ? nil : waiting
        }
    }

    /// The run's error text when a step failed or was blocked, else `nil`.
    func failureSummary(order: [String]) -> String? {
        progress.withLock { p in
            let blocked = order.filter { p.status[$0] == .blocked }
            guard !p.failures.isEmpty || !blocked.isEmpty else { return nil }
            let failed = order.compactMap { id in p.failures.first(where: { $0.step == id }) }
            var parts: [String] = []
            if failed.count == 1, let only = failed.first {
                parts.append("step '\(only.step)' failed: \(only.error)")
            } else if !failed.isEmpty {
                parts.append("\(failed.count) steps failed: " + failed.map { "'\($0.step)'" }.joined(separator: ", ") + "; first: \(failed[0].error)")
            }
            if !blocked.isEmpty {
                parts.append("not run: " + blocked.map { "'\($0)'" }.joined(separator: ", "))
            }
            return parts.joined(separator: "; ")
        }
    }
}
