#if arch(x86_64)
import Builtin
#endif

/// Sums of products of 32 byte pairs in eight 32-bit lanes, lane i = Σₖ a[4i+k]·b[4i+k] for
/// k in 0..<4: the shape of x86's `vpmaddubsw` + `vpmaddwd` (AVX2) and `vpdpbusd` (AVX-VNNI),
/// which llama.cpp's integer dot products use. The lane grouping matters: each lane is converted
/// to float and fused separately, so it fixes the rounding the logit comparisons rely on.
///
/// On x86-64 the instructions are called through LLVM intrinsics (Swift's `Builtin` module):
/// LLVM does not form them from Swift's SIMD integer arithmetic, and the best shift-and-multiply
/// equivalent took about twice the instructions per block. `vpdpbusd` is used when the package
/// detects AVX-VNNI at build time (`BATON_VNNI`, see Package.swift). Elsewhere a portable version
/// computes the same integers. All are exact for the operands the kernels pass (pair sums fit in
/// 16 bits, so `vpmaddubsw` never saturates).
enum ByteDot {
    /// Unsigned `a` times signed `b`.
    @inline(__always)
    static func lanes(unsigned a: SIMD32<UInt8>, signed b: SIMD32<Int8>) -> SIMD8<Int32> {
        #if arch(x86_64)
        #if BATON_VNNI
        var result = SIMD8<Int32>()
        result._storage._value = Builtin.int_x86_avx512_vpdpbusd_256(
            result._storage._value, unsafeBitCast(a, to: SIMD8<Int32>.self)._storage._value,
            unsafeBitCast(b, to: SIMD8<Int32>.self)._storage._value)
        return result
        #else
        var pairs = SIMD16<Int16>()
        pairs._storage._value = Builtin.int_x86_avx2_pmadd_ub_sw(a._storage._value, b._storage._value)
        var result = SIMD8<Int32>()
        result._storage._value = Builtin.int_x86_avx2_pmadd_wd(pairs._storage._value, SIMD16<Int16>(repeating: 1)._storage._value)
        return result
        #endif
        #else
        let a16 = unsafeBitCast(a, to: SIMD16<Int16>.self), b16 = unsafeBitCast(b, to: SIMD16<Int16>.self)
        return portable(even: a16 & 0xFF, odd: (a16 &>> 8) & 0xFF, even: (b16 &<< 8) &>> 8, odd: b16 &>> 8)
        #endif
    }

    /// Unsigned `a` times signed `b` as `lanes(unsigned:signed:)`, each lane times its scale:
    /// lane i = scales[2i] · Σₖ a[4i+k]·b[4i+k] (`scales` holds every scale twice, as the 16-bit
    /// pairs of `vpmaddwd`, which llama.cpp's K-quant kernels multiply by). Exact when each pair
    /// sum a[2j]·b[2j] + a[2j+1]·b[2j+1] fits in 16 bits (a ≤ 63 with |b| ≤ 128 does).
    @inline(__always)
    static func lanes(unsigned a: SIMD32<UInt8>, signed b: SIMD32<Int8>, scales: SIMD16<Int16>) -> SIMD8<Int32> {
        #if arch(x86_64)
        var pairs = SIMD16<Int16>()
        pairs._storage._value = Builtin.int_x86_avx2_pmadd_ub_sw(a._storage._value, b._storage._value)
        var result = SIMD8<Int32>()
        result._storage._value = Builtin.int_x86_avx2_pmadd_wd(pairs._storage._value, scales._storage._value)
        return result
        #else
        let words = unsafeBitCast(scales, to: SIMD8<Int32>.self)
        return lanes(unsigned: a, signed: b) &* ((words &<< 16) &>> 16)
        #endif
    }

