import Base

/// How the next token is chosen from the logits (llama.cpp's sampler chain and defaults): the
/// runtime's resolved form of a request's `Sampling` (Base), every value set.
///
/// Temperature 0 is greedy: the most likely token after penalties, reproducible byte for byte.
public struct SamplingParameters: Sendable, Equatable {
    /// Divides the logits; 0 means greedy.
    public var temperature: Float = 0.8
    /// Keep only the `topK` most likely tokens (0: all).
    public var topK: Int = 40
    /// Keep the smallest set of most likely tokens whose probabilities reach `topP` (1: all).
    public var topP: Float = 0.95
    /// Drop tokens less likely than `minP` times the most likely one (0: none).
    public var minP: Float = 0.05
    /// Divides positive (multiplies negative) logits of recent tokens (1: off).
    public var repetitionPenalty: Float = 1
    /// Subtracted once per earlier occurrence of a token in the window.
    public var frequencyPenalty: Float = 0
    /// Subtracted once from every token that occurred in the window.
    public var presencePenalty: Float = 0
    /// How many recent tokens the penalties look at.
    public var penaltyWindow: Int = 64
    /// Seeds the random choice: the same seed, model and input give the same output.
    public var seed: UInt64 = 0

    public init(temperature: Float = 0.8, topK: Int = 40, topP: Float = 0.95, minP: Float = 0.05,
                repetitionPenalty: Float = 1, frequencyPenalty: Float = 0, presencePenalty: Float = 0,
                penaltyWindow: Int = 64, seed: UInt64 = 0) {
        self.temperature = temperature
        self.topK = topK
        self.topP = topP
        self.minP = minP
        self.repetitionPenalty = repetitionPenalty
        self.frequencyPenalty = frequencyPenalty
        self.presencePenalty = presencePenalty
        self.penaltyWindow = penaltyWindow
        self.seed = seed
    }

    /// Greedy decoding (temperature 0, no penalties).
    public static let greedy = SamplingParameters(temperature: 0)

    /// `sampling`'s values, llama.cpp's defaults where it leaves one unset.
    public init(resolving sampling: Sampling) {
        self.init()
        if let t = sampling.temperature { temperature = Float(t) }
        if let v = sampling.topP { topP = Float(v) }
        if let k = sampling.topK { topK = k }
        if let seed = sampling.seed { self.seed = UInt64(truncatingIfNeeded: seed) }
        if let v = sampling.minP { minP = Float(v) }
        if let v = sampling.repetitionPenalty { repetitionPenalty = Float(v) }
    }
}
