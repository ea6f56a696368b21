import Foundation

/// Element-wise activations and softmax.
enum Activation {
    /// `x · sigmoid(x)`.
    @inline(__always)
    static func silu(_ x: Float) -> Float { x / (1 + expf(-x)) }

    /// GELU, tanh approximation (ggml's `gelu`).
    @inline(__always)
    static func gelu(_ x: Float) -> Float {
        0.5 * x * (1 + tanhf(0.797_884_56 * x * (1 + 0.044_715 * x * x)))
    }

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

    /// Softmax of `count` values in place; returns nothing because the sum is folded in.
    @inline(__always)
    static func softmax(_ x: UnsafeMutablePointer<Float>, count: Int) {
        var maximum = -Float.infinity
        for i in 0..<count { maximum = max(maximum, x[i]) }
        var sum: Double = 0
        for i in 0..<count {
            let e = expf(x[i] - maximum)
            x[i] = e
            sum += Double(e)
        }
        let scale = Float(1 / sum)
        for i in 0..<count { x[i] *= scale }
    }
}
