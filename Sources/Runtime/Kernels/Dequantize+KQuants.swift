/// Plain dequantization of the lower-bit K-quants (Q2_K, Q3_K, Q5_K) and IQ4_NL, written as
/// ggml's `dequantize_row_*` (ggml-quants.c) so that an embedding row looked up from such a
/// matrix equals llama.cpp's `get_rows` bit for bit; `KQuantReferenceTests` compares them with
/// llama.cpp's own functions on blocks its quantizer made. Each `block` points at one block;
/// `y` receives its 256 (IQ4_NL: 32) values.
extension Dequantize {
    /// IQ4_NL's 16 levels (ggml's `kvalues_iq4nl`): a 4-bit index selects a non-uniform value.
    static let iq4NLTable = SIMD16<Int8>(-127, -104, -83, -65, -49, -35, -22, -10, 1, 13, 25, 38, 53, 69, 89, 113)

    static func iq4NL(_ block: UnsafeRawPointer, _ y: UnsafeMutablePointer<Float>) {
        let d = half(block, 0)
        for j in 0..<16 {
            let q = block.load(fromByteOffset: 2 + j, as: UInt8.self)
            y[j] = d * Float(iq4NLTable[Int(q & 0xF)])
            y[j + 16] = d * Float(iq4NLTable[Int(q >> 4)])
        }
    }

    /// Q2_K: 16 groups of 16 values; group g has scale `scales[g] & 15` and min `scales[g] >> 4`.
    /// Value 128n + 32k + l (l < 32) is bits 2k, 2k+1 of `qs[32n + l]`.
    static func q2K(_ block: UnsafeRawPointer, _ y: UnsafeMutablePointer<Float>) {
        let d = half(block, 80), dmin = half(block, 82)
        for n in 0..<2 {
            for k in 0..<4 {
                for part in 0..<2 {
                    let sc = block.load(fromByteOffset: 8 * n + 2 * k + part, as: UInt8.self)
                    let dl = d * Float(sc & 0xF), ml = dmin * Float(sc >> 4)
                    for l in 0..<16 {
                        let q = (block.load(fromByteOffset: 16 + 32 * n + 16 * part + l, as: UInt8.self) >> (2 * k)) & 3
                        y[128 * n + 32 * k + 16 * part + l] = dl * Float(q) - ml
                    }
                }
            }
        }
    }

    /// Q3_K's sixteen 6-bit scales, minus 32 (ggml's `aux` shuffle of the 12 scale bytes): low
    /// 4 bits of scales 0-7 in the low nibbles of bytes 0-7, of 8-15 in their high nibbles, the
    /// high 2 bits of all 16 in bytes 8-11.
    @inline(__always)
    static func q3KScales(_ scales: UnsafeRawPointer) -> SIMD16<Int8> {
        let a0 = scales.loadUnaligned(as: UInt32.self), a1 = scales.loadUnaligned(fromByteOffset: 4, as: UInt32.self)
        let a2 = scales.loadUnaligned(fromByteOffset: 8, as: UInt32.self)
        let low: UInt32 = 0x0F0F_0F0F, two: UInt32 = 0x0303_0303
        let words = SIMD4<UInt32>((a0 & low) | ((a2 & two) << 4), (a1 & low) | (((a2 >> 2) & two) << 4),
                                  ((a0 >> 4) & low) | (((a2 >> 4) & two) << 4), ((a1 >> 4) & low) | (((a2 >> 6) & two) << 4))
        return unsafeBitCast(words, to: SIMD16<Int8>.self) &- 32
    }

    /// Q3_K: value 128n + 32k + l is bits 2k, 2k+1 of `qs[32n + l]`, minus 4 unless bit 4n + k of
    /// `hmask[l]` is set; groups of 16 values share a scale.
    static func q3K(_ block: UnsafeRawPointer, _ y: UnsafeMutablePointer<Float>) {
        let d = half(block, 108)
        let scales = q3KScales(block + 96)
        for n in 0..<2 {
            for k in 0..<4 {
                for part in 0..<2 {
                    let dl = d * Float(scales[8 * n + 2 * k + part])
                    for l in 16 * part..<16 * part + 16 {
                        let low = Int((block.load(fromByteOffset: 32 + 32 * n + l, as: UInt8.self) >> (2 * k)) & 3)
                        let high = block.load(fromByteOffset: l, as: UInt8.self) & (1 << (4 * n + k)) != 0
                        y[128 * n + 32 * k + l] = dl * Float(low - (high ? 0 : 4))
                    }
                }
            }
        }
    }

    /// Q5_K: as Q4_K with a fifth bit: value 64c + l (l < 32) has bit 2c of `qh[l]`, value
    /// 64c + 32 + l bit 2c + 1.
    static func q5K(_ block: UnsafeRawPointer, _ y: UnsafeMutablePointer<Float>) {
        let d = half(block, 0), dmin = half(block, 2)
        for chunk in 0..<4 {
            let (sc1, m1) = q4KScaleMin(2 * chunk, block + 4)
            let (sc2, m2) = q4KScaleMin(2 * chunk + 1, block + 4)
            let d1 = d * Float(sc1), min1 = dmin * Float(m1)
            let d2 = d * Float(sc2), min2 = dmin * Float(m2)
            for l in 0..<32 {
                let q = block.load(fromByteOffset: 48 + 32 * chunk + l, as: UInt8.self)
                let h = block.load(fromByteOffset: 16 + l, as: UInt8.self) >> (2 * chunk)
                y[64 * chunk + l] = d1 * Float(q & 0xF | (h & 1) << 4) - min1
                y[64 * chunk + 32 + l] = d2 * Float(q >> 4 | (h & 2) << 3) - min2
            }
        }
    }
}
