import Base
import Foundation
import Testing
import TestSupport
@testable import Runtime

/// The prompt cache: a request sharing a prefix with the previous one keeps that prefix's KV
/// entries, and everything it produces is bit for bit what a fresh run produces.
@Test("the reusable prefix: common tokens, at most count − 2, at least 2, same adapters and position", arguments: [
    (cached: [1, 2, 3, 4, 5], prompt: [1, 2, 3, 9, 9, 9], position: 8, kept: 3),
    (cached: [1, 2, 3, 4, 5], prompt: [1, 2, 3, 4, 5, 6, 7], position: 8, kept: 5),
    (cached: [1, 2, 3, 4, 5], prompt: [1, 2, 3, 4, 5, 6], position: 8, kept: 4),  // the rest must be ≥ 2 tokens
    (cached: [1, 2, 3, 4, 5], prompt: [1, 2, 3, 4, 5], position: 8, kept: 3),     // the same prompt again
    (cached: [1, 2, 3, 4, 5], prompt: [1, 2, 3], position: 8, kept: 0),           // a prefix: 1 < 2
    (cached: [1, 2, 3, 4, 5], prompt: [1, 9, 9, 9], position: 8, kept: 0),        // only BOS in common
    (cached: [1, 2, 3, 4, 5], prompt: [1, 2, 3, 9, 9, 9], position: 7, kept: 0),  // model used in between
    (cached: [7], prompt: [7, 8, 9], position: 1, kept: 0),
])
func reusablePrefix(cached: [Int], prompt: [Int], position: Int, kept: Int) {
    let cache = PromptCache(tokens: cached, adapters: [], endPosition: 8)
    #expect(cache.reusable(for: prompt, adapters: [], position: position) == kept)
}

@Test func reusablePrefixNeedsTheSameAdapterObjectsAndScales() throws {
    let base = try GGUFFile(path: LoRAFixtures.base)
    let adapter = try LoRAAdapter(path: LoRAFixtures.path("two-targets.gguf"), base: base)
    let again = try LoRAAdapter(path: LoRAFixtures.path("two-targets.gguf"), base: base)
    let other = try LoRAAdapter(path: LoRAFixtures.path("mlp.gguf"), base: base)
    let cache = PromptCache(tokens: [1, 2, 3, 4], adapters: [ScaledLoRA(adapter, scale: 0.5), ScaledLoRA(other)], endPosition: 4)
    let prompt = [1, 2, 3, 4, 5, 6]
    #expect(cache.reusable(for: prompt, adapters: [ScaledLoRA(adapter, scale: 0.5), ScaledLoRA(other)], position: 4) == 4)
    #expect(cache.reusable(for: prompt, adapters: [ScaledLoRA(adapter, scale: 0.75), ScaledLoRA(other)], position: 4) == 0)
    #expect(cache.reusable(for: prompt, adapters: [ScaledLoRA(again, scale: 0.5), ScaledLoRA(other)], position: 4) == 0)
    #expect(cache.reusable(for: prompt, adapters: [ScaledLoRA(other), ScaledLoRA(adapter, scale: 0.5)], position: 4) == 0)
    #expect(cache.reusable(for: prompt, adapters: [ScaledLoRA(adapter, scale: 0.5)], position: 4) == 0)
    #expect(cache.reusable(for: prompt, adapters: [], position: 4) == 0)
}

@Test func rewindKeepsAPrefixAndRefusesPositionsOutsideTheCache() throws {
    let file = try GGUFFile(path: LoRAFixtures.base)
    let model = try TransformerModel(file: file, contextLength: 64, threads: 1)
    _ = try model.forward([1, 2, 3, 4])
    try model.rewind(to: 2)
    #expect(model.position == 2)
    #expect(throws: RuntimeError(file: file.path, message: "cannot rewind to position 3: the cache holds 2 tokens")) { try model.rewind(to: 3) }
    #expect(throws: RuntimeError(file: file.path, message: "cannot rewind to position -1: the cache holds 2 tokens")) { try model.rewind(to: -1) }
    try model.rewind(to: 0)
    #expect(model.position == 0)
}

/// Where two bit-pattern arrays first differ (a short message instead of both arrays).
func firstDifference(_ a: [UInt32], _ b: [UInt32]) -> String {
    guard a.count == b.count else { return "\(a.count) values, expected \(b.count)" }
    guard let index = a.indices.first(where: { a[$0] != b[$0] }) else { return "equal" }
    return "first difference at \(index): \(Float(bitPattern: a[index])) vs \(Float(bitPattern: b[index]))"
}

