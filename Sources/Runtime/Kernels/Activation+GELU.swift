import Foundation

extension Activation {
    /// In place: `x = x · Φ(x)` with the exact erf form (BERT's `gelu`, not the tanh form of
    /// `geglu`), `count` values split between the threads.
    package static func gelu(_ x: UnsafeMutablePointer<Float>, count: Int, threads: Int) {
        let box = SendableBox(x)
        Parallel.chunks(count, threads: count < 16_384 ? 1 : threads, granularity: 16) { range in
            let v = box.value
            let raw = UnsafeMutableRawPointer(v)
            var i = range.lowerBound
            while i + 16 <= range.upperBound {
                let value = raw.loadUnaligned(fromByteOffset: i * 4, as: SIMD16<Float>.self)
                raw.storeBytes(of: 0.5 * value * (1 + erf(value * 0.70710678118654752)), toByteOffset: i * 4, as: SIMD16<Float>.self)
                i += 16
            }
            while i < range.upperBound {
                let value = v[i]
                v[i] = 0.5 * value * (1 + erff(value * 0.70710678118654752))
                i += 1
            }
        }
    }

    /// erf for 16 lanes: Abramowitz & Stegun 7.1.26, absolute error ≤ 1.5e-7 (libm's scalar
    /// `erff` made GELU a large share of the encoder's time).
    @inline(__always)
    static func erf(_ x: SIMD16<Float>) -> SIMD16<Float> {
        typealias V = SIMD16<Float>
        let a = unsafeBitCast(unsafeBitCast(x, to: SIMD16<UInt32>.self) & 0x7FFF_FFFF, to: V.self)
        let t = 1 / (1 + 0.3275911 * a)
        var p = V(repeating: 1.061405429)
        p = p * t - 1.453152027
        p = p * t + 1.421413741
        p = p * t - 0.284496736
        p = p * t + 0.254829592
        let y = 1 - p * t * GGMLRounding.exp(-(a * a))
        let sign = unsafeBitCast(x, to: SIMD16<UInt32>.self) & 0x8000_0000
        return unsafeBitCast(unsafeBitCast(y, to: SIMD16<UInt32>.self) ^ sign, to: V.self)
    }
}
