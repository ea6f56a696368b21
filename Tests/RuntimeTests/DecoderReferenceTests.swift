import Foundation
import Testing
@testable import Runtime

/// One random-weight qwen3 / gemma3 / exaone4 model of `Fixtures/decoders/manifest.json` (made
/// by `make_decoder_models.py`) with llama.cpp's logits for its 48 tokens, three times the
/// sliding window of 16 that the gemma3 models and the 64-layer exaone4 model use.
struct DecoderModel: Decodable, CustomTestStringConvertible, Sendable {
    var name: String
    var architecture: String
    var type: String
    var vocabulary: Int
    var layers: Int
    var slidingWindow: Int?
    var tokens: [Int]
    var quantized: Bool
    var testDescription: String { name }

    enum CodingKeys: String, CodingKey {
        case name, architecture, type, vocabulary, layers, tokens, quantized
        case slidingWindow = "sliding_window"
    }

    static let directory = Bundle.module.resourceURL!.appendingPathComponent("Fixtures/decoders")

    static let all: [DecoderModel] = {
        struct Manifest: Decodable { var models: [DecoderModel] }
        let data = try! Data(contentsOf: directory.appendingPathComponent("manifest.json"))
        return try! JSONDecoder().decode(Manifest.self, from: data).models
    }()

    static let windowed = all.filter { $0.slidingWindow != nil }

    var path: String { Self.directory.appendingPathComponent(name + ".gguf").path }

    /// llama.cpp's logits for the 48 tokens in one batch, or, where the fixture has one, when
    /// they are decoded as `schedule` (`decode`, `ring`) batches them: Q3_K/Q5_K/Q6_K products
    /// round differently from 8 rows on (`WeightMatrix.roundsTiledInBatches`), in llama.cpp too.
    func referenceLogits(schedule: String? = nil) throws -> [Float] {
        var url = Self.directory.appendingPathComponent(name + ".logits.f32")
        if let schedule {
            let scheduled = Self.directory.appendingPathComponent("\(name).\(schedule).logits.f32")
            if FileManager.default.fileExists(atPath: scheduled.path) { url = scheduled }
        }
        return try Data(contentsOf: url).withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
    }

    /// The bound on normalized MSE at every position: 1e-4 quantized, 1e-6 float. Q2_K
    /// (one gemma3 model) is held to 1e-3: llama.cpp's AVX-512 build repacks Q2_K matrices whose
    /// row count is a multiple of 8 into interleaved q2_K_8x8 blocks with their own summation
    /// order, which Baton does not reproduce; one flipped 8-bit activation quant then reaches
    /// every later position through gemma3's KV cache (2.3e-4, Runtime.md). A wrong kernel shows
    /// as 1e-2 or more.
    var bound: Double { quantized ? (type == "Q2_K" ? 1e-3 : 1e-4) : 1e-6 }

    /// The largest normalized MSE of any position, and the positions whose argmax differs.
    func compare(_ ours: [Float], schedule: String? = nil) throws -> (worst: Double, argmaxMismatches: [Int]) {
        let reference = try referenceLogits(schedule: schedule)
        var worst = 0.0
        for row in 0..<tokens.count {
            let range = row * vocabulary..<(row + 1) * vocabulary
            worst = max(worst, normalizedError(Array(ours[range]), Array(reference[range])))
        }
        return (worst, compareLogits(ours, reference, vocabulary: vocabulary).argmaxMismatches)
    }
}

@Suite("qwen3, gemma3 and exaone4 against llama.cpp")
struct DecoderReferenceTests {
    @Test("the configuration reads each family's layout from the metadata")
    func configurations() throws {
        let gemma = try ModelConfiguration(file: try GGUFFile(path: DecoderModel.all.first { $0.name == "gemma3-f32-swa3-gqa2" }!.path))
        #expect(gemma.architecture == .gemma3)
        #expect(gemma.variant.layers == [
            LayerAttention(window: 16, ropeBase: 10000, ropeScale: 1, rotates: true),
            LayerAttention(window: 16, ropeBase: 10000, ropeScale: 1, rotates: true),
            LayerAttention(window: nil, ropeBase: 1_000_000, ropeScale: 1, rotates: true),
        ])
        #expect(gemma.variant.embeddingScale == Float(64).squareRoot())
        #expect(gemma.variant.queryScale == 1 / Float(32).squareRoot() && gemma.variant.attentionScale == 1)
        #expect(gemma.variant.gelu && gemma.variant.preNorms && gemma.variant.postNorms && gemma.variant.queryKeyNorms)

        let exaone = try ModelConfiguration(file: try GGUFFile(path: DecoderModel.all.first { $0.name == "exaone4-f32-swa-64layers" }!.path))
        #expect(exaone.variant.layers.filter { $0.window == 16 }.count == 48)
        #expect(exaone.variant.layers[3] == LayerAttention(window: nil, ropeBase: 1_000_000, ropeScale: 1, rotates: false))
        #expect(!exaone.variant.preNorms && exaone.variant.postNorms && !exaone.variant.gelu)

        let qwen = try ModelConfiguration(file: try GGUFFile(path: DecoderModel.all.first { $0.architecture == "qwen3" }!.path))
        #expect(qwen.variant.queryKeyNorms && qwen.variant.preNorms && !qwen.variant.postNorms && !qwen.variant.hasSlidingWindow)
    }

    @Test("prompt batch: logits at every position equal llama.cpp's", arguments: DecoderModel.all)
    func promptLogits(model: DecoderModel) throws {
        let transformer = try TransformerModel(path: model.path, contextLength: 64, threads: 2)
        let (worst, mismatches) = try model.compare(try transformer.forwardAllLogits(model.tokens))
        print("decoder \(model.name) (\(model.type)) prompt batch: worst position NMSE \(worst), argmax mismatches \(mismatches)")
        #expect(worst <= model.bound)
        #expect(mismatches == [])
    }

    @Test("decode steps: one token at a time through the KV cache", arguments: DecoderModel.all)
    func decodeLogits(model: DecoderModel) throws {
        let transformer = try TransformerModel(path: model.path, contextLength: 64, threads: 2)
        var ours = try transformer.forwardAllLogits(Array(model.tokens[0..<8]))
        for token in model.tokens[8...] { ours += try transformer.forward([token]) }
        let (worst, mismatches) = try model.compare(ours, schedule: "decode")
        print("decoder \(model.name) (\(model.type)) decode steps: worst position NMSE \(worst), argmax mismatches \(mismatches)")
        #expect(worst <= model.bound)
        #expect(mismatches == [])
    }

    /// With batches of 6 the local layers keep 16 + 6 = 22 rows, so 48 tokens wrap the ring twice.
    @Test("sliding window: a ring of window + batch rows gives the same logits", arguments: DecoderModel.windowed)
    func ringCache(model: DecoderModel) throws {
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
        let model = try #require(DecoderModel.windowed.first)
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
    func withPrefix(of model: DecoderModel, through position: Int) throws -> [Float] {
        Array(try model.referenceLogits()[0..<position * model.vocabulary]) + self
    }
}