/// Two SmolLM2 chat models of their own (other tests share `ModelCache.shared`, which would
/// change what the cache holds between two requests here).
enum PrefixReuseFixture {
    static let models: (reused: ChatModel, fresh: ChatModel)? = ReferenceModels.smolLM2.flatMap { path in
        guard let a = try? ChatModel(path: path, contextLength: 768, threads: 2), let b = try? ChatModel(path: path, contextLength: 768, threads: 2) else { return nil }
        return (a, b)
    }
    static var adapterPath: String { LoRAFixtures.path("smollm2-kv.gguf") }

    /// A long shared system prompt (about 130 tokens) with Korean in it, as a `for_each` uses.
    static let system = """
        You are the copywriter of Hanbit Agency. Write one short headline for the product the user names. \
        Rules: keep it under twelve words; no exclamation marks; name the product once; prefer concrete \
        benefits over adjectives; avoid the words "revolutionary" and "best"; if the product is Korean, \
        keep its Korean name (예: 한빛 녹차, 서울 커피) and do not translate it. The brand voice is warm, \
        plain and confident.
        """

    static func request(_ product: String, adapters: [ScaledLoRA] = [], maxTokens: Int = 6) -> ChatRequest {
        ChatRequest(messages: [ChatMessage(role: .system, content: system), ChatMessage(role: .user, content: "Product: \(product)")],
                    sampling: .greedy, maxTokens: maxTokens, adapters: adapters)
    }

    /// The KV cache of every layer at positions `0..<model.position`, as bit patterns.
    static func cacheBits(_ model: TransformerModel) -> [UInt32] {
        let c = model.configuration, kvWidth = c.kvHeads * c.headSize
        var bits: [UInt32] = []
        for buffer in [model.state.keys, model.state.values] {
            for layer in 0..<c.layers {
                let start = buffer + layer * model.contextLength * kvWidth
                bits += UnsafeBufferPointer(start: start, count: model.position * kvWidth).map(\.bitPattern)
            }
        }
        return bits
    }

    /// Runs `request` on the reusing model and on a fresh one (cache cleared), expecting the same
    /// text, counts and KV cache bits, and returns the reusing model's result.
    static func expectSameAsFresh(_ request: ChatRequest, _ models: (reused: ChatModel, fresh: ChatModel),
                                  sourceLocation: SourceLocation = #_sourceLocation) throws -> ChatResult {
        let reused = try models.reused.complete(request)
        models.fresh.clearPromptCache()
        let fresh = try models.fresh.complete(request)
        #expect(fresh.cachedPromptTokens == 0, sourceLocation: sourceLocation)
        #expect(reused.text == fresh.text, sourceLocation: sourceLocation)
        #expect(reused.completionTokens == fresh.completionTokens, sourceLocation: sourceLocation)
        #expect(models.reused.model.position == models.fresh.model.position, sourceLocation: sourceLocation)
        let (a, b) = (cacheBits(models.reused.model), cacheBits(models.fresh.model))
        #expect(a == b, "KV cache: \(firstDifference(a, b))", sourceLocation: sourceLocation)
        return reused
    }

    /// The prefix a request may keep after `previous`: their common tokens, at most count − 2.
    static func expectedKept(after previous: ChatRequest, _ request: ChatRequest, _ model: ChatModel) throws -> Int {
        let a = model.promptTokens(try model.template.render(previous.messages))
        let b = model.promptTokens(try model.template.render(request.messages))
        let common = zip(a, b).prefix { $0 == $1 }.count
        return min(common, b.count - 2)
    }
}

@Suite("prompt cache on SmolLM2", .serialized)
struct PrefixReuseTests {
    @Test(.requiresSmolLM2) func requestsSharingTheSystemPromptKeepItAndMatchAFreshRun() throws {
        let models = try #require(PrefixReuseFixture.models)
        models.reused.clearPromptCache()
        var previous = PrefixReuseFixture.request("한빛 녹차 (green tea)")
        #expect(try models.reused.complete(previous).cachedPromptTokens == 0)
        for product in ["서울 자전거 축제", "Seoul Coffee beans"] {
            let request = PrefixReuseFixture.request(product)
            let kept = try PrefixReuseFixture.expectedKept(after: previous, request, models.reused)
            let result = try PrefixReuseFixture.expectSameAsFresh(request, models)
            #expect(kept > 120, "the system prompt is shared")
            #expect(result.cachedPromptTokens == kept)
            previous = request
        }
    }

