/// The hyperparameters of a decoder model, read from GGUF metadata (`<arch>.*` keys).
public struct ModelConfiguration: Sendable, Equatable {
    /// The decoder families Baton runs.
    public enum Architecture: String, Sendable, CaseIterable {
        /// Llama 2/3.x, SmolLM2: RMSNorm, SwiGLU, normal RoPE, optional `rope_freqs`.
        case llama
        /// Qwen2/2.5: as llama plus Q/K/V biases and NeoX RoPE.
        case qwen2
        /// EXAONE 3.x: llama's tensors under its own metadata prefix, NeoX RoPE.
        case exaone
        /// Qwen3: as llama plus per-head Q/K RMSNorms, NeoX RoPE (see `DecoderVariant`).
        case qwen3
        /// Gemma 3: scaled embeddings, pre/post norms, GELU, sliding-window local layers.
        case gemma3
        /// EXAONE 4.0: post-norms only, Q/K norms, hybrid local/global attention.
        case exaone4
    }

    public var architecture: Architecture
    /// Layers (`block_count`).
    public var layers: Int
    /// Model width (`embedding_length`).
    public var width: Int
    /// Feed-forward hidden size (`feed_forward_length`).
    public var feedForward: Int
    /// Query heads.
    public var heads: Int
    /// Key/value heads (fewer than `heads` with grouped-query attention).
    public var kvHeads: Int
    /// Values per head (`attention.key_length`, else width / heads).
    public var headSize: Int
    /// Rotated values per head (`rope.dimension_count`, else `headSize`).
    public var ropeDimensions: Int
    public var ropeBase: Float
    public var normEpsilon: Float
    /// The context length the model was trained for (`context_length`).
    public var trainedContext: Int
    /// Vocabulary size (rows of `token_embd.weight`).
    public var vocabularySize: Int
    /// What the architecture adds to the llama layout, and each layer's attention.
    public var variant: DecoderVariant

    /// Reads the configuration of `file`, or says which key is missing or wrong (see
    /// `validate(file:)` for the checks on values).
    public init(file: GGUFFile) throws(RuntimeError) {
        let name = file.string("general.architecture") ?? ""
        guard let architecture = Architecture(rawValue: name) else {
            throw RuntimeError(file: file.path, message: "unsupported architecture '\(name)' (supported: \(Architecture.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        func required(_ key: String) throws(RuntimeError) -> Int {
            guard let value = file.int("\(name).\(key)"), value > 0 else {
                throw RuntimeError(file: file.path, message: "missing or invalid metadata '\(name).\(key)'")
            }
            return value
        }
        self.architecture = architecture
        layers = try required("block_count")
        width = try required("embedding_length")
        feedForward = try required("feed_forward_length")
        heads = try required("attention.head_count")
        kvHeads = file.int("\(name).attention.head_count_kv") ?? heads
        headSize = file.int("\(name).attention.key_length") ?? width / heads
        ropeDimensions = file.int("\(name).rope.dimension_count") ?? headSize
        ropeBase = file.float("\(name).rope.freq_base") ?? 10000
        normEpsilon = file.float("\(name).attention.layer_norm_rms_epsilon") ?? 1e-5
        trainedContext = try required("context_length")
        vocabularySize = file.tensor(named: "token_embd.weight")?.shape.last ?? 0
        guard kvHeads > 0, heads % kvHeads == 0 else {
            throw RuntimeError(file: file.path, message: "\(heads) attention heads are not a multiple of \(kvHeads) key/value heads")
        }
        guard headSize > 0, ropeDimensions <= headSize, ropeDimensions % 2 == 0 else {
            throw RuntimeError(file: file.path, message: "invalid head size \(headSize) or rope dimensions \(ropeDimensions)")
        }
        try Self.validateMetadata(file: file, architecture: architecture)
        variant = try DecoderVariant(file: file, architecture: architecture, layers: layers, width: width, heads: heads,
                                     headSize: headSize, ropeBase: ropeBase)
        try validate(file: file)
    }

    /// RoPE pairing of the architecture.
    var ropeLayout: RotaryEmbedding.Layout { architecture == .llama ? .normal : .neox }
}
