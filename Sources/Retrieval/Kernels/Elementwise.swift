import Foundation

// Retrieval's own f32 kernels (see Matmul.swift): LayerNorm, GELU, softmax.

/// In place over `rows` rows of `width`: x = (x - mean) / sqrt(var + eps) * gamma + beta.
func layerNorm(_ x: UnsafeMutablePointer<Float>, rows: Int, width: Int,
               gamma: UnsafePointer<Float>, beta: UnsafePointer<Float>, epsilon: Float) {
    for row in 0..<rows {
        let v = x + row * width
        var mean: Float = 0
        for i in 0..<width { mean += v[i] }
        mean /= Float(width)
        var variance: Float = 0
        for i in 0..<width { let d = v[i] - mean; variance += d * d }
        variance /= Float(width)
        let scale = 1 / (variance + epsilon).squareRoot()
        for i in 0..<width { v[i] = (v[i] - mean) * scale * gamma[i] + beta[i] }
    }
}

/// In place: x = x · Φ(x) with the exact erf form (BERT's `gelu`), split between the threads.
func gelu(_ x: UnsafeMutablePointer<Float>, count: Int) {
    let xs = SendablePointer(x)
    Parallel.run { part, parts in
        let v = xs.pointer
        let range = Parallel.slice(count, part: part, parts: parts, granule: 16)
        let raw = UnsafeMutableRawPointer(v)
        var i = range.lowerBound
        while i + 16 <= range.upperBound {
            let value = raw.loadUnaligned(fromByteOffset: i * 4, as: Float16x.self)
            raw.storeBytes(of: 0.5 * value * (1 + vectorErf(value * 0.70710678118654752)), toByteOffset: i * 4, as: Float16x.self)
            i += 16
        }
        while i < range.upperBound {
            let value = v[i]
            v[i] = 0.5 * value * (1 + erff(value * 0.70710678118654752))
            i += 1
        }
    }
}

/// In place over `count` scores: softmax. `count` must be a multiple of 16 (pad with -infinity).
func softmax(_ x: UnsafeMutablePointer<Float>, count: Int) {
    let raw = UnsafeMutableRawPointer(x)
    var maxima = Float16x(repeating: -.infinity)
    for i in stride(from: 0, to: count, by: 16) { maxima = vectorMax(maxima, raw.loadUnaligned(fromByteOffset: i * 4, as: Float16x.self)) }
    let maximum = Float16x(repeating: maxima.max())
    var sums = Float16x()
    for i in stride(from: 0, to: count, by: 16) {
        let e = vectorExp(raw.loadUnaligned(fromByteOffset: i * 4, as: Float16x.self) - maximum)
        raw.storeBytes(of: e, toByteOffset: i * 4, as: Float16x.self)
        sums += e
    }
    let inverse = Float16x(repeating: 1 / sums.sum())
    for i in stride(from: 0, to: count, by: 16) {
        raw.storeBytes(of: raw.loadUnaligned(fromByteOffset: i * 4, as: Float16x.self) * inverse, toByteOffset: i * 4, as: Float16x.self)
    }
}
