import Foundation

/// How one attempt of a step ended. Attempts are stored only when finished.
public enum AttemptStatus: String, Sendable, Codable, CaseIterable {
    case succeeded, failed, skipped, cancelled
}

/// Identifies a step's result: its id and, inside a `for_each`, the item index.
public struct StepKey: Sendable, Hashable, CustomStringConvertible {
    public var stepID: String
    public var iteration: Int?

    public init(stepID: String, iteration: Int? = nil) {
        self.stepID = stepID
        self.iteration = iteration
    }

    /// `copy` or `translate[3]`.
    public var description: String { iteration.map { "\(stepID)[\($0)]" } ?? stepID }
}

/// One finished attempt of one step (one `for_each` item, one retry): everything needed to show
/// a client what produced a piece of copy.
///
/// The engine fills the fields and calls `AuditStore.appendAttempt`; texts must already be masked.
/// The chain fields (`chainIndex`, `prevHash`, `rowHash`, `sequence`) are set by the store.
public struct StepAttemptRecord: Sendable, Equatable {
    public var runID: String
    public var stepID: String
    /// The `for_each` item index; `nil` outside a `for_each`.
    public var iteration: Int?
    /// 1 for the first try, 2 for the first retry, ...
    public var attempt: Int
    /// The step kind (`generate`, `translate`, `rag_query`, ...).
    public var kind: String
    public var status: AttemptStatus
    /// Model identity: `gguf:sha256:<hex>` for a local file, `<base URL>#<model>` for a server.
    public var model: String?
    /// Sampling and step parameters as a JSON object (temperature, top_p, max_tokens, seed, ...).
    public var parametersJSON: String?
    /// The rendered prompt, or the chat messages as a JSON array.
    public var prompt: String?
    public var outputText: String?
    /// The parsed output (`extract`), as JSON.
    public var outputJSON: String?
    public var tokensIn: Int?
    public var tokensOut: Int?
    public var latencyMs: Int?
    public var startedAt: Date
    public var finishedAt: Date
    public var error: String?
    /// Anything else worth keeping, as a JSON object: retrieved chunk ids and scores
    /// (`rag_query`), the glossary check (`translate`), a resumed result's origin.
    public var extraJSON: String?

    /// Position in the run's hash chain (1-based, shared with the run's file rows).
    public internal(set) var chainIndex: Int?
    public internal(set) var prevHash: String?
    public internal(set) var rowHash: String?
    /// Global insertion order (the table's rowid).
    public internal(set) var sequence: Int?

    public init(runID: String, stepID: String, iteration: Int? = nil, attempt: Int = 1, kind: String,
                status: AttemptStatus, model: String? = nil, parametersJSON: String? = nil, prompt: String? = nil,
                outputText: String? = nil, outputJSON: String? = nil, tokensIn: Int? = nil, tokensOut: Int? = nil,
                latencyMs: Int? = nil, startedAt: Date, finishedAt: Date, error: String? = nil, extraJSON: String? = nil) {
        self.runID = runID
        self.stepID = stepID
        self.iteration = iteration
        self.attempt = attempt
        self.kind = kind
        self.status = status
        self.model = model
        self.parametersJSON = parametersJSON
        self.prompt = prompt
        self.outputText = outputText
        self.outputJSON = outputJSON
        self.tokensIn = tokensIn
        self.tokensOut = tokensOut
        self.latencyMs = latencyMs
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.error = error
        self.extraJSON = extraJSON
    }

    /// The step and item this attempt belongs to.
    public var key: StepKey { StepKey(stepID: stepID, iteration: iteration) }
}
