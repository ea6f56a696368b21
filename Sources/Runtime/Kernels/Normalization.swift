/// RMSNorm and LayerNorm over rows of `count` values, as ggml computes them (sums in double).
package enum Normalization {
    /// `y = x / sqrt(mean(x²) + eps) · weight` for one row; `y` may alias `x`.
    @inline(__always)
    static func rms(_ x: UnsafePointer<Float>, weight: UnsafePointer<Float>, epsilon: Float,
                    into y: UnsafeMutablePointer<Float>, count: Int) {
        // ggml sums the squares one by one in double, then takes mean and scale in float.
        var sum: Double = 0
        for i in 0..<count { sum += Double(x[i] * x[i]) }
        let mean = Float(sum / Double(count))
        let scale = 1 / (mean + epsilon).squareRoot()
        for j in 0..<count { y[j] = x[j] * scale * weight[j] }
    }

    /// `y = (x − mean) / sqrt(var + eps) · weight + bias` for one row; `y` may alias `x`.
    @inline(__always)
    package static func layer(_ x: UnsafePointer<Float>, weight: UnsafePointer<Float>, bias: UnsafePointer<Float>?,
                      epsilon: Float, into y: UnsafeMutablePointer<Float>, count: Int) {
        var sum: Double = 0
        for j in 0..<count { sum += Double(x[j]) }
        let mean = Float(sum / Double(count))
        var variance: Double = 0
        for j in 0..<count { let d = Double(x[j] - mean); variance += d * d }
        let scale = Float(1 / (variance / Double(count) + Double(epsilon)).squareRoot())
        for j in 0..<count {
            let v = (x[j] - mean) * scale * weight[j]
            y[j] = bias.map { v + $0[j] } ?? v
        }
    }
}
