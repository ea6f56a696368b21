import Foundation
import Testing
@testable import Runtime

@Suite("Sampling and generation")
struct ModelSamplingTests {
    static let logits: [Float] = [1.0, 3.0, 2.5, -1.0, 0.5, 2.9]

    @Test("temperature 0 is greedy")
    func greedy() {
        var sampler = Sampler(parameters: .greedy, vocabularySize: 6)
        #expect(Self.logits.withUnsafeBufferPointer { sampler.sample($0) } == 1)
        // Ties go to the first; a history without penalties changes nothing.
        let tied: [Float] = [0, 4, -1, 4, 4]
        #expect(tied.withUnsafeBufferPointer { sampler.sample($0, history: [1, 1, 1]) } == 1)
    }

    @Test("the same seed gives the same tokens, another seed other tokens")
    func seeded() {
        func draws(seed: UInt64) -> [Int] {
            var sampler = Sampler(parameters: SamplingParameters(temperature: 1.5, topK: 0, topP: 1, minP: 0, seed: seed), vocabularySize: 6)
            return (0..<40).map { _ in Self.logits.withUnsafeBufferPointer { sampler.sample($0) } }
        }
        #expect(draws(seed: 7) == draws(seed: 7))
        #expect(draws(seed: 7) != draws(seed: 8))
        #expect(Set(draws(seed: 7)).count > 2)
    }

    @Test("top-k 1, top-p near 0 and min-p near 1 all reduce to the best token")
    func truncation() {
        for parameters in [SamplingParameters(temperature: 1, topK: 1, topP: 1, minP: 0),
                           SamplingParameters(temperature: 1, topK: 0, topP: 0.01, minP: 0),
                           SamplingParameters(temperature: 1, topK: 0, topP: 1, minP: 0.99)] {
            var sampler = Sampler(parameters: parameters, vocabularySize: 6)
            let tokens = (0..<20).map { _ in Self.logits.withUnsafeBufferPointer { sampler.sample($0) } }
            #expect(tokens == Array(repeating: 1, count: 20))
        }
    }

    @Test("top-k 2 only ever picks the two best tokens")
    func topK() {
        var sampler = Sampler(parameters: SamplingParameters(temperature: 2, topK: 2, topP: 1, minP: 0, seed: 3), vocabularySize: 6)
        let tokens = Set((0..<200).map { _ in Self.logits.withUnsafeBufferPointer { sampler.sample($0) } })
        #expect(tokens == [1, 5])
    }

    @Test("top-k over a large vocabulary keeps exactly the k best tokens")
    func topKLarge() {
        var random = TestRandom(seed: 4)
        let logits = (0..<5000).map { _ in random.float() * 8 }
        let best = Set(logits.indices.sorted { logits[$0] > logits[$1] }.prefix(5))
        var sampler = Sampler(parameters: SamplingParameters(temperature: 3, topK: 5, topP: 1, minP: 0, seed: 1), vocabularySize: 5000)
        let drawn = Set((0..<300).map { _ in logits.withUnsafeBufferPointer { sampler.sample($0) } })
        #expect(drawn == best)
    }

    @Test("penalties: repetition divides positive logits, frequency and presence subtract")
    func penalties() {
        // Token 1 (3.0) repeated twice: 3.0 / 2 - 2·0.5 - 0.25 = 0.25, so token 5 (2.9) wins.
        var sampler = Sampler(parameters: SamplingParameters(temperature: 0, repetitionPenalty: 2, frequencyPenalty: 0.5, presencePenalty: 0.25), vocabularySize: 6)
        #expect(Self.logits.withUnsafeBufferPointer { sampler.sample($0, history: [1, 1]) } == 5)
        // Token 5 penalized too: 2.9 / 2 − 0.5 − 0.25 = 0.7 < 2.5 (token 2).
        #expect(Self.logits.withUnsafeBufferPointer { sampler.sample($0, history: [1, 1, 5]) } == 2)
    }

    @Test("greedy generation is reproducible and stops at max tokens")
    func generation() throws {
        let path = FixtureModel.reference[0].path
        func run() throws -> GenerationResult {
            let model = try TransformerModel(path: path, contextLength: 64, threads: 2)
            var sampler = Sampler(parameters: .greedy, vocabularySize: model.configuration.vocabularySize)
            return try model.generate(prompt: [1, 2, 3], maxTokens: 10, sampler: &sampler, stopTokens: [])
        }
        let first = try run(), second = try run()
        #expect(first.tokens == second.tokens)
        #expect(first.tokens.count == 10)
        #expect(first.stopReason == .maxTokens)
        #expect(first.promptTokens == 3)
    }

    @Test("generation stops when the context is full")
    func contextFull() throws {
        let model = try TransformerModel(path: FixtureModel.reference[0].path, contextLength: 8, threads: 1)
        var sampler = Sampler(parameters: .greedy, vocabularySize: model.configuration.vocabularySize)
        let result = try model.generate(prompt: [1, 2, 3], maxTokens: 50, sampler: &sampler, stopTokens: [])
        #expect(result.stopReason == .contextFull)
        #expect(result.tokens.count == 6)
        #expect(model.position == 8)
    }
}

@Suite("Model loading and limits")
struct ModelLimitTests {
    @Test("a prompt longer than the context is a clear error")
    func contextExceeded() throws {
        let model = try TransformerModel(path: FixtureModel.reference[0].path, contextLength: 16, threads: 1)
        _ = try model.forward(Array(0..<10))
        #expect(throws: RuntimeError(file: model.file.path, message: "20 tokens exceed the context length 16 (10 already in the cache, 10 new)")) {
            _ = try model.forward(Array(0..<10))
        }
        #expect(throws: RuntimeError(file: model.file.path, message: "token id 300 is outside the vocabulary of 300")) {
            _ = try model.forward([300])
        }
    }

    @Test("a context beyond the trained one is refused")
    func contextTooLarge() throws {
        let path = FixtureModel.reference[0].path
        #expect(throws: RuntimeError(file: path, message: "context length 257 is outside 1...256, the model's trained context")) {
            _ = try TransformerModel(path: path, contextLength: 257, threads: 1)
        }
    }

    @Test("a generated token reads every tensor once, of an untied embedding one row", arguments: [
        ("llama-q8_0-gqa4", 339_296),  // tied: all 339,296 tensor bytes (the embedding is the output)
        ("llama-f16-gqa3-untied", 416_064),  // 473,472 − the 57,600-byte embedding + one 192-byte row
    ])
    func tokenReadBytes(name: String, bytes: Int) throws {
        let fixture = try #require(FixtureModel.reference.first { $0.name == name })
        let model = try TransformerModel(path: fixture.path, contextLength: 64, threads: 1)
        #expect(model.memoryUsage.tokenReadBytes == bytes)
    }

    @Test("memory use counts the file, the KV cache for the context and the buffers")
    func memoryUsage() throws {
        let reference = FixtureModel.reference[0]
        let model = try TransformerModel(path: reference.path, contextLength: 64, threads: 1)
        let usage = model.memoryUsage
        let c = model.configuration
        #expect(usage.weightBytes == (try FileManager.default.attributesOfItem(atPath: reference.path)[.size] as? Int))
        #expect(usage.kvCacheBytes == 2 * 4 * c.layers * 64 * c.kvHeads * c.headSize)
        #expect(usage.scratchBytes > 0)
        #expect(c.architecture == .llama && c.heads == 4 && c.kvHeads == 2 && c.width == 64 && c.vocabularySize == 300)
    }
}
