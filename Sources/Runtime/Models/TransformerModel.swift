import Foundation

/// A decoder-only transformer (llama, qwen2, exaone, qwen3, gemma3, exaone4) loaded from a GGUF
/// file, with its KV cache (see `DecoderVariant` for what sets the families apart).
///
/// `forward` appends tokens to the sequence: a prompt is processed in batches (matrix-matrix
/// products), a generated token alone (matrix-vector products). The cache holds `position`
/// tokens; `reset` starts a new sequence and `rewind` keeps a prefix of it. Not safe to use from
/// two threads at once; a final class because it owns the memory map and the run state.
///
/// A token's results do not depend on how a multi-token call is split into chunks, except that
/// attention rounds a one-token chunk as llama.cpp's decode does (64 lanes, not 16). So a
/// multi-token call never ends on a one-token chunk (see `chunkLength`): every token of it is
/// computed the batch way, and a prompt's KV entries are the same bits whether the prompt was
/// processed at once or as a kept prefix plus the rest (the prompt cache relies on this). The
/// exception is Q3_K/Q5_K/Q6_K weights: llama.cpp rounds their products one way below 8 tokens
/// and another from 8 (`WeightMatrix.roundsTiledInBatches`), and so does Baton, so with those a
/// kept prefix plus a short rest can differ from a fresh run in the last bits (NMSE ≤ 2e-5 on
/// the reference models), as a different ubatch size does in llama.cpp.
public final class TransformerModel {
    public let file: GGUFFile
    public let configuration: ModelConfiguration
    /// The most tokens a sequence may hold (the KV cache size).
    public let contextLength: Int
    /// Worker threads for the kernels.
    public let threads: Int
    /// Tokens in the KV cache.
    public private(set) var position = 0
    /// LoRA adapters applied to the matrix products, chosen per request (see `LoRAAdapter`);
    /// changing them does not reload the base weights.
    public var adapters: [ScaledLoRA] = []

    let weights: ModelWeights
    let state: ForwardBuffers
    /// The rotary embeddings in use (Gemma 3: global and local bases), each with its table.
    let ropes: [RotaryEmbedding]
    /// Each layer's entry in `ropes`, nil for a layer without RoPE.
    let layerRope: [Int?]

    /// Loads `path`. `contextLength` defaults to the trained context (capped at 4096 to keep the
    /// cache small) and may not exceed it; `batch` is the most prompt tokens per forward chunk
    /// (at least 3, so that a prompt can always be split without a one-token chunk).
    public convenience init(path: String, contextLength: Int? = nil, threads: Int? = nil, batch: Int = 512) throws {
        try self.init(file: try GGUFFile(path: path), contextLength: contextLength, threads: threads, batch: batch)
    }

    public init(file: GGUFFile, contextLength: Int? = nil, threads: Int? = nil, batch: Int = 512) throws(RuntimeError) {
        let configuration = try ModelConfiguration(file: file)
        let context = contextLength ?? min(configuration.trainedContext, 4096)
        guard context > 0, context <= configuration.trainedContext else {
            throw RuntimeError(file: file.path, message: "context length \(context) is outside 1...\(configuration.trainedContext), the model's trained context")
        }
        self.file = file
        self.configuration = configuration
        self.contextLength = context
        self.threads = max(1, threads ?? ProcessInfo.processInfo.activeProcessorCount)
        let weights = try ModelWeights(file: file, configuration: configuration)
        self.weights = weights
        var ropes: [RotaryEmbedding] = []
        var layerRope: [Int?] = []
        for layer in configuration.variant.layers {
            guard layer.rotates else { layerRope.append(nil); continue }
            let rope = RotaryEmbedding(layout: configuration.ropeLayout, dimensions: configuration.ropeDimensions, base: layer.ropeBase,
                                       scale: layer.ropeScale, frequencyFactors: weights.ropeFrequencies)
            if let known = ropes.firstIndex(of: rope) {
                layerRope.append(known)
            } else {
                ropes.append(rope)
                layerRope.append(ropes.count - 1)
            }
        }
        self.ropes = ropes
        self.layerRope = layerRope
        state = ForwardBuffers(configuration: configuration, context: context, batch: max(1, min(max(batch, 3), context)), threads: self.threads)
    }

