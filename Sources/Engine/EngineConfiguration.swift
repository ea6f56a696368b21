import Foundation
import Providers
import Audit
import Template
import Workflow

/// How an engine runs a workflow: where files go, how much runs at once, where models are.
public struct EngineConfiguration: Sendable {
    /// The only folder the run writes files into.
    public var output: OutputDirectory
    /// The most units (steps, `for_each` items) in flight at once; `nil` uses the workflow's
    /// `defaults.concurrency`, else 4 when every model is a server and 1 with a local model
    /// (one local runtime is already busy on all cores).
    public var concurrency: Int?
    /// Where API keys are read from (the variables `api_key_env` names).
    public var environment: [String: String]
    /// `--model NAME=URL#MODEL`: use an OpenAI-compatible server for a model of the workflow
    /// (`*` for every model, and for steps without one).
    public var modelOverrides: [String: ModelSpec.RemoteModel]
    /// Whether to ask servers to stream, so tokens can be shown live.
    public var stream: Bool
    /// The longest wait between two attempts (a server's `Retry-After` included).
    public var maxBackoff: Duration
    /// Finished attempts a model unit may take instead of calling the model when its request
    /// key matches (`baton rerun`, `baton run --reuse`); `nil` calls the model every time.
    public var reuse: ReuseCache?
    /// Decisions for review steps of the waiting run being continued (`RunContinuation`).
    public var reviews = ReviewPlan()
    /// Prices of server models by identity (`<base URL>#<model>`), from the user's config: what a
    /// cost `budget:` uses for a model whose `models:` entry has no `price:`.
    public var prices: [String: ModelPrice] = [:]
    /// Makes the model for a `models:` entry; the default builds an `OpenAICompatibleModel` for
    /// `provider: openai`, and refuses `provider: local` until the local runtime is plugged in.
    public var makeModel: @Sendable (ModelSpec, [String: String], EngineConfiguration) throws(ModelError) -> any LanguageModel

    public init(output: OutputDirectory = OutputDirectory("out"), concurrency: Int? = nil,
                environment: [String: String] = ProcessInfo.processInfo.environment,
                modelOverrides: [String: ModelSpec.RemoteModel] = [:], stream: Bool = false, maxBackoff: Duration = .seconds(60),
                makeModel: @escaping @Sendable (ModelSpec, [String: String], EngineConfiguration) throws(ModelError) -> any LanguageModel = EngineConfiguration.standardModelFactory) {
        self.output = output
        self.concurrency = concurrency
        self.environment = environment
        self.modelOverrides = modelOverrides
        self.stream = stream
        self.maxBackoff = maxBackoff
        self.makeModel = makeModel
    }
}

extension EngineConfiguration {
    /// Builds an `OpenAICompatibleModel` for `provider: openai` and a `LocalLanguageModel` for `provider: local`.
    public static let standardModelFactory: @Sendable (ModelSpec, [String: String], EngineConfiguration) throws(ModelError) -> any LanguageModel = { spec, environment, configuration throws(ModelError) in
        switch spec.provider {
        case .openai(let remote):
            guard let url = URL(string: remote.baseURL), url.scheme == "http" || url.scheme == "https" else {
                throw ModelError(.configuration, "model '\(spec.name)': base_url '\(remote.baseURL)' is not an http(s) URL")
            }
            let key = remote.apiKeyEnv.flatMap { environment[$0] }
            return OpenAICompatibleModel(.init(baseURL: url, model: remote.model, apiKey: key, stream: configuration.stream))
        case .local(let local):
            return try LocalLanguageModel.make(local, name: spec.name, environment: environment)
        }
    }
}

/// What an engine reports while it runs, for progress displays.
public enum EngineEvent: Sendable {
    /// The run exists in the store; `steps` in topological order.
    case runStarted(runID: String, steps: [String])
    /// A `for_each` step has this many items.
    case itemsPlanned(step: String, count: Int)
    /// A unit (step, or `for_each` item) began an attempt; `reason` says why an attempt after
    /// the first is made (`HTTP 500`, `invalid JSON: $.hashtags: ...`, `glossary terms missing: ...`).
    case attemptStarted(StepKey, attempt: Int, reason: String?)
    /// Text streamed from the model.
    case token(StepKey, String)
    /// A unit ended (after its last attempt).
    case unitFinished(StepKey, UnitReport)
    /// A step will not run because a step it needs did not succeed.
    case stepBlocked(step: String, because: String)
    /// A review step recorded its request: the run will stop as `waiting` once the steps in
    /// flight end (steps that need the review do not start).
    case reviewWaiting(step: String, round: Int)
    /// The run ended.
    case runFinished(RunResult)
}

/// How one unit ended.
public struct UnitReport: Sendable, Equatable {
    public var status: AttemptStatus
    public var attempts: Int
    public var elapsed: Duration
    public var tokensIn: Int?
    public var tokensOut: Int?
    public var error: String?
    /// Taken from an earlier run by `resume`, not computed again.
    public var reused: Bool
    /// For a model step: the time its model calls took over all attempts (no wait for a
    /// concurrency slot, no model load, no pause between attempts), and the last call's, which
    /// produced `tokensOut`. `nil` for other steps; progress displays fall back to `elapsed`.
    public var callTime: Duration? = nil
    public var lastCallTime: Duration? = nil
}

/// The end of a run.
public struct RunResult: Sendable, Equatable {
    public var runID: String
    public var status: RunStatus
    /// `outputs:` values in declaration order (only when every step succeeded).
    public var outputs: [(name: String, value: Value)]
    /// Files written, relative to the output folder.
    public var files: [String]
    public var error: String?
    /// Each step's final status (`succeeded`, `failed`, `skipped`, `cancelled`, `blocked`).
    public var steps: [String: String]

    public static func == (a: RunResult, b: RunResult) -> Bool {
        a.runID == b.runID && a.status == b.status && a.files == b.files && a.error == b.error && a.steps == b.steps
            && a.outputs.map(\.name) == b.outputs.map(\.name) && a.outputs.map(\.value) == b.outputs.map(\.value)
    }
}