    /// (`a` − `b`) times signed `y`, each lane times its scale, as llama.cpp's Q3_K kernel
    /// computes it: two `vpmaddubsw` whose 16-bit pair sums are subtracted before `vpmaddwd`.
    /// The same integers as the difference of two `lanes(unsigned:signed:scales:)` calls, with
    /// one multiply-add fewer (exact while both pair sums fit in 16 bits: a, b ≤ 63).
    @inline(__always)
    static func lanes(unsigned a: SIMD32<UInt8>, minus b: SIMD32<UInt8>, signed y: SIMD32<Int8>, scales: SIMD16<Int16>) -> SIMD8<Int32> {
        #if arch(x86_64)
        var pairsA = SIMD16<Int16>(), pairsB = SIMD16<Int16>()
        pairsA._storage._value = Builtin.int_x86_avx2_pmadd_ub_sw(a._storage._value, y._storage._value)
        pairsB._storage._value = Builtin.int_x86_avx2_pmadd_ub_sw(b._storage._value, y._storage._value)
        let difference = pairsA &- pairsB
        var result = SIMD8<Int32>()
        result._storage._value = Builtin.int_x86_avx2_pmadd_wd(difference._storage._value, scales._storage._value)
        return result
        #else
        return lanes(unsigned: a, signed: y, scales: scales) &- lanes(unsigned: b, signed: y, scales: scales)
        #endif
    }

    /// Sums of products of 16-bit pairs, lane i = a[2i]·b[2i] + a[2i+1]·b[2i+1] (`vpmaddwd`):
    /// a K-quant block's scales or mins against an activation group's sums, eight at once.
    @inline(__always)
    static func pairSums(_ a: SIMD16<Int16>, _ b: SIMD16<Int16>) -> SIMD8<Int32> {
        #if arch(x86_64)
        var result = SIMD8<Int32>()
        result._storage._value = Builtin.int_x86_avx2_pmadd_wd(a._storage._value, b._storage._value)
        return result
        #else
        let a32 = SIMD16<Int32>(truncatingIfNeeded: a) &* SIMD16<Int32>(truncatingIfNeeded: b)
        return a32.evenHalf &+ a32.oddHalf
        #endif
    }

    /// Looks up each byte of `indices` (0...15) in `table`, 16 bytes at a time (`vpshufb` with
    /// the table in both 128-bit halves; IQ4_NL's non-linear levels).
    @inline(__always)
    static func lookup(_ table: SIMD16<Int8>, _ indices: SIMD32<UInt8>) -> SIMD32<Int8> {
        let doubled = unsafeBitCast(SIMD32<Int8>(lowHalf: table, highHalf: table), to: SIMD32<UInt8>.self)
        return unsafeBitCast(shuffle(doubled, indices), to: SIMD32<Int8>.self)
    }

    /// Byte j of `table` at index `indices[j]` within each 16-byte half (`vpshufb`; indices
    /// 0...15, from the same half).
    @inline(__always)
    static func shuffle(_ table: SIMD32<UInt8>, _ indices: SIMD32<UInt8>) -> SIMD32<UInt8> {
        #if arch(x86_64)
        var result = SIMD32<UInt8>()
        result._storage._value = Builtin.int_x86_avx2_pshuf_b(table._storage._value, indices._storage._value)
        return result
        #else
        var result = SIMD32<UInt8>()
        for i in 0..<32 { result[i] = table[(i & 16) | Int(indices[i] & 15)] }
        return result
        #endif
    }

    /// 0xFF in each byte of `x` that is 0xFF, 0 elsewhere (`vpcmpeqb`).
    @inline(__always)
    static func allOnes(_ x: SIMD32<UInt8>) -> SIMD32<UInt8> {
        #if arch(x86_64)
        var result = SIMD32<UInt8>()
        result._storage._value = Builtin.sext_Vec32xInt1_Vec32xInt8(Builtin.cmp_eq_Vec32xInt8(x._storage._value, SIMD32<UInt8>(repeating: 0xFF)._storage._value))
        return result
        #else
        return SIMD32<UInt8>(repeating: 0).replacing(with: 0xFF, where: x .== 0xFF)
        #endif
    }