    /// Memory: the mapped file, the KV cache and the other buffers.
    public var memoryUsage: MemoryUsage {
        let tensors = file.tensors.reduce(0) { $0 + $1.byteCount }
        let embedding = weights.embedding.rows * weights.embedding.rowBytes
        let tied = weights.output.data == weights.embedding.data
        return MemoryUsage(weightBytes: file.fileSize, kvCacheBytes: state.kvCacheBytes, scratchBytes: state.byteCount - state.kvCacheBytes,
                           tokenReadBytes: tensors - (tied ? 0 : embedding - weights.embedding.rowBytes))
    }

    /// Forgets the sequence (the cache is overwritten from position 0).
    public func reset() { position = 0 }

    /// Keeps the first `kept` tokens of the sequence (positions `0..<kept`) and forgets the rest,
    /// so that the next `forward` continues after them; `kept` must be within `0...position`.
    public func rewind(to kept: Int) throws(RuntimeError) {
        guard kept >= 0, kept <= position else {
            throw RuntimeError(file: file.path, message: "cannot rewind to position \(kept): the cache holds \(position) tokens")
        }
        guard canRewind(to: kept) else {
            throw RuntimeError(file: file.path, message: "cannot rewind to position \(kept): the sliding-window cache no longer holds the window before it")
        }
        position = kept
    }

    /// Whether `rewind(to: kept)` can keep the prefix: always for full attention; with sliding
    /// windows only while the ring of every local layer still holds the window before `kept`
    /// (positions `kept − window + 1 ..< kept`; position q overwrites position q − slots, so
    /// they survive while `position − kept ≤ slots − window + 1`).
    public func canRewind(to kept: Int) -> Bool {
        guard kept >= 0, kept <= position else { return false }
        for (layer, attention) in configuration.variant.layers.enumerated() {
            if let window = attention.window, state.slots[layer] < contextLength, position - kept > state.slots[layer] - window + 1 {
                return false
            }
        }
        return true
    }

    /// Tokens in the next chunk when `remaining` tokens of a call are left: at most a batch, and
    /// one fewer when a single token would be left for the last chunk (513 → 511 + 2 with batch
    /// 512), so that only a one-token call is computed the one-token way.
    func chunkLength(remaining: Int) -> Int {
        let count = min(state.batch, remaining)
        return remaining - count == 1 && count > 2 ? count - 1 : count
    }

    /// Appends `tokens` and returns the logits after the last one (valid until the next call).
    public func forward(_ tokens: [Int]) throws(RuntimeError) -> UnsafeBufferPointer<Float> {
        try check(tokens)
        var start = 0
        while start < tokens.count {
            let count = chunkLength(remaining: tokens.count - start)
            let last = start + count == tokens.count
            try tokens.withUnsafeBufferPointer { (all) throws(RuntimeError) in
                try run(UnsafeBufferPointer(rebasing: all[start..<start + count]), logits: last ? .last : .none)
            }
            start += count
        }
        return UnsafeBufferPointer(start: state.logits, count: configuration.vocabularySize)
    }

    /// Appends `tokens` and returns the logits at every position, `tokens.count × vocabulary`.
    public func forwardAllLogits(_ tokens: [Int]) throws(RuntimeError) -> [Float] {
        try check(tokens)
        let vocabulary = configuration.vocabularySize
        var result = [Float](repeating: 0, count: tokens.count * vocabulary)
        var start = 0
        while start < tokens.count {
            let count = chunkLength(remaining: tokens.count - start)
            try result.withUnsafeMutableBufferPointer { (out) throws(RuntimeError) in
                guard let base = out.baseAddress else { return }
                try tokens.withUnsafeBufferPointer { (all) throws(RuntimeError) in
                    try run(UnsafeBufferPointer(rebasing: all[start..<start + count]), logits: .all(base + start * vocabulary))
                }
            }
            start += count
        }
        return result
    }

