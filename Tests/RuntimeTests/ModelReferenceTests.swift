import Foundation
import Testing
@testable import Runtime

/// One random-weight model of `Fixtures/reference/manifest.json` (made by
/// `make_reference_models.py`) with llama.cpp's logits for its 32 tokens.
struct ReferenceModel: Decodable, CustomTestStringConvertible, Sendable {
    var name: String
    var architecture: String
    var type: String
    var vocabulary: Int
    var tokens: [Int]
    var quantized: Bool
    var tensorTypes: [String]
    var testDescription: String { name }

    enum CodingKeys: String, CodingKey {
        case name, architecture, type, vocabulary, tokens, quantized
        case tensorTypes = "tensor_types"
    }

    /// Whether a product's rounding depends on its row count, as in llama.cpp (Q3_K, Q5_K and
    /// Q6_K from 8 rows: `WeightMatrix.roundsTiledInBatches`), so chunking a prompt differently
    /// moves the last bits.
    var roundsByBatch: Bool { tensorTypes.contains { ["Q3_K", "Q5_K", "Q6_K"].contains($0) } }

    static let directory = Bundle.module.resourceURL!.appendingPathComponent("Fixtures/reference")

    static let all: [ReferenceModel] = {
        struct Manifest: Decodable { var models: [ReferenceModel] }
        let data = try! Data(contentsOf: directory.appendingPathComponent("manifest.json"))
        return try! JSONDecoder().decode(Manifest.self, from: data).models
    }()

    var path: String { Self.directory.appendingPathComponent(name + ".gguf").path }

    /// llama.cpp's logits, tokens × vocabulary.
    func referenceLogits() throws -> [Float] {
        let data = try Data(contentsOf: Self.directory.appendingPathComponent(name + ".logits.f32"))
        return data.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
    }

    /// The bound on normalized MSE the issue sets: 1e-4 for quantized types, 1e-6 otherwise.
    var bound: Double { quantized ? 1e-4 : 1e-6 }
}

/// Compares rows of logits: overall normalized MSE and the positions whose argmax differs.
func compareLogits(_ ours: [Float], _ reference: [Float], vocabulary: Int) -> (nmse: Double, argmaxMismatches: [Int]) {
    let rows = reference.count / vocabulary
    var mismatches: [Int] = []
    for row in 0..<rows {
        let a = ours[row * vocabulary..<(row + 1) * vocabulary], b = reference[row * vocabulary..<(row + 1) * vocabulary]
        if a.indices.max(by: { a[$0] < a[$1] }) != b.indices.max(by: { b[$0] < b[$1] }) { mismatches.append(row) }
    }
    return (normalizedError(ours, reference), mismatches)
}

@Suite("Models against llama.cpp")
struct ModelReferenceTests {
    @Test("prompt batch: logits at every position equal llama.cpp's", arguments: ReferenceModel.all)
    func promptLogits(model: ReferenceModel) throws {
        let transformer = try TransformerModel(path: model.path, contextLength: 64, threads: 2)
        let ours = try transformer.forwardAllLogits(model.tokens)
        let (nmse, mismatches) = compareLogits(ours, try model.referenceLogits(), vocabulary: model.vocabulary)
        print("reference \(model.name) (\(model.type)) prompt batch: NMSE \(nmse), argmax mismatches \(mismatches)")
        #expect(nmse <= model.bound)
        #expect(mismatches == [])
    }

    @Test("decode steps: one token at a time through the KV cache", arguments: ReferenceModel.all)
    func decodeLogits(model: ReferenceModel) throws {
        let transformer = try TransformerModel(path: model.path, contextLength: 64, threads: 2)
        var ours: [Float] = []
        // The first 8 tokens as a batch, then single-token steps, as generation does.
        let head = try transformer.forwardAllLogits(Array(model.tokens[0..<8]))
        ours += head
        for token in model.tokens[8...] { ours += try transformer.forward([token]) }
        let (nmse, mismatches) = compareLogits(ours, try model.referenceLogits(), vocabulary: model.vocabulary)
        print("reference \(model.name) (\(model.type)) decode steps: NMSE \(nmse), argmax mismatches \(mismatches)")
        #expect(nmse <= model.bound)
        #expect(mismatches == [])
        #expect(transformer.position == 32)
    }
}