    /// The `scales` argument of `lanes(unsigned:signed:scales:)` for a 32-byte group whose first
    /// 16 bytes share one scale and last 16 another (K-quants' groups of 16 or 32 values).
    @inline(__always)
    static func scales(_ first: Int16, _ second: Int16) -> SIMD16<Int16> {
        SIMD16<Int16>(lowHalf: SIMD8(repeating: first), highHalf: SIMD8(repeating: second))
    }

    /// Signed `a` times signed `b`, as |a| times b·sign(a) (llama.cpp's `mul_sum_i8_pairs`).
    /// `a` must not hold -128 with a `b` of -128 (quantized activations stay within ±127).
    @inline(__always)
    static func lanes(signed a: SIMD32<Int8>, signed b: SIMD32<Int8>) -> SIMD8<Int32> {
        #if arch(x86_64)
        return lanes(unsigned: magnitude(a), signed: sign(b, by: a))
        #else
        let a16 = unsafeBitCast(a, to: SIMD16<Int16>.self), b16 = unsafeBitCast(b, to: SIMD16<Int16>.self)
        return portable(even: (a16 &<< 8) &>> 8, odd: a16 &>> 8, even: (b16 &<< 8) &>> 8, odd: b16 &>> 8)
        #endif
    }

    /// |a| per byte (`vpsignb a, a`; −128 stays 0x80, read as 128 unsigned): the unsigned half
    /// of `lanes(signed:signed:)`, which a kernel computes once per weight block for many tokens.
    @inline(__always)
    static func magnitude(_ a: SIMD32<Int8>) -> SIMD32<UInt8> {
        #if arch(x86_64)
        var result = SIMD32<Int8>()
        result._storage._value = Builtin.int_x86_avx2_psign_b(a._storage._value, a._storage._value)
        return unsafeBitCast(result, to: SIMD32<UInt8>.self)
        #else
        return SIMD32<UInt8>(truncatingIfNeeded: SIMD32<Int16>(truncatingIfNeeded: a).replacing(with: 0 &- SIMD32<Int16>(truncatingIfNeeded: a), where: a .< 0))
        #endif
    }

    /// `b` with each byte negated where `a` is negative and zeroed where `a` is 0 (`vpsignb b, a`).
    @inline(__always)
    static func sign(_ b: SIMD32<Int8>, by a: SIMD32<Int8>) -> SIMD32<Int8> {
        #if arch(x86_64)
        var result = SIMD32<Int8>()
        result._storage._value = Builtin.int_x86_avx2_psign_b(b._storage._value, a._storage._value)
        return result
        #else
        return (0 &- b).replacing(with: b, where: a .> 0).replacing(with: 0, where: a .== 0)
        #endif
    }

    /// The lanes as floats (exact: every lane is below 2^24 in magnitude).
    @inline(__always)
    static func float(_ lanes: SIMD8<Int32>) -> SIMD8<Float> {
        #if arch(x86_64)
        var result = SIMD8<Float>()
        result._storage._value = Builtin.sitofp_Vec8xInt32_Vec8xFPIEEE32(lanes._storage._value)
        return result
        #else
        // Exact int → float for |n| < 2^22: the bits of 1.5·2^23 + n, minus 1.5·2^23.
        return unsafeBitCast(lanes &+ 0x4B40_0000, to: SIMD8<Float>.self) - 12_582_912
        #endif
    }

    /// 16-bit even/odd halves of the bytes: the products of each 32-bit word's two halves summed.
    /// Bit casts and shifts because the standard library's generic SIMD widening conversions do
    /// not compile to vector instructions.
    @inline(__always)
    static func portable(even x0: SIMD16<Int16>, odd x1: SIMD16<Int16>, even y0: SIMD16<Int16>, odd y1: SIMD16<Int16>) -> SIMD8<Int32> {
        let pairs = x0 &* y0 &+ x1 &* y1
        let words = unsafeBitCast(pairs, to: SIMD8<Int32>.self)
        return ((words &<< 16) &>> 16) &+ (words &>> 16)
    }
}
