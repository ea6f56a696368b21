import Foundation
import Testing
@testable import Runtime

/// llama.cpp's logits for the F32 reference model with the adapters of Fixtures/lora, written by
/// Fixtures/make_lora_fixtures.py.
enum LoRAFixtures {
    static var directory: URL { MalformedFixtures.directory.deletingLastPathComponent() }
    static var base: String { directory.appendingPathComponent("reference/llama-f32-gqa2-ropefreqs.gguf").path }
    static func path(_ name: String) -> String { directory.appendingPathComponent("lora/" + name).path }
    static func logits(_ name: String) throws -> [Float] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path(name)))
        return data.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
    }
    static func tokens() throws -> [Int] {
        let data = try Data(contentsOf: directory.appendingPathComponent("reference/manifest.json"))
        let manifest = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        let models = manifest?["models"] as? [[String: Any]] ?? []
        return models.first { $0["name"] as? String == "llama-f32-gqa2-ropefreqs" }?["tokens"] as? [Int] ?? []
    }
}

@Test(arguments: [
    ("two-targets.logits.f32", [("two-targets.gguf", Float(1.0))]),
    ("both.logits.f32", [("two-targets.gguf", Float(0.5)), ("mlp.gguf", Float(1.5))]),
])
func loraChangesTheLogitsAsLlamaCppDoes(reference: String, adapters: [(String, Float)]) throws {
    let file = try GGUFFile(path: LoRAFixtures.base)
    let model = try TransformerModel(file: file, contextLength: 64, threads: 2)
    let tokens = try LoRAFixtures.tokens()
    let plain = try model.forwardAllLogits(tokens)
    model.reset()
    model.adapters = try adapters.map { name, scale throws(RuntimeError) in ScaledLoRA(try LoRAAdapter(path: LoRAFixtures.path(name), base: file), scale: scale) }
    let ours = try model.forwardAllLogits(tokens)
    let expected = try LoRAFixtures.logits(reference)
    let (nmse, mismatches) = compareLogits(ours, expected, vocabulary: model.configuration.vocabularySize)
    let (changed, _) = compareLogits(plain, expected, vocabulary: model.configuration.vocabularySize)
    print("LoRA \(reference): NMSE \(nmse) vs llama.cpp (without the adapters: \(changed)), argmax mismatches \(mismatches)")
    #expect(nmse <= 1e-6)
    #expect(changed > 1e-2)
    // Chosen per request: dropping the adapters gives the base model back.
    model.reset()
    model.adapters = []
    #expect(try model.forwardAllLogits(tokens) == plain)
}

@Test func adapterForAnotherModelIsRefused() throws {
    let other = try GGUFFile(path: LoRAFixtures.directory.appendingPathComponent("reference/llama-q8_0-gqa4.gguf").path)
    let adapter = LoRAFixtures.path("two-targets.gguf")
    do {
        _ = try LoRAAdapter(path: adapter, base: other)
        Issue.record("a mismatched adapter loaded")
    } catch {
        #expect(error.file == adapter)
        #expect(error.message.hasPrefix("the adapter's 'blk.0."), "\(error.message)")
        #expect(error.message.contains("which do not fit the model's"))
    }
    let base = try GGUFFile(path: LoRAFixtures.base)
    #expect(throws: RuntimeError(file: LoRAFixtures.base, message: "not a LoRA adapter (general.type is 'missing', expected 'adapter')")) {
        _ = try LoRAAdapter(path: LoRAFixtures.base, base: base)
    }
}