    @Test(.requiresSmolLM2) func theSamePromptAgainOrAPrefixOfThePreviousOneKeepsAllButTheLastTwoTokensOrNothing() throws {
        let models = try #require(PrefixReuseFixture.models)
        let request = PrefixReuseFixture.request("Hanbit rice crackers")
        let first = try models.reused.complete(request)
        let again = try PrefixReuseFixture.expectSameAsFresh(request, models)
        #expect(again.cachedPromptTokens == again.promptTokens - 2)
        #expect(again.text == first.text)
        // A conversation that goes on (keeping the whole shorter prompt), then the shorter one it
        // started from: a prefix of the longer prompt, so all but its last two tokens are kept.
        let longer = ChatRequest(messages: request.messages + [ChatMessage(role: .assistant, content: "Crunchy rice, baked in Hanbit."),
                                                               ChatMessage(role: .user, content: "Shorter.")], sampling: .greedy, maxTokens: 4)
        #expect(try models.reused.complete(longer).cachedPromptTokens == again.promptTokens)
        let back = try PrefixReuseFixture.expectSameAsFresh(request, models)
        #expect(back.cachedPromptTokens == back.promptTokens - 2)
        // Another system prompt (the template's default): only `<|im_start|>system\n` is shared.
        let other = ChatRequest(messages: [ChatMessage(role: .user, content: "Hello")], sampling: .greedy, maxTokens: 4)
        let kept = try PrefixReuseFixture.expectedKept(after: request, other, models.reused)
        #expect(kept >= 2 && kept < 6)
        #expect(try PrefixReuseFixture.expectSameAsFresh(other, models).cachedPromptTokens == kept)
    }

    @Test(.requiresSmolLM2) func adaptersChangeTheCacheSoOnlyTheSameAdaptersReuseIt() throws {
        let models = try #require(PrefixReuseFixture.models)
        let adapter = try models.reused.adapter(path: PrefixReuseFixture.adapterPath)
        let freshAdapter = try models.fresh.adapter(path: PrefixReuseFixture.adapterPath)
        func request(_ product: String, _ adapter: LoRAAdapter, scale: Float?) -> ChatRequest {
            PrefixReuseFixture.request(product, adapters: scale.map { [ScaledLoRA(adapter, scale: $0)] } ?? [])
        }
        /// The reusing model's result, checked against the fresh one's.
        func compared(_ product: String, scale: Float?) throws -> ChatResult {
            let reused = try models.reused.complete(request(product, adapter, scale: scale))
            models.fresh.clearPromptCache()
            let fresh = try models.fresh.complete(request(product, freshAdapter, scale: scale))
            #expect(reused.text == fresh.text && reused.completionTokens == fresh.completionTokens)
            let (a, b) = (PrefixReuseFixture.cacheBits(models.reused.model), PrefixReuseFixture.cacheBits(models.fresh.model))
            #expect(a == b, "KV cache: \(firstDifference(a, b))")
            return reused
        }
        let plain = try models.reused.complete(request("Hanbit tea cups", adapter, scale: nil))
        let plainCache = PrefixReuseFixture.cacheBits(models.reused.model)
        let adapted = try compared("Hanbit tea cups", scale: 1)
        #expect(adapted.cachedPromptTokens == 0, "computed without the adapter")
        #expect(PrefixReuseFixture.cacheBits(models.reused.model) != plainCache, "the adapter changes the KV cache")
        let same = try compared("Hanbit tea pots", scale: 1)
        #expect(same.cachedPromptTokens > 120)
        #expect(try models.reused.complete(request("Hanbit tea pots", adapter, scale: 0.5)).cachedPromptTokens == 0)
        let without = try models.reused.complete(request("Hanbit tea cups", adapter, scale: nil))
        #expect(without.cachedPromptTokens == 0)
        #expect(without.text == plain.text)
    }
}

