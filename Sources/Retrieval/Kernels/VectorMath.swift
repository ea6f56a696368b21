// Retrieval's own vectorized exp and erf (see Matmul.swift): libm's scalar `expf`/`erff` were a
// sixth of the encoder's time in softmax and GELU.

typealias Float16x = SIMD16<Float>

/// Lane-wise maximum as compare + blend.
@inline(__always)
func vectorMax(_ a: Float16x, _ b: Float16x) -> Float16x { a.replacing(with: b, where: b .> a) }

/// e^x for 16 lanes: Cephes' `expf` (range reduction by ln 2, degree-6 polynomial), relative
/// error about 2e-7; inputs are clamped to [-87.3, 88.7] (so -inf gives ~1e-38, not NaN).
@inline(__always)
func vectorExp(_ input: Float16x) -> Float16x {
    // Comparisons and blends, not `clamped`/`pointwiseMax`, which Swift lowers lane by lane (NaN rules).
    let low = Float16x(repeating: -87.3), high = Float16x(repeating: 88.7)
    var x = input.replacing(with: low, where: input .< low)
    x.replace(with: high, where: x .> high)
    let n = (x * 1.44269504088896341).rounded(.toNearestOrEven)
    var r = x
    r.addProduct(n, Float16x(repeating: -0.693359375))
    r.addProduct(n, Float16x(repeating: 2.12194440e-4))
    var p = Float16x(repeating: 1.9875691500e-4)
    p = p * r + 1.3981999507e-3
    p = p * r + 8.3334519073e-3
    p = p * r + 4.1665795894e-2
    p = p * r + 1.6666665459e-1
    p = p * r + 5.0000001201e-1
    let y = p * r * r + r + 1
    // 2^n: add 1.5·2^23 so n lands in the low mantissa bits, then move it into the exponent.
    let magic = n + 12582912
    let bits = (unsafeBitCast(magic, to: SIMD16<UInt32>.self) &- 0x4B400000 &+ 127) &<< 23
    return y * unsafeBitCast(bits, to: Float16x.self)
}

/// erf for 16 lanes: Abramowitz & Stegun 7.1.26, absolute error ≤ 1.5e-7.
@inline(__always)
func vectorErf(_ x: Float16x) -> Float16x {
    let a = unsafeBitCast(unsafeBitCast(x, to: SIMD16<UInt32>.self) & 0x7FFF_FFFF, to: Float16x.self)
    let t = 1 / (1 + 0.3275911 * a)
    var p = Float16x(repeating: 1.061405429)
    p = p * t - 1.453152027
    p = p * t + 1.421413741
    p = p * t - 0.284496736
    p = p * t + 0.254829592
    let y = 1 - p * t * vectorExp(-(a * a))
    let sign = unsafeBitCast(x, to: SIMD16<UInt32>.self) & 0x8000_0000
    return unsafeBitCast(unsafeBitCast(y, to: SIMD16<UInt32>.self) ^ sign, to: Float16x.self)
}
