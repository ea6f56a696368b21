import Base
import Foundation
import Runtime

/// One training sequence through the frozen base with LoRA: the forward pass keeps every
/// activation the backward pass needs (the "tape"), then `backward` adds the sequence's share of
/// dLoss/dA and dLoss/dB to the gradients. Plain loops over row-major buffers, shapes in comments.
final class SequencePass {
    /// What one layer saves in the forward pass.
    struct LayerTape {
        var input: Buffer            // T × W, the residual entering the layer
        var inverseRMS1: [Float]     // T
        var normed1: Buffer          // T × W
        var query: Buffer, key: Buffer, value: Buffer // T × qW, T × kvW, T × kvW (Q, K after RoPE)
        var probabilities: Buffer    // heads × T × T, causal softmax
        var attention: Buffer        // T × qW
        var middle: Buffer           // T × W, the residual after attention
        var inverseRMS2: [Float]     // T
        var normed2: Buffer          // T × W
        var gate: Buffer, up: Buffer // T × F, before the activation
        var activated: Buffer        // T × F, silu(gate)·up
        var hidden: [LoRATarget: Buffer] // T × rank, A·x of each adapted product
        /// T × in, which inputs of each adapted product's LoRA branch dropout kept (1) or zeroed (0).
        var kept: [LoRATarget: [UInt8]] = [:]
    }

    let base: FrozenBase
    let lora: LoRAParameters
    let tokens: [Int]
    let threads: Int
    var T: Int { tokens.count }
    var layers: [LayerTape] = []
    var final = Buffer(0), finalRMS: [Float] = [], finalNormed = Buffer(0)
    let rope: Buffer
    /// The frozen matrix of the product at hand, dequantized from the file just before it (the
    /// forward pass and again the backward pass, one matrix at a time), or a chunk of the output
    /// head's rows.
    let scratch: Buffer
    /// LoRA dropout (PEFT's `lora_dropout`): the probability that an input of a LoRA branch is
    /// zeroed, the kept ones scaled by 1/(1−p); 0 (validation, or no dropout) leaves x as is.
    var dropout: Float = 0
    /// The generator of the dropout masks, seeded per step and sequence by the trainer.
    var dropoutRandom = SeededGenerator(seed: 0)

    init(base: FrozenBase, lora: LoRAParameters, tokens: [Int], rope: Buffer, threads: Int) {
        self.base = base
        self.lora = lora
        self.tokens = tokens
        self.rope = rope
        self.threads = threads
        scratch = base.scratch()
    }

    /// y = rmsnorm(x)·w per row; returns 1/rms of each row.
    static func rmsNorm(_ x: Buffer, _ w: Buffer, _ y: Buffer, tokens: Int, width: Int, epsilon: Float) -> [Float] {
        var inverse = [Float](repeating: 0, count: tokens)
        for t in 0..<tokens {
            let row = x.pointer + t * width
            let meanSquare = dot(row, row, width) / Float(width)
            let r = 1 / (meanSquare + epsilon).squareRoot()
            inverse[t] = r
            for i in 0..<width { y.pointer[t * width + i] = row[i] * r * w.pointer[i] }
        }
        return inverse
    }

    /// A frozen product plus its LoRA branch, if `target` is adapted in `layer`.
    func project(_ layer: Int, _ target: LoRATarget, _ w: GGUFRows, _ x: Buffer, input: Int, output: Int,
                 hidden: inout [LoRATarget: Buffer], kept: inout [LoRATarget: [UInt8]]) -> Buffer {
        let y = Buffer(T * output)
        FrozenBase.dequantize(w, into: scratch, threads: threads)
        Linear.forward(x, scratch, y, tokens: T, input: input, output: output, threads: threads)
        if let slot = lora.slots[layer][target] {
            let z = Buffer(T * lora.rank)
            var source = x
            if dropout > 0 {
                let mask = dropoutMask(T * input)
                source = masked(x, mask)
                kept[target] = mask
            }
            Linear.loraForward(lora.matrices[slot], rank: lora.rank, scale: lora.scale, source, y, z: z, tokens: T, threads: threads)
            hidden[target] = z
        }
        return y
    }

    /// `count` draws: 1 (kept) with probability 1 − dropout.
    func dropoutMask(_ count: Int) -> [UInt8] {
        var mask = [UInt8](repeating: 0, count: count)
        for i in 0..<count { mask[i] = dropoutRandom.unitFloat() >= dropout ? 1 : 0 }
        return mask
    }

    /// x with the dropped inputs zeroed and the kept ones scaled by 1/(1−p).
    func masked(_ x: Buffer, _ mask: [UInt8]) -> Buffer {
        let result = Buffer(mask.count), keep = 1 / (1 - dropout)
        for i in 0..<mask.count where mask[i] != 0 { result.pointer[i] = x.pointer[i] * keep }
        return result
    }

