import Foundation
import Runtime

/// The base model's weights as the trainer needs them. The layers' matrices stay in the file's
/// format (quantized or not) and are dequantized one at a time into a pass's scratch buffer just
/// before a product needs them (`dequantize(_:into:threads:)`), since the backward pass multiplies
/// by each frozen weight transposed (`dy·W`), which the runtime's quantized dot-product kernels do
/// not offer; holding them all as F32 would take 4 bytes a weight. Rows are `out`, columns `in`.
/// The embedding's rows are read one at a time, the output head's in chunks of `headChunk`.
///
/// Supports the pre-norm RMSNorm/SwiGLU/RoPE decoders without extras (llama, qwen2 with its Q/K/V
/// biases, exaone); others are refused by name.
final class FrozenBase: @unchecked Sendable {
    // @unchecked Sendable: immutable after init.
    struct Layer {
        var attentionNorm: Buffer, feedForwardNorm: Buffer
        var query: GGUFRows, key: GGUFRows, value: GGUFRows, output: GGUFRows
        var queryBias: Buffer?, keyBias: Buffer?, valueBias: Buffer?
        var gate: GGUFRows, up: GGUFRows, down: GGUFRows

        /// The most values any of the layer's matrices has: the size of a scratch buffer for them.
        var largest: Int { [query, key, value, output, gate, up, down].map { $0.rows * $0.columns }.max() ?? 0 }
    }

    let path: String
    let configuration: ModelConfiguration
    let embedding: GGUFRows
    let output: GGUFRows
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
        func info(_ name: String, _ count: Int) throws(TrainingError) -> GGUFTensorInfo {
            guard let info = file.tensor(named: name) else { throw TrainingError(file: file.path, message: "missing tensor '\(name)'") }
            guard info.elementCount == count else {
                throw TrainingError(file: file.path, message: "tensor '\(name)' has \(info.elementCount) values, expected \(count)")
            }
            return info
        }
        func tensor(_ name: String, _ count: Int) throws(TrainingError) -> Buffer {
            let info = try info(name, count)
            do { return Buffer(try file.dequantized(info)) } catch { throw TrainingError(file: file.path, message: error.message) }
        }
        func matrix(_ name: String, _ count: Int) throws(TrainingError) -> GGUFRows {
            let info = try info(name, count)
            do { return try file.rows(info) } catch { throw TrainingError(file: file.path, message: error.message) }
        }
        func optional(_ name: String, _ count: Int) throws(TrainingError) -> Buffer? {
            file.tensor(named: name) == nil ? nil : try tensor(name, count)
        }
        let w = c.width, q = c.heads * c.headSize, kv = c.kvHeads * c.headSize, f = c.feedForward
        path = file.path
        configuration = c
        embedding = try matrix("token_embd.weight", c.vocabularySize * w)
        output = file.tensor(named: "output.weight") == nil ? embedding : try matrix("output.weight", c.vocabularySize * w)
        outputNorm = try tensor("output_norm.weight", w)
        var layers: [Layer] = []
        for i in 0..<c.layers {
            let p = "blk.\(i)."
            layers.append(Layer(
                attentionNorm: try tensor(p + "attn_norm.weight", w), feedForwardNorm: try tensor(p + "ffn_norm.weight", w),
                query: try matrix(p + "attn_q.weight", q * w), key: try matrix(p + "attn_k.weight", kv * w),
                value: try matrix(p + "attn_v.weight", kv * w), output: try matrix(p + "attn_output.weight", w * q),
                queryBias: try optional(p + "attn_q.bias", q), keyBias: try optional(p + "attn_k.bias", kv),
                valueBias: try optional(p + "attn_v.bias", kv),
                gate: try matrix(p + "ffn_gate.weight", f * w), up: try matrix(p + "ffn_up.weight", f * w),
                down: try matrix(p + "ffn_down.weight", w * f)))
        }
        self.layers = layers
        ropeFactors = try optional("rope_freqs.weight", c.ropeDimensions / 2)?.array
        neox = c.architecture != .llama
    }

    /// Rows of the output head dequantized at once: a multiple of 3 and of 256, so that the head's
    /// products over chunks add up in the same order as over the whole matrix (see `MatrixProduct`).
    static let headChunk = 768

    /// A scratch buffer for `dequantize`: room for a layer's largest matrix and a head chunk.
    func scratch() -> Buffer {
        Buffer(max(layers.map(\.largest).max() ?? 0, Self.headChunk * configuration.width))
    }

    /// Writes `rows` of `matrix` (all by default) to `scratch`, split among `threads` workers.
    static func dequantize(_ matrix: GGUFRows, rows: Range<Int>? = nil, into scratch: Buffer, threads: Int) {
        let rows = rows ?? 0..<matrix.rows, pointer = SendableBox(scratch.pointer)
        Parallel.chunks(rows.count, threads: threads, granularity: 16) { chunk in
            matrix.dequantize(rows.lowerBound + chunk.lowerBound..<rows.lowerBound + chunk.upperBound,
                              into: pointer.value + chunk.lowerBound * matrix.columns)
        }
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
