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
    let expected = try runtimeLoss(of: model, on: example)
    #expect(abs(loss - expected) / expected <= 1e-5, "trainer \(loss), runtime with the adapter \(expected)")
}

/// The same adapter in llama.cpp (llama-cpp-python): its logits equal Baton's with the adapter
/// (normalized mean squared error <= 1e-6), so a Baton-trained adapter serves in llama.cpp/Ollama.
@Test(.requiresPythonModule("llama_cpp"), arguments: ["llama-f32", "qwen2-f32"])
func aWrittenAdapterGivesLlamaCppsLogits(_ name: String) throws {
    let reference = try TorchReference(name)
    let trainer = try reference.trainer()
    for _ in 0..<3 { try trainer.step(reference.batch) }
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("baton-train-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let adapter = directory.appendingPathComponent("adapter.gguf").path, output = directory.appendingPathComponent("logits.f32").path
    let base = try GGUFFile(path: reference.base)
    try AdapterWriter(architecture: base.string("general.architecture") ?? "").write(trainer.parameters, to: adapter)
    let tokens = reference.batch[2].tokens

    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", TorchReference.fixtures.appendingPathComponent("llama_cpp_lora_logits.py").path,
                         reference.base, adapter, tokens.map(String.init).joined(separator: ","), output]
    try process.run()
    process.waitUntilExit()
    try #require(process.terminationStatus == 0)
    let expected = try Data(contentsOf: URL(fileURLWithPath: output)).withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }

    let model = try TransformerModel(file: base, contextLength: 64, threads: 2)
    model.adapters = [ScaledLoRA(try LoRAAdapter(path: adapter, base: base))]
    let logits = try model.forwardAllLogits(tokens)
    try #require(logits.count == expected.count)
    var error = 0.0, norm = 0.0
    for (a, b) in zip(logits, expected) {
        error += Double(a - b) * Double(a - b)
        norm += Double(b) * Double(b)
    }
    #expect(error / norm <= 1e-6, "\(name): NMSE \(error / norm)")
}
