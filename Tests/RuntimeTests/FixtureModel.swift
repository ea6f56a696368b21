import Foundation
import Testing
@testable import Runtime

/// One random-weight model of a fixture manifest with llama.cpp's logits for its tokens, both
/// written by `gguf_fixtures.write_models`: `Fixtures/reference` (`make_reference_models.py`:
/// llama, qwen2, exaone, 32 tokens) and `Fixtures/decoders` (`make_decoder_models.py`: qwen3,
/// gemma3, exaone4, 48 tokens, three times the sliding window of 16 that the gemma3 models and
/// the 64-layer exaone4 model use).
struct FixtureModel: Decodable, CustomTestStringConvertible, Sendable {
    var name: String
    var architecture: String
    var type: String
    var vocabulary: Int
    var layers: Int
    var slidingWindow: Int?
    var tokens: [Int]
    var quantized: Bool
    /// The GGUF types of the model's tensors (the reference manifest lists them).
    var tensorTypes: [String]?
    /// The fixture folder that holds the model, its logits and the manifest (set when loaded).
    var directory = URL(fileURLWithPath: "/")
    var testDescription: String { name }

    enum CodingKeys: String, CodingKey {
        case name, architecture, type, vocabulary, layers, tokens, quantized
        case slidingWindow = "sliding_window"
        case tensorTypes = "tensor_types"
    }

    /// Whether a product's rounding depends on its row count, as in llama.cpp (Q3_K, Q5_K and
    /// Q6_K from 8 rows: `WeightMatrix.roundsTiledInBatches`), so chunking a prompt differently
    /// moves the last bits.
    var roundsByBatch: Bool { (tensorTypes ?? [type]).contains { ["Q3_K", "Q5_K", "Q6_K"].contains($0) } }

    static let referenceDirectory = Bundle.module.resourceURL!.appendingPathComponent("Fixtures/reference")
    static let decodersDirectory = Bundle.module.resourceURL!.appendingPathComponent("Fixtures/decoders")

    /// The llama, qwen2 and exaone models of `Fixtures/reference`.
    static let reference = load(referenceDirectory)
    /// The qwen3, gemma3 and exaone4 models of `Fixtures/decoders`.
    static let decoders = load(decodersDirectory)
    /// The decoders with a sliding window.
    static let windowed = decoders.filter { $0.slidingWindow != nil }

    private static func load(_ directory: URL) -> [FixtureModel] {
        struct Manifest: Decodable { var models: [FixtureModel] }
        let data = try! Data(contentsOf: directory.appendingPathComponent("manifest.json"))
        return try! JSONDecoder().decode(Manifest.self, from: data).models.map { model in
            var model = model
            model.directory = directory
            return model
        }
    }

    var path: String { directory.appendingPathComponent(name + ".gguf").path }

    /// llama.cpp's logits for the tokens in one batch, or, where the fixture has one, when they
    /// are decoded as `schedule` (`decode`, `ring`) batches them: Q3_K/Q5_K/Q6_K products round
    /// differently from 8 rows on (`WeightMatrix.roundsTiledInBatches`), in llama.cpp too.
    func referenceLogits(schedule: String? = nil) throws -> [Float] {
        var url = directory.appendingPathComponent(name + ".logits.f32")
        if let schedule {
            let scheduled = directory.appendingPathComponent("\(name).\(schedule).logits.f32")
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

    /// The logits of every token decoded as generation does: the first 8 tokens as one batch, then
    /// single-token steps through the KV cache.
    func decodeLogits(_ transformer: TransformerModel) throws -> [Float] {
        var logits = try transformer.forwardAllLogits(Array(tokens[0..<8]))
        for token in tokens[8...] { logits += try transformer.forward([token]) }
        return logits
    }

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