    /// Rotates `heads` heads of every row of x (T × heads·headSize) by position; `inverse`
    /// rotates back (the transpose, for gradients).
    func rotate(_ x: Buffer, heads: Int, inverse: Bool) {
        let c = base.configuration, d = c.ropeDimensions, half = d / 2
        for t in 0..<T {
            for h in 0..<heads {
                let v = x.pointer + (t * heads + h) * c.headSize
                for pair in 0..<half {
                    let cosine = rope.pointer[t * d + 2 * pair], sine = inverse ? -rope.pointer[t * d + 2 * pair + 1] : rope.pointer[t * d + 2 * pair + 1]
                    let (i, j) = base.neox ? (pair, pair + half) : (2 * pair, 2 * pair + 1)
                    let a = v[i], b = v[j]
                    v[i] = a * cosine - b * sine
                    v[j] = a * sine + b * cosine
                }
            }
        }
    }

    /// The forward pass; returns the summed cross-entropy of the targets (token t+1 predicted
    /// at t for every t+1 with `mask` set) and, when `lossScale` is given, runs the output head's
    /// backward at once and returns dLoss/d(final normed rows) scaled by it.
    func forward() -> Buffer {
        let c = base.configuration, W = c.width, qW = c.heads * c.headSize, kvW = c.kvHeads * c.headSize, F = c.feedForward
        var x = Buffer(T * W)
        for (t, token) in tokens.enumerated() { base.embedding.dequantize(token..<token + 1, into: x.pointer + t * W) }
        layers = []
        for (l, weights) in base.layers.enumerated() {
            var hidden: [LoRATarget: Buffer] = [:], kept: [LoRATarget: [UInt8]] = [:]
            let normed1 = Buffer(T * W)
            let r1 = Self.rmsNorm(x, weights.attentionNorm, normed1, tokens: T, width: W, epsilon: c.normEpsilon)
            let q = project(l, .attentionQuery, weights.query, normed1, input: W, output: qW, hidden: &hidden, kept: &kept)
            let k = project(l, .attentionKey, weights.key, normed1, input: W, output: kvW, hidden: &hidden, kept: &kept)
            let v = project(l, .attentionValue, weights.value, normed1, input: W, output: kvW, hidden: &hidden, kept: &kept)
            for (buffer, bias, width) in [(q, weights.queryBias, qW), (k, weights.keyBias, kvW), (v, weights.valueBias, kvW)] {
                guard let bias else { continue }
                for t in 0..<T { axpy(1, bias.pointer, buffer.pointer + t * width, width) }
            }
            rotate(q, heads: c.heads, inverse: false)
            rotate(k, heads: c.kvHeads, inverse: false)
            let (probabilities, attention) = attend(q, k, v)
            let projected = project(l, .attentionOutput, weights.output, attention, input: qW, output: W, hidden: &hidden, kept: &kept)
            let middle = Buffer(T * W)
            for i in 0..<T * W { middle.pointer[i] = x.pointer[i] + projected.pointer[i] }
            let normed2 = Buffer(T * W)
            let r2 = Self.rmsNorm(middle, weights.feedForwardNorm, normed2, tokens: T, width: W, epsilon: c.normEpsilon)
            let gate = project(l, .gate, weights.gate, normed2, input: W, output: F, hidden: &hidden, kept: &kept)
            let up = project(l, .up, weights.up, normed2, input: W, output: F, hidden: &hidden, kept: &kept)
            let activated = Buffer(T * F)
            for i in 0..<T * F {
                let g = gate.pointer[i]
                activated.pointer[i] = g / (1 + expf(-g)) * up.pointer[i]
            }
            let down = project(l, .down, weights.down, activated, input: F, output: W, hidden: &hidden, kept: &kept)
            let next = Buffer(T * W)
            for i in 0..<T * W { next.pointer[i] = middle.pointer[i] + down.pointer[i] }
            layers.append(LayerTape(input: x, inverseRMS1: r1, normed1: normed1, query: q, key: k, value: v,
                                    probabilities: probabilities, attention: attention, middle: middle, inverseRMS2: r2,
                                    normed2: normed2, gate: gate, up: up, activated: activated, hidden: hidden, kept: kept))
            x = next
        }
        final = x
        finalNormed = Buffer(T * W)
        finalRMS = Self.rmsNorm(x, base.outputNorm, finalNormed, tokens: T, width: W, epsilon: c.normEpsilon)
        return finalNormed
    }

    /// Causal attention with grouped KV heads: probabilities (heads × T × T) and output (T × qW).
    func attend(_ q: Buffer, _ k: Buffer, _ v: Buffer) -> (Buffer, Buffer) {
        let c = base.configuration, hs = c.headSize, group = c.heads / c.kvHeads
        let qW = c.heads * hs, kvW = c.kvHeads * hs, scale = 1 / Float(hs).squareRoot()
        let probabilities = Buffer(c.heads * T * T), output = Buffer(T * qW)
        let T = self.T
        parallelFor(c.heads, threads: threads) { h in
            let kvHead = h / group
            for t in 0..<T {
                let row = probabilities.pointer + (h * T + t) * T
                var maximum = -Float.infinity
                for u in 0...t {
                    row[u] = scale * dot(q.pointer + t * qW + h * hs, k.pointer + u * kvW + kvHead * hs, hs)
                    maximum = max(maximum, row[u])
                }
                var sum: Float = 0
                for u in 0...t { row[u] = expf(row[u] - maximum); sum += row[u] }
                let out = output.pointer + t * qW + h * hs
                for u in 0...t {
                    row[u] /= sum
                    axpy(row[u], v.pointer + u * kvW + kvHead * hs, out, hs)
                }
            }
        }
        return (probabilities, output)
    }
}
