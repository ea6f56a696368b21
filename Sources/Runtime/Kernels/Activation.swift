import Foundation

/// Element-wise activations of the feed-forward.
package enum Activation {
    /// `gate[i] = silu(gate[i]) · up[i]` for `count` values (the SwiGLU feed-forward), with
    /// llama.cpp's exp approximation (`GGMLRounding.silu`) so both engines round alike.
    @inline(__always)
    static func swiglu(_ gate: UnsafeMutablePointer<Float>, _ up: UnsafePointer<Float>, count: Int) {
        var i = 0
        while i + 16 <= count {
            let g = UnsafeRawPointer(gate + i).loadUnaligned(as: SIMD16<Float>.self)
            let u = UnsafeRawPointer(up + i).loadUnaligned(as: SIMD16<Float>.self)
            UnsafeMutableRawPointer(gate + i).storeBytes(of: GGMLRounding.silu(g) * u, as: SIMD16<Float>.self)
            i += 16
        }
        while i < count {
            gate[i] = GGMLRounding.silu(gate[i]) * up[i]
            i += 1
        }
    }
}

extension Activation {
    /// `gate[i] = gelu(gate[i]) · up[i]` (Gemma's GELU-gated feed-forward) as llama.cpp's
    /// `ggml_vec_geglu_f32` computes it: 0 below −10, x above 10, else the tanh approximation
    /// looked up for x rounded to half precision and rounded back to half (`geluTable`).
    static func geglu(_ gate: UnsafeMutablePointer<Float>, _ up: UnsafePointer<Float>, count: Int) {
        geluTable.withUnsafeBufferPointer { table in
            for i in 0..<count {
                let x = gate[i]
                if x <= -10 {
                    gate[i] = 0
                } else if x >= 10 {
                    gate[i] = x * up[i]
                } else {
                    gate[i] = table[Int(Float16(x).bitPattern)] * up[i]
                }
            }
        }
    }

    /// GELU (tanh form) of every half-precision value, rounded to half: ggml's
    /// `ggml_table_gelu_f16`, built once. `0.5x(1 + tanh(√(2/π)·x·(1 + 0.044715x²)))` with the
    /// fused multiply-add GCC forms for `1 + a·x·x`.
    static let geluTable: [Float] = (0..<65536).map { bits in
        let x = Float(Float16(bitPattern: UInt16(bits)))
        let inner = Float(1).addingProduct(0.044715 * x, x)
        let y = 0.5 * x * (1 + tanhf(0.79788456080286535587989211986876 * x * inner))
        return Float(Float16(y))
    }
}
