import Foundation

/// How one layer attends: over the whole sequence or a sliding window of the last `window`
/// positions, and with which rotary embedding.
public struct LayerAttention: Sendable, Equatable {
    /// The positions a token sees, itself included (nil: every earlier position). A token at
    /// position p attends to p − window + 1 ... p, as llama.cpp's standard SWA mask does.
    public var window: Int?
    /// The RoPE base of this layer (Gemma 3's local layers use 10,000, its global ones 1e6).
    public var ropeBase: Float
    /// The RoPE frequency scale (1 / linear scaling factor).
    public var ropeScale: Float
    /// Whether queries and keys are rotated at all (EXAONE 4.0's global layers are not).
    public var rotates: Bool
}

/// What sets qwen3, gemma3 and exaone4 apart from the llama layout, read once from the GGUF
/// metadata so that the forward pass only tests flags.
///
/// As llama.cpp's `llama_model_*::graph` builds them:
/// - qwen3: llama plus an RMSNorm per head on Q and K before RoPE.
/// - gemma3: embeddings scaled by sqrt(width); pre- and post-norms around attention and the
///   feed-forward; Q/K norms; GELU-gated feed-forward; Q scaled by 1/sqrt(headSize) before
///   attention (kq scale 1); local layers (5 of every 6 by default) with a sliding window and
///   RoPE base `rope.freq_base_swa` (10,000 when absent); optional final logit soft-capping.
/// - exaone4: no pre-norms, post-norms only; Q/K norms; SiLU; with a sliding window (llama.cpp
///   enables it only for the 64-layer 32B model, pattern 3 local + 1 global) the global layers
///   skip RoPE.
public struct DecoderVariant: Sendable, Equatable {
    /// `attn_norm` / `ffn_norm` before the sub-layers (every family but exaone4).
    public var preNorms = true
    /// `attn_post_norm` / `ffn_post_norm` on the sub-layers' outputs (gemma3, exaone4).
    public var postNorms = false
    /// `attn_q_norm` / `attn_k_norm`, an RMSNorm over each head (qwen3, gemma3, exaone4).
    public var queryKeyNorms = false
    /// GELU instead of SiLU in the gated feed-forward (gemma3).
    public var gelu = false
    /// Factor on the token embeddings (gemma3: sqrt(width)).
    public var embeddingScale: Float?
    /// Factor on the queries after RoPE (gemma3), with `attentionScale` then 1.
    public var queryScale: Float?
    /// Factor on the attention scores (1/sqrt(headSize) unless the queries were scaled).
    public var attentionScale: Float
    /// Final logit soft-capping: cap · tanh(logit / cap) (`final_logit_softcapping`).
    public var logitSoftcap: Float?
    /// Each layer's attention.
    public var layers: [LayerAttention]

    /// Whether some layer uses a sliding window (its KV cache then keeps only the window).
    public var hasSlidingWindow: Bool { layers.contains { $0.window != nil } }

    init(file: GGUFFile, architecture: ModelConfiguration.Architecture, layers count: Int, width: Int, heads: Int,
         headSize: Int, ropeBase: Float) throws(RuntimeError) {
        let name = architecture.rawValue
        attentionScale = 1 / Float(headSize).squareRoot()
        let ropeScale = try DecoderVariant.ropeScale(file: file, name: name)
        let window = file.int("\(name).attention.sliding_window").flatMap { $0 > 0 ? $0 : nil }
        var local = [Bool](repeating: false, count: count)
        var localBase = ropeBase
        switch architecture {
        case .llama, .qwen2, .exaone:
            break
        case .qwen3:
            queryKeyNorms = true
        case .gemma3:
            postNorms = true
            queryKeyNorms = true
            gelu = true
            embeddingScale = Float(width).squareRoot()
            // gemma_pytorch: the 27B scales by 1/sqrt(width / heads), the others by 1/sqrt(headSize).
            queryScale = count == 62 ? 1 / Float(width / heads).squareRoot() : attentionScale
            attentionScale = 1
            logitSoftcap = file.float("\(name).final_logit_softcapping").flatMap { $0 != 0 ? $0 : nil }
            if window != nil {
                local = try DecoderVariant.localLayers(file: file, name: name, count: count, defaultPattern: 6)
                localBase = file.float("\(name).rope.freq_base_swa") ?? 10000
            }
        case .exaone4:
            preNorms = false
            postNorms = true
            queryKeyNorms = true
            if count == 64 {
                local = try DecoderVariant.localLayers(file: file, name: name, count: count, defaultPattern: 4)
                localBase = file.float("\(name).rope.freq_base_swa") ?? ropeBase
            }
        }
        let windowed = local.contains(true)
        let effectiveWindow = windowed ? (window ?? (architecture == .exaone4 ? 4096 : nil)) : nil
        self.layers = (0..<count).map { i in
            if local[i], let effectiveWindow {
                return LayerAttention(window: effectiveWindow, ropeBase: localBase, ropeScale: 1, rotates: true)
            }
            // exaone4 with sliding windows: its global layers have no positional encoding.
            let rotates = !(architecture == .exaone4 && windowed)
            return LayerAttention(window: nil, ropeBase: ropeBase, ropeScale: ropeScale, rotates: rotates)
        }
    }

    /// Which layers are local: `sliding_window_pattern` as a bool per layer, or as an integer n
    /// (layer i is local unless i mod n = n − 1, llama.cpp's `set_swa_pattern`).
    static func localLayers(file: GGUFFile, name: String, count: Int, defaultPattern: Int) throws(RuntimeError) -> [Bool] {
        let key = "\(name).attention.sliding_window_pattern"
        if let array = file.metadata[key]?.arrayValue {
            let flags = array.compactMap(\.boolValue)
            guard flags.count == array.count, flags.count >= count else {
                throw RuntimeError(file: file.path, message: "metadata '\(key)' must be \(count) booleans or an integer")
            }
            return Array(flags[0..<count])
        }
        let pattern = file.int(key) ?? defaultPattern
        return (0..<count).map { pattern == 0 || $0 % pattern < pattern - 1 }
    }

    /// The RoPE frequency scale: 1 / `rope.scaling.factor` for linear scaling; scaling that
    /// Baton does not implement (YaRN, LongRoPE) is refused rather than computed wrongly.
    static func ropeScale(file: GGUFFile, name: String) throws(RuntimeError) -> Float {
        let type = file.string("\(name).rope.scaling.type") ?? "linear"
        let factor = file.float("\(name).rope.scaling.factor") ?? 0
        guard factor != 0, factor != 1, type != "none" else { return 1 }
        guard type == "linear" else {
            throw RuntimeError(file: file.path, message: "unsupported RoPE scaling '\(type)' (\(name).rope.scaling.type); only linear scaling is implemented")
        }
        return 1 / factor
    }
}
