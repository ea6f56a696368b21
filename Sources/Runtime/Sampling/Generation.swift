import Foundation

/// What a generation run produced, with its timings.
public struct GenerationResult: Sendable, Equatable {
    /// Why generation stopped.
    public enum StopReason: String, Sendable {
        /// An end-of-sequence or end-of-turn token (not included in `tokens`).
        case endOfSequence = "eos"
        /// `maxTokens` were generated.
        case maxTokens = "max_tokens"
        /// The context is full.
        case contextFull = "context_full"
        /// The caller's callback asked to stop.
        case stopped
    }

    public var tokens: [Int]
    public var stopReason: StopReason
    public var promptTokens: Int
    /// Seconds to process the prompt (through the first logits).
    public var promptSeconds: Double
    /// Seconds spent on the generated tokens after the first.
    public var generationSeconds: Double

    public var promptTokensPerSecond: Double { promptSeconds > 0 ? Double(promptTokens) / promptSeconds : 0 }
    public var generationTokensPerSecond: Double {
        generationSeconds > 0 ? Double(max(0, tokens.count - 1)) / generationSeconds : 0
    }
}

extension TransformerModel {
    /// The tokens that end a generation: `tokenizer.ggml.eos_token_id` and `eot_token_id`.
    public var endOfSequenceTokens: Set<Int> {
        Set(["tokenizer.ggml.eos_token_id", "tokenizer.ggml.eot_token_id"].compactMap { file.int($0) })
    }

    /// Runs `prompt` (after the tokens already in the cache) and generates up to `maxTokens`
    /// tokens with `sampler`, calling `onToken` as each arrives (return false to stop). Stops at
    /// an end-of-sequence token, after `maxTokens`, or when the context is full.
    public func generate(prompt: [Int], maxTokens: Int, sampler: inout Sampler,
                         stopTokens: Set<Int>? = nil, onToken: (Int) -> Bool = { _ in true }) throws(RuntimeError) -> GenerationResult {
        let stops = stopTokens ?? endOfSequenceTokens
        let clock = ContinuousClock()
        let promptStart = clock.now
        var logits = try forward(prompt)
        let promptSeconds = seconds(clock.now - promptStart)
        var history = prompt
        history.reserveCapacity(prompt.count + maxTokens)
        var generated: [Int] = []
        generated.reserveCapacity(maxTokens)
        var reason = GenerationResult.StopReason.maxTokens
        let generationStart = clock.now
        while generated.count < maxTokens {
            let token = sampler.sample(logits, history: history)
            if stops.contains(token) { reason = .endOfSequence; break }
            generated.append(token)
            history.append(token)
            if !onToken(token) { reason = .stopped; break }
            if generated.count == maxTokens { break }
            if position >= contextLength { reason = .contextFull; break }
            logits = try forward([token])
        }
        return GenerationResult(tokens: generated, stopReason: reason, promptTokens: prompt.count,
                                promptSeconds: promptSeconds, generationSeconds: seconds(clock.now - generationStart))
    }

    private func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
    }
}
