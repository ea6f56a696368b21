import Foundation
import Testing
import Runtime
@testable import Training

/// A trained adapter, written and loaded by the runtime's `LoRAAdapter`, gives the logits whose
/// loss the trainer computed: the trainer's LoRA branch and the runtime's are the same function.
@Test(arguments: ["llama-f32", "qwen2-f32"])
func aWrittenAdapterRunsInTheRuntimeWithTheTrainersLoss(_ name: String) throws {
    let reference = try TorchReference(name)
    let trainer = try reference.trainer()
    for _ in 0..<3 { try trainer.step(reference.batch) }
    let example = reference.batch[2]
    let (loss, _) = try trainer.gradients(of: [example])

    let path = FileManager.default.temporaryDirectory.appendingPathComponent("baton-train-\(name)-\(UUID().uuidString).gguf").path
    defer { try? FileManager.default.removeItem(atPath: path) }
    let base = try GGUFFile(path: reference.base)
    try AdapterWriter(architecture: base.string("general.architecture") ?? "", metadata: [("training.steps", .uint(3))])
        .write(trainer.parameters, to: path)
    let written = try GGUFFile(path: path)
    #expect(written.string("general.type") == "adapter")
    #expect(written.string("adapter.type") == "lora")
    #expect(written.float("adapter.lora.alpha") == reference.alpha)
    #expect(written.int("training.steps") == 3)

    let model = try TransformerModel(file: base, contextLength: 64, threads: 2)
    model.adapters = [ScaledLoRA(try LoRAAdapter(path: path, base: base))]
    let logits = try model.forwardAllLogits(example.tokens)
    let vocabulary = model.configuration.vocabularySize
    var expected = 0.0
    for t in 0..<example.tokens.count - 1 where example.mask[t + 1] {
        let row = logits[t * vocabulary..<(t + 1) * vocabulary]
        let maximum = try #require(row.max())
        let sum = row.reduce(0.0) { $0 + Double(expf($1 - maximum)) }
        expected += log(sum) + Double(maximum) - Double(row[row.startIndex + example.tokens[t + 1]])
    }
    expected /= Double(example.targetCount)
    #expect(abs(loss - expected) / expected <= 1e-5, "trainer \(loss), runtime with the adapter \(expected)")
}
