import Base
import Foundation
import Runtime

/// Trains LoRA A/B matrices over a frozen GGUF base: gradients of the masked cross-entropy of a
/// batch (accumulated over its sequences), then clipped AdamW steps.
///
/// The loss of a batch is the mean over all its target tokens, so a batch split into sequences
/// (gradient accumulation) gives the same gradients as one long batch would.
public final class LoRATrainer {
    let base: FrozenBase
    public let parameters: LoRAParameters
    let optimizer: AdamW
    public let threads: Int
    /// LoRA dropout probability while computing gradients (never for `loss(of:)`); its masks
    /// are drawn from `seed`, the optimizer step and the sequence's place in the batch, so a
    /// resumed run draws the same masks.
    public var dropout: Float = 0
    let seed: UInt64

    /// `targets` of every layer get rank-`rank` matrices: A uniform in ±1/√in from `seed`, B zero
    /// (so training starts from the base model exactly, as PEFT does).
    public init(base file: GGUFFile, rank: Int, alpha: Float, targets: [LoRATarget] = LoRATarget.allCases,
                optimizer: AdamWSettings = AdamWSettings(), seed: UInt64 = 0, threads: Int? = nil) throws(TrainingError) {
        guard rank > 0, !targets.isEmpty else { throw TrainingError(file: file.path, message: "rank must be positive and at least one target chosen") }
        base = try FrozenBase(file: file)
        parameters = LoRAParameters(base: base, rank: rank, alpha: alpha, targets: targets)
        var random = SeededGenerator(seed: seed)
        for m in parameters.matrices {
            let bound = 1 / Float(m.input).squareRoot()
            for i in 0..<m.a.count { m.a.pointer[i] = (2 * random.unitFloat() - 1) * bound }
        }
        self.optimizer = AdamW(settings: optimizer, parameters: parameters)
        self.seed = seed
        self.threads = max(1, threads ?? ProcessInfo.processInfo.activeProcessorCount)
    }

    /// Replaces A and B with an adapter file's (a resumed run, or a reference's initialization).
    public func loadParameters(from file: GGUFFile) throws(TrainingError) { try parameters.load(file) }

    /// The batch's mean masked loss and its gradients dLoss/dA, dLoss/dB.
    public func gradients(of batch: [TrainingExample]) throws(TrainingError) -> (loss: Double, gradients: LoRAParameters) {
        let gradients = parameters.zeros()
        let loss = try accumulate(batch, into: gradients)
        return (loss, gradients)
    }

    /// The batch's mean masked loss without gradients (validation).
    public func loss(of batch: [TrainingExample]) throws(TrainingError) -> Double {
        try accumulate(batch, into: nil)
    }

    /// One optimizer step on `batch` at `learningRate` (a schedule's value; the settings' by
    /// default); returns the loss before the step. A non-finite loss or gradient throws before
    /// anything changes, so the parameters stay those of the last good step.
    @discardableResult
    public func step(_ batch: [TrainingExample], learningRate: Float? = nil) throws(TrainingError) -> Double {
        let (loss, gradients) = try gradients(of: batch)
        let norm = optimizer.step(parameters, gradients: gradients, learningRate: learningRate)
        guard norm.isFinite else { throw TrainingError(file: base.path, message: "the gradient norm is \(norm); training stopped") }
        return loss
    }

    /// The architecture name the adapter is written for (`general.architecture`).
    public var architecture: String { base.configuration.architecture.rawValue }

    private func accumulate(_ batch: [TrainingExample], into gradients: LoRAParameters?) throws(TrainingError) -> Double {
        let c = base.configuration
        let total = batch.reduce(0) { $0 + $1.targetCount }
        guard total > 0 else { throw TrainingError(file: base.path, message: "the batch has no target (assistant) tokens") }
        let longest = batch.map(\.tokens.count).max() ?? 0
        let rope = base.ropeTable(count: longest)
        var loss = 0.0
        for (index, example) in batch.enumerated() where example.targetCount > 0 {
            guard example.tokens.count == example.mask.count else {
                throw TrainingError(file: base.path, message: "an example has \(example.tokens.count) tokens but \(example.mask.count) mask values")
            }
            if let bad = example.tokens.first(where: { $0 < 0 || $0 >= c.vocabularySize }) {
                throw TrainingError(file: base.path, message: "token id \(bad) is outside the vocabulary of \(c.vocabularySize)")
            }
            let pass = SequencePass(base: base, lora: parameters, tokens: example.tokens, rope: rope, threads: threads)
            if gradients != nil, dropout > 0 {
                pass.dropout = dropout
                pass.dropoutRandom = SeededGenerator(seed: seed &* 0x9E37_79B9_7F4A_7C15 ^ UInt64(optimizer.steps + 1) &* 0xBF58_476D_1CE4_E5B9 ^ UInt64(index + 1) &* 0x94D0_49BB_1331_11EB)
            }
            _ = pass.forward()
            let dNormed = Buffer(example.tokens.count * c.width)
            let (sum, _) = pass.head(mask: example.mask, lossScale: 1 / Float(total), dNormed: dNormed)
            if let gradients { pass.backward(dNormed: dNormed, gradients: gradients) }
            loss += sum
        }
        let mean = loss / Double(total)
        guard mean.isFinite else { throw TrainingError(file: base.path, message: "the loss is \(mean); training stopped") }
        return mean
    }
}
