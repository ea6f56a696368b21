/// Bidirectional multi-head attention over packed sequences, for encoders (BERT): every token
/// attends to every token of its own sequence, none of the others.
///
/// The sequences' tokens are consecutive rows of one `[T × 3·hidden]` matrix (query | key | value,
/// `hidden = heads · headSize`), so the dense layers never compute padding; the result equals
/// padding with an attention mask, without the wasted rows. `headSize` must be a multiple of 16.
package enum EncoderAttention {
    /// `output[t][h·d ..< (h+1)·d] = softmax(q·Kᵀ / √d) · V` over token `t`'s own sequence, for
    /// every token and head; (sequence, head) pairs are split between the threads.
    ///
    /// Per pair, the head's keys are transposed into `[d × L16]` (L rounded up to 16, padding
    /// zero) so each query's scores are d broadcast-FMAs along the keys, and its values are
    /// gathered into `[L × d]`; the softmax is `Attention.softmax`, the decoder's.
    package static func run(qkv: UnsafePointer<Float>, lengths: [Int], heads: Int, headSize d: Int,
                            into output: UnsafeMutablePointer<Float>, threads: Int) {
        let h = heads * d
        let scale = 1 / Float(d).squareRoot()
        var starts: [Int] = []
        var start = 0
        for length in lengths { starts.append(start); start += length }
        let sequenceStarts = starts
        let padded = ((lengths.max() ?? 0) + 15) / 16 * 16
        let box = SendableBox((qkv, output))
        Parallel.workers(lengths.count * heads, threads: threads) { _, jobs in
            let (source, target) = box.value
            let scores = UnsafeMutablePointer<Float>.allocate(capacity: max(padded, 16))
            let keys = UnsafeMutablePointer<Float>.allocate(capacity: max(padded * d, 16))   // [d × L16]
            let values = UnsafeMutablePointer<Float>.allocate(capacity: max(padded * d, 16)) // [L × d]
            defer { scores.deallocate(); keys.deallocate(); values.deallocate() }
            for job in jobs {
                let sequence = job / heads, head = job % heads
                let first = sequenceStarts[sequence], length = lengths[sequence]
                let width = (length + 15) / 16 * 16
                keys.update(repeating: 0, count: width * d)
                for j in 0..<length {
                    let k = source + (first + j) * 3 * h + h + head * d
                    let v = source + (first + j) * 3 * h + 2 * h + head * d
                    for e in 0..<d { keys[e * width + j] = k[e] * scale }
                    (values + j * d).update(from: v, count: d)
                }
                for i in 0..<length {
                    scoreRow(source + (first + i) * 3 * h + head * d, keys: keys, width: width, d: d, into: scores)
                    Attention.softmax(scores, count: length)
                    weightedValues(scores, values, length: length, d: d, into: target + (first + i) * h + head * d)
                }
            }
        }
    }

    /// `scores[j] = q · k_j` for the `width` (a multiple of 16) transposed keys, four 16-key
    /// blocks at a time in registers.
    @inline(__always)
    private static func scoreRow(_ q: UnsafePointer<Float>, keys: UnsafePointer<Float>, width: Int, d: Int,
                                 into scores: UnsafeMutablePointer<Float>) {
        typealias V = SIMD16<Float>
        let rawKeys = UnsafeRawPointer(keys), rawScores = UnsafeMutableRawPointer(scores)
        var block = 0
        while block < width {
            var a0 = V(), a1 = V(), a2 = V(), a3 = V()
            let blocks = min(4, (width - block) / 16)
            for e in 0..<d {
                let qe = V(repeating: q[e])
                let row = (e * width + block) * 4
                a0.addProduct(qe, rawKeys.loadUnaligned(fromByteOffset: row, as: V.self))
                if blocks > 1 { a1.addProduct(qe, rawKeys.loadUnaligned(fromByteOffset: row + 64, as: V.self)) }
                if blocks > 2 { a2.addProduct(qe, rawKeys.loadUnaligned(fromByteOffset: row + 128, as: V.self)) }
                if blocks > 3 { a3.addProduct(qe, rawKeys.loadUnaligned(fromByteOffset: row + 192, as: V.self)) }
            }
            rawScores.storeBytes(of: a0, toByteOffset: block * 4, as: V.self)
            if blocks > 1 { rawScores.storeBytes(of: a1, toByteOffset: block * 4 + 64, as: V.self) }
            if blocks > 2 { rawScores.storeBytes(of: a2, toByteOffset: block * 4 + 128, as: V.self) }
            if blocks > 3 { rawScores.storeBytes(of: a3, toByteOffset: block * 4 + 192, as: V.self) }
            block += blocks * 16
        }
    }

    /// `out = Σ_j p_j · v_j` over `length` value rows of `d`, 16 columns at a time, two
    /// accumulators per column block.
    @inline(__always)
    private static func weightedValues(_ p: UnsafePointer<Float>, _ values: UnsafePointer<Float>, length: Int, d: Int,
                                       into output: UnsafeMutablePointer<Float>) {
        typealias V = SIMD16<Float>
        let rawValues = UnsafeRawPointer(values), out = UnsafeMutableRawPointer(output)
        for column in stride(from: 0, to: d, by: 16) {
            var even = V(), odd = V()
            var j = 0
            while j + 1 < length {
                even.addProduct(V(repeating: p[j]), rawValues.loadUnaligned(fromByteOffset: (j * d + column) * 4, as: V.self))
                odd.addProduct(V(repeating: p[j + 1]), rawValues.loadUnaligned(fromByteOffset: ((j + 1) * d + column) * 4, as: V.self))
                j += 2
            }
            if j < length {
                even.addProduct(V(repeating: p[j]), rawValues.loadUnaligned(fromByteOffset: (j * d + column) * 4, as: V.self))
            }
            out.storeBytes(of: even + odd, toByteOffset: column * 4, as: V.self)
        }
    }
}
