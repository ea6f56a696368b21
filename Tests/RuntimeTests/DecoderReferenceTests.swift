import Foundation
import Testing
@testable import Runtime

@Suite("qwen3, gemma3 and exaone4 against llama.cpp")
struct DecoderReferenceTests {
    @Test("the configuration reads each family's layout from the metadata")
    func configurations() throws {
        let gemma = try ModelConfiguration(file: try GGUFFile(path: FixtureModel.decoders.first { $0.name == "gemma3-f32-swa3-gqa2" }!.path))
        #expect(gemma.architecture == .gemma3)
        #expect(gemma.variant.layers == [
            LayerAttention(window: 16, ropeBase: 10000, ropeScale: 1, rotates: true),
            LayerAttention(window: 16, ropeBase: 10000, ropeScale: 1, rotates: true),
            LayerAttention(window: nil, ropeBase: 1_000_000, ropeScale: 1, rotates: true),
        ])
        #expect(gemma.variant.embeddingScale == Float(64).squareRoot())
        #expect(gemma.variant.queryScale == 1 / Float(32).squareRoot() && gemma.variant.attentionScale == 1)
        #expect(gemma.variant.gelu && gemma.variant.preNorms && gemma.variant.postNorms && gemma.variant.queryKeyNorms)

        let exaone = try ModelConfiguration(file: try GGUFFile(path: FixtureModel.decoders.first { $0.name == "exaone4-f32-swa-64layers" }!.path))
        #expect(exaone.variant.layers.filter { $0.window == 16 }.count == 48)
        #expect(exaone.variant.layers[3] == LayerAttention(window: nil, ropeBase: 1_000_000, ropeScale: 1, rotates: false))
        #expect(!exaone.variant.preNorms && exaone.variant.postNorms && !exaone.variant.gelu)

        let qwen = try ModelConfiguration(file: try GGUFFile(path: FixtureModel.decoders.first { $0.architecture == "qwen3" }!.path))
        #expect(qwen.variant.queryKeyNorms && qwen.variant.preNorms && !qwen.variant.postNorms && !qwen.variant.hasSlidingWindow)
    }

    @Test("prompt batch: logits at every position equal llama.cpp's", arguments: FixtureModel.decoders)
    func promptLogits(model: FixtureModel) throws {
        let transformer = try TransformerModel(path: model.path, contextLength: 64, threads: 2)
        let (worst, mismatches) = try model.compare(try transformer.forwardAllLogits(model.tokens))
        print("decoder \(model.name) (\(model.type)) prompt batch: worst position NMSE \(worst), argmax mismatches \(mismatches)")
        #expect(worst <= model.bound)
        #expect(mismatches == [])
    }

    @Test("decode steps: one token at a time through the KV cache", arguments: FixtureModel.decoders)
    func decodeLogits(model: FixtureModel) throws {
        let transformer = try TransformerModel(path: model.path, contextLength: 64, threads: 2)
        let ours = try model.decodeLogits(transformer)
        let (worst, mismatches) = try model.compare(ours, schedule: "decode")
        print("decoder \(model.name) (\(model.type)) decode steps: worst position NMSE \(worst), argmax mismatches \(mismatches)")
        #expect(worst <= model.bound)
        #expect(mismatches == [])
    }

    /// With batches of 6 the local layers keep 16 + 6 = 22 rows, so 48 tokens wrap the ring twice.
    @Test("sliding window: a ring of window + batch rows gives the same logits", arguments: FixtureModel.windowed)
    func ringCache(model: FixtureModel) throws {
        let transformer = try TransformerModel(path: model.path, contextLength: 64, threads: 2, batch: 6)
        #expect(transformer.state.slots.contains(22))
        #expect(transformer.memoryUsage.kvCacheBytes < 2 * 4 * 64 * model.layers * transformer.configuration.kvHeads * transformer.configuration.headSize)
        var ours = try transformer.forwardAllLogits(Array(model.tokens[0..<20]))
        for token in model.tokens[20..<30] { ours += try transformer.forward([token]) }
        ours += try transformer.forwardAllLogits(Array(model.tokens[30...]))
        let (worst, mismatches) = try model.compare(ours, schedule: "ring")
        print("decoder \(model.name) (\(model.type)) ring of 22: worst position NMSE \(worst), argmax mismatches \(mismatches)")
        #expect(worst <= model.bound)
        #expect(mismatches == [])
    }

    @Test("sliding window: rewinding past what the ring holds is refused")
    func ringRewind() throws {
        let model = try #require(FixtureModel.windowed.first)
        let transformer = try TransformerModel(path: model.path, contextLength: 64, threads: 2, batch: 6)
        _ = try transformer.forward(Array(model.tokens[0..<40]))
        #expect(transformer.canRewind(to: 33))
        #expect(!transformer.canRewind(to: 32))
        #expect(throws: RuntimeError(file: model.path, message: "cannot rewind to position 20: the sliding-window cache no longer holds the window before it")) {
            try transformer.rewind(to: 20)
        }
        try transformer.rewind(to: 33)
        let (worst, _) = try model.compare(try transformer.forwardAllLogits(Array(model.tokens[33...])).withPrefix(of: model, through: 33))
        #expect(worst <= model.bound)
    }
}

extension Array where Element == Float {
    /// Pads logits for positions `from...` with llama.cpp's own rows for the earlier positions,
    /// so that `compare` checks only the rows computed after a rewind.
    func withPrefix(of model: FixtureModel, through position: Int) throws -> [Float] {
        Array(try model.referenceLogits()[0..<position * model.vocabulary]) + self
    }
}
