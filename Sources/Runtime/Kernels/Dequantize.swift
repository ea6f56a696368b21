/// Conversion of stored weight rows to `Float`, used for embedding lookups and as the plain
/// reference that the optimized dot products are tested against.
enum Dequantize {
    /// Writes the `count` values of the row at `source` (in `format`) to `destination`.
    static func row(_ format: WeightFormat, _ source: UnsafeRawPointer, _ destination: UnsafeMutablePointer<Float>, count: Int) {
        switch format {
        case .f32:
            destination.update(from: source.assumingMemoryBound(to: Float.self), count: count)
        case .f16:
            for i in 0..<count { destination[i] = HalfFloat.float(fromHalf: source.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)) }
        case .bf16:
            for i in 0..<count { destination[i] = HalfFloat.float(fromBFloat: source.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)) }
        case .q8_0:
            for b in 0..<count / 32 {
                let block = source + 34 * b
                let d = half(block, 0)
                for j in 0..<32 { destination[32 * b + j] = d * Float(block.load(fromByteOffset: 2 + j, as: Int8.self)) }
            }
        case .q4_0:
            for b in 0..<count / 32 {
                let block = source + 18 * b
                let d = half(block, 0)
                for j in 0..<16 {
                    let q = block.load(fromByteOffset: 2 + j, as: UInt8.self)
                    destination[32 * b + j] = d * Float(Int(q & 0xF) - 8)
                    destination[32 * b + j + 16] = d * Float(Int(q >> 4) - 8)
                }
            }
        case .q4_1:
            for b in 0..<count / 32 {
                let block = source + 20 * b
                let d = half(block, 0), m = half(block, 2)
                for j in 0..<16 {
                    let q = block.load(fromByteOffset: 4 + j, as: UInt8.self)
                    destination[32 * b + j] = Float(q & 0xF) * d + m
                    destination[32 * b + j + 16] = Float(q >> 4) * d + m
                }
            }
        case .q5_0, .q5_1:
            let offset = format == .q5_0 ? 2 : 4, size = format == .q5_0 ? 22 : 24
            for b in 0..<count / 32 {
                let block = source + size * b
                let d = half(block, 0), m: Float = format == .q5_1 ? half(block, 2) : 0
                let quants = DotProduct.q5Quants(block + offset)
                for j in 0..<32 {
                    destination[32 * b + j] = format == .q5_0 ? d * Float(Int(quants[j]) - 16) : Float(quants[j]) * d + m
                }
            }
        case .iq4_nl:
            for b in 0..<count / 32 { iq4NL(source + 18 * b, destination + 32 * b) }
        case .q2_K:
            for b in 0..<count / 256 { q2K(source + 84 * b, destination + 256 * b) }
        case .q3_K:
            for b in 0..<count / 256 { q3K(source + 110 * b, destination + 256 * b) }
        case .q4_K:
            for b in 0..<count / 256 { q4K(source + 144 * b, destination + 256 * b) }
        case .q5_K:
            for b in 0..<count / 256 { q5K(source + 176 * b, destination + 256 * b) }
        case .q6_K:
            for b in 0..<count / 256 { q6K(source + 210 * b, destination + 256 * b) }
        }
    }

    @inline(__always)
    static func half(_ pointer: UnsafeRawPointer, _ offset: Int) -> Float {
        HalfFloat.float(fromHalf: pointer.loadUnaligned(fromByteOffset: offset, as: UInt16.self))
    }

    /// The `j`-th 6-bit scale and min of a Q4_K block (ggml's `get_scale_min_k4`).
    @inline(__always)
    static func q4KScaleMin(_ j: Int, _ scales: UnsafeRawPointer) -> (scale: UInt8, min: UInt8) {
        func s(_ i: Int) -> UInt8 { scales.load(fromByteOffset: i, as: UInt8.self) }
        if j < 4 { return (s(j) & 63, s(j + 4) & 63) }
        return ((s(j + 4) & 0xF) | ((s(j - 4) >> 6) << 4), (s(j + 4) >> 4) | ((s(j) >> 6) << 4))
    }

    static func q4K(_ block: UnsafeRawPointer, _ y: UnsafeMutablePointer<Float>) {
        let d = half(block, 0), dmin = half(block, 2)
        let scales = block + 4
        let qs = block + 16
        for chunk in 0..<4 {
            let (sc1, m1) = q4KScaleMin(2 * chunk, scales)
            let (sc2, m2) = q4KScaleMin(2 * chunk + 1, scales)
            let d1 = d * Float(sc1), min1 = dmin * Float(m1)
            let d2 = d * Float(sc2), min2 = dmin * Float(m2)
            for l in 0..<32 {
                let q = qs.load(fromByteOffset: 32 * chunk + l, as: UInt8.self)
                y[64 * chunk + l] = d1 * Float(q & 0xF) - min1
                y[64 * chunk + 32 + l] = d2 * Float(q >> 4) - min2
            }
        }
    }

    static func q6K(_ block: UnsafeRawPointer, _ y: UnsafeMutablePointer<Float>) {
        let d = half(block, 208)
        for half in 0..<2 {
            let ql = block + 64 * half
            let qh = block + 128 + 32 * half
            let sc = block + 192 + 8 * half
            func scale(_ i: Int) -> Float { Float(sc.load(fromByteOffset: i, as: Int8.self)) }
            for l in 0..<32 {
                let group = l / 16
                let low0 = ql.load(fromByteOffset: l, as: UInt8.self), low1 = ql.load(fromByteOffset: l + 32, as: UInt8.self)
                let high = qh.load(fromByteOffset: l, as: UInt8.self)
                let q1 = Int(low0 & 0xF | ((high >> 0) & 3) << 4) - 32
                let q2 = Int(low1 & 0xF | ((high >> 2) & 3) << 4) - 32
                let q3 = Int(low0 >> 4 | ((high >> 4) & 3) << 4) - 32
                let q4 = Int(low1 >> 4 | ((high >> 6) & 3) << 4) - 32
                let out = y + 128 * half
                out[l] = d * scale(group) * Float(q1)
                out[l + 32] = d * scale(group + 2) * Float(q2)
                out[l + 64] = d * scale(group + 4) * Float(q3)
                out[l + 96] = d * scale(group + 6) * Float(q4)
            }
        }
    }
}