    private func check(_ tokens: [Int]) throws(RuntimeError) {
        guard !tokens.isEmpty else { throw RuntimeError(file: file.path, message: "no tokens to process") }
        if let bad = tokens.first(where: { $0 < 0 || $0 >= configuration.vocabularySize }) {
            throw RuntimeError(file: file.path, message: "token id \(bad) is outside the vocabulary of \(configuration.vocabularySize)")
        }
        guard position + tokens.count <= contextLength else {
            throw RuntimeError(file: file.path, message: "\(position + tokens.count) tokens exceed the context length \(contextLength) (\(position) already in the cache, \(tokens.count) new)")
        }
    }

    enum LogitsRequest {
        case none, last, all(UnsafeMutablePointer<Float>)

        /// The first of a chunk's `n` tokens whose final hidden state is needed (`n`: none).
        func firstNeeded(of n: Int) -> Int {
            switch self {
            case .none: return n
            case .last: return n - 1
            case .all: return 0
            }
        }
    }

    /// One batch of at most `state.batch` tokens through every layer. Throws, without moving
    /// `position`, when an embedding, a layer or the logits come out NaN or infinite.
    private func run(_ tokens: UnsafeBufferPointer<Int>, logits: LogitsRequest) throws(RuntimeError) {
        let c = configuration, v = c.variant, s = state, n = tokens.count, start = position
        let qWidth = c.heads * c.headSize, kvWidth = c.kvHeads * c.headSize
        let tableStride = s.batch * c.ropeDimensions
        for (t, token) in tokens.enumerated() {
            weights.embedding.dequantizeRow(token, into: s.x + t * c.width)
            if let factor = v.embeddingScale { scale(s.x + t * c.width, count: c.width, by: factor) }
            for (kind, rope) in ropes.enumerated() {
                rope.fillTable(position: start + t, s.ropeTable + kind * tableStride + t * c.ropeDimensions)
            }
        }
        try checkFinite(s.x, count: n * c.width, "the token embeddings")
        for (index, layer) in weights.layers.enumerated() {
            let attention = v.layers[index], slots = s.slots[index]
            let keys = s.keys + s.firstSlot[index] * kvWidth, values = s.values + s.firstSlot[index] * kvWidth
            // K and V go straight into the cache unless this chunk wraps around a window's ring.
            let contiguous = start + n <= slots
            let newKeys = contiguous ? keys + start * kvWidth : s.keyBatch
            let newValues = contiguous ? values + start * kvWidth : s.valueBatch
            // Attention: norm, Q/K/V, Q/K norms, RoPE, attention, output projection (and norm).
            normalize(s.x, n, weight: layer.attentionNorm)
            project(.init(weights: layer.query, output: s.query, stride: qWidth),
                    .init(weights: layer.key, output: newKeys, stride: kvWidth),
                    .init(weights: layer.value, output: newValues, stride: kvWidth), tokens: n)
            if !adapters.isEmpty { // LoRA hook
                let prefix = "blk.\(index)."
                adapters.apply(prefix + "attn_q.weight", input: s.normed, inputStride: c.width, output: s.query, outputStride: qWidth, tokens: n)
                adapters.apply(prefix + "attn_k.weight", input: s.normed, inputStride: c.width, output: newKeys, outputStride: kvWidth, tokens: n)
                adapters.apply(prefix + "attn_v.weight", input: s.normed, inputStride: c.width, output: newValues, outputStride: kvWidth, tokens: n)
            }
            let rope = layerRope[index].map { (ropes[$0], s.ropeTable + $0 * tableStride) }
            for t in 0..<n {
                let q = s.query + t * qWidth, k = newKeys + t * kvWidth, value = newValues + t * kvWidth
                if let bias = layer.queryBias { add(bias.pointer, to: q, count: qWidth) }
                if let bias = layer.keyBias { add(bias.pointer, to: k, count: kvWidth) }
                if let bias = layer.valueBias { add(bias.pointer, to: value, count: kvWidth) }
                if let norm = layer.queryNorm { normalizeHeads(q, heads: c.heads, weight: norm) }
                if let norm = layer.keyNorm { normalizeHeads(k, heads: c.kvHeads, weight: norm) }
                if let (rope, table) = rope {
                    rope.apply(q, heads: c.heads, headSize: c.headSize, table: table + t * c.ropeDimensions)
                    rope.apply(k, heads: c.kvHeads, headSize: c.headSize, table: table + t * c.ropeDimensions)
                }
                if let factor = v.queryScale { scale(q, count: qWidth, by: factor) }
            }
            if !contiguous {
                for t in 0..<n {
                    let row = Attention.slot(start + t, slots) * kvWidth
                    (keys + row).update(from: newKeys + t * kvWidth, count: kvWidth)
                    (values + row).update(from: newValues + t * kvWidth, count: kvWidth)
                }
            }
            Attention.run(queries: s.query, keys: keys, values: values, output: s.attention, tokens: n, start: start,
                          heads: c.heads, kvHeads: c.kvHeads, headSize: c.headSize, context: contextLength,
                          scratch: s.scores, threads: threads, window: attention.window, slots: slots, scale: v.attentionScale)
            MatrixProduct.multiply(layer.attentionOutput, s.attention, tokens: n, into: s.projection, scratch: s.activations, threads: threads)
            if !adapters.isEmpty { // LoRA hook
                adapters.apply("blk.\(index).attn_output.weight", input: s.attention, inputStride: qWidth, output: s.projection, outputStride: c.width, tokens: n)
            }
            if let norm = layer.attentionPostNorm { normalize(s.projection, n, weight: norm, into: s.projection) }
            add(s.projection, to: s.x, count: n * c.width)
            // Feed-forward: norm, gated SiLU or GELU, down projection (and norm). The last layer
            // computes it only for the tokens whose logits are wanted (as llama.cpp's graph does
            // with its output ids): nothing reads the others, and the products' row count decides
            // how llama.cpp rounds them (`MatrixProduct`: its tiled kernel from 8 rows).
            let first = index < weights.layers.count - 1 ? 0 : logits.firstNeeded(of: n)
            let m = n - first, x = s.x + first * c.width
            guard m > 0 else { continue }
            normalize(x, m, weight: layer.feedForwardNorm)
            project(.init(weights: layer.gate, output: s.gate, stride: c.feedForward),
                    .init(weights: layer.up, output: s.up, stride: c.feedForward), nil, tokens: m)
            if !adapters.isEmpty { // LoRA hook
                adapters.apply("blk.\(index).ffn_gate.weight", input: s.normed, inputStride: c.width, output: s.gate, outputStride: c.feedForward, tokens: m)
                adapters.apply("blk.\(index).ffn_up.weight", input: s.normed, inputStride: c.width, output: s.up, outputStride: c.feedForward, tokens: m)
            }
            if v.gelu {
                Activation.geglu(s.gate, s.up, count: m * c.feedForward)
            } else {
                Activation.swiglu(s.gate, s.up, count: m * c.feedForward)
            }
            MatrixProduct.multiply(layer.down, s.gate, tokens: m, into: s.projection, scratch: s.activations, threads: threads)
            if !adapters.isEmpty { // LoRA hook
                adapters.apply("blk.\(index).ffn_down.weight", input: s.gate, inputStride: c.feedForward, output: s.projection, outputStride: c.width, tokens: m)
            }
            if let norm = layer.feedForwardPostNorm { normalize(s.projection, m, weight: norm, into: s.projection) }
            add(s.projection, to: x, count: m * c.width)
            try checkFinite(x, count: m * c.width, "layer \(index)")
        }
        switch logits {
        case .none:
            break
        case .last:
            Normalization.rms(s.x + (n - 1) * c.width, weight: weights.outputNorm.pointer, epsilon: c.normEpsilon, into: s.normed, count: c.width)
            MatrixProduct.multiply(weights.output, s.normed, tokens: 1, into: s.logits, scratch: s.activations, threads: threads)
            if let cap = v.logitSoftcap { softcap(s.logits, count: c.vocabularySize, cap: cap) }
            try checkFinite(s.logits, count: c.vocabularySize, "the output layer")
        case .all(let destination):
            normalize(s.x, n, weight: weights.outputNorm)
            MatrixProduct.multiply(weights.output, s.normed, tokens: n, into: destination, scratch: s.activations, threads: threads)
            if let cap = v.logitSoftcap { softcap(destination, count: n * c.vocabularySize, cap: cap) }
            try checkFinite(destination, count: n * c.vocabularySize, "the output layer")
        }
        position += n
    }

