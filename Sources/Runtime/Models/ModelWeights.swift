/// The tensors of one decoder layer, read in place from the GGUF memory map.
struct LayerWeights: Sendable {
    /// Pre-norms (absent in exaone4).
    var attentionNorm: UnsafeBufferPointerBox?
    var query: WeightMatrix, key: WeightMatrix, value: WeightMatrix, attentionOutput: WeightMatrix
    /// Q/K/V biases (qwen2).
    var queryBias: UnsafeBufferPointerBox?, keyBias: UnsafeBufferPointerBox?, valueBias: UnsafeBufferPointerBox?
    /// Per-head RMSNorm weights on Q and K, headSize each (qwen3, gemma3, exaone4).
    var queryNorm: UnsafeBufferPointerBox?, keyNorm: UnsafeBufferPointerBox?
    /// Norms on the attention output before the residual add (gemma3, exaone4).
    var attentionPostNorm: UnsafeBufferPointerBox?
    var feedForwardNorm: UnsafeBufferPointerBox?
    var gate: WeightMatrix, up: WeightMatrix, down: WeightMatrix
    /// Norm on the feed-forward output before the residual add (gemma3, exaone4).
    var feedForwardPostNorm: UnsafeBufferPointerBox?
}

/// A read-only f32 vector in the memory map (norm weights, biases, `rope_freqs`).
///
/// `@unchecked Sendable`: it points into the model's read-only memory map, which outlives it.
struct UnsafeBufferPointerBox: @unchecked Sendable {
    let pointer: UnsafePointer<Float>
    let count: Int
}

/// Every tensor of a decoder model, checked against the configuration's shapes when loaded.
struct ModelWeights: Sendable {
    var embedding: WeightMatrix
    var layers: [LayerWeights]
    var outputNorm: UnsafeBufferPointerBox
    /// `output.weight`, or the embedding when the model ties them.
    var output: WeightMatrix
    var ropeFrequencies: [Float]?

    init(file: GGUFFile, configuration c: ModelConfiguration) throws(RuntimeError) {
        func info(_ name: String) throws(RuntimeError) -> GGUFTensorInfo {
            guard let tensor = file.tensor(named: name) else {
                throw RuntimeError(file: file.path, message: "missing tensor '\(name)'")
            }
            return tensor
        }
        func matrix(_ name: String, columns: Int, rows: Int) throws(RuntimeError) -> WeightMatrix {
            let tensor = try info(name)
            guard tensor.shape == [columns, rows] else {
                throw RuntimeError(file: file.path, message: "tensor '\(name)' has shape \(tensor.shape), expected [\(columns), \(rows)]")
            }
            let format = WeightFormat(tensor.type)
            guard columns % format.blockSize == 0, let base = file.data(for: tensor).baseAddress else {
                throw RuntimeError(file: file.path, message: "tensor '\(name)' of type \(tensor.type.name) has \(columns) columns, not a multiple of its block size \(format.blockSize)")
            }
            return WeightMatrix(format: format, rows: rows, columns: columns, data: base)
        }
        func vector(_ name: String, count: Int) throws(RuntimeError) -> UnsafeBufferPointerBox {
            let tensor = try info(name)
            guard tensor.type == .f32, tensor.shape == [count], let base = file.data(for: tensor).baseAddress else {
                throw RuntimeError(file: file.path, message: "tensor '\(name)' must be f32 of shape [\(count)], found \(tensor.type.name) \(tensor.shape)")
            }
            return UnsafeBufferPointerBox(pointer: base.assumingMemoryBound(to: Float.self), count: count)
        }
        func optionalVector(_ name: String, count: Int) throws(RuntimeError) -> UnsafeBufferPointerBox? {
            file.tensor(named: name) == nil ? nil : try vector(name, count: count)
        }
        let qWidth = c.heads * c.headSize, kvWidth = c.kvHeads * c.headSize
        embedding = try matrix("token_embd.weight", columns: c.width, rows: c.vocabularySize)
        var layers: [LayerWeights] = []
        let v = c.variant
        func vector(_ name: String, count: Int, if present: Bool) throws(RuntimeError) -> UnsafeBufferPointerBox? {
            present ? try vector(name, count: count) : nil
        }
        for i in 0..<c.layers {
            let p = "blk.\(i)."
            layers.append(LayerWeights(
                attentionNorm: try vector(p + "attn_norm.weight", count: c.width, if: v.preNorms),
                query: try matrix(p + "attn_q.weight", columns: c.width, rows: qWidth),
                key: try matrix(p + "attn_k.weight", columns: c.width, rows: kvWidth),
                value: try matrix(p + "attn_v.weight", columns: c.width, rows: kvWidth),
                attentionOutput: try matrix(p + "attn_output.weight", columns: qWidth, rows: c.width),
                queryBias: try optionalVector(p + "attn_q.bias", count: qWidth),
                keyBias: try optionalVector(p + "attn_k.bias", count: kvWidth),
                valueBias: try optionalVector(p + "attn_v.bias", count: kvWidth),
                queryNorm: try vector(p + "attn_q_norm.weight", count: c.headSize, if: v.queryKeyNorms),
                keyNorm: try vector(p + "attn_k_norm.weight", count: c.headSize, if: v.queryKeyNorms),
                attentionPostNorm: try vector(p + "post_attention_norm.weight", count: c.width, if: v.postNorms),
                feedForwardNorm: try vector(p + "ffn_norm.weight", count: c.width, if: v.preNorms),
                gate: try matrix(p + "ffn_gate.weight", columns: c.width, rows: c.feedForward),
                up: try matrix(p + "ffn_up.weight", columns: c.width, rows: c.feedForward),
                down: try matrix(p + "ffn_down.weight", columns: c.feedForward, rows: c.width),
                feedForwardPostNorm: try vector(p + "post_ffw_norm.weight", count: c.width, if: v.postNorms)))
        }
        self.layers = layers
        outputNorm = try vector("output_norm.weight", count: c.width)
        output = file.tensor(named: "output.weight") == nil
            ? embedding
            : try matrix("output.weight", columns: c.width, rows: c.vocabularySize)
        ropeFrequencies = try optionalVector("rope_freqs.weight", count: c.ropeDimensions / 2)
            .map { Array(UnsafeBufferPointer(start: $0.pointer, count: $0.count)) }
    }
}

extension WeightFormat {
    /// The kernel format of a GGUF tensor type (every type the reader accepts has one).
    init(_ type: GGMLType) {
        switch type {
        case .f32: self = .f32
        case .f16: self = .f16
        case .bf16: self = .bf16
        case .q8_0: self = .q8_0
        case .q4_0: self = .q4_0
        case .q4_1: self = .q4_1
        case .q5_0: self = .q5_0
        case .q5_1: self = .q5_1
        case .iq4_nl: self = .iq4_nl
        case .q2_K: self = .q2_K
        case .q3_K: self = .q3_K
        case .q4_K: self = .q4_K
        case .q5_K: self = .q5_K
        case .q6_K: self = .q6_K
        }
    }
}
