/// Element-wise activations of the feed-forward.
enum Activation {
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
