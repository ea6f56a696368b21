import Foundation

/// A BERT encoder forward pass over a batch of token sequences, returning mean-pooled, L2-normalized
/// sentence vectors (what sentence-transformers' `all-MiniLM-L6-v2` pipeline computes).
///
/// Batches are packed: the tokens of all sequences are rows of one `[T × hidden]` matrix, so the
/// dense layers never compute padding, and attention is restricted to each sequence's own tokens —
/// the same result as padding with an attention mask, without the wasted rows.
public struct BertEncoder: Sendable {
    public let config: BertConfig
    let weights: BertWeights

    public init(config: BertConfig, weights: BertWeights) {
        self.config = config
        self.weights = weights
    }

    /// One unit vector of `hiddenSize` per sequence. Every sequence must be non-empty, at most
    /// `maxPositions` long, with ids inside the vocabulary (the embedder guarantees it).
    public func embed(_ sequences: [[Int32]]) -> [[Float]] {
        let h = config.hiddenSize
        let hidden = encode(sequences)   // [T × h]
        var result: [[Float]] = []
        var start = 0
        for sequence in sequences {
            var pooled = [Float](repeating: 0, count: h)
            for t in start..<(start + sequence.count) { for j in 0..<h { pooled[j] += hidden[t * h + j] } }
            start += sequence.count
            var norm: Float = 0
            for j in 0..<h { pooled[j] /= Float(sequence.count); norm += pooled[j] * pooled[j] }
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
            attention(qkv, lengths: lengths, into: &context)
            linear(context, layer.attentionOut, layer.attentionOutBias, &projected, rows: total, input: h, output: h)
            for i in 0..<(total * h) { x[i] += projected[i] }
            layerNorm(&x, rows: total, width: h, layer.attentionNormWeight, layer.attentionNormBias, c.layerNormEpsilon)
            linear(x, layer.up, layer.upBias, &inner, rows: total, input: h, output: c.intermediateSize)
            inner.withUnsafeMutableBufferPointer { if let base = $0.baseAddress { gelu(base, count: $0.count) } }
            linear(inner, layer.down, layer.downBias, &projected, rows: total, input: c.intermediateSize, output: h)
            for i in 0..<(total * h) { x[i] += projected[i] }
            layerNorm(&x, rows: total, width: h, layer.outputNormWeight, layer.outputNormBias, c.layerNormEpsilon)
        }
        return x
    }

