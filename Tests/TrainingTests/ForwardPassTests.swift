import Foundation
import Testing
import Runtime
@testable import Training

/// With B = 0 (a fresh adapter) the trainer's forward pass is the base model's: its loss equals
/// the cross-entropy of the runtime's logits, which equal llama.cpp's (RuntimeTests). For
/// quantized bases the runtime, like llama.cpp, rounds activations to 8 bits before each product
/// while the trainer (like PyTorch) multiplies exact floats: measured 0.05-0.11% apart.
@Test(arguments: TorchReference.cases)
func aFreshAdapterLeavesTheRuntimesLossUnchanged(_ name: String) throws {
    let reference = try TorchReference(name)
    let file = try GGUFFile(path: reference.base)
    let trainer = try LoRATrainer(base: file, rank: 4, alpha: 8, threads: 2)
    let model = try TransformerModel(file: file, contextLength: 64, threads: 2)
    let example = reference.batch[2]
    let expected = try runtimeLoss(of: model, on: example)
    let (loss, gradients) = try trainer.gradients(of: [example])
    let tolerance = name.hasSuffix("f32") ? 1e-5 : 3e-3
    #expect(abs(loss - expected) / expected <= tolerance, "trainer \(loss), runtime \(expected)")
    // B = 0: only B receives a gradient.
    let (a, b) = try #require(gradients.values(of: "blk.1.ffn_down.weight"))
    #expect(a.allSatisfy { $0 == 0 })
    #expect(b.contains { $0 != 0 })
}

@Test func aBatchWithoutAssistantTokensIsRefused() throws {
    let reference = try TorchReference("llama-f32")
    let trainer = try LoRATrainer(base: GGUFFile(path: reference.base), rank: 2, alpha: 2, threads: 1)
    let example = TrainingExample(tokens: [1, 2, 3], mask: [true, false, false])
    #expect(throws: TrainingError(file: reference.base, message: "the batch has no target (assistant) tokens")) {
        try trainer.gradients(of: [example])
    }
}
