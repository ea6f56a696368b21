import Foundation

/// A decoder-only transformer (llama, qwen2, exaone) loaded from a GGUF file, with its KV cache.
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
/// processed at once or as a kept prefix plus the rest (the prompt cache relies on this).
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
    let state: RunState
    let rope: RotaryEmbedding

    /// Loads `path`. `contextLength` defaults to the trained context (capped at 4096 to keep the
    /// cache small) and may not exceed it; `batch` is the most prompt tokens per forward chunk
    /// (at least 3, so that a prompt can always be split without a one-token chunk).
    public convenience init(path: String, contextLength: Int? = nil, threads: Int? = nil, batch: Int = 512) throws {
        try self.init(file: try GGUFFile(path: path), contextLength: contextLength, threads: threads, batch: batch)
    }

    public init(file: GGUFFile, contextLength: Int? = nil, threads: Int? = nil, batch: Int = 512) throws(ModelError) {
        let configuration = try ModelConfiguration(file: file)
        let context = contextLength ?? min(configuration.trainedContext, 4096)
        guard context > 0, context <= configuration.trainedContext else {
            throw ModelError(file: file.path, message: "context length \(context) is outside 1...\(configuration.trainedContext), the model's trained context")
        }
        self.file = file
        self.configuration = configuration
        self.contextLength = context
        self.threads = max(1, threads ?? ProcessInfo.processInfo.activeProcessorCount)
        weights = try ModelWeights(file: file, configuration: configuration)
        rope = RotaryEmbedding(layout: configuration.ropeLayout, dimensions: configuration.ropeDimensions,
                               base: configuration.ropeBase, frequencyFactors: weights.ropeFrequencies)
        state = RunState(configuration: configuration, context: context, batch: max(1, min(max(batch, 3), context)), threads: self.threads)
    }

    /// Memory: the mapped file, the KV cache and the other buffers.
    public var memoryUsage: MemoryUsage {
        MemoryUsage(weightBytes: file.fileSize, kvCacheBytes: state.kvCacheBytes, scratchBytes: state.byteCount - state.kvCacheBytes)
    }

    /// Forgets the sequence (the cache is overwritten from position 0).
    public func reset() { position = 0 }

    /// Keeps the first `kept` tokens of the sequence (positions `0..<kept`) and forgets the rest,
    /// so that the next `forward` continues after them; `kept` must be within `0...position`.
    public func rewind(to kept: Int) throws(ModelError) {
        guard kept >= 0, kept <= position else {
            throw ModelError(file: file.path, message: "cannot rewind to position \(kept): the cache holds \(position) tokens")
        }
        position = kept
    }

    /// Tokens in the next chunk when `remaining` tokens of a call are left: at most a batch, and
    /// one fewer when a single token would be left for the last chunk (513 → 511 + 2 with batch
    /// 512), so that only a one-token call is computed the one-token way.
    func chunkLength(remaining: Int) -> Int {
        let count = min(state.batch, remaining)
        return remaining - count == 1 && count > 2 ? count - 1 : count
    }

    /// Appends `tokens` and returns the logits after the last one (valid until the next call).
    public func forward(_ tokens: [Int]) throws(ModelError) -> UnsafeBufferPointer<Float> {
        try check(tokens)
        var start = 0
        while start < tokens.count {
            let count = chunkLength(remaining: tokens.count - start)
            let last = start + count == tokens.count
            try tokens.withUnsafeBufferPointer { (all) throws(ModelError) in
                try run(UnsafeBufferPointer(rebasing: all[start..<start + count]), logits: last ? .last : .none)
            }
            start += count
        }
        return UnsafeBufferPointer(start: state.logits, count: configuration.vocabularySize)
    }

    /// Appends `tokens` and returns the logits at every position, `tokens.count × vocabulary`.
    public func forwardAllLogits(_ tokens: [Int]) throws(ModelError) -> [Float] {
        try check(tokens)
        let vocabulary = configuration.vocabularySize
        var result = [Float](repeating: 0, count: tokens.count * vocabulary)
        var start = 0
        while start < tokens.count {
            let count = chunkLength(remaining: tokens.count - start)
            try result.withUnsafeMutableBufferPointer { (out) throws(ModelError) in
                guard let base = out.baseAddress else { return }
                try tokens.withUnsafeBufferPointer { (all) throws(ModelError) in
                    try run(UnsafeBufferPointer(rebasing: all[start..<start + count]), logits: .all(base + start * vocabulary))
                }
            }
            start += count
        }
        return result
    }

    private func check(_ tokens: [Int]) throws(ModelError) {
        guard !tokens.isEmpty else { throw ModelError(file: file.path, message: "no tokens to process") }
        if let bad = tokens.first(where: { $0 < 0 || $0 >= configuration.vocabularySize }) {
            throw ModelError(file: file.path, message: "token id \(bad) is outside the vocabulary of \(configuration.vocabularySize)")
        }
        guard position + tokens.count <= contextLength else {
            throw ModelError(file: file.path, message: "\(position + tokens.count) tokens exceed the context length \(contextLength) (\(position) already in the cache, \(tokens.count) new)")
        }
    }

    enum LogitsRequest { case none, last, all(UnsafeMutablePointer<Float>) }

    /// One batch of at most `state.batch` tokens through every layer. Throws, without moving
    /// `position`, when an embedding, a layer or the logits come out NaN or infinite.
    private func run(_ tokens: UnsafeBufferPointer<Int>, logits: LogitsRequest) throws(ModelError) {
        let c = configuration, s = state, n = tokens.count, start = position
        let qWidth = c.heads * c.headSize, kvWidth = c.kvHeads * c.headSize
        let cacheStride = contextLength * kvWidth
        for (t, token) in tokens.enumerated() {
            weights.embedding.dequantizeRow(token, into: s.x + t * c.width)
            rope.fillTable(position: start + t, s.ropeTable + t * c.ropeDimensions)
        }
        try checkFinite(s.x, count: n * c.width, "the token embeddings")
        for (index, layer) in weights.layers.enumerated() {
            let keys = s.keys + index * cacheStride, values = s.values + index * cacheStride
            // Attention: norm, Q/K/V (K and V written straight into the cache), RoPE, attention.
            normalize(n, weight: layer.attentionNorm)
            project(.init(weights: layer.query, output: s.query, stride: qWidth),
                    .init(weights: layer.key, output: keys + start * kvWidth, stride: kvWidth),
                    .init(weights: layer.value, output: values + start * kvWidth, stride: kvWidth), tokens: n)
            if !adapters.isEmpty { // LoRA hook
                let prefix = "blk.\(index)."
                adapters.apply(prefix + "attn_q.weight", input: s.normed, inputStride: c.width, output: s.query, outputStride: qWidth, tokens: n)
                adapters.apply(prefix + "attn_k.weight", input: s.normed, inputStride: c.width, output: keys + start * kvWidth, outputStride: kvWidth, tokens: n)
                adapters.apply(prefix + "attn_v.weight", input: s.normed, inputStride: c.width, output: values + start * kvWidth, outputStride: kvWidth, tokens: n)
            }
            for t in 0..<n {
                let q = s.query + t * qWidth, k = keys + (start + t) * kvWidth, v = values + (start + t) * kvWidth
                if let bias = layer.queryBias { add(bias.pointer, to: q, count: qWidth) }
                if let bias = layer.keyBias { add(bias.pointer, to: k, count: kvWidth) }
                if let bias = layer.valueBias { add(bias.pointer, to: v, count: kvWidth) }
                rope.apply(q, heads: c.heads, headSize: c.headSize, table: s.ropeTable + t * c.ropeDimensions)
                rope.apply(k, heads: c.kvHeads, headSize: c.headSize, table: s.ropeTable + t * c.ropeDimensions)
            }
            Attention.run(queries: s.query, keys: keys, values: values, output: s.attention, tokens: n, start: start,
                          heads: c.heads, kvHeads: c.kvHeads, headSize: c.headSize, context: contextLength,
                          scratch: s.scores, threads: threads)
            MatrixProduct.multiply(layer.attentionOutput, s.attention, tokens: n, into: s.projection, scratch: s.activations, threads: threads)
            if !adapters.isEmpty { // LoRA hook
                adapters.apply("blk.\(index).attn_output.weight", input: s.attention, inputStride: qWidth, output: s.projection, outputStride: c.width, tokens: n)
            }
            add(s.projection, to: s.x, count: n * c.width)
            // Feed-forward: norm, SwiGLU, down projection.
            normalize(n, weight: layer.feedForwardNorm)
            project(.init(weights: layer.gate, output: s.gate, stride: c.feedForward),
                    .init(weights: layer.up, output: s.up, stride: c.feedForward), nil, tokens: n)
            if !adapters.isEmpty { // LoRA hook
                adapters.apply("blk.\(index).ffn_gate.weight", input: s.normed, inputStride: c.width, output: s.gate, outputStride: c.feedForward, tokens: n)
                adapters.apply("blk.\(index).ffn_up.weight", input: s.normed, inputStride: c.width, output: s.up, outputStride: c.feedForward, tokens: n)
            }
            Activation.swiglu(s.gate, s.up, count: n * c.feedForward)
            MatrixProduct.multiply(layer.down, s.gate, tokens: n, into: s.projection, scratch: s.activations, threads: threads)
            if !adapters.isEmpty { // LoRA hook
                adapters.apply("blk.\(index).ffn_down.weight", input: s.gate, inputStride: c.feedForward, output: s.projection, outputStride: c.width, tokens: n)
            }
            add(s.projection, to: s.x, count: n * c.width)
            try checkFinite(s.x, count: n * c.width, "layer \(index)")
        }
        switch logits {
        case .none:
            break
        case .last:
            Normalization.rms(s.x + (n - 1) * c.width, weight: weights.outputNorm.pointer, epsilon: c.normEpsilon, into: s.normed, count: c.width)
            MatrixProduct.multiply(weights.output, s.normed, tokens: 1, into: s.logits, scratch: s.activations, threads: threads)
            try checkFinite(s.logits, count: c.vocabularySize, "the output layer")
        case .all(let destination):
            normalize(n, weight: weights.outputNorm)
            MatrixProduct.multiply(weights.output, s.normed, tokens: n, into: destination, scratch: s.activations, threads: threads)
            try checkFinite(destination, count: n * c.vocabularySize, "the output layer")
        }
        position += n
    }

    /// Throws when `count` values at `values`, what `stage` produced, are not all finite.
    private func checkFinite(_ values: UnsafePointer<Float>, count: Int, _ stage: String) throws(ModelError) {
        if let problem = FiniteCheck.problem(values, count: count) {
            throw ModelError(file: file.path, message: "\(stage) produced \(problem) values; the file may be corrupt")
        }
    }

    /// `normed[t] = rmsnorm(x[t]) · weight` for the chunk's tokens.
    private func normalize(_ n: Int, weight: UnsafeBufferPointerBox) {
        let width = configuration.width
        for t in 0..<n {
            Normalization.rms(state.x + t * width, weight: weight.pointer, epsilon: configuration.normEpsilon,
                              into: state.normed + t * width, count: width)
        }
    }

    /// Multiplies `normed` by two or three matrices that share it: one conversion and one
    /// dispatch when their formats agree (always, in practice), else one by one.
    private func project(_ a: MatrixProduct.Target, _ b: MatrixProduct.Target, _ c: MatrixProduct.Target?, tokens n: Int) {
        let format = a.weights.format.activationFormat
        state.activations.convert(state.normed, rows: n, columns: a.weights.columns, to: format)
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
