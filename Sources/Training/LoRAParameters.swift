import Foundation
import Runtime

/// The matrices a LoRA adapter can change, by their GGUF tensor name within a layer.
public enum LoRATarget: String, Sendable, CaseIterable {
    case attentionQuery = "attn_q", attentionKey = "attn_k", attentionValue = "attn_v", attentionOutput = "attn_output"
    case gate = "ffn_gate", up = "ffn_up", down = "ffn_down"
}

/// The trainable A/B matrices of every adapted tensor (or, with the same shapes, their
/// gradients or AdamW moments). For the frozen W (out × in): y = W·x + (alpha/rank)·B·(A·x), A
/// rank × in and B out × rank, row-major, as `LoRAAdapter` applies them.
public final class LoRAParameters: @unchecked Sendable {
    // @unchecked Sendable: one owner mutates it between parallel regions, which write disjoint rows.
    public struct Matrix {
        /// The adapted tensor, e.g. `blk.0.attn_q.weight`.
        public let tensor: String
        public let input: Int, output: Int
        let a: Buffer, b: Buffer
    }

    public let rank: Int
    public let alpha: Float
    public private(set) var matrices: [Matrix]
    /// `slots[layer][target]`: the matrix's index in `matrices`.
    let slots: [[LoRATarget: Int]]

    /// alpha / rank, the factor on B·A·x.
    public var scale: Float { alpha / Float(rank) }

    /// Zeroed matrices of `rank` for `targets` of every layer of `base`.
    init(base: FrozenBase, rank: Int, alpha: Float, targets: [LoRATarget]) {
        let c = base.configuration
        var matrices: [Matrix] = [], slots: [[LoRATarget: Int]] = []
        for layer in 0..<c.layers {
            var slot: [LoRATarget: Int] = [:]
            for target in LoRATarget.allCases where targets.contains(target) {
                let (input, output) = Self.shape(target, c)
                slot[target] = matrices.count
                matrices.append(Matrix(tensor: "blk.\(layer).\(target.rawValue).weight", input: input, output: output,
                                       a: Buffer(rank * input), b: Buffer(output * rank)))
            }
            slots.append(slot)
        }
        self.rank = rank
        self.alpha = alpha
        self.matrices = matrices
        self.slots = slots
    }

    /// Zeroed matrices of the same shapes (gradients, moments).
    func zeros() -> LoRAParameters {
        let copy = LoRAParameters(rank: rank, alpha: alpha, matrices: matrices.map {
            Matrix(tensor: $0.tensor, input: $0.input, output: $0.output, a: Buffer($0.a.count), b: Buffer($0.b.count))
        }, slots: slots)
        return copy
    }

    private init(rank: Int, alpha: Float, matrices: [Matrix], slots: [[LoRATarget: Int]]) {
        self.rank = rank
        self.alpha = alpha
        self.matrices = matrices
        self.slots = slots
    }

    /// (in, out) of a target's frozen matrix.
    static func shape(_ target: LoRATarget, _ c: ModelConfiguration) -> (Int, Int) {
        let q = c.heads * c.headSize, kv = c.kvHeads * c.headSize
        switch target {
        case .attentionQuery: return (c.width, q)
        case .attentionKey, .attentionValue: return (c.width, kv)
        case .attentionOutput: return (q, c.width)
        case .gate, .up: return (c.width, c.feedForward)
        case .down: return (c.feedForward, c.width)
        }
    }

    /// A of `tensor` (rank × in) and B (out × rank), for tests and the adapter writer.
    public func values(of tensor: String) -> (a: [Float], b: [Float])? {
        matrices.first { $0.tensor == tensor }.map { ($0.a.array, $0.b.array) }
    }

    /// Sets every matrix from an adapter file in llama.cpp's format (`<tensor>.lora_a`, ggml
    /// shape [in, rank]; `.lora_b`, [rank, out]), e.g. a seeded initialization shared with a
    /// reference. Every matrix must be present with the right shape. With `suffix`, the tensors
    /// `<tensor>.lora_a<suffix>` of the same shapes (a checkpoint's AdamW moments).
    func load(_ file: GGUFFile, suffix extra: String = "") throws(TrainingError) {
        for m in matrices {
            for (part, buffer, shape) in [(".lora_a", m.a, [m.input, rank]), (".lora_b", m.b, [rank, m.output])] {
                let suffix = part + extra
                guard let info = file.tensor(named: m.tensor + suffix), info.shape == shape else {
                    throw TrainingError(file: file.path, message: "missing '\(m.tensor + suffix)' of shape \(shape)")
                }
                let values: [Float]
                do { values = try file.dequantized(info) } catch { throw TrainingError(file: file.path, message: error.message) }
                values.withUnsafeBufferPointer { source in
                    if let start = source.baseAddress { buffer.pointer.update(from: start, count: buffer.count) }
                }
            }
        }
    }

    /// Σ over every value of A and B squared (for gradient clipping).
    var squaredNorm: Double {
        var sum = 0.0
        for m in matrices { for buffer in [m.a, m.b] { for i in 0..<buffer.count { sum += Double(buffer.pointer[i] * buffer.pointer[i]) } } }
        return sum
    }

    func zero() { for m in matrices { m.a.zero(); m.b.zero() } }

    func scale(by factor: Float) {
        for m in matrices { for buffer in [m.a, m.b] { for i in 0..<buffer.count { buffer.pointer[i] *= factor } } }
    }
}