    /// Scaled dot-product attention of every (sequence, head) pair over that sequence only.
    /// `qkv` rows hold query | key | value; `context` receives `[T × h]`.
    ///
    /// Per pair, the head's keys are transposed into `[d × L16]` (L rounded up to 16, padding
    /// zero) so each query's scores are d broadcast-FMAs along the keys, and its values are
    /// gathered into `[L × d]`; padded scores are -infinity before the softmax.
    private func attention(_ qkv: [Float], lengths: [Int], into context: inout [Float]) {
        let h = config.hiddenSize, heads = config.headCount, d = config.headSize
        let scale = 1 / Float(d).squareRoot()
        var starts: [Int] = []
        var start = 0
        for length in lengths { starts.append(start); start += length }
        let sequenceStarts = starts
        let padded = ((lengths.max() ?? 0) + 15) / 16 * 16
        let jobs = lengths.count * heads
        qkv.withUnsafeBufferPointer { qkvBuffer in
            context.withUnsafeMutableBufferPointer { contextBuffer in
                guard let qkvBase = qkvBuffer.baseAddress, let contextBase = contextBuffer.baseAddress else { return }
                let source = SendablePointer(qkvBase), target = SendablePointer(contextBase)
                Parallel.run { part, parts in
                    let scores = UnsafeMutablePointer<Float>.allocate(capacity: max(padded, 16))
                    let keys = UnsafeMutablePointer<Float>.allocate(capacity: max(padded * d, 16))   // [d × L16]
                    let values = UnsafeMutablePointer<Float>.allocate(capacity: max(padded * d, 16)) // [L × d]
                    defer { scores.deallocate(); keys.deallocate(); values.deallocate() }
                    for job in Parallel.slice(jobs, part: part, parts: parts) {
                        let sequence = job / heads, head = job % heads
                        let first = sequenceStarts[sequence], length = lengths[sequence]
                        let width = (length + 15) / 16 * 16
                        keys.update(repeating: 0, count: width * d)
                        for j in 0..<length {
                            let k = source.pointer + (first + j) * 3 * h + h + head * d
                            let v = source.pointer + (first + j) * 3 * h + 2 * h + head * d
                            for e in 0..<d { keys[e * width + j] = k[e] * scale }
                            (values + j * d).update(from: v, count: d)
                        }
                        let rawKeys = UnsafeRawPointer(keys), rawScores = UnsafeMutableRawPointer(scores)
                        let rawValues = UnsafeRawPointer(values)
                        for i in 0..<length {
                            let q = source.pointer + (first + i) * 3 * h + head * d
                            // scores[j] = q · k_j, four 16-key blocks at a time in registers.
                            var block = 0
                            while block < width {
                                var a0 = Float16x(), a1 = Float16x(), a2 = Float16x(), a3 = Float16x()
                                let blocks = min(4, (width - block) / 16)
                                for e in 0..<d {
                                    let qe = Float16x(repeating: q[e])
                                    let row = (e * width + block) * 4
                                    a0.addProduct(qe, rawKeys.loadUnaligned(fromByteOffset: row, as: Float16x.self))
                                    if blocks > 1 { a1.addProduct(qe, rawKeys.loadUnaligned(fromByteOffset: row + 64, as: Float16x.self)) }
                                    if blocks > 2 { a2.addProduct(qe, rawKeys.loadUnaligned(fromByteOffset: row + 128, as: Float16x.self)) }
                                    if blocks > 3 { a3.addProduct(qe, rawKeys.loadUnaligned(fromByteOffset: row + 192, as: Float16x.self)) }
                                }
                                rawScores.storeBytes(of: a0, toByteOffset: block * 4, as: Float16x.self)
                                if blocks > 1 { rawScores.storeBytes(of: a1, toByteOffset: block * 4 + 64, as: Float16x.self) }
                                if blocks > 2 { rawScores.storeBytes(of: a2, toByteOffset: block * 4 + 128, as: Float16x.self) }
                                if blocks > 3 { rawScores.storeBytes(of: a3, toByteOffset: block * 4 + 192, as: Float16x.self) }
                                block += blocks * 16
                            }
                            for j in length..<width { scores[j] = -.infinity }
                            softmax(scores, count: width)
                            // out = Σ_j p_j · v_j, 16 columns at a time, two accumulators per column block.
                            let out = UnsafeMutableRawPointer(target.pointer + (first + i) * h + head * d)
                            for column in stride(from: 0, to: d, by: 16) {
                                var even = Float16x(), odd = Float16x()
                                var j = 0
                                while j + 1 < length {
                                    even.addProduct(Float16x(repeating: scores[j]), rawValues.loadUnaligned(fromByteOffset: (j * d + column) * 4, as: Float16x.self))
                                    odd.addProduct(Float16x(repeating: scores[j + 1]), rawValues.loadUnaligned(fromByteOffset: ((j + 1) * d + column) * 4, as: Float16x.self))
                                    j += 2
                                }
                                if j < length {
                                    even.addProduct(Float16x(repeating: scores[j]), rawValues.loadUnaligned(fromByteOffset: (j * d + column) * 4, as: Float16x.self))
                                }
                                out.storeBytes(of: even + odd, toByteOffset: column * 4, as: Float16x.self)
                            }
                        }
                    }
                }
            }
        }
    }

    private func linear(_ x: [Float], _ weight: [Float], _ bias: [Float], _ y: inout [Float], rows: Int, input: Int, output: Int) {
        x.withUnsafeBufferPointer { xb in
            weight.withUnsafeBufferPointer { wb in
                bias.withUnsafeBufferPointer { bb in
                    y.withUnsafeMutableBufferPointer { yb in
                        guard let xp = xb.baseAddress, let wp = wb.baseAddress, let yp = yb.baseAddress else { return }
                        matmulPacked(xp, wp, bias: bb.baseAddress, yp, m: rows, k: input, n: output)
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
                    Retrieval.layerNorm(xp, rows: rows, width: width, gamma: gp, beta: bp, epsilon: epsilon)
                }
            }
        }
    }
}

/// Σ a[i]·b[i], SIMD16 where the width allows.
@inline(__always)
func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
    var accumulator = SIMD16<Float>()
    var i = 0
    let ra = UnsafeRawPointer(a), rb = UnsafeRawPointer(b)
    while i + 16 <= count {
        accumulator.addProduct(ra.loadUnaligned(fromByteOffset: i * 4, as: SIMD16<Float>.self),
                               rb.loadUnaligned(fromByteOffset: i * 4, as: SIMD16<Float>.self))
        i += 16
    }
    var sum = accumulator.sum()
    while i < count { sum += a[i] * b[i]; i += 1 }
    return sum
}

/// y += alpha · x.
@inline(__always)
func axpy(_ alpha: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
    var i = 0
    let rx = UnsafeRawPointer(x), ry = UnsafeMutableRawPointer(y)
    let a = SIMD16<Float>(repeating: alpha)
    while i + 16 <= count {
        var v = ry.loadUnaligned(fromByteOffset: i * 4, as: SIMD16<Float>.self)
        v.addProduct(a, rx.loadUnaligned(fromByteOffset: i * 4, as: SIMD16<Float>.self))
        ry.storeBytes(of: v, toByteOffset: i * 4, as: SIMD16<Float>.self)
        i += 16
    }
    while i < count { y[i] += alpha * x[i]; i += 1 }
}
