/// Every buffer the forward pass uses, allocated once when the model loads so that the token
/// loop allocates nothing. Shapes use B = `batch` (tokens per forward chunk), C = context.
///
/// A final class because it owns raw memory (freed in `deinit`).
final class ForwardBuffers {
    let batch: Int
    /// Residual stream, B × width.
    let x: UnsafeMutablePointer<Float>
    /// Normalized input of a sub-layer, B × width.
    let normed: UnsafeMutablePointer<Float>
    /// Queries, B × heads·headSize.
    let query: UnsafeMutablePointer<Float>
    /// Attention output before its projection, B × heads·headSize.
    let attention: UnsafeMutablePointer<Float>
    /// Feed-forward gate and up projections, B × feedForward each.
    let gate: UnsafeMutablePointer<Float>, up: UnsafeMutablePointer<Float>
    /// A projection back to the width before the residual add, B × width.
    let projection: UnsafeMutablePointer<Float>
    /// Logits of the last token, vocabulary.
    let logits: UnsafeMutablePointer<Float>
    /// RoPE cos/sin per token of the chunk for up to two RoPE settings (Gemma 3's global and
    /// local bases), 2 × B × ropeDimensions.
    let ropeTable: UnsafeMutablePointer<Float>
    /// Attention scores and lane accumulators per worker (per head in a decode step).
    let scores: UnsafeMutablePointer<Float>
    /// Key and value caches, Σ slots × kvHeads·headSize each: layer i's `slots[i]` rows start
    /// at row `firstSlot[i]`. A full-attention layer has C rows (position p in row p); a
    /// sliding-window layer keeps only window + B rows, a ring (position p in row p mod slots),
    /// enough for every token of a batch to see its window.
    let keys: UnsafeMutablePointer<Float>, values: UnsafeMutablePointer<Float>
    let slots: [Int], firstSlot: [Int]
    /// K and V of a batch before they go into a ring, B × kvHeads·headSize each.
    let keyBatch: UnsafeMutablePointer<Float>, valueBatch: UnsafeMutablePointer<Float>
    /// Activations converted for the integer or half-float kernels.
    let activations: ActivationBuffer
    /// Bytes allocated here, KV cache included.
    let byteCount: Int
    /// Bytes of the KV cache alone.
    let kvCacheBytes: Int

    init(configuration c: ModelConfiguration, context: Int, batch: Int, threads: Int) {
        self.batch = batch
        let qWidth = c.heads * c.headSize, kvWidth = c.kvHeads * c.headSize
        var total = 0
        func make(_ count: Int) -> UnsafeMutablePointer<Float> {
            total += 4 * count
            let pointer = UnsafeMutablePointer<Float>.allocate(capacity: count)
            pointer.initialize(repeating: 0, count: count)
            return pointer
        }
        x = make(batch * c.width)
        normed = make(batch * c.width)
        query = make(batch * qWidth)
        attention = make(batch * qWidth)
        gate = make(batch * c.feedForward)
        up = make(batch * c.feedForward)
        projection = make(batch * c.width)
        logits = make(c.vocabularySize)
        ropeTable = make(2 * batch * c.ropeDimensions)
        scores = make(Attention.scratchCount(context: context, heads: c.heads, headSize: c.headSize, threads: threads))
        let slots = c.variant.layers.map { layer in layer.window.map { min(context, $0 + batch) } ?? context }
        self.slots = slots
        firstSlot = slots.indices.map { slots[..<$0].reduce(0, +) }
        keyBatch = make(batch * kvWidth)
        valueBatch = make(batch * kvWidth)
        let cacheCount = slots.reduce(0, +) * kvWidth
        // The caches are not initialized: untouched pages cost no memory until the context fills.
        keys = .allocate(capacity: cacheCount)
        values = .allocate(capacity: cacheCount)
        kvCacheBytes = 8 * cacheCount
        let widest = max(c.width, qWidth, c.feedForward)
        activations = ActivationBuffer(capacity: batch * widest)
        // Per activation value: f32 4 + half 2 + quant 1 bytes, plus scales and sums (1/2).
        byteCount = total + kvCacheBytes + batch * widest * 15 / 2
    }

    deinit {
        for pointer in [x, normed, query, attention, gate, up, projection, logits, ropeTable, scores, keys, values, keyBatch, valueBatch] {
            pointer.deallocate()
        }
    }
}