/// Chunking and rewinding on every reference model (tiny; the F32 ones have no activation
/// quantization to hide a last-bit difference, the others guard the quantized kernels) and on
/// SmolLM2 (skipped without it). Models with Q3_K/Q5_K/Q6_K products round them as llama.cpp
/// does, by their row count (one way below 8 tokens, another from 8), so for them chunking
/// moves the last bits, as it does in llama.cpp; they are checked to a normalized error instead.
@Suite("prompt chunking", .serialized)
struct PromptChunkingTests {
    /// SmolLM2 joins the committed reference models when installed (or required, then it fails
    /// on `#require` when missing), so a missing SmolLM2 never counts as a passed case.
    static let smolLM2 = ReferenceModels.smolLM2 != nil || ReferenceModels.required ? ["smollm2"] : []
    static let models = FixtureModel.reference.filter { !$0.roundsByBatch }.map(\.name) + smolLM2
    static let batchRounded = FixtureModel.reference.filter(\.roundsByBatch).map(\.name)
    /// Every boundary on the reference models, one on SmolLM2 (whose 8-bit activations mostly
    /// hide the difference, and which takes longer).
    static let chunkCases = FixtureModel.reference.filter { !$0.roundsByBatch }.flatMap { model in [9, 17, 25, 33].map { (model.name, $0) } }
        + smolLM2.map { ($0, 33) }

    static func path(_ name: String) -> String? {
        name == "smollm2" ? ReferenceModels.smolLM2 : FixtureModel.referenceDirectory.appendingPathComponent(name + ".gguf").path
    }

    static func prompt(_ count: Int, vocabulary: Int) -> [Int] { (0..<count).map { ($0 * 7919 + 13) % min(vocabulary, 30_000) } }

    /// Logits at every position of a 40-token prompt fed as `calls` (one `forwardAllLogits` each).
    static func logits(_ path: String, batch: Int, calls: [Range<Int>]) throws -> [UInt32] {
        let model = try TransformerModel(path: path, contextLength: 64, threads: 2, batch: batch)
        let tokens = prompt(40, vocabulary: model.configuration.vocabularySize)
        return try calls.flatMap { try model.forwardAllLogits(Array(tokens[$0])) }.map(\.bitPattern)
    }

    /// Attention rounds a one-token chunk differently only past 16 positions (below that each
    /// lane holds one product either way), hence the longer prompts.
    @Test("a prompt of k·batch + 1 tokens (batch 8) has the logits of one big batch", arguments: chunkCases)
    func chunksAtBatchBoundaries(model: String, count: Int) throws {
        let path = try #require(PromptChunkingTests.path(model))
        let whole = try PromptChunkingTests.logits(path, batch: 512, calls: [0..<count])
        let chunked = try PromptChunkingTests.logits(path, batch: 8, calls: [0..<count])
        #expect(chunked == whole, "\(firstDifference(chunked, whole))")
    }

    /// A last-bit difference can flip an 8-bit activation quant downstream (qwen2-q6_k: 2e-5,
    /// llama-q4_k: 5e-15), as switching llama.cpp's ubatch size does; the quantized bound.
    @Test("with Q6_K products, chunks of fewer than 8 tokens stay within 1e-4 of one batch", arguments: batchRounded)
    func batchRoundedChunks(model name: String) throws {
        let path = try #require(PromptChunkingTests.path(name))
        let whole = try PromptChunkingTests.logits(path, batch: 512, calls: [0..<33]).map { Float(bitPattern: $0) }
        let chunked = try PromptChunkingTests.logits(path, batch: 8, calls: [0..<33]).map { Float(bitPattern: $0) }
        let error = normalizedError(chunked, whole)
        print("chunking \(name): batch 8 + 1 vs one batch, NMSE \(error)")
        #expect(chunked != whole)  // the 1-token chunk rounds the one-row way
        #expect(error < 1e-4)
    }

    @Test("a kept prefix plus the rest has the logits of the whole prompt, after a rewind past generated tokens", arguments: models)
    func prefixThenRest(model name: String) throws {
        let path = try #require(PromptChunkingTests.path(name))
        let count = 40
        let whole = try PromptChunkingTests.logits(path, batch: 512, calls: [0..<count])
        for kept in [2, 9, 23, count - 2] {
            let model = try TransformerModel(path: path, contextLength: 64, threads: 2, batch: 8)
            let vocabulary = model.configuration.vocabularySize
            let prompt = PromptChunkingTests.prompt(count, vocabulary: vocabulary)
            // Another prompt sharing `kept` tokens, then three generated tokens (one at a time).
            let other = Array(prompt[0..<kept]) + [5, 6, 7]
            var sampler = Sampler(parameters: .greedy, vocabularySize: vocabulary)
            var logits = try model.forward(other)
            for _ in 0..<3 { logits = try model.forward([sampler.sample(logits)]) }
            try model.rewind(to: kept)
            let rest = try model.forwardAllLogits(Array(prompt[kept...])).map(\.bitPattern)
            let expected = Array(whole[(kept * vocabulary)...])
            #expect(rest == expected, "kept \(kept): \(firstDifference(rest, expected))")
        }
    }
}
