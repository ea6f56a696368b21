import Foundation

/// Rotary position embeddings (RoPE) as ggml's `rope` computes them (no YaRN scaling).
///
/// `normal` rotates adjacent pairs (x[2i], x[2i+1]) (Llama); `neox` rotates (x[i], x[i + d/2])
/// (Qwen2, GPT-NeoX). Only the first `dimensions` values of each head rotate.
struct RotaryEmbedding: Sendable, Equatable {
    enum Layout: Sendable { case normal, neox }

    let layout: Layout
    /// Rotated values per head (`rope.dimension_count`).
    let dimensions: Int
    let base: Float
    /// The frequency scale (1 / linear scaling factor; ggml's `freq_scale`).
    var scale: Float = 1
    /// Optional per-pair divisors of the frequency (`rope_freqs.weight`, Llama 3.1+).
    let frequencyFactors: [Float]?

    /// Writes cos/sin pairs for `position` into `table` (`dimensions` floats: cos, sin, ...),
    /// accumulating θ by repeated multiplication in float as ggml's rope cache does.
    func fillTable(position: Int, _ table: UnsafeMutablePointer<Float>) {
        let thetaScale = powf(base, -2 / Float(dimensions))
        var theta = Float(position)
        for pair in 0..<dimensions / 2 {
            let factor = frequencyFactors?[pair] ?? 1
            let angle = scale * (theta / factor)
            table[2 * pair] = cosf(angle)
            table[2 * pair + 1] = sinf(angle)
            theta *= thetaScale
        }
    }

    /// Rotates `heads` heads of `headSize` values at `x` in place, with `table` from `fillTable`.
    @inline(__always)
    func apply(_ x: UnsafeMutablePointer<Float>, heads: Int, headSize: Int, table: UnsafePointer<Float>) {
        for h in 0..<heads {
            let v = x + h * headSize
            switch layout {
            case .normal:
                for pair in 0..<dimensions / 2 {
                    let c = table[2 * pair], s = table[2 * pair + 1]
                    let a = v[2 * pair], b = v[2 * pair + 1]
                    // As llama.cpp's scalar loop rounds (GCC contracts to fused multiply-adds;
                    // llama.cpp rotates in place, which takes its scalar path).
                    v[2 * pair] = (-(s * b)).addingProduct(c, a)
                    v[2 * pair + 1] = (c * b).addingProduct(s, a)
                }
            case .neox:
                let half = dimensions / 2
                for pair in 0..<half {
                    let c = table[2 * pair], s = table[2 * pair + 1]
                    let a = v[pair], b = v[pair + half]
                    // llama.cpp's scalar loop as GCC contracts it.
                    v[pair] = (-(s * b)).addingProduct(c, a)
                    v[pair + half] = (c * b).addingProduct(s, a)
                }
            }
        }
    }
}
