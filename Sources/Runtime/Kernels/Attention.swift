/// Causal multi-head attention with grouped-query heads over an f32 KV cache.
///
/// Cache layout per layer: `keys[position][kvHeads · headSize]`, the same for `values`. Query
/// head `h` reads KV head `h / (heads / kvHeads)`. Token `t` of a batch at absolute position
/// `start + t` attends to positions `0...start + t`.
enum Attention {
    /// Scratch floats per worker: one score per cached position.
    static func scratchPerWorker(context: Int) -> Int { context }

    /// `output[t][h·headSize ..< (h+1)·headSize] = softmax(q·Kᵀ · scale) · V` for every token and
    /// head. `queries` is `tokens × heads·headSize`; `scratch` holds `threads × context` floats.
    static func run(queries: UnsafePointer<Float>, keys: UnsafePointer<Float>, values: UnsafePointer<Float>,
                    output: UnsafeMutablePointer<Float>, tokens: Int, start: Int, heads: Int, kvHeads: Int,
                    headSize: Int, context: Int, scratch: UnsafeMutablePointer<Float>, threads: Int) {
        let box = SendableBox((queries, keys, values, output, scratch))
        let group = heads / kvHeads
        let scale = 1 / Float(headSize).squareRoot()
        let kvWidth = kvHeads * headSize
        let qWidth = heads * headSize
        let items = tokens * heads
        let workers = (start + tokens) * items < 4096 ? 1 : threads
        Parallel.workers(items, threads: workers) { worker, range in
            let (q, k, v, out, scratchBase) = box.value
            let scores = scratchBase + worker * context
            for item in range {
                let t = item / heads, h = item % heads
                let kvHead = h / group
                let length = start + t + 1
                let query = q + t * qWidth + h * headSize
                for p in 0..<length {
                    scores[p] = DotProduct.f32(UnsafeRawPointer(k + p * kvWidth + kvHead * headSize), query, count: headSize) * scale
                }
                Activation.softmax(scores, count: length)
                let o = out + t * qWidth + h * headSize
                o.update(repeating: 0, count: headSize)
                for p in 0..<length {
                    let weight = scores[p]
                    let row = v + p * kvWidth + kvHead * headSize
                    for j in 0..<headSize { o[j] += weight * row[j] }
                }
            }
        }
    }
}
