/// What the KV cache holds from the previous request, so that a request sharing a long prefix
/// with it (the same system prompt and instructions over many `for_each` items, a RAG prompt
/// with the same context) computes only the rest.
///
/// Only prompt tokens count: generated tokens were computed one at a time, which attention
/// rounds differently from a prompt batch (see `TransformerModel`). A kept prefix is therefore
/// bit for bit what a fresh run computes, provided the rest is processed as a batch of two or
/// more tokens and the LoRA adapters are the same objects with the same scales.
struct PromptCache {
    /// The prompt tokens at positions `0..<tokens.count` of the cache.
    var tokens: [Int]
    /// The adapters the prompt was computed with (kept alive, so identity comparisons are sound).
    var adapters: [ScaledLoRA]
    /// The model's position when the request ended; another value means the model was used
    /// directly in between, and nothing is reused.
    var endPosition: Int

    /// The fewest tokens worth keeping (a BOS alone saves nothing).
    static let minimumKept = 2

    /// How many leading tokens of `prompt` (run with `adapters`) may be kept in a cache now at
    /// `position`: the longest common prefix, at most `prompt.count - 2` so that the rest is a
    /// batch of two or more, and 0 when that is under `minimumKept`.
    func reusable(for prompt: [Int], adapters requested: [ScaledLoRA], position: Int) -> Int {
        guard position == endPosition, PromptCache.sameAdapters(adapters, requested) else { return 0 }
        var common = 0
        let limit = min(tokens.count, prompt.count - 2)
        while common < limit, tokens[common] == prompt[common] { common += 1 }
        return common >= PromptCache.minimumKept ? common : 0
    }

    /// The same adapter objects (a file loaded again may have changed on disk) with the same
    /// scales, in the same order (each adds to the output in turn, so order affects rounding).
    static func sameAdapters(_ a: [ScaledLoRA], _ b: [ScaledLoRA]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { $0.adapter === $1.adapter && $0.scale.bitPattern == $1.scale.bitPattern }
    }
}
