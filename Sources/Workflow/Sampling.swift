import Base
import Template

extension Sampling {
    /// The YAML keys of the sampling parameters.
    static let keys = ["temperature", "top_p", "top_k", "min_p", "repetition_penalty", "max_tokens", "seed", "stop", "think"]
}

/// How a failed step is tried again: `retry: { attempts: 3, backoff: 2s }` (or `retry: 3`).
///
/// Only retryable failures are retried (timeouts, HTTP 429/5xx, lost connections, invalid JSON
/// from `extract`); the wait doubles after each attempt starting from `backoff`, with jitter.
public struct RetryPolicy: Sendable, Equatable {
    /// Total attempts, the first included (1 = no retry).
    public var attempts: Int = 1
    /// The wait before the second attempt.
    public var backoff: Duration = .seconds(1)

    /// One attempt, no retry.
    public static let none = RetryPolicy()
}

/// What a failure does to the rest of the run (`on_error:`).
public enum ErrorPolicy: String, Sendable, Equatable, CaseIterable {
    /// The failed step (or `for_each` item) is recorded as failed, steps that need it are skipped,
    /// and everything else goes on. The default: one bad press release must not stop the other forty.
    case `continue`
    /// The run is cancelled at the first failure.
    case stop
}

/// Settings every step inherits unless it sets its own (`defaults:` in the YAML).
public struct Defaults: Sendable, Equatable {
    /// The model of model steps that name none. When `nil` and exactly one model is declared, that one.
    public var model: String?
    public var sampling: Sampling = Sampling()
    public var retry: RetryPolicy?
    public var timeout: Duration?
    public var onError: ErrorPolicy?
    /// The most `for_each` items of one step in flight at once.
    public var concurrency: Int?
    /// What one template render of this workflow may spend (`render_budget:`); `nil` is
    /// `RenderBudget.standard`.
    public var renderBudget: RenderBudget?
    public var location: SourceLocation?
}
