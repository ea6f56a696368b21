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
        for i in Parallel.slice(count, part: part, parts: parts, granule: 16) {
            let value = v[i]
            v[i] = 0.5 * value * (1 + erff(value * 0.70710678118654752))
        }
    }
}

/// In place over `count` scores: softmax.
func softmax(_ x: UnsafeMutablePointer<Float>, count: Int) {
    var maximum = -Float.infinity
    for i in 0..<count { maximum = max(maximum, x[i]) }
    var sum: Float = 0
    for i in 0..<count { let e = expf(x[i] - maximum); x[i] = e; sum += e }
    let inverse = 1 / sum
    for i in 0..<count { x[i] *= inverse }
}
