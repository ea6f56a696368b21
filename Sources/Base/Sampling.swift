/// Sampling parameters of a model step, and of the request a provider receives: the one type from
/// the workflow's YAML to the audit row. Every field is optional: an unset field falls back to
/// `defaults:` and then to the provider's own default, so the audit shows what was asked. (The
/// local runtime resolves it into its sampler settings, `Runtime.SamplingParameters`.)
public struct Sampling: Sendable, Equatable, Hashable {
    /// 0 is greedy (and reproducible).
    public var temperature: Double?
    public var topP: Double?
    public var topK: Int?
    public var minP: Double?
    public var repetitionPenalty: Double?
    public var maxTokens: Int?
    /// Seed of the sampler's random numbers, for reproducible runs.
    public var seed: Int?
    /// Strings that end generation.
    public var stop: [String]?
    /// Let a reasoning model think first (`think: true`; the chat template gets
    /// `enable_thinking`). Off by default. Either way `<think>` blocks never reach the output:
    /// the engine keeps them in the audit record apart from it.
    public var think: Bool?

    public init(temperature: Double? = nil, topP: Double? = nil, topK: Int? = nil, minP: Double? = nil,
                repetitionPenalty: Double? = nil, maxTokens: Int? = nil, seed: Int? = nil, stop: [String]? = nil,
                think: Bool? = nil) {
        self.think = think
        self.temperature = temperature
        self.topP = topP
        self.topK = topK
        self.minP = minP
        self.repetitionPenalty = repetitionPenalty
        self.maxTokens = maxTokens
        self.seed = seed
        self.stop = stop
    }

    /// These parameters, with unset ones taken from `fallback`.
    public func merged(over fallback: Sampling) -> Sampling {
        Sampling(temperature: temperature ?? fallback.temperature, topP: topP ?? fallback.topP, topK: topK ?? fallback.topK,
                 minP: minP ?? fallback.minP, repetitionPenalty: repetitionPenalty ?? fallback.repetitionPenalty,
                 maxTokens: maxTokens ?? fallback.maxTokens, seed: seed ?? fallback.seed, stop: stop ?? fallback.stop,
                 think: think ?? fallback.think)
    }

    /// Whether no parameter is set.
    public var isEmpty: Bool { self == Sampling() }
}
