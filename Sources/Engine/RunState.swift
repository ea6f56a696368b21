import Foundation
import Providers
import Audit
import Template
import Workflow

/// What a run has produced so far, shared by its concurrently running steps.
final class RunState: @unchecked Sendable {
    // @unchecked Sendable: the mutable dictionaries and flags are only touched under `lock`;
    // the `let` properties are immutable values or thread-safe objects.
    let runID: String
    let inputs: ValueDictionary
    let run: ValueDictionary
    let masker: SecretMasker
    let limiter: AsyncSemaphore
    let reuse: [StepKey: StepAttemptRecord]
    private let lock = NSLock()
    private var steps = ValueDictionary()
    private var status: [String: StepStatus] = [:]
    /// `rag_query` results by unit, published with the step as `steps.ID.documents`.
    private var documents: [StepKey: Value] = [:]
    private var failures: [(step: String, error: String)] = []
    private var files: [String] = []
    private var stop = false
    private var cancelledReason: String?
    private var wasCancelled = false

    init(runID: String, inputs: ValueDictionary, run: ValueDictionary, masker: SecretMasker, limiter: AsyncSemaphore,
         reuse: [StepKey: StepAttemptRecord]) {
        self.runID = runID
        self.inputs = inputs
        self.run = run
        self.masker = masker
        self.limiter = limiter
        self.reuse = reuse
    }

    /// The variables templates see: `inputs`, `steps` (finished so far), `run`, plus `extra`.
    func context(_ extra: [String: Value] = [:]) -> [String: Value] {
        var context: [String: Value] = ["inputs": .dict(inputs), "steps": .dict(lock.withLock { steps }), "run": .dict(run)]
        for (key, value) in extra { context[key] = value }
        return context
    }

    func setStatus(_ id: String, _ newStatus: StepStatus, output: Value, error: String? = nil) {
        lock.withLock {
            status[id] = newStatus
            var result: ValueDictionary = ["output": output, "status": .string(newStatus.rawValue)]
            if let found = documents[StepKey(stepID: id)] {
                result["documents"] = found
            } else {
                let items = documents.filter { $0.key.stepID == id }
                if let last = items.keys.compactMap(\.iteration).max() {
                    result["documents"] = .list((0...last).map { items[StepKey(stepID: id, iteration: $0)] ?? .none })
                }
            }
            steps[id] = .dict(result)
            if newStatus == .failed { failures.append((id, error ?? "failed")) }
            if newStatus == .cancelled { wasCancelled = true }
        }
    }

    /// What a `rag_query` unit retrieved (a `for_each` step's `documents` is the list per item).
    func setDocuments(_ key: StepKey, _ value: Value) { lock.withLock { documents[key] = value } }

    /// A failure outside any step's own work (the audit store refused a row).
    func noteFailure(_ id: String, _ error: String) { lock.withLock { failures.append((id, error)) } }

    func status(of id: String) -> StepStatus? { lock.withLock { status[id] } }
    func statuses() -> [String: String] { lock.withLock { status.mapValues(\.rawValue) } }

    func addFile(_ path: String) { lock.withLock { files.append(path) } }
    func writtenFiles() -> [String] { lock.withLock { files } }

    /// `on_error: stop`: no step or item starts after this.
    func requestStop() { lock.withLock { stop = true } }
    var stopRequested: Bool { lock.withLock { stop } }

    func markCancelled(_ reason: String) {
        lock.withLock {
            wasCancelled = true
            if cancelledReason == nil { cancelledReason = reason }
        }
    }
    var cancelled: Bool { lock.withLock { wasCancelled } }
    var cancelReason: String? { lock.withLock { cancelledReason } }

    /// The review steps the run waits for (in step order), or `nil` when none waits.
    func waitingReviews(order: [Step]) -> [String]? {
        lock.withLock {
            let waiting = order.filter { status[$0.id] == .waiting && $0.kind == .review }.map(\.id)
            return waiting.isEmpty ? nil : waiting
        }
    }

    /// The run's error text when a step failed or was blocked, else `nil`.
    func failureSummary(order: [String]) -> String? {
        lock.withLock {
            let blocked = order.filter { status[$0] == .blocked }
            guard !failures.isEmpty || !blocked.isEmpty else { return nil }
            let failed = order.compactMap { id in failures.first(where: { $0.step == id }) }
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
