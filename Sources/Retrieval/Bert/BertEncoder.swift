import Foundation
import Runtime

/// A BERT encoder forward pass over a batch of token sequences, returning mean-pooled, L2-normalized
/// sentence vectors (what sentence-transformers' `all-MiniLM-L6-v2` pipeline computes).
///
/// Batches are packed: the tokens of all sequences are rows of one `[T × hidden]` matrix, so the
/// dense layers never compute padding, and attention is restricted to each sequence's own tokens —
/// the same result as padding with an attention mask, without the wasted rows. The kernels are
/// the runtime's (`PackedMatrixProduct`, `EncoderAttention`, `Normalization`, `Activation`), run on
/// its worker pool.
public struct BertEncoder: Sendable {
    public let config: BertConfig
    let weights: BertWeights
    /// Worker threads for the kernels.
    public let threads: Int

    /// `threads` defaults to every core, as the decoder runtime's models do.
    public init(config: BertConfig, weights: BertWeights, threads: Int? = nil) {
        self.config = config
        self.weights = weights
        self.threads = max(1, threads ?? ProcessInfo.processInfo.activeProcessorCount)
    }

    /// One unit vector of `hiddenSize` per sequence, pooled by `pooling`. Every sequence must be
    /// non-empty, at most `maxPositions` long, with ids inside the vocabulary (the embedder
    /// guarantees it).
    public func embed(_ sequences: [[Int32]], pooling: SentencePooling = .mean) -> [[Float]] {
        let h = config.hiddenSize
        let hidden = encode(sequences)   // [T × h]
        var result: [[Float]] = []
        var start = 0
        for sequence in sequences {
            var pooled = [Float](repeating: 0, count: h)
            switch pooling {
            case .mean:
                for t in start..<(start + sequence.count) { for j in 0..<h { pooled[j] += hidden[t * h + j] } }
                for j in 0..<h { pooled[j] /= Float(sequence.count) }
            case .cls:
                for j in 0..<h { pooled[j] = hidden[start * h + j] }
            }
            start += sequence.count
            var norm: Float = 0
            for j in 0..<h { norm += pooled[j] * pooled[j] }
            let inverse = 1 / max(norm.squareRoot(), 1e-12)
            result.append(pooled.map { $0 * inverse })
        }
        return result
    }

    /// The last hidden states `[T × hidden]` of the packed sequences.
    func encode(_ sequences: [[Int32]]) -> [Float] {
        let c = config, h = c.hiddenSize, w = weights
        let total = sequences.reduce(0) { $0 + $1.count }
        var x = [Float](repeating: 0, count: total * h)        // [T × h] residual stream
        var row = 0
        for sequence in sequences {
            for (position, id) in sequence.enumerated() {
                let word = Int(id) * h, pos = position * h
                for j in 0..<h {
                    x[row * h + j] = w.wordEmbeddings[word + j] + w.positionEmbeddings[pos + j] + w.tokenTypeEmbedding[j]
                }
                row += 1
            }
        }
        layerNorm(&x, rows: total, width: h, w.embeddingNormWeight, w.embeddingNormBias, c.layerNormEpsilon)
        var qkv = [Float](repeating: 0, count: total * 3 * h)   // [T × 3h]
        var context = [Float](repeating: 0, count: total * h)   // [T × h]
        var projected = [Float](repeating: 0, count: total * h) // [T × h]
        var inner = [Float](repeating: 0, count: total * c.intermediateSize) // [T × intermediate]
        let lengths = sequences.map(\.count)
        for layer in w.layers {
            linear(x, layer.qkv, layer.qkvBias, &qkv, rows: total, input: h, output: 3 * h)
            qkv.withUnsafeBufferPointer { source in
                context.withUnsafeMutableBufferPointer { target in
                    guard let sourceBase = source.baseAddress, let targetBase = target.baseAddress else { return }
                    EncoderAttention.run(qkv: sourceBase, lengths: lengths, heads: c.headCount, headSize: c.headSize,
                                         into: targetBase, threads: threads)
                }
            }
            linear(context, layer.attentionOut, layer.attentionOutBias, &projected, rows: total, input: h, output: h)
            for i in 0..<(total * h) { x[i] += projected[i] }
            layerNorm(&x, rows: total, width: h, layer.attentionNormWeight, layer.attentionNormBias, c.layerNormEpsilon)
            linear(x, layer.up, layer.upBias, &inner, rows: total, input: h, output: c.intermediateSize)
            inner.withUnsafeMutableBufferPointer { if let base = $0.baseAddress { Activation.gelu(base, count: $0.count, threads: threads) } }
            linear(inner, layer.down, layer.downBias, &projected, rows: total, input: c.intermediateSize, output: h)
            for i in 0..<(total * h) { x[i] += projected[i] }
            layerNorm(&x, rows: total, width: h, layer.outputNormWeight, layer.outputNormBias, c.layerNormEpsilon)
        }
        return x
    }

    private func linear(_ x: [Float], _ weight: [Float], _ bias: [Float], _ y: inout [Float], rows: Int, input: Int, output: Int) {
        x.withUnsafeBufferPointer { xb in
            weight.withUnsafeBufferPointer { wb in
                bias.withUnsafeBufferPointer { bb in
                    y.withUnsafeMutableBufferPointer { yb in
                        guard let xp = xb.baseAddress, let wp = wb.baseAddress, let yp = yb.baseAddress else { return }
                        PackedMatrixProduct.multiply(xp, wp, bias: bb.baseAddress, into: yp, m: rows, k: input, n: output, threads: threads)
                    }
                }
            }
        }
    }

    private func layerNorm(_ x: inout [Float], rows: Int, width: Int, _ gamma: [Float], _ beta: [Float], _ epsilon: Float) {
        x.withUnsafeMutableBufferPointer { xb in
            gamma.withUnsafeBufferPointer { g in
                beta.withUnsafeBufferPointer { b in
                    guard let xp = xb.baseAddress, let gp = g.baseAddress, let bp = b.baseAddress else { return }
                    for row in 0..<rows {
                        Normalization.layer(xp + row * width, weight: gp, bias: bp, epsilon: epsilon, into: xp + row * width, count: width)
                    }
                }
            }
        }
    }
}
