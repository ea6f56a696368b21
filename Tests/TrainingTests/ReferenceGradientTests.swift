import Foundation
import Testing
import Runtime
import TestSupport
@testable import Training

/// One case of Fixtures/torch_lora_reference.py: a random-weight base model of
/// RuntimeTests/Fixtures/reference, the shared initial A/B, the batch, and PyTorch's results.
struct TorchReference {
    static var fixtures: URL { URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures") }
    static let cases = ["llama-f32", "qwen2-f32", "llama-q8_0", "llama-q4_1"]

    let name: String
    let base: String
    let rank: Int
    let alpha: Float
    let loss: Double
    let losses: [Double]
    let optimizer: AdamWSettings
    let batch: [TrainingExample]

    init(_ name: String) throws {
        self.name = name
        let expected = try JSONSerialization.jsonObject(with: Data(contentsOf: Self.fixtures.appendingPathComponent(name + ".json"))) as? [String: Any] ?? [:]
        let file = try #require(expected["base"] as? String)
        base = Self.fixtures.appendingPathComponent("../../RuntimeTests/Fixtures/reference/" + file).standardized.path
        rank = try #require(expected["rank"] as? Int)
        alpha = Float(try #require(expected["alpha"] as? Double))
        loss = try #require(expected["loss"] as? Double)
        losses = try #require(expected["losses"] as? [Double])
        let o = try #require(expected["optimizer"] as? [String: Double])
        optimizer = AdamWSettings(learningRate: Float(o["lr"] ?? 0), beta1: Float(o["beta1"] ?? 0), beta2: Float(o["beta2"] ?? 0),
                                  epsilon: Float(o["epsilon"] ?? 0), weightDecay: Float(o["weight_decay"] ?? 0), clip: Float(o["clip"] ?? 0))
        let data = try JSONSerialization.jsonObject(with: Data(contentsOf: Self.fixtures.appendingPathComponent(name + ".data.json"))) as? [[String: [Int]]] ?? []
        batch = data.map { TrainingExample(tokens: $0["tokens"] ?? [], mask: ($0["mask"] ?? []).map { $0 == 1 }) }
        #expect(batch.count == 3)
    }

    /// A trainer over the case's base, started from the reference's initial A/B.
    func trainer() throws -> LoRATrainer {
        let trainer = try LoRATrainer(base: GGUFFile(path: base), rank: rank, alpha: alpha, optimizer: optimizer, threads: 2)
        try trainer.loadParameters(from: GGUFFile(path: Self.fixtures.appendingPathComponent(name + ".init.gguf").path))
        return trainer
    }
}

/// ‖x − reference‖ / ‖reference‖.
func relativeError(_ x: [Float], _ reference: [Float]) -> Double {
    var difference = 0.0, norm = 0.0
    for (a, b) in zip(x, reference) {
        difference += Double(a - b) * Double(a - b)
        norm += Double(b) * Double(b)
    }
    return (difference / norm).squareRoot()
}

@Test(arguments: TorchReference.cases)
func loraGradientsEqualPyTorchAutograd(_ name: String) throws {
    let reference = try TorchReference(name)
    let (loss, gradients) = try reference.trainer().gradients(of: reference.batch)
    #expect(abs(loss - reference.loss) / reference.loss <= 1e-5, "loss \(loss), PyTorch \(reference.loss)")
    let expected = try GGUFFile(path: TorchReference.fixtures.appendingPathComponent(name + ".grads.gguf").path)
    #expect(gradients.matrices.count == 14)
    for matrix in gradients.matrices {
        let (a, b) = try #require(gradients.values(of: matrix.tensor))
        for (suffix, values) in [(".lora_a", a), (".lora_b", b)] {
            let info = try #require(expected.tensor(named: matrix.tensor + suffix))
            let error = relativeError(values, try expected.dequantized(info))
            #expect(error <= 1e-4, "\(name) \(matrix.tensor)\(suffix): relative error \(error)")
        }
    }
}

@Test(arguments: TorchReference.cases)
func twentyAdamWStepsFollowPyTorchsLossTrajectory(_ name: String) throws {
    let reference = try TorchReference(name)
    let trainer = try reference.trainer()
    for (step, expected) in reference.losses.enumerated() {
        let loss = try trainer.step(reference.batch)
        #expect(abs(loss - expected) / expected <= 1e-3, "\(name) step \(step + 1): loss \(loss), PyTorch \(expected)")
    }
    #expect(reference.losses.last ?? 1 < reference.losses[0] * 0.9, "the reference trajectory should descend")
}

/// PyTorch autograd itself, run by the test: the reference script recomputes the gradients and the
/// AdamW trajectory in float64 and compares them with the committed fixtures (`--check`). The test
/// set-up installs CPU torch, so under BATON_REQUIRE_MODELS=1 (CI) a missing torch fails.
@Test(.requiresPythonModule("torch"))
func theReferenceScriptReproducesTheCommittedFixtures() throws {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", TorchReference.fixtures.appendingPathComponent("torch_lora_reference.py").path, "--check"]
    try process.run()
    process.waitUntilExit()
    #expect(process.terminationStatus == 0)
}
