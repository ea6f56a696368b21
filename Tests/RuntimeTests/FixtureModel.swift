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
    /// The fixture folder that holds the model, its logits and the manifest (set when loaded).
    var directory = URL(fileURLWithPath: "/")
    var testDescription: String { name }

    enum CodingKeys: String, CodingKey {
        case name, architecture, type, vocabulary, layers, tokens, quantized
        case slidingWindow = "sliding_window"
    }

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

    /// llama.cpp's logits, tokens × vocabulary.
    func referenceLogits() throws -> [Float] {
        let data = try Data(contentsOf: directory.appendingPathComponent(name + ".logits.f32"))
        return data.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
    }

    /// The bound on normalized MSE at every position: 1e-4 quantized, 1e-6 float;
    /// 1e-3 for quantized gemma3. Its kernels equal llama.cpp's bit for bit
    /// (`KQuantReferenceTests`) and its logits match to 1e-14 up to the first position where
    /// a last-bit difference elsewhere flips one 8-bit activation quant; in gemma3 such a flip
    /// reaches every later position through the KV cache, at NMSE 1e-4 to 5e-4 (Runtime.md
    /// lists them). A wrong kernel shows as 1e-2 or more.
    var bound: Double { quantized ? (architecture == "gemma3" ? 1e-3 : 1e-4) : 1e-6 }

    /// The largest normalized MSE of any position, and the positions whose argmax differs.
    func compare(_ ours: [Float]) throws -> (worst: Double, argmaxMismatches: [Int]) {
        let reference = try referenceLogits()
        var worst = 0.0
        for row in 0..<tokens.count {
            let range = row * vocabulary..<(row + 1) * vocabulary
            worst = max(worst, normalizedError(Array(ours[range]), Array(reference[range])))
        }
        return (worst, compareLogits(ours, reference, vocabulary: vocabulary).argmaxMismatches)
    }
}
