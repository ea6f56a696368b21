import Foundation
#if arch(x86_64)
import Builtin
#endif

/// Float arithmetic in the exact order llama.cpp's CPU backend (AVX-512 build) uses.
///
/// Why this exists: quantized models re-quantize every activation to 8 bits, so a difference in
/// the last bit of a value that lies on a rounding boundary flips a quant, and over 30 layers
/// those flips grow to logit differences of 1e-3 (normalized). Matching llama.cpp's summation
/// order, fused multiply-adds and exp approximation keeps Baton's values bit-identical at most
/// steps, which is what lets SmolLM2's logits and greedy tokens be compared with llama.cpp's.
package enum GGMLRounding {
    /// `_mm512_reduce_add_ps` as GCC expands it: halves added pairwise down to one lane.
    @inline(__always)
    static func reduce(_ v: SIMD16<Float>) -> Float {
        let eight = v.lowHalf + v.highHalf
        let four = eight.lowHalf + eight.highHalf
        return (four[0] + four[2]) + (four[1] + four[3])
    }

    /// `ggml_vec_dot_f32` (AVX-512): four 16-lane FMA accumulators over steps of 64, combined as
    /// (a0+a2)+(a1+a3), reduced, then the leftovers fused one by one.
    @inline(__always)
    package static func dot(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, count n: Int) -> Float {
        let rx = UnsafeRawPointer(x), ry = UnsafeRawPointer(y)
        var s0 = SIMD16<Float>(), s1 = SIMD16<Float>(), s2 = SIMD16<Float>(), s3 = SIMD16<Float>()
        var i = 0
        while i + 64 <= n {
            s0.addProduct(rx.loadUnaligned(fromByteOffset: 4 * i, as: SIMD16<Float>.self), ry.loadUnaligned(fromByteOffset: 4 * i, as: SIMD16<Float>.self))
            s1.addProduct(rx.loadUnaligned(fromByteOffset: 4 * i + 64, as: SIMD16<Float>.self), ry.loadUnaligned(fromByteOffset: 4 * i + 64, as: SIMD16<Float>.self))
            s2.addProduct(rx.loadUnaligned(fromByteOffset: 4 * i + 128, as: SIMD16<Float>.self), ry.loadUnaligned(fromByteOffset: 4 * i + 128, as: SIMD16<Float>.self))
            s3.addProduct(rx.loadUnaligned(fromByteOffset: 4 * i + 192, as: SIMD16<Float>.self), ry.loadUnaligned(fromByteOffset: 4 * i + 192, as: SIMD16<Float>.self))
            i += 64
        }
        var sum = reduce((s0 + s2) + (s1 + s3))
        while i < n {
            sum = sum.addingProduct(x[i], y[i])
            i += 1
        }
        return sum
    }

    /// `ggml_v_expf` (AVX-512), one lane: exp(x) = 2^n · p(b) with n = round(x·log2 e) and
    /// b = x − n·ln 2 in two fused steps, p a degree-5 polynomial; |n| > 192 gives 0 or ∞, NaN
    /// gives NaN.
    @inline(__always)
    static func exp(_ x: Float) -> Float {
        let r: Float = 0x1.8p23
        let n = r.addingProduct(x, 0x1.715476p+0) - r
        let b = x.addingProduct(-n, 0x1.62e4p-1).addingProduct(-n, 0x1.7f7d1cp-20)
        let u = b * b
        let high = Float(0x1.573e2ep-5).addingProduct(0x1.0e4020p-7, b)
        let middle = Float(0x1.fffdb6p-2).addingProduct(0x1.555e66p-3, b)
        let low = Float(1).addingProduct(0x1.ffffecp-1, b)
        let j = low.addingProduct(middle.addingProduct(high, u), u)
        // Written so that NaN (which no comparison holds for) returns before the conversion to
        // Int32, which would trap on it.
        guard abs(n) <= 192 else { return n.isNaN ? .nan : (n <= 0 ? 0 : .infinity) }
        return scalbnf(j, Int32(n))
    }

    /// `exp` on 8 lanes at once, bit for bit the scalar version: the same fused steps, and 2^n
    /// applied by building the float 2^n from n's bits (one correctly rounded multiply, as
    /// `scalbnf` is) wherever 2^n is a normal float; lanes outside that range (results that
    /// underflow or overflow) take the scalar path. Softmax and SwiGLU spend their time here.
    /// Eight lanes, one AVX2 register: on sixteen the polynomial's temporaries spilled to the
    /// stack (about a fifth of a prompt's attention time).
    @inline(__always)
    static func exp(_ x: SIMD8<Float>) -> SIMD8<Float> {
        let r = SIMD8<Float>(repeating: 0x1.8p23)
        // t = 1.5·2^23 + n exactly, so its bits are 0x4B40_0000 + n.
        let t = r.addingProduct(x, SIMD8(repeating: 0x1.715476p+0))
        let n = t - r
        let b = x.addingProduct(-n, SIMD8(repeating: 0x1.62e4p-1)).addingProduct(-n, SIMD8(repeating: 0x1.7f7d1cp-20))
        let u = b * b
        let high = SIMD8<Float>(repeating: 0x1.573e2ep-5).addingProduct(SIMD8(repeating: 0x1.0e4020p-7), b)
        let middle = SIMD8<Float>(repeating: 0x1.fffdb6p-2).addingProduct(SIMD8(repeating: 0x1.555e66p-3), b)
        let low = SIMD8<Float>(repeating: 1).addingProduct(SIMD8(repeating: 0x1.ffffecp-1), b)
        let j = low.addingProduct(middle.addingProduct(high, u), u)
        let k = unsafeBitCast(t, to: SIMD8<Int32>.self) &- 0x4B40_0000
        var result = j * unsafeBitCast((k &+ 127) &<< 23, to: SIMD8<Float>.self)
        // A lane is outside -126...127 exactly when k + 126 or 127 − k is negative (neither wraps
        // for the other side's values; NaN and ±∞ land far outside). Integer arithmetic and a
        // minimum, not `(k .< -126) .| (k .> 127)`: Swift's lane comparisons compiled to a store
        // and reload per lane, two loops that were most of a softmax's time.
        let flags = (k &+ 126) | (127 &- k)
        if flags.min() < 0 {
            for lane in 0..<8 where flags[lane] < 0 { result[lane] = exp(x[lane]) }
        }
        return result
    }

    /// `exp` on 16 lanes, as two halves of eight.
    @inline(__always)
    static func exp(_ x: SIMD16<Float>) -> SIMD16<Float> { SIMD16(lowHalf: exp(x.lowHalf), highHalf: exp(x.highHalf)) }

    /// The larger of each pair of lanes (`vmaxps`: where either is NaN, `b`'s lane), for the
    /// maximum of a row of scores. Not `pointwiseMax`, which compiled to a store, a reload and a
    /// NaN test per lane, a fifth of a prompt's attention time.
    @inline(__always)
    static func maximum(_ a: SIMD8<Float>, _ b: SIMD8<Float>) -> SIMD8<Float> {
        #if arch(x86_64)
        var result = SIMD8<Float>()
        result._storage._value = Builtin.int_x86_avx_max_ps_256(a._storage._value, b._storage._value)
        return result
        #else
        var result = b
        for lane in 0..<8 where a[lane] > b[lane] { result[lane] = a[lane] }
        return result
        #endif
    }

    /// `ggml_v_silu`: x / (1 + exp(0 − x)).
    @inline(__always)
    static func silu(_ x: Float) -> Float { x / (1 + exp(0 - x)) }

    /// `silu` on 16 lanes.
    @inline(__always)
    static func silu(_ x: SIMD16<Float>) -> SIMD16<Float> { x / (1 + exp(0 - x)) }
}