    /// Throws when `count` values at `values`, what `stage` produced, are not all finite.
    private func checkFinite(_ values: UnsafePointer<Float>, count: Int, _ stage: String) throws(RuntimeError) {
        if let problem = FiniteCheck.problem(values, count: count) {
            throw RuntimeError(file: file.path, message: "\(stage) produced \(problem) values; the file may be corrupt")
        }
    }

    /// `into[t] = rmsnorm(rows[t]) · weight` for the chunk's tokens (`into` defaults to
    /// `normed` and may be `rows`); without a weight (exaone4 has no pre-norms) a plain copy.
    private func normalize(_ rows: UnsafeMutablePointer<Float>, _ n: Int, weight: UnsafeBufferPointerBox?, into: UnsafeMutablePointer<Float>? = nil) {
        let width = configuration.width, into = into ?? state.normed
        guard let weight else {
            if into != rows { into.update(from: rows, count: n * width) }
            return
        }
        for t in 0..<n {
            Normalization.rms(rows + t * width, weight: weight.pointer, epsilon: configuration.normEpsilon,
                              into: into + t * width, count: width)
        }
    }

    /// RMSNorm over each head of one token's Q or K, in place (ggml's `rms_norm` on the
    /// head dimension, then the `headSize` weights).
    private func normalizeHeads(_ x: UnsafeMutablePointer<Float>, heads: Int, weight: UnsafeBufferPointerBox) {
        let size = configuration.headSize
        for h in 0..<heads {
            Normalization.rms(x + h * size, weight: weight.pointer, epsilon: configuration.normEpsilon, into: x + h * size, count: size)
        }
    }

