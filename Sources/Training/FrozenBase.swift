import Foundation
import Runtime

/// The base model's weights as the trainer needs them: every matrix dequantized to F32 once,
/// since the backward pass multiplies by each frozen weight transposed (`dy·W`), which the
/// runtime's quantized dot-product kernels do not offer. Rows are `out`, columns `in`.
///
/// Supports the pre-norm RMSNorm/SwiGLU/RoPE decoders without extras (llama, qwen2 with its Q/K/V
/// biases, exaone); others are refused by name.
final class FrozenBase: @unchecked Sendable {
    // @unchecked Sendable: immutable after init.
    struct Layer {
        var attentionNorm: Buffer, feedForwardNorm: Buffer
        var query: Buffer, key: Buffer, value: Buffer, output: Buffer
        var queryBias: Buffer?, keyBias: Buffer?, valueBias: Buffer?
        var gate: Buffer, up: Buffer, down: Buffer
    }

    let path: String
    let configuration: ModelConfiguration
    let embedding: Buffer
    let output: Buffer
    let outputNorm: Buffer
    let layers: [Layer]
    /// `rope_freqs.weight` (per-pair divisors of the frequency), when the model has it.
    let ropeFactors: [Float]?
    /// NeoX pairing (x[i], x[i+d/2]) rather than llama's adjacent pairs.
    let neox: Bool

    init(file: GGUFFile) throws(TrainingError) {
        let c: ModelConfiguration
        do { c = try ModelConfiguration(file: file) } catch { throw TrainingError(file: file.path, message: error.message) }
        let v = c.variant
        guard v.preNorms, !v.postNorms, !v.queryKeyNorms, !v.gelu, v.embeddingScale == nil, v.queryScale == nil,
              v.logitSoftcap == nil, !v.hasSlidingWindow, v.layers.allSatisfy(\.rotates) else {
            throw TrainingError(file: file.path, message: "the trainer does not support architecture '\(c.architecture.rawValue)' yet (supported: llama, qwen2, exaone)")
        }
        func tensor(_ name: String, _ count: Int) throws(TrainingError) -> Buffer {
            guard let info = file.tensor(named: name) else { throw TrainingError(file: file.path, message: "missing tensor '\(name)'") }
            guard info.elementCount == count else {
                throw TrainingError(file: file.path, message: "tensor '\(name)' has \(info.elementCount) values, expected \(count)")
            }
            do { return Buffer(try file.dequantized(info)) } catch { throw TrainingError(file: file.path, message: error.message) }
        }
        func optional(_ name: String, _ count: Int) throws(TrainingError) -> Buffer? {
            file.tensor(named: name) == nil ? nil : try tensor(name, count)
        }
        let w = c.width, q = c.heads * c.headSize, kv = c.kvHeads * c.headSize, f = c.feedForward
        path = file.path
        configuration = c
        embedding = try tensor("token_embd.weight", c.vocabularySize * w)
        output = try optional("output.weight", c.vocabularySize * w) ?? embedding
        outputNorm = try tensor("output_norm.weight", w)
        var layers: [Layer] = []
        for i in 0..<c.layers {
            let p = "blk.\(i)."
            layers.append(Layer(
                attentionNorm: try tensor(p + "attn_norm.weight", w), feedForwardNorm: try tensor(p + "ffn_norm.weight", w),
                query: try tensor(p + "attn_q.weight", q * w), key: try tensor(p + "attn_k.weight", kv * w),
                value: try tensor(p + "attn_v.weight", kv * w), output: try tensor(p + "attn_output.weight", w * q),
                queryBias: try optional(p + "attn_q.bias", q), keyBias: try optional(p + "attn_k.bias", kv),
                valueBias: try optional(p + "attn_v.bias", kv),
                gate: try tensor(p + "ffn_gate.weight", f * w), up: try tensor(p + "ffn_up.weight", f * w),
                down: try tensor(p + "ffn_down.weight", w * f)))
        }
        self.layers = layers
        ropeFactors = try optional("rope_freqs.weight", c.ropeDimensions / 2)?.array
        neox = c.architecture != .llama
    }

    /// cos/sin of every rotated pair at positions `0..<count`: `count × ropeDimensions` floats
    /// (cos, sin, ...), θ = position · base^(−2i/d) / factor_i computed in double.
    func ropeTable(count: Int) -> Buffer {
        let d = configuration.ropeDimensions, table = Buffer(count * d)
        for position in 0..<count {
            for pair in 0..<d / 2 {
                let inverse = pow(Double(configuration.ropeBase), -2 * Double(pair) / Double(d)) / Double(ropeFactors?[pair] ?? 1)
                let angle = Double(position) * inverse
                table.pointer[position * d + 2 * pair] = Float(cos(angle))
                table.pointer[position * d + 2 * pair + 1] = Float(sin(angle))
            }
        }
        return table
    }
}
