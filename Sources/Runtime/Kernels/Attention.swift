/// Causal multi-head attention with grouped-query heads over an f32 KV cache, rounding as
/// llama.cpp's non-flash attention does (see `GGMLRounding`).
///
/// Cache layout per layer: `keys[position][kvHeads · headSize]`, the same for `values`. Query
/// head `h` reads KV head `h / (heads / kvHeads)`. Token `t` of a batch at absolute position
/// `start + t` attends to positions `0...start + t`.
///
/// llama.cpp computes softmax(K·q · scale)·V as two matrix products: scores by `ggml_vec_dot_f32`,
/// the weighted sum of V rows by tinyBLAS (16 lanes, position p in lane p mod 16) when the batch
/// has two or more tokens and by `ggml_vec_dot_f32` (64 lanes) for a single token. Both are
/// reproduced here; the extra, masked positions llama.cpp pads with add exact zeros.
enum Attention {
    /// Scratch floats per worker: scores for every cached position plus 64 lane accumulators.
    static func scratchPerWorker(context: Int, headSize: Int) -> Int { context + 16 + 64 * headSize }

    /// `output[t][h·headSize ..< (h+1)·headSize] = softmax(q·Kᵀ · scale) · V` for every token and
    /// head. `queries` is `tokens × heads·headSize`; `scratch` holds `threads ×
    /// scratchPerWorker(context:headSize:)` floats.
    static func run(queries: UnsafePointer<Float>, keys: UnsafePointer<Float>, values: UnsafePointer<Float>,
                    output: UnsafeMutablePointer<Float>, tokens: Int, start: Int, heads: Int, kvHeads: Int,
                    headSize: Int, context: Int, scratch: UnsafeMutablePointer<Float>, threads: Int) {
        let box = SendableBox((queries, keys, values, output, scratch))
        let group = heads / kvHeads
        let scale = 1 / Float(headSize).squareRoot()
        let kvWidth = kvHeads * headSize
        let qWidth = heads * headSize
        let items = tokens * heads
        let perWorker = scratchPerWorker(context: context, headSize: headSize)
        let lanes = tokens >= 2 ? 16 : 64
        // The spinning worker pool starts a job in about a microsecond, so even a decode step over
        // a short context (9 heads × 16 positions × 64 values) is worth splitting.
        let workers = (start + tokens) * items * headSize < 8192 ? 1 : threads
        Parallel.workers(items, threads: workers) { worker, range in
            let (q, k, v, out, scratchBase) = box.value
            let scores = scratchBase + worker * perWorker
            let accumulators = scores + context + 16
            for item in range {
                let t = item / heads, h = item % heads
                let kvHead = h / group
                let length = start + t + 1
                let query = q + t * qWidth + h * headSize
                for p in 0..<length {
                    scores[p] = GGMLRounding.dot(k + p * kvWidth + kvHead * headSize, query, count: headSize) * scale
                }
                softmax(scores, count: length)
                weightedSum(scores, v + kvHead * headSize, stride: kvWidth, count: length, headSize: headSize,
                            lanes: lanes, accumulators: accumulators, output: out + t * qWidth + h * headSize)
            }
        }
    }

    /// llama.cpp's `soft_max` over one row: exp by `GGMLRounding.exp`, the sum of each chunk of 16
    /// reduced in float and added in double, then one multiply by the float of 1/sum.
    @inline(__always)
    static func softmax(_ x: UnsafeMutablePointer<Float>, count: Int) {
        var maximum = -Float.infinity
        for i in 0..<count { maximum = max(maximum, x[i]) }
        let padded = (count + 15) / 16 * 16
        for i in count..<padded { x[i] = 0 }
        var sum: Double = 0
        var chunk = 0
        let lanes = SIMD16<Int32>(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15)
        while chunk < padded {
            let raw = UnsafeMutableRawPointer(x + chunk)
            var values = GGMLRounding.exp(raw.loadUnaligned(as: SIMD16<Float>.self) - maximum)
            if chunk + 16 > count { values.replace(with: 0, where: lanes .>= Int32(count - chunk)) }
            raw.storeBytes(of: values, as: SIMD16<Float>.self)
            sum += Double(GGMLRounding.reduce(values))
            chunk += 16
        }
        let inverse = Float(1 / sum)
        for i in 0..<count { x[i] *= inverse }
    }

    /// `output[j] = Σ_p weights[p] · rows[p][j]` with position p accumulated (fused) in lane
    /// p mod `lanes`, lanes combined as llama.cpp's tinyBLAS (16) or `ggml_vec_dot_f32` (64) does.
    @inline(__always)
    static func weightedSum(_ weights: UnsafePointer<Float>, _ rows: UnsafePointer<Float>, stride: Int, count: Int,
                            headSize: Int, lanes: Int, accumulators: UnsafeMutablePointer<Float>,
                            output: UnsafeMutablePointer<Float>) {
        let used = min(lanes, count)
        accumulators.update(repeating: 0, count: lanes * headSize)
        for p in 0..<count {
            let weight = weights[p]
            let row = rows + p * stride
            let acc = accumulators + (p % lanes) * headSize
            for j in 0..<headSize { acc[j] = acc[j].addingProduct(weight, row[j]) }
        }
        _ = used
        for j in 0..<headSize {
            var lane = SIMD16<Float>()
            if lanes == 16 {
                for l in 0..<16 { lane[l] = accumulators[l * headSize + j] }
            } else {
                // ggml_vec_dot_f32: accumulators g·16 + l for g = 0..<4, combined (g0+g2)+(g1+g3).
                for l in 0..<16 {
                    let a0 = accumulators[l * headSize + j], a1 = accumulators[(16 + l) * headSize + j]
                    let a2 = accumulators[(32 + l) * headSize + j], a3 = accumulators[(48 + l) * headSize + j]
                    lane[l] = (a0 + a2) + (a1 + a3)
                }
            }
            output[j] = GGMLRounding.reduce(lane)
        }
    }
}