    /// `x[i] *= factor` (ggml's `scale`).
    private func scale(_ x: UnsafeMutablePointer<Float>, count: Int, by factor: Float) {
        for i in 0..<count { x[i] *= factor }
    }

    /// `x = cap · tanh(x · (1/cap))`, ggml's scale, tanh, scale.
    private func softcap(_ x: UnsafeMutablePointer<Float>, count: Int, cap: Float) {
        let inverse = 1 / cap
        for i in 0..<count { x[i] = tanhf(x[i] * inverse) * cap }
    }

    /// Multiplies `normed` by two or three matrices that share it: one conversion and one
    /// dispatch when their formats agree (always, in practice), else one by one.
    private func project(_ a: MatrixProduct.Target, _ b: MatrixProduct.Target, _ c: MatrixProduct.Target?, tokens n: Int) {
        let format = a.weights.format.activationFormat
        state.activations.convert(state.normed, rows: n, columns: a.weights.columns, to: format, threads: threads)
        if b.weights.format.activationFormat == format, c.map({ $0.weights.format.activationFormat == format }) ?? true {
            MatrixProduct.multiplyGroup(a, b, c, converted: state.activations, tokens: n, threads: threads)
            return
        }
        for target in [a, b] + (c.map { [$0] } ?? []) {
            MatrixProduct.multiply(target.weights, state.normed, tokens: n, into: target.output, outputStride: target.stride,
                                   scratch: state.activations, threads: threads)
        }
    }

    @inline(__always)
    private func add(_ source: UnsafePointer<Float>, to destination: UnsafeMutablePointer<Float>, count: Int) {
        for i in 0..<count { destination[i] += source[i] }
    }
}
